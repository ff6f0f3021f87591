"""Shipments (or an inventory) + catalog → flow and installed base of compute.

I/O lives in :func:`read_shipments`; :func:`estimate` works on a typed DataFrame and returns
result tables. Per-row arithmetic is vectorised: model names are factorised once, peaks are
looked up by integer codes, and every grouping is one ``bincount`` plus one matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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
        Column("accelerators_per_server", "float", required=False, min=0, max=1024,
               aliases=("cards_per_server", "每台加速卡数", "加速卡数/台")),
        Column("cpu_model", "str", required=False, aliases=("cpu", "处理器型号", "CPU型号")),
        Column("cpus_per_server", "float", required=False, min=0, max=64, aliases=("sockets", "每台CPU数", "路数")),
        Column("servers", "float", min=0, aliases=("shipments", "units", "台数", "出货量", "服务器台数"),
               allow_missing=False, help="server count; negative counts are not allowed"),
        Column("data_status", "str", required=False, aliases=("status", "数据状态")),
    ],
    key=("period", "province", "city", "industry", "vendor", "accelerator_model", "cpu_model"),
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


def read_shipments(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read and check a shipments table (CSV/XLSX, any common encoding)."""
    raw = read_raw_table(path, sheet=sheet)
    df = apply_schema(raw, SHIPMENT_SCHEMA)
    problems = _row_checks(df, raw)
    if problems:
        raise InputError(problems=problems)
    df.attrs["path"] = str(path)
    return df


@dataclass
class CapacityResult:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    basis: str = ""
    notes: list[str] = field(default_factory=list)


def _peaks(df: pd.DataFrame, catalog: Catalog, cfg: CapacityConfig, path: str) -> dict[str, np.ndarray]:
    """Per-row FP16-equivalent and FP64 FLOP/s per server, resolving names through the catalog."""
    lines = df["_line"].to_numpy() if "_line" in df else None
    acc_names = df["accelerator_model"].astype(str).to_numpy()
    cpu_names = df["cpu_model"].astype(str).to_numpy()
    acc_res = catalog.resolve_many(acc_names, "accelerator", file=path, lines=lines, column="accelerator_model")
    cpu_res = catalog.resolve_many(cpu_names, "cpu", file=path, lines=lines, column="cpu_model")

    acc_tab = catalog.accelerators.set_index("model")
    fp16 = catalog.fp16_equivalent(cfg.fp16_equivalent).set_index("model")
    cpu_tab = catalog.cpus.set_index("model")

    acc_codes, acc_uniques = pd.factorize(pd.Series(acc_res, dtype=object))
    cpu_codes, cpu_uniques = pd.factorize(pd.Series(cpu_res, dtype=object))
    problems: list[Problem] = []
    first_line = {}
    if lines is not None:
        for nm, ln in zip(acc_res, lines, strict=True):
            first_line.setdefault(("a", nm), int(ln))
        for nm, ln in zip(cpu_res, lines, strict=True):
            first_line.setdefault(("c", nm), int(ln))

    def acc_vec(col_values: pd.Series) -> np.ndarray:
        return np.array([col_values.get(m, np.nan) if m else 0.0 for m in acc_uniques], dtype=float)

    fp16_u = acc_vec(fp16["fp16_equiv_tflops"])
    basis_u = np.array([fp16["fp16_basis"].get(m, "") if m else "" for m in acc_uniques], dtype=object)
    for m, v in zip(acc_uniques, fp16_u, strict=True):
        if m and np.isnan(v):
            row = acc_tab.loc[m]
            have = [c for c in ("fp16_dense_tflops", "bf16_dense_tflops", "fp8_dense_tflops", "int8_dense_tops")
                    if not pd.isna(row.get(c))]
            problems.append(Problem(
                f"'{m}' has no FP16-equivalent under the rule {cfg.fp16_equivalent} (catalog has: "
                f"{', '.join(have) or 'no 16/8-bit figures'})", path, first_line.get(("a", m)), "accelerator_model",
                "add 'fp8/2' or 'int8/2' to capacity.fp16_equivalent to convert explicitly, or give a sourced "
                "FP16 figure in an accelerator override file"))
    sparsity_u = acc_vec(acc_tab["sparsity_factor"]) if cfg.sparsity == "sparse" else np.ones(len(acc_uniques))
    acc_fp64_u = np.nan_to_num(acc_vec(acc_tab["fp64_tflops"]), nan=0.0)
    cpu_u = np.array([cpu_tab["fp64_peak_gflops"].get(m, np.nan) if m else 0.0 for m in cpu_uniques], dtype=float)
    for m, v in zip(cpu_uniques, cpu_u, strict=True):
        if m and np.isnan(v):
            problems.append(Problem(
                f"'{m}' has no FP64 peak in the catalog (cores × base clock × FLOPs/cycle incomplete)", path,
                first_line.get(("c", m)), "cpu_model",
                "give base_ghz and fp64_flops_per_cycle_per_core (with a source) in a CPU override file"))
    if problems:
        raise InputError(problems=problems)
    aps = np.nan_to_num(df["accelerators_per_server"].to_numpy(dtype=float))
    cps = np.nan_to_num(df["cpus_per_server"].to_numpy(dtype=float))
    servers = df["servers"].to_numpy(dtype=float)
    accels = servers * aps * (acc_codes >= 0) * (acc_res != "")
    cpus = servers * cps * (cpu_res != "")
    fp16_row = fp16_u[acc_codes] * sparsity_u[acc_codes] * 1e12
    fp16_row = np.where(acc_res != "", fp16_row, 0.0)
    out = {
        "accelerators": accels,
        "cpus": cpus,
        "intelligent_flops": accels * fp16_row,
        "cpu_fp64_flops": cpus * np.where(cpu_res != "", cpu_u[cpu_codes], 0.0) * 1e9,
        "accel_fp64_flops": accels * np.where(acc_res != "", acc_fp64_u[acc_codes], 0.0) * 1e12,
        "accelerator_model": acc_res,
        "cpu_model": cpu_res,
        "fp16_basis": np.where(acc_res != "", basis_u[acc_codes], ""),
    }
    return out


