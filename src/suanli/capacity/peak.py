"""Peak of an inventory of systems: ``suanli capacity peak``.

FP16 dense = Σ accelerators × FP16-equivalent dense peak (the edition's rule).
FP64 = Σ CPUs × cores × base clock × FP64 FLOPs/cycle (TOP500 Rpeak convention: advertised base
clock, or the clock stated in a TOP500-style name) + Σ accelerators × their FP64 peak on the chosen
basis: ``vector`` (non-tensor, the default) or ``matrix`` (tensor/matrix cores where published; H100
67 vs 34 TFLOPS). CPUs have no FP64 matrix units, so their figure is the same on both bases. An
accelerator with no published FP64 figure contributes 0 to FP64 and the row says so in ``notes``.
``spec_class`` says whether the per-unit specs are the catalog's own (stated) or computed from cores
and clock in the name and a microarchitecture rule (derived).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..io.readers import Column, Schema, apply_schema, read_raw_table
from .catalog import Catalog

INVENTORY_SCHEMA = Schema(
    "inventory",
    [
        Column("name", "str", aliases=("system", "名称", "系统"), allow_missing=False),
        Column("accelerator_model", "str", required=False, aliases=("accelerator", "加速卡型号", "加速卡")),
        Column("accelerator_count", "float", required=False, min=0, allow_percent=False, plausible_max=1e7, aliases=("accelerators", "加速卡数量", "卡数")),
        Column("cpu_model", "str", required=False, aliases=("cpu", "CPU型号", "处理器型号")),
        Column("cpu_count", "float", required=False, min=0, allow_percent=False, plausible_max=1e7, aliases=("cpus", "CPU数量", "处理器数量")),
    ],
    min_rows=1,
)


def read_inventory(path: str | Path) -> pd.DataFrame:
    raw = read_raw_table(path)
    df = apply_schema(raw, INVENTORY_SCHEMA)
    problems = []
    acc = (df["accelerator_model"] != "").to_numpy()
    cpu = (df["cpu_model"] != "").to_numpy()
    na = np.nan_to_num(df["accelerator_count"].to_numpy(dtype=float))
    nc = np.nan_to_num(df["cpu_count"].to_numpy(dtype=float))
    lines = df["_line"].to_numpy()
    checks = [
        (acc & ~(na > 0), "accelerator_model given but accelerator_count is missing or 0", "accelerator_count",
         "give the number of accelerators"),
        (cpu & ~(nc > 0), "cpu_model given but cpu_count is missing or 0", "cpu_count",
         "give the number of CPUs (sockets)"),
        (~acc & (na > 0), "accelerator_count given without accelerator_model", "accelerator_model",
         "name the accelerator"),
        (~cpu & (nc > 0), "cpu_count given without cpu_model", "cpu_model", "name the CPU"),
    ]
    for mask, msg, col, hint in checks:
        for pos in np.flatnonzero(mask):
            problems.append(Problem(msg, raw.path, int(lines[pos]), col, hint))
    if problems:
        raise InputError(problems=problems)
    df.attrs["path"] = raw.path  # the file, and the worksheet of a workbook
    return df


HINT = "fix the name, or add the model with its source in a catalog override file (--accelerators / --cpus)"


def inventory_peaks(inv: pd.DataFrame, catalog: Catalog, rule: Sequence[str] = ("fp16", "bf16"),
                    *, path: str = "inventory", fp64_basis: str = "vector",
                    skip_unknown: bool = False) -> pd.DataFrame:
    """Peak FP16-dense and FP64 PFLOPS per inventory row.

    Every name is resolved before anything is computed; all rows that cannot be used (unknown
    name, or a model without a value under the rule) are reported together. With
    ``skip_unknown`` those rows are left out and listed in ``result.attrs["unresolved"]``.
    """
    from .resolve import UnresolvedError, problems_from_records, resolve_column, unresolved_table

    lines = inv["_line"].to_numpy() if "_line" in inv else None
    ra = resolve_column(catalog, inv["accelerator_model"].astype(str).to_numpy(), "accelerator", file=path,
                        column="accelerator_model", lines=lines)
    rc = resolve_column(catalog, inv["cpu_model"].astype(str).to_numpy(), "cpu", file=path, column="cpu_model",
                        lines=lines)
    acc, cpu = ra.models, rc.models
    fp = catalog.fp16_equivalent(rule).set_index("model")
    a64 = catalog.accelerator_fp64(fp64_basis).set_index("model")
    ct = catalog.cpus.set_index("model")
    n_acc = np.nan_to_num(inv["accelerator_count"].to_numpy(dtype=float))
    n_cpu = np.nan_to_num(inv["cpu_count"].to_numpy(dtype=float))
    acc_s = pd.Series(acc, dtype=object)
    cpu_s = pd.Series(cpu, dtype=object)
    fp16 = acc_s.map(fp["fp16_equiv_tflops"]).to_numpy(dtype=float)
    basis = acc_s.map(fp["fp16_basis"]).fillna("").to_numpy(dtype=object)
    afp64 = acc_s.map(a64["fp64_tflops"]).to_numpy(dtype=float)
    a64b = acc_s.map(a64["fp64_basis"]).fillna("").to_numpy(dtype=object)
    cfp64 = cpu_s.map(ct["fp64_peak_gflops"]).to_numpy(dtype=float)
    records = ra.records + rc.records
    line_of = (lambda i: int(lines[i])) if lines is not None else (lambda i: i + 2)  # noqa: E731
    for i in range(len(inv)):
        if acc[i] and np.isnan(fp16[i]):
            records.append({"file": path, "row": line_of(i), "column": "accelerator_model",
                            "name": inv["accelerator_model"].iloc[i],
                            "problem": f"'{acc[i]}' has no FP16-equivalent under the rule {list(rule)} "
                                       "(add fp8/2 or int8/2 to --rule explicitly, or override the catalog)",
                            "closest": ""})
        if cpu[i] and np.isnan(cfp64[i]):
            records.append({"file": path, "row": line_of(i), "column": "cpu_model", "name": inv["cpu_model"].iloc[i],
                            "problem": f"'{cpu[i]}' has no FP64 peak in the catalog (cores, base clock or FP64 "
                                       "FLOPs/cycle missing: a visible gap, not a zero)", "closest": ""})
    bad_rows = {r["row"] for r in records}
    keep = np.array([line_of(i) not in bad_rows for i in range(len(inv))], dtype=bool)
    if records and not skip_unknown:
        raise UnresolvedError(problems=problems_from_records(records, HINT))
    notes: list[list[str]] = [[] for _ in range(len(inv))]
    spec = np.array(["stated"] * len(inv), dtype=object)
    for i in range(len(inv)):
        for given, model, res in ((inv["accelerator_model"].iloc[i], acc[i], ra.resolutions),
                                  (inv["cpu_model"].iloc[i], cpu[i], rc.resolutions)):
            r = res.get(str(given).strip()) if model else None
            if r is None:
                continue
            if r.value_class == "derived":
                spec[i] = "derived"
            if r.how in ("alias", "variant", "memory", "top500", "family") and r.note:
                notes[i].append(f"{given}: {r.note}")
        if acc[i] and np.isnan(afp64[i]):
            notes[i].append(f"{acc[i]}: no published FP64, counted as 0")
        elif acc[i] and a64b[i] != fp64_basis:
            notes[i].append(f"{acc[i]}: FP64 {a64b[i]}")
        if basis[i] and basis[i] != "fp16":
            notes[i].append(f"{acc[i]}: FP16-equivalent from {basis[i]}")
    fp16_pf = np.where(acc != "", n_acc * np.nan_to_num(fp16), 0.0) / 1e3
    fp64_pf = (np.where(cpu != "", n_cpu * np.nan_to_num(cfp64), 0.0) / 1e6
               + np.where(acc != "", n_acc * np.nan_to_num(afp64), 0.0) / 1e3)
    out = pd.DataFrame({
        "name": inv["name"].to_numpy(), "fp16_dense_pflops": fp16_pf, "fp64_pflops": fp64_pf,
        "fp16_basis": basis, "notes": ["; ".join(n) for n in notes],
        "fp64_basis": fp64_basis, "spec_class": spec, "value_class": "derived",
    })[keep].reset_index(drop=True)
    out.attrs["unresolved"] = unresolved_table(records)
    return out
