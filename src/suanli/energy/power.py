"""Power of named systems (``suanli energy power``) and energy of accelerator-hours.

System rated power = k(form factor) × (Σ accelerator TDP + Σ host-CPU TDP); the load draw is a
share of it and facility power = load draw × PUE. The form-factor factor and every TDP come from
the same edition parameters and energy catalog as the build stage, so an inventory and the
installed base are measured the same way. The default load share and PUE are the edition's
central values for AI servers in the last year of the capacity series.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..io.readers import Column, Schema, apply_schema, read_raw_table
from .config import EnergyConfig
from .model import CLASSES, Context, central_params, draw_terms, factor_specs, make_context, params_from_unit

INVENTORY_SCHEMA = Schema(
    "inventory",
    [
        Column("name", "str", aliases=("system", "名称", "系统"), allow_missing=False),
        Column("accelerator_model", "str", required=False, aliases=("accelerator", "加速卡型号", "加速卡")),
        Column("accelerator_count", "float", required=False, min=0, allow_percent=False, plausible_max=1e7,
               aliases=("accelerators", "加速卡数量", "卡数")),
        Column("cpu_model", "str", required=False, aliases=("cpu", "CPU型号", "处理器型号")),
        Column("cpu_count", "float", required=False, min=0, allow_percent=False, plausible_max=1e7, aliases=("cpus", "CPU数量", "处理器数量")),
        Column("form_factor", "str", required=False, aliases=("形态", "form factor"),
               help="board (SXM/OAM/module) or pcie; default from the catalog"),
    ],
    min_rows=1,
)

FORM_WORDS = {"board": "board", "sxm": "board", "oam": "board", "hgx": "board", "module": "board", "mezzanine": "board",
              "pcie": "pcie", "pci-e": "pcie", "pci": "pcie"}


def read_power_inventory(path: str | Path) -> pd.DataFrame:
    raw = read_raw_table(path)
    df = apply_schema(raw, INVENTORY_SCHEMA)
    acc = (df["accelerator_model"] != "").to_numpy()
    cpu = (df["cpu_model"] != "").to_numpy()
    na = np.nan_to_num(df["accelerator_count"].to_numpy(dtype=float))
    nc = np.nan_to_num(df["cpu_count"].to_numpy(dtype=float))
    lines = df["_line"].to_numpy()
    problems = []
    for mask, msg, col, hint in (
        (acc & ~(na > 0), "accelerator_model given but accelerator_count is missing or 0", "accelerator_count",
         "give the number of accelerators"),
        (cpu & ~(nc > 0), "cpu_model given but cpu_count is missing or 0", "cpu_count", "give the number of CPUs"),
        (~acc & (na > 0), "accelerator_count given without accelerator_model", "accelerator_model", "name the accelerator"),
        (~cpu & (nc > 0), "cpu_count given without cpu_model", "cpu_model", "name the CPU"),
        (~acc & ~cpu, "row names neither an accelerator nor a CPU", "accelerator_model", "name the hardware"),
    ):
        for pos in np.flatnonzero(mask):
            problems.append(Problem(msg, raw.path, int(lines[pos]), col, hint))
    for pos, ff in enumerate(df["form_factor"].astype(str)):
        if ff.strip() and ff.strip().lower() not in FORM_WORDS:
            problems.append(Problem(f"unknown form_factor '{ff}'", raw.path, int(lines[pos]), "form_factor",
                                    "use board (SXM/OAM/module) or pcie, or leave it empty"))
    if problems:
        raise InputError(problems=problems)
    df.attrs["path"] = raw.path  # the file, and the worksheet of a workbook
    return df


def central_context(cfg: EnergyConfig, year: int) -> Context:
    """A one-year, one-province context (no hub, no grid factor) for system-level figures."""
    return make_context(cfg, np.array([year]), np.array(["-"], dtype=object), np.zeros((1, 1)), np.ones(1))


def central_load_and_pue(cfg: EnergyConfig, year: int) -> tuple[float, float]:
    """The edition's central average draw share and PUE of AI servers in ``year``."""
    specs = factor_specs(cfg)
    t = draw_terms(central_params(specs), specs, central_context(cfg, year))
    return float(t["load_ai"][0, 0]), float(t["pue"][0, 0, 0])


