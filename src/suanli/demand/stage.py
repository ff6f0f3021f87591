"""Build stage ``demand``: training runs and token volumes → compute demand, set against the
capacity stage's installed intelligent compute, with Monte Carlo intervals and the seed's claims."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..edition import Edition
from ..stage import BuildContext, Stage

if TYPE_CHECKING:  # the engine is imported where the stage validates or runs (see capacity/stage.py)
    import pandas as pd


def _facts(edition: Edition) -> pd.DataFrame | None:
    """The edition's stated facts (id, value, quote), if it declares them."""
    import pandas as pd

    name = edition.markets.facts if edition.markets is not None else "market_facts"
    if name not in edition.inputs:
        return None
    from ..io.readers import read_raw_table

    raw = read_raw_table(edition.input_path(name)).frame
    if not {"id", "value"} <= set(raw.columns):
        return None
    out = raw[["id", "value"] + (["quote"] if "quote" in raw.columns else [])].copy()
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    return out.dropna(subset=["value"])


def compute(edition: Edition, capacity_national: pd.DataFrame, *, n: int | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the stage (reads the edition's inputs; no store)."""
    import numpy as np
    import pandas as pd

    from ..capacity.stage import load_catalog
    from . import engine
    from .catalogue import read_anchors, read_runs, runs_table
    from .checks import run_demand_checks
    from .model import central, draws, prepare, sensitivity, supply_table

    cfg = edition.demand
    assert cfg is not None
    catalog = load_catalog(edition)
    values = read_runs(edition.input_path(cfg.runs))
    anchors = read_anchors(edition.input_path(cfg.anchors))
    runs = runs_table(values, catalog, default_mfu=cfg.training.mfu.value, edition=edition)
    cap = edition.capacity
    synthetic = bool(cap is not None and cap.shipments in edition.inputs and edition.inputs[cap.shipments].synthetic)
    inp = prepare(cfg, runs, anchors, capacity_national, catalog, supply_synthetic=synthetic)
    d = draws(cfg, n)
    res = engine.simulate(inp.prepared, d)
    summ = engine.summarise(res)
    claim = cfg.inference_share_claim
    ds = supply_table(inp, summ, claim_year=claim.year, claim_value=claim.value, claim_basis=claim.basis)
    years = inp.prepared.years
    vclass = "synthetic" if synthetic else "modelled"
    # training by year
    tby = inp.train_by_year.copy()
    tby["national_flop"] = summ["training_flop"]
    tby["national_flop_lo"] = summ["training_flop_lo"]
    tby["national_flop_hi"] = summ["training_flop_hi"]
    tby["value_class"] = "modelled"
    # tokens and FLOPs per token
    tok = pd.DataFrame({"year": years, "tokens_per_day": summ["tokens_per_day"],
                        "tokens_per_day_lo": summ["tokens_per_day_lo"], "tokens_per_day_hi": summ["tokens_per_day_hi"],
                        "flop_per_token": summ["flop_per_token"], "flop_per_token_lo": summ["flop_per_token_lo"],
                        "flop_per_token_hi": summ["flop_per_token_hi"], "basis": inp.components["tokens_basis"],
                        "value_class": "modelled"})
    # the two inference methods side by side
    meth = pd.DataFrame({"year": years})
    for k in ("inference_flops_method_eflops", "inference_empirical_method_eflops"):
        meth[k] = summ[k]
        meth[f"{k}_lo"] = summ[f"{k}_lo"]
        meth[f"{k}_hi"] = summ[f"{k}_hi"]
    meth["reference_tokens_per_accelerator_day"] = inp.prepared.tau_ref
    meth["reference_accelerator"] = inp.components["reference_accelerator"]
    meth["used_in_demand_supply"] = cfg.inference.method
    meth["value_class"] = "modelled"
    # inference share next to the original report's claim
    share = pd.DataFrame({"year": years, "inference_share": summ["inference_share"],
                          "inference_share_lo": summ["inference_share_lo"],
                          "inference_share_hi": summ["inference_share_hi"], "basis": "share of compute demand "
                          "(peak FP16-equivalent capacity occupied), LLM workloads only", "source": "suanli model",
                          "value_class": "modelled"})
    facts = _facts(edition)
    if claim.year not in set(years):
        # the claim's words as the facts input quotes them (its id alone when it has no quote)
        quote = ""
        if facts is not None and "quote" in facts:
            q = facts.loc[facts["id"] == claim.fact, "quote"].dropna()
            quote = f": {q.iloc[0]}" if len(q) else ""
        share = pd.concat([share, pd.DataFrame([{
            "year": claim.year, "inference_share": claim.value, "inference_share_lo": np.nan,
            "inference_share_hi": np.nan, "basis": claim.basis, "source": f"original report ({claim.fact}){quote}",
            "value_class": "stated"}])], ignore_index=True)
    # central scenario (what the dashboard sliders start from) and the parameters
    cres = engine.simulate(inp.prepared, central(cfg))
    cen = pd.DataFrame({"year": years, **{k: cres[k][0] for k in (
        "training_eflops", "inference_eflops", "demand_eflops", "supply_eflops", "implied_utilisation",
        "inference_share", "tokens_per_day", "flop_per_token")}, "value_class": vclass})
    params = _parameters(cfg)
    sens = sensitivity(cfg, d, res, years)
    sens["value_class"] = vclass
    mcfg = edition.markets
    checks = run_demand_checks(runs, anchors, facts, approx_band=mcfg.verbal.approx_band if mcfg else 0.10,
                               warn_band=mcfg.verbal.warn_band if mcfg else 0.25)
    values_out = values.drop(columns=["_line"]).rename(columns={"number": "value_number"})
    values_out["value_class"] = np.where(values_out.status == "derived", "derived", "stated")
    anchors_out = anchors.drop(columns=["_line"]).rename(columns={"number": "value_number"})
    anchors_out["value_class"] = np.where(anchors_out.status == "derived", "derived", "stated")
    return {
        "demand_supply": ds, "demand_runs": runs.sort_values(["year", "run"]).reset_index(drop=True),
        "demand_run_values": values_out.sort_values(["run", "field"]).reset_index(drop=True),
        "demand_anchors": anchors_out.sort_values("id").reset_index(drop=True),
        "demand_training": tby, "demand_tokens": tok, "demand_inference_methods": meth,
        "demand_inference_share": share, "demand_central": cen, "demand_parameters": params,
        "demand_sensitivity": sens, "demand_checks": checks,
    }


def _parameters(cfg) -> pd.DataFrame:
    import pandas as pd

    from .model import PARAM_LABELS

    t, i = cfg.training, cfg.inference
    spec = [("train_mfu", t.mfu), ("train_availability", t.availability),
            ("experiments_multiplier", t.experiments_multiplier), ("coverage", t.coverage),
            ("train_backcast_growth", t.backcast_growth), ("token_scale", i.token_scale),
            ("token_backcast_growth", i.backcast_growth), ("output_share", i.output_share),
            ("cached_share", i.cached_share), ("peak_to_average", i.peak_to_average), ("mfu_prefill", i.mfu_prefill),
            ("mfu_decode", i.mfu_decode), ("inf_availability", i.availability), ("empirical_scale", i.empirical_scale)]
    rows = [{"parameter": k, "label_zh": PARAM_LABELS[k][0], "label_en": PARAM_LABELS[k][1], "value": u.value,
             "low": u.low, "high": u.high, "dist": u.dist, "source": u.source, "value_class": "modelled"}
            for k, u in spec]
    for j, m in enumerate(i.mix):
        rows.append({"parameter": f"mix_share_{j}", "label_zh": f"模型结构占比：{m.name}",
                     "label_en": f"model mix share: {m.name}", "value": m.share.value, "low": m.share.low,
                     "high": m.share.high, "dist": m.share.dist,
                     "source": f"{m.share.source}; {m.source}; active {m.active_params:.3g}, context {m.context:g}",
                     "value_class": "modelled"})
    return pd.DataFrame(rows)


DESCRIPTIONS = {
    "demand_supply": "compute demand (LLM training + token inference) against installed FP16-equivalent supply, "
                     "medians and 90% Monte Carlo intervals",
    "demand_runs": "sourced catalogue of notable training runs with derived compute, hours, MFU and energy",
    "demand_run_values": "every catalogue value with source, date, quote, kind of source, confidence and status",
    "demand_anchors": "token volumes, production figures and architectures with their sources",
    "demand_training": "national training compute per year: catalogued runs, trend, national estimate",
    "demand_tokens": "token volume per day by year and FLOPs per token of the model mix",
    "demand_inference_methods": "inference demand by FLOPs/MFU and by measured tokens per accelerator-day",
    "demand_inference_share": "inference share of compute demand next to the original report's claim",
    "demand_central": "the central scenario (all parameters at their central values)",
    "demand_parameters": "the uncertain parameters: central value, range, distribution, source",
    "demand_sensitivity": "which parameter moves implied utilisation most (rank correlation, decile swing)",
    "demand_checks": "the original report's demand-side claims recomputed on each basis, with verdicts",
}


class DemandStage(Stage):
    name = "demand"

    def applies(self, edition: Edition) -> bool:
        return edition.demand is not None and edition.capacity is not None

    def validate(self, edition: Edition) -> list[str]:
        from ..capacity.stage import load_catalog
        from .catalogue import read_anchors, read_runs, runs_table

        cfg = edition.demand
        assert cfg is not None
        values = read_runs(edition.input_path(cfg.runs))
        anchors = read_anchors(edition.input_path(cfg.anchors))
        runs = runs_table(values, load_catalog(edition))
        return [f"demand: {len(runs)} training runs ({len(values)} sourced values), {len(anchors)} anchors"]

    def run(self, ctx: BuildContext) -> None:
        ed = ctx.edition
        cfg = ed.demand
        assert cfg is not None
        nat = ctx.store.read_table("capacity_national")
        tables = compute(ed, nat)
        for inp in (cfg.runs, cfg.anchors):
            f = ed.inputs[inp]
            ctx.store.write_input(inp, tables["demand_run_values" if inp == cfg.runs else "demand_anchors"],
                                  path=f.path, synthetic=f.synthetic, source=f.source)
        params = cfg.model_dump(mode="json")
        runs_in, anchors_in = f"input_{cfg.runs}", f"input_{cfg.anchors}"
        catalog_in = ["catalog_accelerators"] if "catalog_accelerators" in ctx.store.provenance else []
        supply_in = [runs_in, anchors_in, "capacity_national", *catalog_in]
        inputs = {
            "demand_supply": supply_in, "demand_central": supply_in, "demand_sensitivity": supply_in,
            "demand_runs": [runs_in, *catalog_in], "demand_run_values": [runs_in], "demand_anchors": [anchors_in],
            "demand_training": [runs_in, *catalog_in], "demand_tokens": [anchors_in],
            "demand_inference_methods": [runs_in, anchors_in, *catalog_in],
            "demand_inference_share": [runs_in, anchors_in, *catalog_in], "demand_parameters": [],
            "demand_checks": [runs_in, anchors_in],
        }
        for name, df in tables.items():
            ctx.store.write_table(
                name, df, stage=self.name, method="demand identities (6·N·D, 2·N per token, MFU) + Monte Carlo",
                params=params, inputs=inputs[name], description=DESCRIPTIONS[name])
        ds = tables["demand_supply"].set_index("year")
        last = int(ds.index.max())
        ctx.log(f"demand: {last} demand {ds.loc[last, 'demand_eflops']:,.1f} EFLOPS "
                f"({ds.loc[last, 'demand_eflops_lo']:,.1f}-{ds.loc[last, 'demand_eflops_hi']:,.1f}), implied "
                f"utilisation {ds.loc[last, 'implied_utilisation']:.1%}, inference share "
                f"{ds.loc[last, 'inference_share']:.0%}")


STAGE = DemandStage()
