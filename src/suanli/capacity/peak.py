"""Peak of an inventory of systems: ``suanli capacity peak``.

FP16 dense = Σ accelerators × FP16-equivalent dense peak (the edition's rule).
FP64 = Σ CPUs × cores × base clock × FP64 FLOPs/cycle (TOP500 Rpeak convention: advertised base
clock) + Σ accelerators × their non-tensor FP64 peak. An accelerator with no published FP64
figure contributes 0 to FP64 and the row says so in ``notes``.
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
        Column("accelerator_count", "float", required=False, min=0, allow_percent=False, aliases=("accelerators", "加速卡数量", "卡数")),
        Column("cpu_model", "str", required=False, aliases=("cpu", "CPU型号", "处理器型号")),
        Column("cpu_count", "float", required=False, min=0, allow_percent=False, aliases=("cpus", "CPU数量", "处理器数量")),
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
            problems.append(Problem(msg, str(path), int(lines[pos]), col, hint))
    if problems:
        raise InputError(problems=problems)
    return df


def inventory_peaks(inv: pd.DataFrame, catalog: Catalog, rule: Sequence[str] = ("fp16", "bf16"),
                    *, path: str = "inventory") -> pd.DataFrame:
    lines = inv["_line"].to_numpy() if "_line" in inv else None
    acc = catalog.resolve_many(inv["accelerator_model"].astype(str).to_numpy(), "accelerator", file=path,
                               lines=lines, column="accelerator_model")
    cpu = catalog.resolve_many(inv["cpu_model"].astype(str).to_numpy(), "cpu", file=path, lines=lines,
                               column="cpu_model")
    fp = catalog.fp16_equivalent(rule).set_index("model")
    at = catalog.accelerators.set_index("model")
    ct = catalog.cpus.set_index("model")
    n_acc = np.nan_to_num(inv["accelerator_count"].to_numpy(dtype=float))
    n_cpu = np.nan_to_num(inv["cpu_count"].to_numpy(dtype=float))
    acc_s = pd.Series(acc)
    cpu_s = pd.Series(cpu)
    fp16 = acc_s.map(fp["fp16_equiv_tflops"]).to_numpy(dtype=float)
    basis = acc_s.map(fp["fp16_basis"]).fillna("").to_numpy(dtype=object)
    afp64 = acc_s.map(at["fp64_tflops"]).to_numpy(dtype=float)
    cfp64 = cpu_s.map(ct["fp64_peak_gflops"]).to_numpy(dtype=float)
    problems = []
    notes = [[] for _ in range(len(inv))]
    for i in range(len(inv)):
        ln = int(lines[i]) if lines is not None else None
        if acc[i] and np.isnan(fp16[i]):
            problems.append(Problem(f"'{acc[i]}' has no FP16-equivalent under the rule {list(rule)}", path, ln,
                                    "accelerator_model", "add fp8/2 or int8/2 to --rule explicitly, or override the catalog"))
        if cpu[i] and np.isnan(cfp64[i]):
            problems.append(Problem(f"'{cpu[i]}' has no FP64 peak in the catalog", path, ln, "cpu_model",
                                    "give base_ghz and fp64_flops_per_cycle_per_core with a source via --cpus"))
        if acc[i] and np.isnan(afp64[i]):
            notes[i].append(f"{acc[i]}: no published FP64, counted as 0")
        if basis[i] and basis[i] != "fp16":
            notes[i].append(f"{acc[i]}: FP16-equivalent from {basis[i]}")
    if problems:
        raise InputError(problems=problems)
    fp16_pf = np.where(acc != "", n_acc * np.nan_to_num(fp16), 0.0) / 1e3
    fp64_pf = (np.where(cpu != "", n_cpu * np.nan_to_num(cfp64), 0.0) / 1e6
               + np.where(acc != "", n_acc * np.nan_to_num(afp64), 0.0) / 1e3)
    return pd.DataFrame({
        "name": inv["name"].to_numpy(), "fp16_dense_pflops": fp16_pf, "fp64_pflops": fp64_pf,
        "fp16_basis": basis, "notes": ["; ".join(n) for n in notes],
    })