def system_power(inv: pd.DataFrame, acc_cat: pd.DataFrame, cpu_cat: pd.DataFrame, catalog, cfg: EnergyConfig, *,
                 load: float, pue: float, path: str = "inventory") -> pd.DataFrame:
    """Per system: accelerator_kw, rated_it_kw, load_it_kw, facility_kw, pue, basis."""
    lines = inv["_line"].to_numpy() if "_line" in inv else None
    acc = catalog.resolve_many(inv["accelerator_model"].astype(str).to_numpy(), "accelerator", file=path, lines=lines,
                               column="accelerator_model")
    cpu = catalog.resolve_many(inv["cpu_model"].astype(str).to_numpy(), "cpu", file=path, lines=lines, column="cpu_model")
    at, ct = acc_cat.set_index("model"), cpu_cat.set_index("model")
    k = {"board": cfg.system_overhead.board.value, "pcie": cfg.system_overhead.pcie.value,
         "cpu_only": cfg.system_overhead.cpu_only.value}
    n_acc = np.nan_to_num(inv["accelerator_count"].to_numpy(dtype=float))
    n_cpu = np.nan_to_num(inv["cpu_count"].to_numpy(dtype=float))
    forms = inv["form_factor"].astype(str).str.strip().str.lower().to_numpy() if "form_factor" in inv else [""] * len(inv)
    rows, problems = [], []
    for i in range(len(inv)):
        notes = []
        a_w = c_w = 0.0
        if acc[i]:
            r = at.loc[acc[i]]
            if np.isnan(r.tdp_w):
                problems.append(Problem(f"'{acc[i]}' has no TDP and none can be imputed", path,
                                        None if lines is None else int(lines[i]), "accelerator_model",
                                        "add a sourced TDP under energy.tdp.overrides"))
                continue
            a_w = n_acc[i] * float(r.tdp_w)
            cls = FORM_WORDS.get(forms[i], "") or r.form_factor_class
            notes.append(f"{acc[i]} {r.tdp_w:.0f} W ({r.tdp_basis if r.tdp_imputed else 'catalog TDP'})")
            if r.tdp_imputed:
                notes.append("TDP IMPUTED")
        else:
            cls = "cpu_only"
        if cpu[i]:
            r = ct.loc[cpu[i]]
            if np.isnan(r.tdp_w):
                problems.append(Problem(f"'{cpu[i]}' has no TDP and none can be imputed", path,
                                        None if lines is None else int(lines[i]), "cpu_model",
                                        "add a sourced TDP under energy.tdp.overrides"))
                continue
            c_w = n_cpu[i] * float(r.tdp_w)
            notes.append(f"{cpu[i]} {r.tdp_w:.0f} W" + (" (TDP IMPUTED)" if r.tdp_imputed else ""))
        rated = k[cls] * (a_w + c_w) / 1e3
        notes.insert(0, f"{cls} × {k[cls]:g}")
        rows.append({"name": inv["name"].iloc[i], "accelerator_kw": a_w / 1e3, "rated_it_kw": rated,
                     "load_it_kw": rated * load, "facility_kw": rated * load * pue, "pue": pue, "load_share": load,
                     "tdp_imputed": any("IMPUTED" in n for n in notes), "basis": "; ".join(notes)})
    if problems:
        raise InputError(problems=problems)
    return pd.DataFrame(rows)


@dataclass
class AcceleratorHoursEnergy:
    """IT and facility energy of N accelerator-hours of one model (MWh), central and interval."""

    model: str
    accelerator_hours: float
    state: str
    rated_w_per_accelerator: float
    load_share: float
    pue: float
    it_mwh: float
    facility_mwh: float
    it_mwh_lo: float
    it_mwh_hi: float
    facility_mwh_lo: float
    facility_mwh_hi: float
    tdp_imputed: bool
    basis: str


def accelerator_hours_energy(model: str, accelerator_hours: float, *, state: str = "training", year: int | None = None,
                             pue: float | None = None, edition=None, draws: int = 2000) -> AcceleratorHoursEnergy:
    """Energy of ``accelerator_hours`` of accelerator ``model`` (e.g. a training run's GPU-hours).

    Per accelerator: k(form factor) × (TDP + host-CPU watts per accelerator) × load share of the
    workload ``state`` ('training', 'inference', 'idle' or 'average' = the edition's blended
    share for ``year``) × (1 + storage and network share); facility = IT × PUE (the edition's AI
    PUE of ``year`` unless given). The interval comes from the edition's parameter ranges.
    """
    from ..edition import load_edition
    from .stage import energy_catalogs

    ed = edition if edition is not None else load_edition()
    cfg = ed.energy or EnergyConfig()
    acc_cat, _, catalog = energy_catalogs(ed, cfg)
    name = catalog.resolve(model, "accelerator")
    r = acc_cat.set_index("model").loc[name]
    if np.isnan(r.tdp_w):
        raise InputError(f"'{name}' has no TDP and none can be imputed", file=ed.file, column="energy.tdp.overrides",
                         hint="add a sourced TDP under energy.tdp.overrides in edition.yaml")
    if state not in ("training", "inference", "idle", "average"):
        raise ValueError("state must be training, inference, idle or average")
    y = year if year is not None else (ed.capacity.years[1] if ed.capacity else 2025)
    cls = r.form_factor_class
    host = cfg.host_cpu_w_per_accelerator.get(cls, 0.0)
    specs = factor_specs(cfg)
    from ..index.uncertainty.sampling import mc_design

    X = np.vstack([central_params(specs), params_from_unit(mc_design(cfg.seed, len(specs), 0, draws), specs)])
    t = draw_terms(X, specs, central_context(cfg, y))
    names = [s.name for s in specs]
    col = CLASSES.index(cls) * 2 + int(bool(r.tdp_imputed))
    rated = t["coef"][:, col] * (float(r.tdp_w) + host)
    load = t["load_ai"][:, 0] if state == "average" else X[:, names.index(f"load_{state}")]
    p = np.full(len(X), pue) if pue is not None else t["pue"][:, 0, 0]
    it = rated * load * (1 + t["sn"]) * accelerator_hours / 1e6          # W·h → MWh
    fac = it * p
    q = [(1 - cfg.interval) / 2, (1 + cfg.interval) / 2]
    ilo, ihi = np.quantile(it[1:], q)
    flo, fhi = np.quantile(fac[1:], q)
    return AcceleratorHoursEnergy(
        name, accelerator_hours, state, float(rated[0]), float(load[0]), float(p[0]), float(it[0]), float(fac[0]),
        float(ilo), float(ihi), float(flo), float(fhi), bool(r.tdp_imputed),
        f"{cls} × {t['coef'][0, col] / (float(cfg.tdp.imputed_scale.value) if r.tdp_imputed else 1):.3g} × "
        f"({float(r.tdp_w):.0f} W TDP + {host:g} W host CPU); load {state}; IT includes storage+network "
        f"{float(t['sn'][0]):.0%}; PUE {'given' if pue is not None else f'edition AI average {y}'}")
