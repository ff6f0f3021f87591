"""Shipments (or an inventory) + catalog → flow and installed base of compute.

I/O lives in :func:`read_shipments`; :func:`estimate` works on a typed DataFrame and returns
result tables. Per-row arithmetic is vectorised: model names are factorised once, peaks are
looked up by integer codes, and every grouping is one ``bincount`` plus one matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..io.readers import Column, RawTable, Schema, apply_schema, read_raw_table
from . import engine
from .catalog import Catalog
from .config import CapacityConfig

SHIPMENT_SCHEMA = Schema(
    "shipments",
    [
        Column("period", "period", aliases=("year", "年份", "时期", "period_label", "半年度"),
               allow_missing=False, help="a year (2024) or half-year (2024H1)"),
        Column("province", "str", aliases=("region", "省份", "地区", "省"), allow_missing=False),
        Column("city", "str", required=False, aliases=("城市", "市")),
        Column("industry", "str", required=False, aliases=("行业",)),
        Column("vendor", "str", required=False, aliases=("server_vendor", "服务器厂商", "厂商")),
        Column("accelerator_model", "str", required=False, aliases=("accelerator", "加速卡", "加速卡型号", "gpu_model")),
        Column("accelerators_per_server", "float", required=False, min=0, max=1024, allow_percent=False,
               aliases=("cards_per_server", "每台加速卡数", "加速卡数/台")),
        Column("cpu_model", "str", required=False, aliases=("cpu", "处理器型号", "CPU型号")),
        Column("cpus_per_server", "float", required=False, min=0, max=64, allow_percent=False, aliases=("sockets", "每台CPU数", "路数")),
        Column("servers", "float", min=0, aliases=("shipments", "units", "台数", "出货量", "服务器台数"),
               allow_missing=False, allow_percent=False, help="server count; negative counts are not allowed",
               plausible_max=1e6),
        Column("data_status", "str", required=False, aliases=("status", "数据状态")),
    ],
    key=("period", "province", "city", "industry", "vendor", "accelerator_model", "cpu_model"),
    min_rows=1,
)


def _row_checks(df: pd.DataFrame, raw: RawTable) -> list[Problem]:
    problems: list[Problem] = []
    acc = df["accelerator_model"].astype(str) != ""
    cpu = df["cpu_model"].astype(str) != ""
    aps = df["accelerators_per_server"].to_numpy(dtype=float)
    cps = df["cpus_per_server"].to_numpy(dtype=float)
    lines = df["_line"].to_numpy()
    for pos in np.flatnonzero(~acc & ~cpu):
        problems.append(Problem("row names neither an accelerator_model nor a cpu_model", raw.path, int(lines[pos]),
                                None, "give the accelerator (intelligent compute) and/or CPU (general compute) model"))
    for pos in np.flatnonzero(acc.to_numpy() & ~(aps > 0)):
        problems.append(Problem("accelerators_per_server is missing or 0 for an accelerated server", raw.path,
                                int(lines[pos]), "accelerators_per_server", "give the number of cards per server, e.g. 8"))
    for pos in np.flatnonzero(cpu.to_numpy() & ~(cps > 0)):
        problems.append(Problem("cpus_per_server is missing or 0 while cpu_model is given", raw.path,
                                int(lines[pos]), "cpus_per_server", "give the number of sockets, e.g. 2"))
    return problems[:50]


def _canonical_regions(df: pd.DataFrame, raw: RawTable) -> list[Problem]:
    """北京/北京市/Beijing/内蒙 → 北京 (in place); unknown provinces and cities are problems naming the
    nearest names; rows that become duplicates under the key are problems."""
    from ..regions import resolve_city, resolve_province
    from ..units import UnitError

    problems: list[Problem] = []
    lines = df["_line"].to_numpy()
    for col in ("province", "city"):
        if col not in df.columns:
            continue
        if col == "province":
            pairs = {v: (v,) for v in df[col].unique()}
        else:
            pairs = {(v, p): (v, p) for v, p in zip(df[col], df["province"], strict=True)}
        done: dict[Any, Any] = {}
        for key, args in pairs.items():
            try:
                done[key] = resolve_province(*args) if col == "province" else resolve_city(*args)
            except UnitError as exc:
                done[key] = exc
        keys_ = df[col] if col == "province" else pd.Series(list(zip(df[col], df["province"], strict=True)),
                                                              index=df.index)
        res = keys_.map(done)
        for pos in np.flatnonzero(res.map(lambda r: isinstance(r, UnitError)).to_numpy()):
            if len(problems) < 50:
                problems.append(Problem(str(res.iloc[pos]), raw.path, int(lines[pos]), col,
                                        "correct the name; a misspelt place would become a new province or city"))
        df[col] = res.map(lambda r: "" if isinstance(r, UnitError) else r).astype(object)
    if problems:
        return problems
    keys = [k for k in SHIPMENT_SCHEMA.key or () if k in df.columns]
    dup = df.duplicated(subset=keys, keep=False)
    if dup.any():
        for _, g in list(df[dup].groupby(keys, sort=False, dropna=False))[:20]:
            ls = g["_line"].astype(int).tolist()
            problems.append(Problem(
                f"duplicate rows for {g['province'].iloc[0]}/{g['city'].iloc[0]} {g['period'].iloc[0]} "
                f"(lines {', '.join(map(str, ls))}; the same place may be spelt two ways, e.g. 北京/北京市/Beijing)",
                raw.path, ls[1], "province", "merge the rows by adding their servers, or delete the repeated row"))
    return problems


def read_shipments(path: str | Path, *, sheet: str | None = None,
                   limits: dict[str, float] | None = None) -> pd.DataFrame:
    """Read and check a shipments table (CSV/XLSX, any common encoding); ``limits`` overrides the
    plausibility limits (edition.yaml ``limits:``)."""
    raw = read_raw_table(path, sheet=sheet)
    df = apply_schema(raw, SHIPMENT_SCHEMA, limits=limits)
    problems = _row_checks(df, raw) + _canonical_regions(df, raw)
    if problems:
        raise InputError(problems=problems)
    df.attrs["path"] = raw.path  # the file, and the worksheet of a workbook
    return df


@dataclass
class CapacityResult:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    basis: str = ""
    notes: list[str] = field(default_factory=list)
    #: rows left out with ``skip_unknown`` (file, row, column, name, problem, closest); empty otherwise
    unresolved: pd.DataFrame | None = None


def unusable_rows(df: pd.DataFrame, catalog: Catalog, cfg: CapacityConfig, path: str) -> tuple[np.ndarray, list[dict]]:
    """Rows whose names do not resolve or whose model has no peak under the edition's rules.

    Returns a boolean mask and one record per unusable row and column; every distinct name is
    looked up once, so this is cheap even for millions of rows.
    """
    from .resolve import resolve_column

    lines = df["_line"].to_numpy() if "_line" in df else None
    ra = resolve_column(catalog, df["accelerator_model"], "accelerator", file=path, column="accelerator_model",
                        lines=lines)
    rc = resolve_column(catalog, df["cpu_model"], "cpu", file=path, column="cpu_model", lines=lines)
    records = ra.records + rc.records
    bad = ra.bad | rc.bad
    eq = catalog.equivalent_peaks(cfg.rule).set_index("model")["equiv_tflops"]
    cpu_peak = catalog.cpus.set_index("model")["fp64_peak_gflops"]
    line_arr = lines if lines is not None else np.arange(2, len(df) + 2)
    checks = (
        (ra, eq, "accelerator_model",
         f"has no {cfg.precision.upper()}-equivalent under the rule {cfg.rule} (add a conversion such as 'fp8/2' or "
         f"'int8/2' to capacity.{cfg.precision}_equivalent explicitly, or give a sourced figure in an override file)"),
        (rc, cpu_peak, "cpu_model",
         "has no FP64 peak in the catalog (cores, base clock or FP64 FLOPs/cycle missing: a visible gap, not a "
         "zero; give them with a source in a CPU override file, or use a TOP500-style name with cores and clock)"),
    )
    for res, table, column, why in checks:
        models = pd.unique(res.models[res.models != ""])
        missing = [m for m in models if pd.isna(table.get(m, np.nan))]
        if not missing:
            continue
        hit = np.isin(res.models, missing)
        given = df[column].astype(object).to_numpy()
        have = {}
        if column == "accelerator_model":
            at = catalog.accelerators.set_index("model")
            have = {m: ", ".join(c for c in ("fp16_dense_tflops", "bf16_dense_tflops", "fp8_dense_tflops",
                                            "int8_dense_tops") if not pd.isna(at.loc[m, c])) or "no 16/8-bit figures"
                    for m in missing}
        for pos in np.flatnonzero(hit):
            m = res.models[pos]
            extra = f" (catalog has: {have[m]})" if m in have else ""
            records.append({"file": path, "row": int(line_arr[pos]), "column": column, "name": str(given[pos]),
                            "problem": f"'{m}' {why}{extra}", "closest": ""})
        bad = bad | hit
    return bad, records


@dataclass
class CodedShipments:
    """Shipments as integer codes and float arrays: the form the vectorised core works on."""

    df: pd.DataFrame
    acc_code: np.ndarray  # index into acc_models, -1 = no accelerator
    acc_models: np.ndarray  # resolved catalog names
    cpu_code: np.ndarray
    cpu_models: np.ndarray
    period_code: np.ndarray
    period_years: np.ndarray
    period_halves: np.ndarray
    accelerators: np.ndarray  # per row
    cpus: np.ndarray
    intelligent_flops: np.ndarray
    cpu_fp64_flops: np.ndarray
    accel_fp64_flops: np.ndarray
    equiv_basis: np.ndarray  # per accelerator model: the rule item used


def _factorize(values: pd.Series | np.ndarray, sort: bool = True) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(values, sort=sort)
    return codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=object)


def _resolve_codes(
    catalog: Catalog, values: pd.Series, kind: str, path: str, lines: np.ndarray | None, column: str
) -> tuple[np.ndarray, np.ndarray]:
    """Factorise a name column, resolve each distinct name once; '' becomes code -1."""
    raw_codes, raw_uniques = _factorize(values.astype(object).fillna("") if values.dtype != "category" else values)
    raw_uniques = np.array([normalise_cell(u) for u in raw_uniques], dtype=object)
    first = {}
    if lines is not None and len(raw_codes):
        u, idx = np.unique(raw_codes, return_index=True)
        first = {int(c): int(lines[i]) for c, i in zip(u, idx, strict=True) if c >= 0}
    problems: list[Problem] = []
    resolved = np.empty(len(raw_uniques), dtype=object)
    for i, name in enumerate(raw_uniques):
        if name == "":
            resolved[i] = ""
            continue
        try:
            resolved[i] = catalog.resolve(name, kind)
        except LookupError as exc:
            problems.append(Problem(str(exc), path, first.get(i), column,
                                    "fix the name, or add the model with its source in a catalog override file"))
    if problems:
        raise InputError(problems=problems)
    models, remap = np.unique(np.where(resolved == "", "", resolved).astype(str), return_inverse=True)
    codes = np.where(raw_codes >= 0, remap[np.clip(raw_codes, 0, None)], -1) if len(raw_uniques) else raw_codes
    has_blank = (models == "")
    if has_blank.any():
        blank = int(np.flatnonzero(has_blank)[0])
        codes = np.where(codes == blank, -1, codes - (codes > blank))
        models = models[~has_blank]
    return codes.astype(np.int64, copy=False), models.astype(object)


def normalise_cell(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    return str(v).strip()


def code_shipments(df: pd.DataFrame, catalog: Catalog, cfg: CapacityConfig, path: str = "shipments") -> CodedShipments:
    """Resolve names and compute per-row peaks; every distinct name is looked up once."""
    lines = df["_line"].to_numpy() if "_line" in df else None
    acc_code, acc_models = _resolve_codes(catalog, df["accelerator_model"], "accelerator", path, lines,
                                          "accelerator_model")
    cpu_code, cpu_models = _resolve_codes(catalog, df["cpu_model"], "cpu", path, lines, "cpu_model")
    acc_tab = catalog.accelerators.set_index("model")
    fp16 = catalog.equivalent_peaks(cfg.rule).set_index("model")
    cpu_tab = catalog.cpus.set_index("model")
    first_acc = first_cpu = {}
    if lines is not None:
        u, idx = np.unique(acc_code, return_index=True)
        first_acc = {int(c): int(lines[i]) for c, i in zip(u, idx, strict=True)}
        u, idx = np.unique(cpu_code, return_index=True)
        first_cpu = {int(c): int(lines[i]) for c, i in zip(u, idx, strict=True)}
    problems: list[Problem] = []
    fp16_u = fp16["equiv_tflops"].reindex(acc_models).to_numpy(dtype=float)
    basis_u = fp16["equiv_basis"].reindex(acc_models).fillna("").to_numpy(dtype=object)
    for i, (m, v) in enumerate(zip(acc_models, fp16_u, strict=True)):
        if np.isnan(v):
            row = acc_tab.loc[m]
            have = [c for c in ("fp16_dense_tflops", "bf16_dense_tflops", "fp8_dense_tflops", "int8_dense_tops")
                    if not pd.isna(row.get(c))]
            problems.append(Problem(
                f"'{m}' has no {cfg.precision.upper()}-equivalent under the rule {cfg.rule} (catalog has: "
                f"{', '.join(have) or 'no 16/8-bit figures'})", path, first_acc.get(i), "accelerator_model",
                f"add a conversion such as 'fp8/2' or 'int8/2' to capacity.{cfg.precision}_equivalent to convert "
                "explicitly, or give a sourced figure in an accelerator override file"))
    cpu_u = cpu_tab["fp64_peak_gflops"].reindex(cpu_models).to_numpy(dtype=float)
    for i, (m, v) in enumerate(zip(cpu_models, cpu_u, strict=True)):
        if np.isnan(v):
            problems.append(Problem(
                f"'{m}' has no FP64 peak in the catalog (cores × base clock × FLOPs/cycle incomplete)", path,
                first_cpu.get(i), "cpu_model",
                "give base_ghz and fp64_flops_per_cycle_per_core (with a source) in a CPU override file"))
    if problems:
        raise InputError(problems=problems)
    sparsity_u = (acc_tab["sparsity_factor"].reindex(acc_models).to_numpy(dtype=float)
                  if cfg.sparsity == "sparse" else np.ones(len(acc_models)))
    a64 = catalog.accelerator_fp64(cfg.fp64_basis).set_index("model")["fp64_tflops"]
    acc_fp64_u = np.nan_to_num(a64.reindex(acc_models).to_numpy(dtype=float))
    has_acc = acc_code >= 0
    has_cpu = cpu_code >= 0
    ai = np.where(has_acc, acc_code, 0)
    ci = np.where(has_cpu, cpu_code, 0)
    servers = df["servers"].to_numpy(dtype=float)
    aps = np.nan_to_num(df["accelerators_per_server"].to_numpy(dtype=float))
    cps = np.nan_to_num(df["cpus_per_server"].to_numpy(dtype=float))
    accels = np.where(has_acc, servers * aps, 0.0)
    cpus = np.where(has_cpu, servers * cps, 0.0)
    pad = lambda a: np.append(a, 0.0) if len(a) == 0 else a  # noqa: E731 - index 0 must exist
    intelligent = accels * pad(fp16_u * sparsity_u)[ai] * 1e12
    cpu_fp64 = cpus * pad(cpu_u)[ci] * 1e9
    acc_fp64 = accels * pad(acc_fp64_u)[ai] * 1e12
    years = df["period_year"].to_numpy(dtype=np.int64)
    halves = df["period_half"].to_numpy(dtype=np.int64)
    pkey = years * 3 + halves
    pcode, puniq = _factorize(pkey)
    puniq = puniq.astype(np.int64)
    return CodedShipments(df, acc_code, acc_models, cpu_code, cpu_models, pcode, puniq // 3, puniq % 3, accels, cpus,
                          intelligent, cpu_fp64, acc_fp64, basis_u)


def _basis_text(cfg: CapacityConfig) -> str:
    surv = cfg.survival_intelligent
    life = {"fixed": f"fixed {surv.life_years:g}-year life", "none": "no retirement",
            "weibull": f"Weibull(scale={surv.scale}, shape={surv.shape})"}[surv.kind]
    return (f"installed base at {cfg.stock_at.replace('_', ' ')}, {life}; intelligent = "
            f"{cfg.precision.upper()}-equivalent {cfg.sparsity} peak ({' > '.join(cfg.rule)}); general = CPU FP64 "
            "peak at base clock (vector; CPUs have no FP64 matrix units)"
            + (f" + accelerator FP64 ({cfg.fp64_basis})" if cfg.general_includes_accelerator_fp64 else ""))


#: Groupings computed from the catalog rather than read from the shipments table.
CATALOG_FIELDS = {"origin", "accelerator_vendor", "cpu_vendor", "accelerator_model", "cpu_model"}


class Grouper:
    """Row → group codes for any list of columns, for intelligent (accelerator) or general (CPU) compute."""

    def __init__(self, cs: CodedShipments, catalog: Catalog) -> None:
        self.cs = cs
        self.acc_tab = catalog.accelerators.set_index("model")
        self.cpu_tab = catalog.cpus.set_index("model")
        self._cache: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}
        self._groups: dict[tuple[tuple[str, ...], int], tuple[np.ndarray, list[tuple]]] = {}

    def column(self, col: str, which: int) -> tuple[np.ndarray, np.ndarray]:
        """(codes per row, labels) of one column; ``which`` 0 = accelerator side, 1 = CPU side."""
        key = (col, which if col in CATALOG_FIELDS else 0)
        if key in self._cache:
            return self._cache[key]
        cs = self.cs
        if col in CATALOG_FIELDS:
            side_acc = which == 0
            code = cs.acc_code if side_acc else cs.cpu_code
            models = cs.acc_models if side_acc else cs.cpu_models
            tab = self.acc_tab if side_acc else self.cpu_tab
            field_ = {"origin": "origin", "accelerator_vendor": "vendor", "cpu_vendor": "vendor",
                      "accelerator_model": None, "cpu_model": None}[col]
            relevant = (col in ("origin",)) or (col.startswith("accelerator") == side_acc)
            per_model = (np.asarray(models, dtype=object) if field_ is None
                         else tab[field_].reindex(models).fillna("unknown").to_numpy(dtype=object))
            if not relevant:
                per_model = np.full(len(models), "(none)", dtype=object)
            labels = np.array(sorted(set(per_model.tolist()) | {"(none)"}), dtype=object)
            lut = {v: i for i, v in enumerate(labels)}
            m_codes = np.array([lut[v] for v in per_model], dtype=np.int64)
            none = lut["(none)"]
            codes = np.where(code >= 0, np.append(m_codes, none)[np.where(code >= 0, code, len(m_codes))], none)
            res = (codes, labels)
        elif col in cs.df.columns:
            s = cs.df[col]
            if s.dtype.name == "category":
                # O(n): count category use instead of pandas' sort-based remove_unused_categories
                raw = s.cat.codes.to_numpy()
                cats = np.asarray(s.cat.categories, dtype=object)
                used = np.flatnonzero(np.bincount(raw[raw >= 0], minlength=len(cats)) > 0)
                used = used[np.argsort(cats[used].astype(str), kind="stable")]
                remap = np.full(len(cats) + 1, len(used), dtype=np.int64)  # missing → "" label
                remap[used] = np.arange(len(used))
                labels = cats[used]
                if (raw < 0).any():
                    labels = np.append(labels, "")
                res = (remap[raw], labels)
            else:
                res = _factorize(s.astype(str))
        else:
            raise InputError(f"capacity.group_by names '{col}', which is neither a shipments column nor a catalog "
                             f"field ({', '.join(sorted(CATALOG_FIELDS))})")
        self._cache[key] = res
        return res

    def groups(self, cols: list[str], which: int) -> tuple[np.ndarray, list[tuple]]:
        """(group code per row, group labels); cached, since metrics share most groupings."""
        key = (tuple(cols), which if CATALOG_FIELDS & set(cols) else 0)
        if key not in self._groups:
            self._groups[key] = self._compute_groups(cols, which)
        return self._groups[key]

    def _compute_groups(self, cols: list[str], which: int) -> tuple[np.ndarray, list[tuple]]:
        if not cols:
            return np.zeros(len(self.cs.df), dtype=np.int64), [()]
        parts = [self.column(c, which) for c in cols]
        dims = [len(lab) for _, lab in parts]
        key = np.ravel_multi_index([c for c, _ in parts], dims)
        total = int(np.prod(dims))
        if total <= 4_000_000:
            present = np.flatnonzero(np.bincount(key, minlength=total))
            remap = np.full(total, -1, dtype=np.int64)
            remap[present] = np.arange(len(present))
            codes, uniq = remap[key], present
        else:
            uniq, codes = np.unique(key, return_inverse=True)
        idx = np.unravel_index(uniq, dims)
        labels = list(zip(*[lab[i] for (_, lab), i in zip(parts, idx, strict=True)], strict=True))
        return codes, labels


def stock_by(cs: CodedShipments, grouper: Grouper, cols: list[str], cfg: CapacityConfig,
             metric: str = "intelligent") -> tuple[np.ndarray, np.ndarray, list[tuple], np.ndarray]:
    """Installed base [years, groups] and annual additions of one metric by ``cols``."""
    values = {"intelligent": cs.intelligent_flops, "accelerators": cs.accelerators,
              "general": cs.cpu_fp64_flops + (cs.accel_fp64_flops if cfg.general_includes_accelerator_fp64 else 0.0),
              }[metric]
    which = 0 if metric in ("intelligent", "accelerators") else 1
    surv = cfg.survival_intelligent if which == 0 else cfg.survival_general
    y0, y1 = cfg.years
    out_years = np.arange(y0, y1 + 1)
    place = engine.placement_times(cs.period_years, cs.period_halves, cfg.timing)
    smat = engine.survival_matrix(engine.measurement_times(out_years, cfg.stock_at), place, surv)
    g_codes, labels = grouper.groups(cols, which)
    flows = engine.group_sum(cs.period_code, g_codes, values, len(cs.period_years), len(labels))
    return engine.installed_base(flows, smat), engine.annual_flows(flows, cs.period_years, out_years), labels, out_years


def estimate(df: pd.DataFrame, catalog: Catalog, cfg: CapacityConfig, *, synthetic: bool = False,
             skip_unknown: bool = False) -> CapacityResult:
    """Compute every capacity table from typed shipments.

    All unusable rows are reported together (:class:`~suanli.capacity.resolve.UnresolvedError`);
    with ``skip_unknown`` they are left out and returned in ``result.unresolved``.
    """
    from .resolve import UnresolvedError, problems_from_records, unresolved_table

    path = df.attrs.get("path", "shipments")
    bad, records = unusable_rows(df, catalog, cfg, path)
    if records and not skip_unknown:
        raise UnresolvedError(problems=problems_from_records(
            records, "fix the name, or add the model with its source in a catalog override file"))
    if bad.any():
        attrs = dict(df.attrs)
        df = df.loc[~bad].reset_index(drop=True)
        df.attrs.update(attrs)
        if not len(df):
            raise UnresolvedError(problems=problems_from_records(records, "no usable row is left"))
    cs = code_shipments(df, catalog, cfg, path)
    grouper = Grouper(cs, catalog)
    status = "synthetic" if synthetic else "real"
    basis = _basis_text(cfg)
    acc_tab = catalog.accelerators.set_index("model")

    def grouped(cols: list[str]) -> pd.DataFrame:
        parts = []
        for metric in ("intelligent", "general", "accelerators"):
            stock, added, labels, out_years = stock_by(cs, grouper, cols, cfg, metric)
            yy, gg = np.meshgrid(out_years, np.arange(len(labels)), indexing="ij")
            part = pd.DataFrame({"year": yy.ravel()})
            for j, c in enumerate(cols):
                lab = np.array([lb[j] for lb in labels], dtype=object)
                part[c] = lab[gg.ravel()]
            part[f"{metric}_installed"] = stock.ravel()
            part[f"{metric}_added"] = added.ravel()
            parts.append(part.set_index(["year", *cols]))
        res = pd.concat(parts, axis=1).fillna(0.0).reset_index()
        res["intelligent_eflops"] = res.pop("intelligent_installed") / 1e18
        res["general_eflops"] = res.pop("general_installed") / 1e18
        res["intelligent_added_eflops"] = res.pop("intelligent_added") / 1e18
        res["general_added_eflops"] = res.pop("general_added") / 1e18
        res["accelerators_installed"] = res.pop("accelerators_installed")
        res["accelerators_added"] = res.pop("accelerators_added")
        res = res.sort_values(["year", *cols], kind="mergesort").reset_index(drop=True)
        res["data_status"] = status
        return res

    result = CapacityResult(basis=basis, unresolved=unresolved_table(records))
    nat = grouped([])
    result.tables["capacity_national"] = pd.DataFrame({
        "year": nat["year"].astype(int),
        "intelligent_eflops": nat["intelligent_eflops"],
        "general_eflops": nat["general_eflops"],
        "basis": basis,
        "data_status": status,
    })
    result.tables["capacity_flow_national"] = pd.DataFrame({
        "year": nat["year"].astype(int),
        "intelligent_added_eflops": nat["intelligent_added_eflops"],
        "general_added_eflops": nat["general_added_eflops"],
        "accelerators_added": nat["accelerators_added"],
        "accelerators_installed": nat["accelerators_installed"],
        "data_status": status,
    })
    for cols in cfg.group_by:
        result.tables["capacity_by_" + "_".join(cols)] = grouped(list(cols))
    if cfg.utilisation is not None:
        u = cfg.utilisation
        result.tables["capacity_effective"] = pd.DataFrame({
            "year": nat["year"].astype(int),
            "intelligent_peak_eflops": nat["intelligent_eflops"],
            "availability": u.availability,
            "utilisation": u.utilisation,
            "intelligent_effective_eflops": nat["intelligent_eflops"] * u.availability * u.utilisation,
            "note": "effective = peak × availability × utilisation; never mixed into the peak series",
            "data_status": status,
        })
    # device mix: which models carry the compute, with the FP16 basis used
    has = cs.acc_code >= 0
    mix = pd.DataFrame({"year": cs.period_years[cs.period_code[has]], "m": cs.acc_code[has],
                        "accelerators_shipped": cs.accelerators[has],
                        "intelligent_added_eflops": cs.intelligent_flops[has] / 1e18})
    mix = mix.groupby(["year", "m"], as_index=False, sort=True).sum()
    mix.insert(1, "accelerator_model", cs.acc_models[mix.pop("m").to_numpy()] if len(mix) else [])
    mix.insert(2, "equiv_basis", mix["accelerator_model"].map(
        dict(zip(cs.acc_models, cs.equiv_basis, strict=True))) if len(mix) else [])
    mix["vendor"] = mix["accelerator_model"].map(acc_tab["vendor"])
    mix["origin"] = mix["accelerator_model"].map(acc_tab["origin"])
    mix["data_status"] = status
    result.tables["capacity_device_mix"] = mix.sort_values(["year", "accelerator_model"], kind="mergesort"
                                                           ).reset_index(drop=True)
    if cfg.published:
        recs = []
        natv = nat.set_index("year")
        for pub in cfg.published:
            for metric, val in (("intelligent_eflops", pub.intelligent_eflops), ("general_eflops", pub.general_eflops)):
                if val is None or pub.year not in natv.index:
                    continue
                comp = float(natv.loc[pub.year, metric])
                recs.append({"year": pub.year, "metric": metric, "computed": comp, "published": val,
                             "rel_diff": comp / val - 1.0, "within_1pct": abs(comp / val - 1.0) <= 0.01,
                             "source": pub.source, "data_status": status})
        result.tables["capacity_vs_published"] = pd.DataFrame(recs)
    if cfg.uncertainty is not None or cfg.forecast is not None:
        _add_intervals(result, cs, catalog, cfg, nat, "synthetic" if synthetic else "modelled")
    for t in result.tables.values():
        t["fp64_basis"] = cfg.fp64_basis
    return result


def _add_intervals(result: CapacityResult, cs: CodedShipments, catalog: Catalog, cfg: CapacityConfig,
                   nat: pd.DataFrame, value_class: str) -> None:
    """Monte Carlo intervals on the national series and scenario forecasts (see intervals.py, scenarios.py)."""
    from .config import UncertaintyConfig
    from .intervals import interval_draws, intervals_table, national_flows

    u = cfg.uncertainty or UncertaintyConfig()
    nf = national_flows(cs, catalog, cfg, u)
    out_years = nat["year"].to_numpy(dtype=int)
    if cfg.uncertainty is not None:
        draws = interval_draws(nf, cfg, u, out_years)
        eff = (cfg.utilisation.availability * cfg.utilisation.utilisation) if cfg.utilisation else np.nan
        central = {"intelligent": nat["intelligent_eflops"].to_numpy(), "general": nat["general_eflops"].to_numpy(),
                   "intelligent_effective": nat["intelligent_eflops"].to_numpy() * eff}
        tab = intervals_table(draws, central, out_years, u, value_class)
        result.tables["capacity_intervals"] = tab
        t = result.tables["capacity_national"]
        for metric in ("intelligent", "general"):
            part = tab[tab["metric"] == f"{metric}_eflops"].set_index("year")
            t[f"{metric}_eflops_lo"] = t["year"].map(part["lo"]).to_numpy()
            t[f"{metric}_eflops_hi"] = t["year"].map(part["hi"]).to_numpy()
        t["interval_level"] = u.level
    if cfg.forecast is not None and cfg.forecast.scenarios:
        from .scenarios import forecast_tables

        result.tables["capacity_scenarios"] = forecast_tables(nf, catalog, cfg, u, value_class)


def catalog_table(catalog: Catalog, cfg: CapacityConfig) -> pd.DataFrame:
    """The accelerator catalog as used: FP16-equivalents under the FP16 rule, and the peak under the
    edition's precision basis (identical when the basis is FP16)."""
    fp = catalog.fp16_equivalent(cfg.fp16_equivalent)
    eq = catalog.equivalent_peaks(cfg.rule)
    acc = catalog.accelerators.merge(fp, on="model", how="left").merge(eq, on="model", how="left")
    acc["precision"] = cfg.precision
    # FP64 as used under the edition's basis: the value and, per part, the basis it is on
    # (matrix, vector, or 'vector (no matrix figure)' when the matrix basis finds no published figure)
    used = catalog.accelerator_fp64(cfg.fp64_basis).rename(columns={"fp64_tflops": "fp64_used_tflops"})
    acc = acc.merge(used, on="model", how="left")
    cols = ["vendor", "model", "release_year", "origin", "fp16_dense_tflops", "bf16_dense_tflops", "fp8_dense_tflops",
            "int8_dense_tops", "fp32_tflops", "fp64_tflops", "fp64_used_tflops", "fp64_basis", "fp16_equiv_tflops",
            "fp16_basis", "precision", "equiv_tflops", "equiv_basis", "sparsity_factor", "memory_gb", "tdp_w",
            "source"]
    return acc[cols].sort_values(["vendor", "model"], kind="mergesort").reset_index(drop=True)


def cpu_catalog_table(catalog: Catalog) -> pd.DataFrame:
    """The CPU catalog; FP64 is the vector peak at base clock on either basis (CPUs have no FP64
    matrix units, so ``fp64_basis`` is always 'vector'). ``spec_class`` says whether the peak is the
    catalog's own (stated), computed from a family rule or a name (derived), or absent (missing: a
    visible gap, never counted)."""
    cols = ["vendor", "model", "release_year", "origin", "cores", "base_ghz", "fp64_flops_per_cycle_per_core",
            "fp64_peak_gflops", "tdp_w", "source"]
    c = catalog.cpus
    spec = np.where(c["fp64_peak_gflops"].isna(), "missing",
                    np.where(c["origin_note"].fillna("").astype(str).str.startswith("derived"), "derived", "stated"))
    out = c[cols].assign(spec_class=spec).sort_values(["vendor", "model"], kind="mergesort").reset_index(drop=True)
    out = out[[*cols[:-1], "spec_class", "source"]]
    out.insert(len(cols) - 1, "fp64_basis", "vector")
    return out
