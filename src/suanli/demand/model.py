"""From the edition's demand section, the run catalogue, the anchors and the capacity series to the
tables of the demand stage (no I/O: frames in, frames out)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from . import engine
from .catalogue import accelerator_peak, anchor_text, anchor_value
from .config import DemandConfig

#: parameter → (zh, en) labels for tables, report and dashboard
PARAM_LABELS: dict[str, tuple[str, str]] = {
    "train_mfu": ("训练MFU", "training MFU"),
    "train_availability": ("训练可用率", "training availability"),
    # without parentheses: the text puts each driver's share in parentheses after its name
    "experiments_multiplier": ("消融、失败与小规模训练的实验倍数", "experiments multiplier for ablations, failed and small runs"),
    "coverage": ("未公开训练的目录覆盖倍数", "catalogue coverage of unpublished runs"),
    "train_backcast_growth": ("训练算力回推年增长", "training back-cast growth per year"),
    "token_scale": ("Token口径系数", "token basis factor"),
    "token_backcast_growth": ("Token回推年增长", "token back-cast growth per year"),
    "output_share": ("输出Token占比", "output share of tokens"),
    "cached_share": ("输入缓存命中率", "cached share of input tokens"),
    "peak_to_average": ("峰均比", "peak-to-average ratio"),
    "mfu_prefill": ("预填充MFU", "prefill MFU"),
    "mfu_decode": ("解码MFU", "decode MFU"),
    "inf_availability": ("推理可用率", "inference availability"),
    "empirical_scale": ("实测吞吐系数", "measured-throughput factor"),
    "model_mix": ("模型结构（每Token计算量）", "model mix (FLOPs per token)"),
    "supply": ("装机算力（供给）", "installed compute (supply)"),
}


@dataclass
class DemandInputs:
    """The parts of the stage's input that the Monte Carlo uses."""

    prepared: engine.Prepared
    components: pd.DataFrame   # per year, central values and bases
    train_by_year: pd.DataFrame
    supply_basis: list[str]
    supply_synthetic: bool


def _unc_args(u) -> tuple[float, float, float, str]:
    return u.value, u.low, u.high, u.dist


