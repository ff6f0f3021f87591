"""Numerical core of the energy model: pure numpy, no I/O.

::

    P_rated,server = k_ff · (n_acc · TDP_acc + n_cpu · TDP_cpu)          (ff: board | pcie | cpu_only)
    f_avg(y)       = (1 − idle) · [inf(y) · L_inf + (1 − inf(y)) · L_train] + idle · L_idle
    E_IT           = Σ stock(y) · P_rated · f_avg · H(y) · (1 + s_storage+network)
    E_facility     = E_IT · PUE(y, province)        PUE = Σ_class share · PUE_class(y) + hub offset
    CO2            = E_facility · EF(province, y)   (location-based; market-based = EF · residual/EF_nat · (1 − green))

Everything that varies by draw is a column of a parameter matrix; the installed base is a small
matrix ``W[column, cell]`` of rated-power building blocks (watts of known-TDP and imputed-TDP
hardware per form-factor class) for every (year, province, group) cell, so a batch of draws is
one matrix product plus element-wise work, and grouping into output rows is one more product.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .config import EnergyConfig, Param, YearlyParam

CLASSES = ("board", "pcie", "cpu_only")
#: columns of W: (class, imputed?) pairs
COLUMNS = tuple((c, imp) for c in CLASSES for imp in (False, True))
METRICS = ("rated_it_mw", "avg_it_mw", "it_twh", "facility_twh", "co2_mt", "co2_market_mt")


# --------------------------------------------------------------------------------------------
# TDPs and form factors
# --------------------------------------------------------------------------------------------

def impute_tdp(release_year: np.ndarray, peak: np.ndarray, tdp: np.ndarray, names: Sequence[str], *,
               window: int = 1, min_donors: int = 3, unit: str = "TFLOPS"
               ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Fill missing TDPs from the median W per unit of peak of same-generation parts.

    Returns (tdp used, imputed flag, basis text). Same generation = release year within ±window,
    widened one year at a time until ``min_donors`` parts with both a TDP and a peak are found. A
    part without a peak cannot be imputed and keeps NaN (its basis says so); never zero.
    """
    ry = np.asarray(release_year, float)
    pk = np.asarray(peak, float)
    td = np.asarray(tdp, float).copy()
    donor = ~np.isnan(td) & ~np.isnan(pk) & (pk > 0) & ~np.isnan(ry)
    imputed = np.zeros(len(td), bool)
    basis = ["catalog" if not np.isnan(t) else "" for t in td]
    for i in np.flatnonzero(np.isnan(td)):
        if np.isnan(pk[i]) or pk[i] <= 0 or np.isnan(ry[i]):
            basis[i] = f"missing: no TDP and no {unit} peak/release year to impute from"
            continue
        w = window
        while True:
            sel = donor & (np.abs(ry - ry[i]) <= w)
            if sel.sum() >= min_donors or w > 30:
                break
            w += 1
        if not sel.any():
            basis[i] = "missing: no donor parts with a TDP"
            continue
        ratio = float(np.median(td[sel] / pk[sel]))
        td[i] = ratio * pk[i]
        imputed[i] = True
        donors = ", ".join(sorted(str(names[j]) for j in np.flatnonzero(sel)))
        basis[i] = (f"imputed: {ratio:.3g} W per {unit} (median of {int(sel.sum())} parts released "
                    f"{int(ry[i]) - w}-{int(ry[i]) + w}: {donors}) × {pk[i]:g} {unit}")
    return td, imputed, basis


def form_factor_class(model: str, form_factor: object, cfg: EnergyConfig) -> tuple[str, str]:
    """('board'|'pcie', basis) from the catalog's form-factor text, overrides first."""
    rules = cfg.form_factor
    if model in rules.overrides:
        return rules.overrides[model], "edition override"
    text = "" if form_factor is None or (isinstance(form_factor, float) and np.isnan(form_factor)) else str(form_factor)
    low = text.lower()
    hits = []
    for cls, words in (("board", rules.board_keywords), ("pcie", rules.pcie_keywords)):
        for w in words:
            pos = low.find(w.lower())
            if pos >= 0:
                hits.append((pos, cls))
    if hits:
        return min(hits)[1], f"catalog form factor '{text}'"
    return rules.default, f"assumed {rules.default}: catalog has no form factor" if not text else \
        f"assumed {rules.default}: form factor '{text}' not recognised"


