"""Installed base → rated-power cells (vectorised; the vintage maths is capacity's engine).

Each shipment row contributes, per server, the TDP watts of its accelerators and host CPUs to one
of six columns (form-factor class × catalog-or-imputed TDP). The stock of those watts by
(year, province, group) uses the same placement and survival model as the capacity stage: at the
capacity series' measurement time (rated power, comparable with the capacity tables) and averaged
over the calendar year (energy: a server shipped in 2024H2 draws power for a quarter of 2024).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..capacity import engine
from ..capacity.config import CapacityConfig
from ..errors import InputError, Problem
from .model import CLASSES, Cells

MONTHS = (np.arange(12) + 0.5) / 12


def year_average_survival(years: np.ndarray, place: np.ndarray, surv) -> np.ndarray:
    """S̄[t, p]: survival averaged over the twelve month mid-points of calendar year t."""
    return np.mean([engine.survival_matrix(np.asarray(years, float) + m, place, surv) for m in MONTHS], axis=0)


def row_watts(ship: pd.DataFrame, acc_model: np.ndarray, cpu_model: np.ndarray, acc_cat: pd.DataFrame,
              cpu_cat: pd.DataFrame, *, path: str = "shipments") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: watts per server in the six columns [n, 6], scope (0 AI, 1 CPU-only), accelerators per server."""
    n = len(ship)
    at = acc_cat.set_index("model")
    ct = cpu_cat.set_index("model")
    has_acc = acc_model != ""
    has_cpu = cpu_model != ""
    aps = np.nan_to_num(ship["accelerators_per_server"].to_numpy(dtype=float))
    cps = np.nan_to_num(ship["cpus_per_server"].to_numpy(dtype=float))
    a_tdp = pd.Series(acc_model).map(at["tdp_w"]).to_numpy(dtype=float)
    a_imp = pd.Series(acc_model).map(at["tdp_imputed"].astype(float)).fillna(0.0).to_numpy(dtype=float) > 0
    a_cls = pd.Series(acc_model).map(at["form_factor_class"]).fillna("cpu_only").to_numpy(dtype=object)
    c_tdp = pd.Series(cpu_model).map(ct["tdp_w"]).to_numpy(dtype=float)
    c_imp = pd.Series(cpu_model).map(ct["tdp_imputed"].astype(float)).fillna(0.0).to_numpy(dtype=float) > 0
    lines = ship["_line"].to_numpy() if "_line" in ship else np.full(n, None)
    problems = []
    for mask, models, col, what in ((has_acc & np.isnan(a_tdp), acc_model, "accelerator_model", "accelerator"),
                                    (has_cpu & np.isnan(c_tdp), cpu_model, "cpu_model", "CPU")):
        for m in sorted(set(models[mask])):
            i = int(np.flatnonzero(mask & (models == m))[0])
            problems.append(Problem(
                f"{what} '{m}' has no TDP and none can be imputed (no peak or release year)", path,
                None if lines[i] is None else int(lines[i]), col,
                f"give a sourced TDP under energy.tdp.overrides['{m}'] in edition.yaml"))
    if problems:
        raise InputError(problems=problems)
    W = np.zeros((n, 6))
    cls_idx = np.where(has_acc, pd.Series(a_cls).map({c: i for i, c in enumerate(CLASSES)}).to_numpy(dtype=float),
                       2).astype(int)
    acc_w = np.where(has_acc, aps * np.nan_to_num(a_tdp), 0.0)
    cpu_w = np.where(has_cpu, cps * np.nan_to_num(c_tdp), 0.0)
    rows = np.arange(n)
    np.add.at(W, (rows, cls_idx * 2 + a_imp.astype(int)), acc_w)
    np.add.at(W, (rows, cls_idx * 2 + c_imp.astype(int)), cpu_w)
    scope = np.where(has_acc, 0, 1)
    return W, scope, aps


def build_cells(ship: pd.DataFrame, W_row: np.ndarray, scope: int, cap: CapacityConfig, *,
                rows: np.ndarray, provinces: np.ndarray, group: np.ndarray | None = None,
                extra: dict[str, np.ndarray] | None = None) -> Cells:
    """Stock of the row watts (× servers) by (year, province, group) for the selected ``rows``.

    All selected rows must be of one ``scope`` (0: accelerated servers, survival of intelligent
    compute; 1: CPU-only servers, survival of general compute).
    """
    years = np.arange(cap.years[0], cap.years[1] + 1)
    sel = np.flatnonzero(rows)
    P = len(provinces)
    servers = ship["servers"].to_numpy(dtype=float)[sel]
    prov_codes = pd.Categorical(ship["province"].to_numpy(dtype=object)[sel], categories=provinces).codes
    if (prov_codes < 0).any():
        raise ValueError("province outside the province list")
    if group is None:
        g_codes, g_labels = np.zeros(len(sel), np.int64), np.array([""], dtype=object)
    else:
        g_codes, g_labels = pd.factorize(pd.Series(np.asarray(group, dtype=object)[sel]), sort=True)
        g_labels = np.asarray(g_labels, dtype=object)
    G = len(g_labels)
    key = prov_codes.astype(np.int64) * G + g_codes
    py = ship["period_year"].to_numpy(dtype=np.int64)[sel]
    ph = ship["period_half"].to_numpy(dtype=np.int64)[sel]
    pcode, puniq = pd.factorize(py * 3 + ph, sort=True)
    puniq = np.asarray(puniq, np.int64)
    place = engine.placement_times(puniq // 3, puniq % 3, cap.timing)
    surv = cap.survival_intelligent if scope == 0 else cap.survival_general
    s_end = engine.survival_matrix(engine.measurement_times(years, cap.stock_at), place, surv)
    s_avg = year_average_survival(years, place, surv)
    W_end = np.zeros((6, len(years), P * G))
    W_avg = np.zeros((6, len(years), P * G))
    for c in range(6):
        flows = engine.group_sum(pcode, key, W_row[sel, c] * servers, len(puniq), P * G)
        W_end[c] = s_end @ flows
        W_avg[c] = s_avg @ flows
    ext = {name: (s_end @ engine.group_sum(pcode, key, np.asarray(v, float)[sel] * servers, len(puniq), P * G)
                  ).reshape(len(years), P, G) for name, v in (extra or {}).items()}
    return Cells(years=years, provinces=np.asarray(provinces, dtype=object), groups=g_labels,
                 W_end=W_end.reshape(6, len(years), P, G), W_avg=W_avg.reshape(6, len(years), P, G), scope=scope,
                 extra=ext)