def prepare(cfg: DemandConfig, runs: pd.DataFrame, anchors: pd.DataFrame, capacity: pd.DataFrame, catalog,
            *, supply_synthetic: bool) -> DemandInputs:
    """Fixed inputs of the simulation: training base series, token path, FLOPs per token, supply."""
    nat = capacity.set_index("year").sort_index()
    y0, y1 = cfg.years if cfg.years else (int(nat.index.min()), int(nat.index.max()))
    years = np.arange(y0, y1 + 1)
    missing = [int(y) for y in years if y not in nat.index]
    if missing:
        raise InputError(f"the capacity series has no intelligent compute for {', '.join(map(str, missing))}",
                         hint="set demand.years inside capacity.years")
    # --- supply (EFLOPS, FP16-equivalent dense)
    mid_end = nat["intelligent_eflops"].astype(float)
    lo_end = nat["intelligent_eflops_lo"].astype(float) if "intelligent_eflops_lo" in nat else mid_end
    hi_end = nat["intelligent_eflops_hi"].astype(float) if "intelligent_eflops_hi" in nat else mid_end
    sup, basis = {"mid": [], "lo": [], "hi": []}, []
    for y in years:
        if cfg.supply_basis == "year_average" and (y - 1) in nat.index:
            for k, s in (("mid", mid_end), ("lo", lo_end), ("hi", hi_end)):
                sup[k].append((s.loc[y - 1] + s.loc[y]) / 2)
            basis.append("mean of the installed base at the start and end of the year")
        else:
            for k, s in (("mid", mid_end), ("lo", lo_end), ("hi", hi_end)):
                sup[k].append(s.loc[y])
            basis.append("installed base at year end" + (" (no earlier year in the series)"
                                                          if cfg.supply_basis == "year_average" else ""))
    # --- training: catalogued national runs by year
    tc = cfg.training
    own = runs[runs.country.isin(tc.countries) & runs.flop.notna() & runs.year.notna()]
    cat = own.groupby("year")["flop"].sum()
    cat_runs = own.groupby("year")["name"].apply(lambda s: ", ".join(sorted(s)))
    if cat.empty:
        raise InputError(f"the run catalogue has no run of {', '.join(tc.countries)} with known compute",
                         file=cfg.runs, hint="add runs with tokens and parameters, or change demand.training.countries")
    cy = np.array(cat.index, dtype=float)
    cv = cat.to_numpy(dtype=float)
    first = int(cy.min())
    if tc.series == "trend" and len(cy) >= 2:
        b, a = np.polyfit(cy, np.log(cv), 1)
        base = np.exp(a + b * years)
        first_value = float(np.exp(a + b * first))
        tbasis = [f"log-linear trend of catalogued runs {int(cy.min())}-{int(cy.max())} "
                  f"(×{np.exp(b):.2f}/yr)"] * len(years)
    else:
        lv = np.interp(years, cy, np.log(cv))
        base = np.exp(lv)
        first_value = float(cv[0])
        tbasis = ["catalogued runs (log-linear between catalogued years)"] * len(years)
    base = np.where(years < first, np.nan, base)
    tbasis = [("back-cast from the first catalogued year at the growth parameter" if y < first else t)
              for y, t in zip(years, tbasis, strict=True)]
    # --- inference: tokens path, FLOPs per token, empirical reference
    ic = cfg.inference
    tok = anchors[(anchors.subject == ic.tokens_subject) & (anchors.quantity == "tokens_per_day")]
    if tok.empty:
        raise InputError(f"no tokens_per_day anchors for subject '{ic.tokens_subject}'", file=cfg.anchors,
                         hint="add dated token-volume rows with their sources")
    path = engine.token_path(engine.fractional_year(tok.date), tok.number.to_numpy(float), years)
    fpt = np.array([engine.inference_flop_per_token(m.active_params, m.layers, m.context, m.d_attn) for m in ic.mix])
    es = ic.empirical_subject
    day_tokens = anchor_value(anchors, es, "input_tokens_per_day") + anchor_value(anchors, es, "output_tokens_per_day")
    accs = anchor_value(anchors, es, "average_nodes") * anchor_value(anchors, es, "accelerators_per_node")
    tau = day_tokens / accs
    ref_model = catalog.resolve(anchor_text(anchors, es, "accelerator"))
    peak_ref, _ = accelerator_peak(catalog, ref_model, "fp16")
    ref_active = anchor_value(anchors, es, "active_params")
    ref_mix = [m for m in ic.mix if abs(m.active_params - ref_active) / ref_active < 0.05]
    fpt_ref = (engine.inference_flop_per_token(ref_active, ref_mix[0].layers, ref_mix[0].context, ref_mix[0].d_attn)
               if ref_mix else engine.inference_flop_per_token(ref_active)) if ic.empirical_scale_by_mix else 0.0
    prepared = engine.Prepared(
        years=years, train_base=base, first_year=first, first_value=first_value, tokens=path,
        flop_per_token=fpt, flop_per_token_ref=fpt_ref, tau_ref=tau, peak_ref=peak_ref * 1e12,
        supply_mid=np.array(sup["mid"]), supply_lo=np.array(sup["lo"]), supply_hi=np.array(sup["hi"]),
        method=ic.method)
    train_by_year = pd.DataFrame({
        "year": years, "catalogued_flop": [float(cat.get(y, 0.0)) for y in years],
        "catalogued_runs": [cat_runs.get(y, "") for y in years], "base_flop": base, "basis": tbasis})
    components = pd.DataFrame({
        "year": years, "tokens_basis": path.basis, "supply_basis": basis,
        "tokens_per_accelerator_day_reference": tau, "reference_accelerator": ref_model,
        "reference_peak_tflops": peak_ref})
    return DemandInputs(prepared, components, train_by_year, basis, supply_synthetic)


def draws(cfg: DemandConfig, n: int | None = None, seed: int | None = None) -> dict[str, np.ndarray]:
    """One array per parameter, ``n`` draws (default: the edition's), reproducible from ``seed``."""
    n = n or cfg.draws
    rng = np.random.default_rng(cfg.seed if seed is None else seed)
    t, i = cfg.training, cfg.inference
    spec = {
        "train_mfu": t.mfu, "train_availability": t.availability, "experiments_multiplier": t.experiments_multiplier,
        "coverage": t.coverage, "train_backcast_growth": t.backcast_growth, "token_scale": i.token_scale,
        "token_backcast_growth": i.backcast_growth, "output_share": i.output_share, "cached_share": i.cached_share,
        "peak_to_average": i.peak_to_average, "mfu_prefill": i.mfu_prefill, "mfu_decode": i.mfu_decode,
        "inf_availability": i.availability, "empirical_scale": i.empirical_scale,
    }
    out = {k: engine.draw(*_unc_args(u), n, rng) for k, u in spec.items()}
    shares = np.column_stack([engine.draw(*_unc_args(m.share), n, rng) for m in i.mix])
    out["mix"] = shares / shares.sum(axis=1, keepdims=True)
    out["supply_u"] = rng.uniform(0, 1, n)
    return out