def accelerator_energy_catalog(acc: pd.DataFrame, cfg: EnergyConfig) -> pd.DataFrame:
    """Per accelerator: TDP used (catalog, override or imputed, flagged), form-factor class.

    ``acc`` needs model, release_year, fp16_equiv_tflops, tdp_w, form_factor (vendor, origin optional).
    """
    acc = acc.reset_index(drop=True)
    tdp = acc["tdp_w"].to_numpy(dtype=float).copy()
    over = cfg.tdp.overrides
    src = np.array(["catalog" if not np.isnan(t) else "" for t in tdp], dtype=object)
    for i, m in enumerate(acc["model"]):
        if m in over:
            tdp[i] = over[m].tdp_w
            src[i] = f"edition override: {over[m].source}"
    used, imp, basis = impute_tdp(acc["release_year"].to_numpy(dtype=float), acc["fp16_equiv_tflops"].to_numpy(dtype=float),
                                  tdp, list(acc["model"]), window=cfg.tdp.window_years, min_donors=cfg.tdp.min_donors)
    basis = [s if s and not b.startswith(("imputed", "missing")) else b for s, b in zip(src, basis, strict=True)]
    ff = [form_factor_class(m, f, cfg) for m, f in zip(acc["model"], acc.get("form_factor", [None] * len(acc)), strict=True)]
    out = pd.DataFrame({
        "model": acc["model"].to_numpy(),
        "vendor": acc["vendor"].to_numpy() if "vendor" in acc else "",
        "origin": acc["origin"].to_numpy() if "origin" in acc else "",
        "release_year": acc["release_year"].to_numpy(),
        "fp16_equiv_tflops": acc["fp16_equiv_tflops"].to_numpy(dtype=float),
        "catalog_tdp_w": acc["tdp_w"].to_numpy(dtype=float),
        "tdp_w": used,
        "tdp_imputed": imp,
        "tdp_basis": basis,
        "w_per_tflops": used / acc["fp16_equiv_tflops"].to_numpy(dtype=float),
        "form_factor": acc["form_factor"].fillna("").to_numpy() if "form_factor" in acc else "",
        "form_factor_class": [c for c, _ in ff],
        "form_factor_basis": [b for _, b in ff],
    })
    return out


def cpu_energy_catalog(cpu: pd.DataFrame, cfg: EnergyConfig) -> pd.DataFrame:
    """Per CPU: TDP used; a missing TDP is imputed from same-generation W per core (flagged).

    W per FP64 GFLOPS would double a Zen 5 part's TDP (twice the FP64 per cycle at the same
    power), so cores are the better same-generation yardstick for CPUs.
    """
    cpu = cpu.reset_index(drop=True)
    tdp = cpu["tdp_w"].to_numpy(dtype=float).copy()
    for i, m in enumerate(cpu["model"]):
        if m in cfg.tdp.overrides:
            tdp[i] = cfg.tdp.overrides[m].tdp_w
    used, imp, basis = impute_tdp(cpu["release_year"].to_numpy(dtype=float), cpu["cores"].to_numpy(dtype=float),
                                  tdp, list(cpu["model"]), window=cfg.tdp.window_years, min_donors=cfg.tdp.min_donors,
                                  unit="core")
    return pd.DataFrame({"model": cpu["model"].to_numpy(), "release_year": cpu["release_year"].to_numpy(),
                         "cores": cpu["cores"].to_numpy(dtype=float), "catalog_tdp_w": cpu["tdp_w"].to_numpy(dtype=float),
                         "tdp_w": used, "tdp_imputed": imp, "tdp_basis": basis})


