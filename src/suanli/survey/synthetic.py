"""Seeded generator of the SYNTHETIC enterprise survey shipped with the default edition.

The seed report publishes no microdata, sample size, weights or questionnaire: only a few
shares (Fig 3: 42% testing/PoC, 17% in production; Fig 14: 37% / 26% / 8% parameter bands) and
orderings (Figs 4, 10, 12, 13, 15, 16, 18). This generator builds a respondent file whose
*weighted* results reproduce them, so the whole survey pipeline (weights, raking, intervals,
checks, charts) runs end to end. It is not evidence of anything: every row says ``synthetic``.

How it works (all from one ``numpy.random.default_rng(seed)``):

1. Sample design. Strata are industry × size × region. The frame's cell shares are the product
   of the known margins (``survey_margins.csv``, themselves synthetic assumptions). Large firms
   are over-sampled (relative selection rates ``SELECTION``) and response differs by region and
   industry (``RESPONSE``); respondents are drawn cell by cell with probability ∝ frame share ×
   selection × response. The design weight is the inverse relative selection rate, scaled so the
   weights add up to the frame size ``FRAME_SIZE``; it ignores non-response, which raking fixes.
2. Weights. The pipeline's own :func:`~suanli.survey.weights.compute_weights` rakes and trims
   them, exactly as the build does, so the final weights are known before answers exist.
3. Answers. Each respondent gets latent scores (an AI-maturity factor driven by size and
   industry, plus noise). For each option the respondents with the highest scores are selected
   until the *final-weighted* share reaches the target in ``TARGETS``: published values where the
   report states them, otherwise assumed shares in the published order. Ordinal single-select
   questions cut one maturity score at weighted quantiles. The ranked question draws
   Plackett–Luce rankings (Gumbel-perturbed log-utilities ``IT_LOAD_UTILITY``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .config import SurveyConfig
from .data import Questionnaire, SurveyData
from .weights import compute_weights

DEFAULT_SEED = 2025
DEFAULT_N = 1600
FRAME_SIZE = 120_000  # enterprises represented (synthetic)

#: relative selection rate by size (large firms over-sampled)
SELECTION = {"small": 1.0, "medium": 2.0, "large": 5.0, "very_large": 10.0}
#: relative response rate by region and industry (non-response the design weights ignore)
RESPONSE_REGION = {"east": 1.0, "central": 0.8, "west": 0.7, "northeast": 0.6}
RESPONSE_INDUSTRY = {"internet": 1.3, "finance": 1.2, "telecom": 1.2, "manufacturing": 0.9, "government": 0.7,
                     "education": 1.0, "healthcare": 0.8, "energy": 0.8, "retail_services": 1.0, "other": 0.9}
#: effects on AI maturity (latent, standard-normal noise added)
MATURITY_SIZE = {"small": -0.5, "medium": 0.0, "large": 0.5, "very_large": 1.0}
MATURITY_INDUSTRY = {"internet": 1.0, "finance": 0.8, "telecom": 0.7, "manufacturing": 0.0, "government": 0.1,
                     "education": 0.0, "healthcare": -0.1, "energy": -0.1, "retail_services": 0.2, "other": -0.3}

#: Target weighted shares per (question, horizon). Published values: genai_stage testing_poc 0.42
#: and production 0.17 (Fig 3); genai_param_band b10_20 0.37, b6_10 0.26, gt_50b 0.08 (Fig 14).
#: Everything else is a SYNTHETIC assumption chosen to respect the published orderings.
TARGETS: dict[tuple[str, str], dict[str, float]] = {
    # ordinal single-select, listed from least to most mature
    ("genai_stage", "now"): {"not_considering": 0.09, "exploring": 0.18, "planning": 0.14,
                             "testing_poc": 0.42, "production": 0.17},
    ("genai_param_band", "now"): {"lt_6b": 0.18, "b6_10": 0.26, "b10_20": 0.37, "b20_50": 0.11, "gt_50b": 0.08},
    ("genai_spend_18m", "18m"): {"hardware_upgrade": 0.62, "software_platform": 0.51, "model_development": 0.47,
                                 "data_management": 0.43, "cloud_compute": 0.39, "security": 0.31,
                                 "talent": 0.27, "consulting": 0.19},
    ("ai_challenges", "now"): {"data": 0.58, "compute": 0.63, "models": 0.44, "talent": 0.49, "cost": 0.55},
    ("compute_challenges", "now"): {"architecture": 0.46, "infra_cost": 0.52, "insufficient_compute": 0.49,
                                    "scheduling": 0.37, "low_utilisation": 0.28},
    ("edge_initiatives", "now"): {"genai": 0.54, "iot_analytics": 0.47, "video_analytics": 0.44,
                                  "predictive_maintenance": 0.36, "customer_experience": 0.33,
                                  "automation": 0.30, "security": 0.27},
    ("point_tech", "now"): {"image": 0.61, "face_body": 0.55, "nlp": 0.48, "speech": 0.40, "video": 0.36,
                            "knowledge_graph": 0.25, "ar_vr": 0.14},
    ("point_tech", "3y"): {"image": 0.66, "face_body": 0.58, "nlp": 0.67, "speech": 0.47, "video": 0.45,
                           "knowledge_graph": 0.39, "ar_vr": 0.26},
    ("genai_scenarios", "now"): {"knowledge_management": 0.57, "conversational": 0.52, "content_generation": 0.47,
                                 "marketing": 0.42, "code_generation": 0.35, "data_analysis": 0.31,
                                 "digital_human": 0.22, "design": 0.18},
    ("genai_scenarios", "3y"): {"knowledge_management": 0.55, "conversational": 0.50, "content_generation": 0.53,
                                "marketing": 0.45, "code_generation": 0.48, "data_analysis": 0.44,
                                "digital_human": 0.33, "design": 0.29},
    ("genai_functions_18m", "18m"): {"customer_engagement": 0.55, "product_design": 0.48, "marketing": 0.42,
                                     "sales": 0.36, "it_operations": 0.33, "software_development": 0.30,
                                     "hr": 0.21, "finance": 0.18, "supply_chain": 0.16},
    ("ai_value", "now"): {"efficiency": 0.64, "process_time": 0.52, "new_products": 0.46, "user_experience": 0.41,
                          "insight": 0.30, "decision_support": 0.27, "cost_reduction": 0.35, "revenue_growth": 0.22},
    ("ai_value", "3y"): {"efficiency": 0.60, "process_time": 0.45, "new_products": 0.47, "user_experience": 0.44,
                         "insight": 0.52, "decision_support": 0.50, "cost_reduction": 0.33, "revenue_growth": 0.30},
}
#: Plackett–Luce utilities of the ranked IT-load question (Fig 13: video first; KG, AR/VR, image next)
IT_LOAD_UTILITY = {"video": 3.0, "knowledge_graph": 1.6, "ar_vr": 1.45, "image": 1.35, "speech": 0.8,
                   "face_body": 0.7, "nlp": 0.65}
#: ordinal single-select questions; genai_param_band is asked only of firms testing or in production
ORDINAL = ("genai_stage", "genai_param_band")
ASKED_IF = {"genai_param_band": ("genai_stage", ("testing_poc", "production"))}
#: questions written as one 0/1 column per option (the others as one delimited cell)
PER_OPTION_COLUMNS = ("ai_challenges", "compute_challenges")


@dataclass
class SyntheticSurvey:
    respondents: pd.DataFrame
    weights: np.ndarray  # final weights the answers were calibrated to


def _weighted_top(score: np.ndarray, w: np.ndarray, domain: np.ndarray, share: float) -> np.ndarray:
    """Select the highest-scoring respondents in ``domain`` until their weight reaches ``share``."""
    idx = np.flatnonzero(domain)
    order = idx[np.argsort(-score[idx], kind="stable")]
    cum = np.cumsum(w[order]) / w[idx].sum()
    # take respondent j if the cumulative weight before it is below the target (nearest crossing)
    before = cum - w[order] / w[idx].sum()
    take = (before + cum) / 2 < share
    out = np.zeros(len(score), dtype=bool)
    out[order[take]] = True
    return out


def _sample_strata(margins: dict[str, dict[str, float]], n: int, rng: np.random.Generator) -> pd.DataFrame:
    ind, siz, reg = (list(margins[v]) for v in ("industry", "size", "region"))
    ii, ss, rr = np.meshgrid(np.arange(len(ind)), np.arange(len(siz)), np.arange(len(reg)), indexing="ij")
    ii, ss, rr = ii.ravel(), ss.ravel(), rr.ravel()
    frame = (np.array([margins["industry"][x] for x in ind])[ii] * np.array([margins["size"][x] for x in siz])[ss]
             * np.array([margins["region"][x] for x in reg])[rr])
    sel = np.array([SELECTION[x] for x in siz])[ss]
    resp = np.array([RESPONSE_INDUSTRY[x] for x in ind])[ii] * np.array([RESPONSE_REGION[x] for x in reg])[rr]
    p = frame * sel * resp
    cells = rng.choice(len(p), size=n, p=p / p.sum())
    cells.sort(kind="stable")
    df = pd.DataFrame({"industry": np.array(ind)[ii[cells]], "size": np.array(siz)[ss[cells]],
                       "region": np.array(reg)[rr[cells]]})
    inv_sel = 1.0 / np.array([SELECTION[x] for x in df["size"]])
    df["design_weight"] = np.round(FRAME_SIZE * inv_sel / inv_sel.sum(), 2)
    return df


def generate(questionnaire: Questionnaire, margins: dict[str, dict[str, float]], cfg: SurveyConfig | None = None,
             *, n: int = DEFAULT_N, seed: int = DEFAULT_SEED) -> SyntheticSurvey:
    """Generate the synthetic respondent file (a DataFrame in the layout ``read_respondents`` reads)."""
    cfg = cfg or SurveyConfig()
    rng = np.random.default_rng(seed)
    df = _sample_strata(margins, n, rng)
    df.insert(0, "respondent_id", [f"S{i + 1:04d}" for i in range(n)])
    df["data_status"] = "synthetic"
    resp = df.assign(_line=np.arange(2, n + 2))
    data = SurveyData("synthetic", resp, list(cfg.strata), questionnaire)
    w = compute_weights(data, margins, cfg.weighting).final
    maturity = (df["size"].map(MATURITY_SIZE).to_numpy() + df["industry"].map(MATURITY_INDUSTRY).to_numpy()
                + rng.normal(0.0, 1.0, n))
    everyone = np.ones(n, dtype=bool)
    chosen: dict[str, np.ndarray] = {}  # single-select answers by question id
    cols: dict[str, object] = {}
    for q in questionnaire.questions.values():
        prev_score: np.ndarray | None = None
        for h in q.horizons:
            col = q.column(h)
            domain = everyone
            if q.id in ASKED_IF:
                src, allowed = ASKED_IF[q.id]
                domain = np.isin(chosen[src], allowed)
            if q.type == "rank":
                util = np.log(np.array([IT_LOAD_UTILITY[o] for o in q.option_ids]))
                u = util[None, :] + rng.gumbel(size=(n, len(util)))
                top = np.argsort(-u, axis=1)[:, : (q.max_rank or 3)]
                ids = np.array(q.option_ids)
                cols[col] = np.array([">".join(ids[r]) for r in top], dtype=object)
                continue
            target = TARGETS[(q.id, h)]
            if q.type == "single":
                # cut one score at weighted quantiles: last-listed option = highest score
                score = maturity + rng.normal(0.0, 0.5, n) if q.id in ORDINAL else rng.normal(size=n)
                ans = np.full(n, "", dtype=object)
                left = domain.copy()
                for oid in reversed(q.option_ids):
                    share_left = target[oid] / max(1e-12, sum(target[o] for o in q.option_ids[: q.option_ids.index(oid) + 1]))
                    pick = _weighted_top(score, w, left, share_left) if oid != q.option_ids[0] else left
                    ans[pick & left] = oid
                    left = left & ~pick
                chosen[q.id] = ans
                cols[col] = ans
                continue
            # multi-select: a common engagement factor, option noise, persistence across horizons
            k = len(q.options)
            base = 0.6 * maturity[:, None] + rng.normal(0.0, 1.0, (n, k))
            score = base if prev_score is None else 0.6 * prev_score + 0.8 * base
            prev_score = score
            sel = np.column_stack([_weighted_top(score[:, j], w, domain, target[o])
                                   for j, o in enumerate(q.option_ids)])
            empty = domain & ~sel.any(axis=1)
            sel[empty, np.argmax(score[empty], axis=1)] = True  # everyone who answers names at least one
            if q.id in PER_OPTION_COLUMNS:
                for j, o in enumerate(q.option_ids):
                    cols[f"{col}.{o}"] = np.where(domain, sel[:, j].astype(int).astype(str), "")
            else:
                ids = np.array(q.option_ids)
                cols[col] = np.array([";".join(ids[row]) if d else "" for row, d in zip(sel, domain, strict=True)],
                                     dtype=object)
    out = pd.concat([df, pd.DataFrame(cols)], axis=1)
    return SyntheticSurvey(out, w)
