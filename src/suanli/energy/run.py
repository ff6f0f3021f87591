"""Everything the energy stage computes, from in-memory inputs to result tables (no store I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..capacity.config import CapacityConfig
from .base import build_cells, row_watts
from .config import EnergyConfig
from .grid import factor_matrix
from .model import (
    METRICS,
    Cells,
    Context,
    FactorSpec,
    central_params,
    factor_specs,
    make_context,
    params_from_unit,
    simulate,
    summarise,
)

INTERVAL_METRICS = ("rated_it_mw", "avg_it_mw", "it_twh", "facility_twh", "co2_mt", "co2_market_mt", "pue")


@dataclass
class EnergyInputs:
    shipments: pd.DataFrame          # typed shipments (store input table)
    acc_model: np.ndarray            # resolved accelerator model per row ('' = none)
    cpu_model: np.ndarray
    acc_catalog: pd.DataFrame        # energy catalog (model.accelerator_energy_catalog)
    cpu_catalog: pd.DataFrame
    emission_factors: pd.DataFrame
    capacity_national: pd.DataFrame | None = None
    synthetic: bool = False


@dataclass
class EnergyResult:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    draws: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    cells: dict[str, Cells] = field(default_factory=dict)
    ctx: Context | None = None


def design(cfg: EnergyConfig, specs: list[FactorSpec], n: int | None = None) -> np.ndarray:
    """Monte Carlo parameter draws [n, k] (chunk-independent design of the uncertainty engine)."""
    from ..index.uncertainty.sampling import mc_design

    n = cfg.draws if n is None else n
    return params_from_unit(mc_design(cfg.seed, len(specs), 0, n), specs)


def prepare(inp: EnergyInputs, cfg: EnergyConfig, cap: CapacityConfig
            ) -> tuple[dict[str, Cells], Context, pd.DataFrame]:
    """(cells per table, model context, grid factor used per year and province)."""
    ship = inp.shipments
    W, scope, aps = row_watts(ship, inp.acc_model, inp.cpu_model, inp.acc_catalog, inp.cpu_catalog)
    provinces = np.array(sorted(set(ship["province"].astype(str))), dtype=object)
    ai = scope == 0
    origin = pd.Series(inp.acc_model).map(inp.acc_catalog.set_index("model")["origin"]).fillna("").to_numpy(dtype=object)
    vendor = ship["vendor"].fillna("").astype(str).to_numpy(dtype=object)
    base = build_cells(ship, W, 0, cap, rows=ai, provinces=provinces, extra={"accelerators": aps})
    cells = {
        "national": base.national(),
        "province": base.by_province(),
        "vendor": build_cells(ship, W, 0, cap, rows=ai, provinces=provinces, group=vendor),
        "origin": build_cells(ship, W, 0, cap, rows=ai, provinces=provinces, group=origin),
    }
    if (~ai).any():
        cells["general"] = build_cells(ship, W, 1, cap, rows=~ai, provinces=provinces)
    years = base.years
    ef, ratio, ef_table = factor_matrix(inp.emission_factors, years, provinces)
    return cells, make_context(cfg, years, provinces, ef, ratio), ef_table


def run_energy(inp: EnergyInputs, cfg: EnergyConfig, cap: CapacityConfig) -> EnergyResult:
    cells, ctx, ef_table = prepare(inp, cfg, cap)
    specs = factor_specs(cfg)
    X = design(cfg, specs)
    X0 = central_params(specs)
    vc = "synthetic" if inp.synthetic else "modelled"
    res = EnergyResult(cells=cells, ctx=ctx)
    years = ctx.years

    def table(name: str, c: Cells, label: str | None) -> pd.DataFrame:
        sim = simulate(X, specs, c, ctx)
        pt = simulate(X0, specs, c, ctx)
        res.draws[name] = sim
        s = summarise(pt, sim, cfg.interval, INTERVAL_METRICS)
        G = len(c.groups)
        df = pd.DataFrame({"year": np.repeat(years, G)})
        if label:
            df[label] = np.tile(c.groups, len(years))
        for m in INTERVAL_METRICS:
            for suf in ("", "_lo", "_hi"):
                df[m + suf] = s[m + suf].ravel()
        return df

    nat = table("national", cells["national"], None)
    if inp.capacity_national is not None:
        cn = inp.capacity_national.set_index("year")["intelligent_eflops"]
        eflops = nat["year"].map(cn).to_numpy(dtype=float)
        hours = ctx.hours
        for suf in ("", "_lo", "_hi"):
            nat["facility_mw_per_eflops" + suf] = nat["facility_twh" + suf].to_numpy() * 1e6 / hours / eflops
            nat["it_mw_per_eflops" + suf] = nat["it_twh" + suf].to_numpy() * 1e6 / hours / eflops
        nat.insert(1, "intelligent_eflops", eflops)
    nat.insert(1, "accelerators_installed", cells["national"].extra["accelerators"].sum(axis=(1, 2)))
    nat["scope"] = "AI (accelerated) servers in China, IT = servers + storage + network"
    nat["value_class"] = vc
    res.tables["energy_national"] = nat
    prov = table("province", cells["province"], "province")
    prov["kgco2_per_kwh"] = ctx.ef.ravel()
    prov["hub_province"] = np.tile(ctx.hub.astype(bool), len(years))
    prov = prov[prov.rated_it_mw + prov.it_twh > 0].reset_index(drop=True)
    prov["value_class"] = vc
    res.tables["energy_by_province"] = prov
    for g in ("vendor", "origin"):
        t = table(g, cells[g], g)
        t = t[t.rated_it_mw + t.it_twh > 0].reset_index(drop=True)
        t["value_class"] = vc
        res.tables[f"energy_by_{g}"] = t
    if "general" in cells:
        gen = table("general", cells["general"], None)
        gen["scope"] = "CPU-only servers in China (general compute), IT = servers + storage + network"
        gen["value_class"] = vc
        res.tables["energy_general_national"] = gen
    res.tables["energy_parameters"] = parameter_table(specs, cfg)
    res.tables["energy_grid_factors"] = ef_table
    return res


def parameter_table(specs: list[FactorSpec], cfg: EnergyConfig) -> pd.DataFrame:
    rows = []
    for s in specs:
        assumed = (not s.source) or s.source.lower().startswith("assumption")
        rows.append({"parameter": s.name, "low": s.low, "value": s.mode, "high": s.high,
                     "distribution": "triangular" if s.high > s.low else "fixed", "source": s.source,
                     "value_class": "modelled" if assumed else "stated"})
    return pd.DataFrame(rows)


def sobol_table(inp_cells: Cells, ctx: Context, specs: list[FactorSpec], cfg: EnergyConfig, *,
                synthetic: bool) -> pd.DataFrame:
    """First-order and total Sobol indices of the national outputs of one year."""
    from ..index.uncertainty.sampling import Factor, sobol_design
    from ..index.uncertainty.sobol import sobol_indices

    factors = [Factor(s.name, "energy", 1, j) for j, s in enumerate(specs)]
    U = sobol_design(factors, cfg.sobol_base, cfg.seed)
    X = params_from_unit(U, specs)
    sim = simulate(X, specs, inp_cells, ctx)
    year = cfg.sobol_year if cfg.sobol_year is not None else int(ctx.years[-1])
    yi = int(np.flatnonzero(ctx.years == year)[0]) if (ctx.years == year).any() else len(ctx.years) - 1
    outs = ["rated_it_mw", "it_twh", "facility_twh", "co2_mt", "co2_market_mt"]
    Y = np.column_stack([sim[m][:, yi, 0] for m in outs])
    r = sobol_indices(Y, [s.name for s in specs], seed=cfg.seed)
    rows = []
    for j, m in enumerate(outs):
        for g, s in enumerate(specs):
            rows.append({"year": int(ctx.years[yi]), "output": m, "parameter": s.name,
                         "S1": r.S1[g, j], "S1_conf": r.S1_conf[g, j], "ST": r.ST[g, j], "ST_conf": r.ST_conf[g, j],
                         "n_base": r.n_base, "value_class": "synthetic" if synthetic else "modelled"})
    df = pd.DataFrame(rows)
    return df.sort_values(["output", "ST", "parameter"], ascending=[True, False, True], kind="mergesort"
                          ).reset_index(drop=True)


__all__ = ["EnergyInputs", "EnergyResult", "run_energy", "prepare", "design", "sobol_table", "METRICS"]