# --------------------------------------------------------------------------------------------
# Parameters: factors, central values, draws
# --------------------------------------------------------------------------------------------

@dataclass
class FactorSpec:
    name: str
    low: float
    mode: float
    high: float
    source: str = ""


def factor_specs(cfg: EnergyConfig) -> list[FactorSpec]:
    """Every uncertain input, in a fixed order (the columns of a design)."""
    def p(name: str, x: Param) -> FactorSpec:
        return FactorSpec(name, x.low, x.value, x.high, x.source)

    def y(name: str, x: YearlyParam) -> FactorSpec:
        return FactorSpec(name, x.scale_low, 1.0, x.scale_high, x.source)

    so, ld, pu = cfg.system_overhead, cfg.load, cfg.pue
    return [
        p("k_board", so.board), p("k_pcie", so.pcie), p("k_cpu_only", so.cpu_only),
        p("tdp_imputed_scale", cfg.tdp.imputed_scale),
        p("load_training", ld.training), p("load_inference", ld.inference), p("load_idle", ld.idle),
        p("load_general", ld.general),
        y("inference_share_scale", cfg.workload.inference_share), p("idle_share", cfg.workload.idle_share),
        p("storage_network", cfg.storage_network),
        p("pue_liquid", pu.liquid), p("pue_air_hyperscale", pu.air_hyperscale), p("pue_enterprise", pu.enterprise),
        y("ai_liquid_share_scale", pu.ai_liquid_share), y("ai_enterprise_share_scale", pu.ai_enterprise_share),
        y("general_liquid_share_scale", pu.general_liquid_share),
        y("general_enterprise_share_scale", pu.general_enterprise_share),
        p("pue_overhead_decline", pu.overhead_decline), p("pue_hub_offset", pu.hub_offset),
        y("green_share_scale", cfg.grid.green_share),
    ]


def triangular_ppf(u: np.ndarray, lo: float, mode: float, hi: float) -> np.ndarray:
    """Inverse CDF of the triangular distribution (a point mass when lo == hi)."""
    u = np.asarray(u, float)
    if hi <= lo:
        return np.full(u.shape, mode)
    c = (mode - lo) / (hi - lo)
    left = lo + np.sqrt(u * (hi - lo) * (mode - lo))
    right = hi - np.sqrt((1 - u) * (hi - lo) * (hi - mode))
    return np.where(u < c, left, right)


def params_from_unit(U: np.ndarray, specs: list[FactorSpec]) -> np.ndarray:
    """Map a design on [0, 1]^k to parameter values (one column per factor)."""
    U = np.atleast_2d(U)
    return np.column_stack([triangular_ppf(U[:, j], s.low, s.mode, s.high) for j, s in enumerate(specs)])


def central_params(specs: list[FactorSpec]) -> np.ndarray:
    return np.array([[s.mode for s in specs]])


# --------------------------------------------------------------------------------------------
# Installed base as cells
# --------------------------------------------------------------------------------------------

@dataclass
class Cells:
    """Rated-power building blocks of the installed base: dense W[column, year, province, group]."""

    years: np.ndarray                 # [Y] output years
    provinces: np.ndarray             # [P] labels
    groups: np.ndarray                # [G] labels ([''] when not grouped)
    W_end: np.ndarray                 # [6, Y, P, G] watts (TDP sums) at the measurement time of each year
    W_avg: np.ndarray                 # [6, Y, P, G] watts averaged over the calendar year
    scope: int = 0                    # 0 = accelerated (AI) servers, 1 = CPU-only servers
    extra: dict[str, np.ndarray] = field(default_factory=dict)   # [Y, P, G] other stocks (accelerators)

    def by_province(self) -> Cells:
        """The same base with provinces as the output groups."""
        P = len(self.provinces)
        eye = np.eye(P)
        def f(a: np.ndarray) -> np.ndarray:
            return a.sum(-1)[..., :, None] * eye
        return Cells(self.years, self.provinces, self.provinces.copy(), f(self.W_end), f(self.W_avg), self.scope,
                     {k: f(v) for k, v in self.extra.items()})

    def national(self) -> Cells:
        def f(a: np.ndarray) -> np.ndarray:
            return a.sum(-1, keepdims=True)
        return Cells(self.years, self.provinces, np.array([""], dtype=object), f(self.W_end), f(self.W_avg),
                     self.scope, {k: f(v) for k, v in self.extra.items()})