def _basis_text(cfg: CapacityConfig) -> str:
    surv = cfg.survival_intelligent
    life = {"fixed": f"fixed {surv.life_years:g}-year life", "none": "no retirement",
            "weibull": f"Weibull(scale={surv.scale}, shape={surv.shape})"}[surv.kind]
    return (f"installed base at {cfg.stock_at.replace('_', ' ')}, {life}; intelligent = FP16-equivalent "
            f"{cfg.sparsity} peak ({' > '.join(cfg.fp16_equivalent)}); general = CPU FP64 peak at base clock"
            + (" + accelerator FP64" if cfg.general_includes_accelerator_fp64 else ""))


def estimate(df: pd.DataFrame, catalog: Catalog, cfg: CapacityConfig, *, synthetic: bool = False) -> CapacityResult:
    """Compute every capacity table from typed shipments."""
    path = df.attrs.get("path", "shipments")
    rows = _peaks(df, catalog, cfg, path)
    general = rows["cpu_fp64_flops"] + (rows["accel_fp64_flops"] if cfg.general_includes_accelerator_fp64 else 0.0)
    y0, y1 = cfg.years
    out_years = np.arange(y0, y1 + 1)
    # periods present in the data
    per = pd.DataFrame({"y": df["period_year"].to_numpy(), "h": df["period_half"].to_numpy()})
    per_codes, per_uniques = pd.factorize(pd.MultiIndex.from_frame(per), sort=True)
    p_years = np.array([t[0] for t in per_uniques])
    p_halves = np.array([t[1] for t in per_uniques])
    place = engine.placement_times(p_years, p_halves, cfg.timing)
    meas = engine.measurement_times(out_years, cfg.stock_at)
    s_int = engine.survival_matrix(meas, place, cfg.survival_intelligent)
    s_gen = engine.survival_matrix(meas, place, cfg.survival_general)
    n_p = len(per_uniques)
    status = "synthetic" if synthetic else "real"
    basis = _basis_text(cfg)

    acc_tab = catalog.accelerators.set_index("model")
    cpu_tab = catalog.cpus.set_index("model")
    derived = {
        "origin": (pd.Series(rows["accelerator_model"]).map(acc_tab["origin"]).fillna("").to_numpy(),
                   pd.Series(rows["cpu_model"]).map(cpu_tab["origin"]).fillna("").to_numpy()),
        "accelerator_vendor": (pd.Series(rows["accelerator_model"]).map(acc_tab["vendor"]).fillna("").to_numpy(),
                               np.full(len(df), "", dtype=object)),
        "cpu_vendor": (np.full(len(df), "", dtype=object),
                       pd.Series(rows["cpu_model"]).map(cpu_tab["vendor"]).fillna("").to_numpy()),
        "accelerator_model": (rows["accelerator_model"], np.full(len(df), "", dtype=object)),
    }

    def grouped(cols: list[str]) -> pd.DataFrame:
        parts = []
        for metric, values, smat, which in (
            ("intelligent", rows["intelligent_flops"], s_int, 0),
            ("general", general, s_gen, 1),
            ("accelerators", rows["accelerators"], s_int, 0),
        ):
            keys = []
            for c in cols:
                if c in derived:
                    keys.append(pd.Series(derived[c][which], dtype=object).fillna(""))
                elif c in df.columns:
                    keys.append(df[c].astype(str).reset_index(drop=True))
                else:
                    raise InputError(f"capacity.group_by names '{c}', which is neither a shipments column nor a "
                                     "catalog field (origin, accelerator_vendor, cpu_vendor, accelerator_model)")
            if keys:
                kdf = pd.concat(keys, axis=1, keys=cols)
                g_codes, g_uniques = pd.factorize(pd.MultiIndex.from_frame(kdf), sort=True)
                g_list = list(g_uniques)
            else:
                g_codes, g_list = np.zeros(len(df), dtype=np.int64), [()]
            flows = engine.group_sum(per_codes, g_codes, values, n_p, len(g_list))
            stock = engine.installed_base(flows, smat)
            added = engine.annual_flows(flows, p_years, out_years)
            yy, gg = np.meshgrid(out_years, np.arange(len(g_list)), indexing="ij")
            part = pd.DataFrame({"year": yy.ravel()})
            for j, c in enumerate(cols):
                part[c] = [g_list[i][j] if isinstance(g_list[i], tuple) else g_list[i] for i in gg.ravel()]
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
        for c in cols:  # general-compute rows of catalog groupings carry '' for accelerator fields
            res[c] = res[c].replace("", "(none)")
        res = res.sort_values(["year", *cols], kind="mergesort").reset_index(drop=True)
        res["data_status"] = status
        return res

    result = CapacityResult(basis=basis)
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
    mix = pd.DataFrame({
        "year": df["period_year"].to_numpy(), "accelerator_model": rows["accelerator_model"],
        "fp16_basis": rows["fp16_basis"], "accelerators_shipped": rows["accelerators"],
        "intelligent_added_eflops": rows["intelligent_flops"] / 1e18,
    })
    mix = mix[mix["accelerator_model"] != ""]
    mix = mix.groupby(["year", "accelerator_model", "fp16_basis"], as_index=False, sort=True).sum()
    mix["vendor"] = mix["accelerator_model"].map(acc_tab["vendor"])
    mix["origin"] = mix["accelerator_model"].map(acc_tab["origin"])
    mix["data_status"] = status
    result.tables["capacity_device_mix"] = mix
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
    return result


def catalog_table(catalog: Catalog, cfg: CapacityConfig) -> pd.DataFrame:
    fp = catalog.fp16_equivalent(cfg.fp16_equivalent)
    acc = catalog.accelerators.merge(fp, on="model", how="left")
    cols = ["vendor", "model", "release_year", "origin", "fp16_dense_tflops", "bf16_dense_tflops", "fp8_dense_tflops",
            "int8_dense_tops", "fp32_tflops", "fp64_tflops", "fp16_equiv_tflops", "fp16_basis", "sparsity_factor",
            "memory_gb", "tdp_w", "source"]
    return acc[cols].sort_values(["vendor", "model"], kind="mergesort").reset_index(drop=True)


def cpu_catalog_table(catalog: Catalog) -> pd.DataFrame:
    cols = ["vendor", "model", "release_year", "origin", "cores", "base_ghz", "fp64_flops_per_cycle_per_core",
            "fp64_peak_gflops", "tdp_w", "source"]
    return catalog.cpus[cols].sort_values(["vendor", "model"], kind="mergesort").reset_index(drop=True)
