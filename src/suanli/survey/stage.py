"""Build stage: respondent file → weights → shares with intervals → checks against the report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..edition import Edition
from ..stage import BuildContext, Stage
from .config import SurveyConfig

if TYPE_CHECKING:  # the engine is imported where the stage validates or runs (see capacity/stage.py)
    import pandas as pd

    from .data import Questionnaire, SurveyData
    from .weights import Weighting


@dataclass
class SurveyInputs:
    questionnaire: Questionnaire
    data: SurveyData
    margins: dict[str, dict[str, float]] | None
    published: pd.DataFrame | None
    synthetic: bool


def load_inputs(edition: Edition) -> SurveyInputs:
    from .data import read_margins, read_published, read_questionnaire, read_respondents

    cfg: SurveyConfig = edition.survey
    sheet = lambda name: edition.inputs[name].sheet  # noqa: E731
    qn = read_questionnaire(edition.input_path(cfg.questionnaire), sheet=sheet(cfg.questionnaire))
    data = read_respondents(edition.input_path(cfg.respondents), qn, strata=cfg.strata,
                            weight_column=cfg.weighting.design_weight, sheet=sheet(cfg.respondents))
    margins = None
    if cfg.margins and cfg.weighting.rake_on:
        margins = read_margins(edition.input_path(cfg.margins), cfg.weighting.rake_on, sheet=sheet(cfg.margins))
    published = None
    if cfg.published:
        published = read_published(edition.input_path(cfg.published), qn, sheet=sheet(cfg.published))
    names = [n for n in (cfg.respondents, cfg.questionnaire, cfg.margins, cfg.published) if n]
    synthetic = data.synthetic or any(edition.inputs[n].synthetic for n in names)
    return SurveyInputs(qn, data, margins, published, synthetic)


def run_survey(inp: SurveyInputs, cfg: SurveyConfig, *, margins_path: str = "margins") -> dict[str, pd.DataFrame]:
    """All survey tables (pure: no I/O). Keys are table names."""
    import numpy as np
    import pandas as pd

    from .estimates import check_published, estimate_all, primary_statistic, ranked_summary
    from .weights import compute_weights

    data, qn = inp.data, inp.questionnaire
    wt: Weighting = compute_weights(data, inp.margins, cfg.weighting, margins_path=margins_path)
    w = wt.final
    common = {"confidence": cfg.confidence, "method": cfg.weighted_method,
              "variance_strata": cfg.variance_strata, "top_k": cfg.top_k}
    est = estimate_all(data, w, **common)
    est["published_value"] = np.nan
    est["within_ci"] = pd.array([pd.NA] * len(est), dtype="boolean")
    checks = pd.DataFrame()
    if inp.published is not None and len(inp.published):
        checks = check_published(est, inp.published, qn.questions, cfg.top_k)
        for rec in inp.published[inp.published["check"] == "value"].to_dict("records"):
            stat = primary_statistic(qn.questions[rec["question_id"]], cfg.top_k)
            m = ((est["question_id"] == rec["question_id"]) & (est["horizon"] == rec["horizon"])
                 & (est["option_id"] == rec["option_id"]) & (est["statistic"] == stat))
            est.loc[m, "published_value"] = rec["value"]
            est.loc[m, "within_ci"] = (est.loc[m, "ci_low"] <= rec["value"]) & (rec["value"] <= est.loc[m, "ci_high"])
    by = pd.concat([estimate_all(data, w, by=b, **common) for b in cfg.by], ignore_index=True) if cfg.by else pd.DataFrame()
    ranked = [ranked_summary(data, w, qid, h, confidence=cfg.confidence, variance_strata=cfg.variance_strata,
                             top_k=cfg.top_k) for (qid, h) in data.answers if qn.questions[qid].type == "rank"]
    questions = pd.DataFrame([
        {"question_id": q.id, "figure": q.figure, "type": q.type, "horizons": ";".join(q.horizons),
         "question_zh": q.zh, "question_en": q.en, "option_id": o.id, "option_zh": o.zh, "option_en": o.en,
         "position": o.position, "max_rank": q.max_rank, "statistic": primary_statistic(q, cfg.top_k),
         "n_answered": int(max(data.answers[(q.id, h)].answered.sum() for h in q.horizons))}
        for q in qn.questions.values() for o in q.options])
    resp = data.respondents
    weights = pd.DataFrame({"respondent_id": resp["respondent_id"], **{s: resp[s] for s in data.strata},
                            "design_weight": wt.design, "raked_weight": wt.raked, "final_weight": wt.final})
    tables = {
        "survey_questions": questions,
        "survey_estimates": est,
        "survey_estimates_by_stratum": by,
        "survey_ranked": pd.concat(ranked, ignore_index=True) if ranked else pd.DataFrame(),
        "survey_checks": checks,
        "survey_weighting": wt.steps,
        "survey_margins_fit": wt.margins,
        "survey_weights": weights,
    }
    # value class: synthetic respondents make every table synthetic; from real respondents the
    # weighted shares and mean ranks are sample estimates with intervals (modelled), the rest derived
    estimates = ("survey_estimates", "survey_estimates_by_stratum", "survey_ranked")
    for name, df in tables.items():
        df["value_class"] = "synthetic" if inp.synthetic else ("modelled" if name in estimates else "derived")
    return tables


SORT_KEYS = {
    "survey_questions": ["question_id", "position"],
    "survey_estimates": ["question_id", "horizon", "statistic", "position"],
    "survey_estimates_by_stratum": ["by", "stratum", "question_id", "horizon", "statistic", "position"],
    "survey_ranked": ["question_id", "horizon", "option_id"],
    "survey_checks": ["figure", "question_id", "horizon", "option_id", "check"],
    "survey_weighting": [],
    "survey_margins_fit": ["variable", "level"],
    "survey_weights": ["respondent_id"],
}

DESCRIPTIONS = {
    "survey_questions": "Questionnaire: questions × options (zh/en), type, horizons, chart statistic",
    "survey_estimates": "Weighted shares with design-based intervals (Wilson on effective n), unweighted Wilson, "
                        "published value and whether the interval contains it",
    "survey_estimates_by_stratum": "Weighted shares with intervals within each industry / size / region",
    "survey_ranked": "Ranked questions: weighted mean rank (linearised interval), top-1 and top-k shares",
    "survey_checks": "Published values and orderings of the report vs the estimates (PASS/FAIL)",
    "survey_weighting": "Weight diagnostics per step (design, raked, trimmed): Kish n_eff, deff, convergence",
    "survey_margins_fit": "Known margins vs unweighted, design-weighted and final-weighted sample shares",
    "survey_weights": "Respondent weights: design, raked, final (trimmed)",
}


class SurveyStage(Stage):
    name = "survey"
    standalone = True  # reads no other stage's tables

    def applies(self, edition: Edition) -> bool:
        return getattr(edition, "survey", None) is not None

    def validate(self, edition: Edition) -> list[str]:
        from .weights import compute_weights

        inp = load_inputs(edition)
        cfg = edition.survey
        compute_weights(inp.data, inp.margins, cfg.weighting,
                        margins_path=str(edition.input_path(cfg.margins)) if cfg.margins else "margins")
        return [f"survey: {inp.data.n} respondents, {len(inp.questionnaire.questions)} questions"
                + (" (synthetic)" if inp.synthetic else "")]

    def run(self, ctx: BuildContext) -> None:
        from ..io.readers import read_raw_table

        ed: Edition = ctx.edition
        cfg: SurveyConfig = ed.survey
        inp = load_inputs(ed)
        for name in (cfg.respondents, cfg.questionnaire, cfg.margins, cfg.published):
            if name:
                f = ed.inputs[name]
                raw = read_raw_table(ed.input_path(name), sheet=f.sheet).frame
                ctx.store.write_input(name, raw, path=f.path, synthetic=f.synthetic, source=f.source)
        tables = run_survey(inp, cfg, margins_path=str(ed.input_path(cfg.margins)) if cfg.margins else "margins")
        inputs = [n for n in (cfg.respondents, cfg.questionnaire, cfg.margins, cfg.published) if n]
        params = cfg.model_dump()
        for name, df in tables.items():
            keys = [k for k in SORT_KEYS[name] if k in df.columns]
            if keys:
                df = df.sort_values(keys, kind="stable").reset_index(drop=True)
            ctx.store.write_table(name, df, stage=self.name, method="survey", params=params, inputs=inputs,
                                  synthetic=inp.synthetic, description=DESCRIPTIONS[name])
        chk = tables["survey_checks"]
        if len(chk):
            bad = chk[chk["verdict"] != "PASS"]
            ctx.log(f"survey: {len(chk) - len(bad)}/{len(chk)} published values and orderings reproduced"
                    + ("" if bad.empty else f"; FAIL: {', '.join(bad['question_id'] + '/' + bad['option_id'])}"))
        steps = tables["survey_weighting"]
        ctx.log(f"survey: n = {inp.data.n}, Kish n_eff = {steps['kish_n_eff'].iloc[-1]:.0f}"
                + (" (SYNTHETIC data)" if inp.synthetic else ""))


STAGE = SurveyStage()