@dataclass
class Context:
    """Per-year and per-province inputs that do not vary by draw."""

    years: np.ndarray
    hours: np.ndarray                 # [Y]
    inference_path: np.ndarray        # [Y] central inference share
    liquid_path: np.ndarray           # [2, Y] central liquid share (ai, general)
    enterprise_path: np.ndarray       # [2, Y]
    green_path: np.ndarray            # [Y]
    reference_year: int
    hub: np.ndarray                   # [P] 1.0 for hub provinces
    ef: np.ndarray                    # [Y, P] location-based kgCO2/kWh
    resid_ratio: np.ndarray           # [Y] residual-mix national factor / national average factor


def make_context(cfg: EnergyConfig, years: np.ndarray, provinces: np.ndarray, ef: np.ndarray,
                 resid_ratio: np.ndarray) -> Context:
    from .units import hours_in_year

    pu = cfg.pue
    years = np.asarray(years)
    return Context(
        years=years, hours=np.array([hours_in_year(int(y)) for y in years], float),
        inference_path=cfg.workload.inference_share.path(years),
        liquid_path=np.vstack([pu.ai_liquid_share.path(years), pu.general_liquid_share.path(years)]),
        enterprise_path=np.vstack([pu.ai_enterprise_share.path(years), pu.general_enterprise_share.path(years)]),
        green_path=cfg.grid.green_share.path(years), reference_year=pu.reference_year,
        hub=np.isin(np.asarray(provinces, dtype=object), pu.hub_provinces).astype(float),
        ef=np.asarray(ef, float), resid_ratio=np.asarray(resid_ratio, float))


# --------------------------------------------------------------------------------------------
# The vectorised simulation
# --------------------------------------------------------------------------------------------

def _col(X: np.ndarray, specs: list[FactorSpec]) -> dict[str, np.ndarray]:
    return {s.name: X[:, j] for j, s in enumerate(specs)}


def draw_terms(X: np.ndarray, specs: list[FactorSpec], ctx: Context) -> dict[str, np.ndarray]:
    """Per-draw coefficients: system factors [D, 6], load [D, Y], PUE by scope [D, 2, Y], green [D, Y]."""
    p = _col(X, specs)
    D = X.shape[0]
    s = p["tdp_imputed_scale"]
    coef = np.column_stack([p["k_board"], p["k_board"] * s, p["k_pcie"], p["k_pcie"] * s,
                            p["k_cpu_only"], p["k_cpu_only"] * s])
    inf = np.clip(ctx.inference_path[None, :] * p["inference_share_scale"][:, None], 0.0, 1.0)
    idle = p["idle_share"][:, None]
    load_ai = (1 - idle) * (inf * p["load_inference"][:, None] + (1 - inf) * p["load_training"][:, None]) \
        + idle * p["load_idle"][:, None]
    age = (ctx.reference_year - ctx.years)[None, :].astype(float)
    trend = (1 + p["pue_overhead_decline"][:, None]) ** age            # [D, Y]
    pue_l = 1 + (p["pue_liquid"][:, None] - 1) * trend
    pue_a = 1 + (p["pue_air_hyperscale"][:, None] - 1) * trend
    pue_e = 1 + (p["pue_enterprise"][:, None] - 1) * trend
    pue = np.empty((D, 2, len(ctx.years)))
    for scope, (ls, es) in enumerate((("ai_liquid_share_scale", "ai_enterprise_share_scale"),
                                      ("general_liquid_share_scale", "general_enterprise_share_scale"))):
        liq = np.clip(ctx.liquid_path[scope][None, :] * p[ls][:, None], 0.0, 1.0)
        ent = np.clip(ctx.enterprise_path[scope][None, :] * p[es][:, None], 0.0, 1.0 - liq)
        pue[:, scope] = liq * pue_l + ent * pue_e + (1 - liq - ent) * pue_a
    green = np.clip(ctx.green_path[None, :] * p["green_share_scale"][:, None], 0.0, 1.0)
    return {"coef": coef, "load_ai": load_ai, "load_general": p["load_general"], "sn": p["storage_network"],
            "pue": pue, "hub_offset": p["pue_hub_offset"], "green": green}