def central(cfg: DemandConfig) -> dict[str, np.ndarray]:
    """The central values as a single draw (the point scenario the dashboard sliders move)."""
    t, i = cfg.training, cfg.inference
    vals = {
        "train_mfu": t.mfu.value, "train_availability": t.availability.value,
        "experiments_multiplier": t.experiments_multiplier.value, "coverage": t.coverage.value,
        "train_backcast_growth": t.backcast_growth.value, "token_scale": i.token_scale.value,
        "token_backcast_growth": i.backcast_growth.value, "output_share": i.output_share.value,
        "cached_share": i.cached_share.value, "peak_to_average": i.peak_to_average.value,
        "mfu_prefill": i.mfu_prefill.value, "mfu_decode": i.mfu_decode.value,
        "inf_availability": i.availability.value, "empirical_scale": i.empirical_scale.value,
    }
    out = {k: np.array([float(v)]) for k, v in vals.items()}
    shares = np.array([[m.share.value for m in i.mix]])
    out["mix"] = shares / shares.sum()
    out["supply_u"] = np.array([0.5])
    return out


def sensitivity(cfg: DemandConfig, d: dict[str, np.ndarray], res: dict[str, np.ndarray], years: np.ndarray,
                ) -> pd.DataFrame:
    """Which parameter moves implied utilisation most: rank correlation and decile swing, per year."""
    p = dict(d)
    fpt = res["flop_per_token"][:, 0]
    p["model_mix"] = fpt
    p["supply"] = p.pop("supply_u")
    p.pop("mix")
    skip = {"empirical_scale"} if cfg.inference.method == "flops" else {"mfu_prefill", "mfu_decode"}
    rows = []
    for j, y in enumerate(years):
        u = res["implied_utilisation"][:, j]
        rho = {k: engine.spearman(v, u) for k, v in p.items() if k not in skip and np.ptp(v) > 0}
        total = sum(r * r for r in rho.values()) or 1.0
        for k, r in rho.items():
            v = p[k]
            lo_q, hi_q = np.quantile(v, [0.1, 0.9])
            swing = float(np.median(u[v >= hi_q]) - np.median(u[v <= lo_q]))
            rows.append({"year": int(y), "parameter": k, "label_zh": PARAM_LABELS[k][0], "label_en": PARAM_LABELS[k][1],
                         "spearman_rho": r, "share_of_rank_variance": r * r / total,
                         "utilisation_swing_p10_p90": swing})
    out = pd.DataFrame(rows)
    out["rank"] = out.groupby("year")["share_of_rank_variance"].rank(ascending=False, method="first").astype(int)
    return out.sort_values(["year", "rank"]).reset_index(drop=True)


def supply_table(inp: DemandInputs, summ: dict[str, np.ndarray], *, claim_year: int, claim_value: float,
                 claim_basis: str) -> pd.DataFrame:
    """demand_supply: per year, medians and 90% intervals."""
    p = inp.prepared
    cols = ["training_eflops", "inference_eflops", "demand_eflops", "supply_eflops", "implied_utilisation",
            "inference_share"]
    df = pd.DataFrame({"year": p.years})
    for c in cols:
        df[c] = summ[c]
        df[f"{c}_lo"] = summ[f"{c}_lo"]
        df[f"{c}_hi"] = summ[f"{c}_hi"]
    df["seed_claim_year"] = claim_year
    df["seed_claim_value"] = claim_value
    df["seed_claim_basis"] = claim_basis
    df["inference_method"] = p.method
    df["supply_basis"] = inp.supply_basis
    df["scope"] = ("LLM training and token inference; other AI workloads (recommendation, vision, speech) and "
                   "non-AI use of accelerators are not counted")
    df["demand_value_class"] = "modelled"
    df["supply_value_class"] = "synthetic" if inp.supply_synthetic else "stated"
    df["value_class"] = "synthetic" if inp.supply_synthetic else "modelled"
    return df