def tensors(cells: Cells, ctx: Context) -> dict[str, np.ndarray]:
    """Sum the provinces out of W, split into non-hub and hub provinces and weighted by the grid factor.

    PUE enters only as (scope PUE) or (scope PUE + hub offset), and the grid factor is fixed per
    (year, province), so facility energy and CO2 of any group are exact linear combinations of
    these four [6, Y, G] tensors: draws never touch the province axis.
    """
    hub = ctx.hub[None, None, :, None]
    ef = ctx.ef[None, :, :, None]
    W = cells.W_avg
    return {"end": cells.W_end.sum(2), "nh": (W * (1 - hub)).sum(2), "h": (W * hub).sum(2),
            "e_nh": (W * (1 - hub) * ef).sum(2), "e_h": (W * hub * ef).sum(2)}


def simulate(X: np.ndarray, specs: list[FactorSpec], cells: Cells, ctx: Context, *, chunk: int = 4096,
             T: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Every metric for every draw (rows of ``X``): arrays [D, Y, G], plus 'pue' = facility / IT."""
    D = X.shape[0]
    Y, G = len(cells.years), len(cells.groups)
    T = tensors(cells, ctx) if T is None else T
    out = {m: np.empty((D, Y, G)) for m in METRICS}
    sc = cells.scope
    for a in range(0, D, chunk):
        b = min(D, a + chunk)
        t = draw_terms(X[a:b], specs, ctx)
        coef = t["coef"]
        r = {k: (coef @ v.reshape(6, -1)).reshape(b - a, Y, G) for k, v in T.items()}
        load = t["load_ai"] if sc == 0 else np.broadcast_to(t["load_general"][:, None], (b - a, Y))
        f = (load * (1 + t["sn"][:, None]) * ctx.hours[None, :] / 1e12)[:, :, None]    # W → TWh
        pue_nh = np.maximum(t["pue"][:, sc], 1.0)[:, :, None]
        pue_h = np.maximum(t["pue"][:, sc] + t["hub_offset"][:, None], 1.0)[:, :, None]
        out["rated_it_mw"][a:b] = r["end"] / 1e6
        out["it_twh"][a:b] = f * (r["nh"] + r["h"])
        out["facility_twh"][a:b] = f * (pue_nh * r["nh"] + pue_h * r["h"])
        co2 = f * (pue_nh * r["e_nh"] + pue_h * r["e_h"])                 # TWh × kg/kWh = Mt
        out["co2_mt"][a:b] = co2
        out["co2_market_mt"][a:b] = co2 * (ctx.resid_ratio[None, :] * (1 - t["green"]))[:, :, None]
    out["avg_it_mw"] = out["it_twh"] * 1e6 / ctx.hours[None, :, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["pue"] = out["facility_twh"] / out["it_twh"]
    return out


def simulate_loop(X: np.ndarray, specs: list[FactorSpec], cells: Cells, ctx: Context) -> dict[str, np.ndarray]:
    """The same model one draw and one (year, province, group) cell at a time in plain Python.

    An independent reference for :func:`simulate` (tests) and the benchmark's baseline.
    """
    names = [s.name for s in specs]
    Y, P, G = len(cells.years), len(cells.provinces), len(cells.groups)
    D = X.shape[0]
    res = {m: np.zeros((D, Y, G)) for m in ("rated_it_mw", "it_twh", "facility_twh", "co2_mt", "co2_market_mt")}
    scope = cells.scope
    for d in range(D):
        p = dict(zip(names, (float(v) for v in X[d]), strict=True))
        ks = {"board": p["k_board"], "pcie": p["k_pcie"], "cpu_only": p["k_cpu_only"]}
        facs = [ks[cls] * (p["tdp_imputed_scale"] if imp else 1.0) for cls, imp in COLUMNS]
        for y in range(Y):
            if scope == 0:
                inf = min(max(ctx.inference_path[y] * p["inference_share_scale"], 0.0), 1.0)
                idle = p["idle_share"]
                load = (1 - idle) * (inf * p["load_inference"] + (1 - inf) * p["load_training"]) + idle * p["load_idle"]
                liq_s, ent_s = p["ai_liquid_share_scale"], p["ai_enterprise_share_scale"]
            else:
                load = p["load_general"]
                liq_s, ent_s = p["general_liquid_share_scale"], p["general_enterprise_share_scale"]
            trend = (1 + p["pue_overhead_decline"]) ** float(ctx.reference_year - ctx.years[y])
            liq = min(max(ctx.liquid_path[scope][y] * liq_s, 0.0), 1.0)
            ent = min(max(ctx.enterprise_path[scope][y] * ent_s, 0.0), 1.0 - liq)
            pue0 = (liq * (1 + (p["pue_liquid"] - 1) * trend) + ent * (1 + (p["pue_enterprise"] - 1) * trend)
                    + (1 - liq - ent) * (1 + (p["pue_air_hyperscale"] - 1) * trend))
            green = min(max(ctx.green_path[y] * p["green_share_scale"], 0.0), 1.0)
            for pr in range(P):
                pue = max(pue0 + p["pue_hub_offset"] * float(ctx.hub[pr]), 1.0)
                ef = float(ctx.ef[y, pr])
                for g in range(G):
                    rated_end = rated_avg = 0.0
                    for c in range(6):
                        rated_end += facs[c] * float(cells.W_end[c, y, pr, g])
                        rated_avg += facs[c] * float(cells.W_avg[c, y, pr, g])
                    it = rated_avg * load * (1 + p["storage_network"]) * float(ctx.hours[y]) / 1e12
                    res["rated_it_mw"][d, y, g] += rated_end / 1e6
                    res["it_twh"][d, y, g] += it
                    res["facility_twh"][d, y, g] += it * pue
                    res["co2_mt"][d, y, g] += it * pue * ef
                    res["co2_market_mt"][d, y, g] += it * pue * ef * float(ctx.resid_ratio[y]) * (1 - green)
    res["avg_it_mw"] = res["it_twh"] * 1e6 / ctx.hours[None, :, None]
    return res


def quantiles(x: np.ndarray, qs: Sequence[float]) -> list[np.ndarray]:
    """Column quantiles of ``x`` [n, m] (numpy's default 'linear' method) from one partition."""
    n = x.shape[0]
    pos = [q * (n - 1) for q in qs]
    ks = sorted({min(int(np.floor(p)) + i, n - 1) for p in pos for i in (0, 1)})
    part = np.partition(np.ascontiguousarray(x.T), ks, axis=1)
    out = []
    for p in pos:
        f = int(np.floor(p))
        frac = p - f
        a = part[:, f]
        b = part[:, min(f + 1, n - 1)]
        out.append(np.where(np.isnan(a) | np.isnan(b), np.nan, a + (b - a) * frac))
    return out


def summarise(point: dict[str, np.ndarray], draws: dict[str, np.ndarray], interval: float,
              metrics: Sequence[str] = METRICS) -> dict[str, np.ndarray]:
    """Point values [Y, G] (central parameters) and the draws' quantile interval for each metric."""
    q = [(1 - interval) / 2, (1 + interval) / 2]
    out: dict[str, np.ndarray] = {}
    for m in metrics:
        out[m] = point[m][0]
        x = draws[m]
        lo, hi = (v.reshape(x.shape[1:]) for v in quantiles(x.reshape(x.shape[0], -1), q))
        out[f"{m}_lo"] = lo
        out[f"{m}_hi"] = hi
    return out
