"""Shares with confidence intervals, for unweighted and weighted survey data.

Estimators (formulas in ``docs/survey.md``):

* unweighted share p̂ = x / n with the Wilson score interval (statsmodels ``proportion_confint``);
* weighted share p̂_w = Σ w_i y_i / Σ w_i (a ratio estimator) with a design-based interval: the
  Wilson interval evaluated at an *effective sample size* n_eff instead of n, where
  - ``kish``: n_eff = (Σw)² / Σw² (Kish's design effect of unequal weighting), or
  - ``linearised``: n_eff = p̂(1−p̂) / v̂(p̂), v̂ the Taylor-linearised (with-replacement,
    stratified) variance of the ratio estimator; this also captures the correlation between
    weights and answers and the gain from stratification.

All numerical cores work on arrays of shape (..., n): a leading axis can be the options of a
multi-select question or the replicates of a simulation, so coverage studies run vectorised.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .data import HORIZONS, Question, SurveyData

METHODS = ("linearised", "kish")


def z_value(confidence: float) -> float:
    from scipy.stats import norm  # imported when used: a build that reuses the survey stage never loads it

    return float(norm.ppf(0.5 + confidence / 2))


def wilson_interval(count, nobs, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval; ``count`` and ``nobs`` may be arrays and non-integer (effective) sizes.

    Returns NaN where ``nobs`` is 0.
    """
    count = np.asarray(count, dtype=float)
    nobs = np.asarray(nobs, dtype=float)
    ok = nobs > 0
    safe_n = np.where(ok, nobs, 1.0)
    safe_c = np.clip(np.where(ok, count, 0.0), 0.0, safe_n)
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(safe_c, safe_n, alpha=1 - confidence, method="wilson")
    lo = np.where(ok, np.clip(lo, 0.0, 1.0), np.nan)
    hi = np.where(ok, np.clip(hi, 0.0, 1.0), np.nan)
    return lo, hi


def collapse_singletons(codes: np.ndarray) -> np.ndarray:
    """Variance strata with one respondent cannot give a variance: pool them with each other
    (and, if only one is left, with the largest stratum). Returns codes 0..H−1."""
    codes = np.asarray(codes)
    _, inv, cnt = np.unique(codes, return_inverse=True, return_counts=True)
    single = cnt[inv] == 1
    if single.any():
        inv = inv.copy()
        pooled = cnt.size  # a new code
        if single.sum() == 1:
            pooled = int(np.argmax(cnt))
        inv[single] = pooled
        _, inv = np.unique(inv, return_inverse=True)
    return inv


def weighted_mean(y: np.ndarray, w: np.ndarray, domain: np.ndarray | None = None) -> np.ndarray:
    """Σ d w y / Σ d w over the last axis (d = domain indicator)."""
    y = np.asarray(y, dtype=float)
    wd = np.broadcast_to(np.asarray(w, dtype=float), y.shape)
    if domain is not None:
        wd = wd * domain
    tot = wd.sum(axis=-1)
    return np.divide((wd * np.nan_to_num(y)).sum(axis=-1), tot, out=np.full(tot.shape, np.nan), where=tot > 0)


def linearised_variance(
    y: np.ndarray, w: np.ndarray, strata: np.ndarray | None = None, domain: np.ndarray | None = None
) -> np.ndarray:
    """Taylor-linearised variance of the weighted mean (ratio estimator) Σ d w y / Σ d w.

    With-replacement approximation within variance strata h:
        v = Σ_h n_h/(n_h−1) Σ_{i∈h} (z_i − z̄_h)²,   z_i = d_i w_i (y_i − ȳ) / Σ d w,
    where d_i marks the domain (subpopulation); respondents outside it contribute z_i = 0, which
    is the correct domain variance (not a conditional-on-n one).
    """
    y = np.asarray(y, dtype=float)
    w = np.asarray(w, dtype=float)
    n = y.shape[-1]
    d = np.ones(y.shape, dtype=float) if domain is None else np.broadcast_to(domain, y.shape).astype(float)
    wd = np.broadcast_to(w, y.shape) * d
    tot = wd.sum(axis=-1, keepdims=True)
    ybar = weighted_mean(y, w, None if domain is None else domain)[..., None]
    z = np.divide(wd * (np.nan_to_num(y) - np.nan_to_num(ybar)), tot, out=np.zeros(y.shape), where=tot > 0)
    codes = np.zeros(n, dtype=np.int64) if strata is None else collapse_singletons(strata)
    H = int(codes.max()) + 1
    nh = np.bincount(codes, minlength=H).astype(float)
    onehot = np.zeros((n, H))
    onehot[np.arange(n), codes] = 1.0
    s1 = z @ onehot
    s2 = (z * z) @ onehot
    ss = s2 - s1 * s1 / nh
    factor = np.where(nh > 1, nh / np.maximum(nh - 1, 1), 0.0)
    return np.maximum((ss * factor).sum(axis=-1), 0.0)


def share_interval(
    y: np.ndarray,
    w: np.ndarray | None = None,
    *,
    strata: np.ndarray | None = None,
    domain: np.ndarray | None = None,
    confidence: float = 0.95,
    method: str = "linearised",
) -> dict[str, np.ndarray]:
    """Share of ``y`` (0/1, shape (..., n)) with its interval.

    ``w=None`` → unweighted share with the Wilson interval (n_eff = n). Otherwise the weighted
    share with the Wilson interval on n_eff from ``method`` (``linearised`` or ``kish``).
    Returns share, ci_low, ci_high, se, n (domain size), n_eff, deff and the method label.
    """
    y = np.asarray(y, dtype=float)
    dom = np.ones(y.shape, dtype=bool) if domain is None else np.broadcast_to(np.asarray(domain, dtype=bool), y.shape)
    n = dom.sum(axis=-1).astype(float)
    if w is None:
        x = (y * dom).sum(axis=-1)
        p = np.divide(x, n, out=np.full(n.shape, np.nan), where=n > 0)
        lo, hi = wilson_interval(x, n, confidence)
        se = np.sqrt(np.divide(p * (1 - p), n, out=np.full(n.shape, np.nan), where=n > 0))
        return {"share": p, "ci_low": lo, "ci_high": hi, "se": se, "n": n, "n_eff": n,
                "deff": np.ones(n.shape), "method": "wilson"}
    if method not in METHODS:
        raise ValueError(f"unknown weighted method {method!r}; use {', '.join(METHODS)}")
    w = np.asarray(w, dtype=float)
    wd = np.broadcast_to(w, y.shape) * dom
    p = weighted_mean(y, w, dom)
    kish = np.divide(wd.sum(axis=-1) ** 2, (wd**2).sum(axis=-1), out=np.zeros(n.shape), where=n > 0)
    if method == "kish":
        n_eff = kish
        var = np.divide(p * (1 - p), n_eff, out=np.full(n.shape, np.nan), where=n_eff > 0)
    else:
        var = linearised_variance(y, w, strata, dom)
        pq = p * (1 - p)
        # p̂ = 0 or 1 gives v̂ = 0: fall back to Kish's n_eff so the Wilson interval stays informative
        n_eff = np.where((var > 0) & (pq > 0), np.divide(pq, var, out=np.zeros(n.shape), where=var > 0), kish)
    lo, hi = wilson_interval(p * n_eff, n_eff, confidence)
    deff = np.divide(n, n_eff, out=np.full(n.shape, np.nan), where=n_eff > 0)
    return {"share": p, "ci_low": lo, "ci_high": hi, "se": np.sqrt(var), "n": n, "n_eff": n_eff,
            "deff": deff, "method": f"wilson-{method}"}


def mean_interval(y: np.ndarray, w: np.ndarray, *, strata=None, domain=None, confidence: float = 0.95):
    """Weighted mean over a domain with a normal interval from the linearised variance."""
    m = weighted_mean(y, w, domain)
    se = np.sqrt(linearised_variance(y, w, strata, domain))
    z = z_value(confidence)
    return m, m - z * se, m + z * se, se


# --------------------------------------------------------------------------------------------
# Question-level tables
# --------------------------------------------------------------------------------------------


def primary_statistic(q: Question, top_k: int) -> str:
    """The statistic charts and ordering checks use: ``share``, or ``top{k}`` for ranked questions."""
    return f"top{min(top_k, q.max_rank or top_k)}" if q.type == "rank" else "share"


def _indicators(q: Question, ans, top_k: int) -> list[tuple[str, np.ndarray]]:
    """(statistic, y of shape (k, n)) pairs for a question."""
    if q.type != "rank":
        return [("share", ans.selected.T.astype(float))]
    r = ans.ranks.T
    k = min(top_k, q.max_rank or top_k)
    out = [("top1", (r == 1).astype(float))]
    if k > 1:
        out.append((f"top{k}", (r <= k).astype(float)))
    return out


def _answer_blocks(
    data: SurveyData,
    weights: np.ndarray | None,
    qid: str,
    horizon: str,
    *,
    confidence: float,
    method: str,
    codes: np.ndarray | None,
    top_k: int,
    subset: np.ndarray | None = None,
) -> list[dict[str, object]]:
    """The columns of :func:`estimate_answers`, one block (column → scalar or array) per statistic."""
    ans = data.get(qid, horizon)
    q = ans.question
    dom = ans.answered if subset is None else ans.answered & subset
    blocks = []
    for stat, y in _indicators(q, ans, top_k):
        wt = share_interval(y, weights, strata=codes, domain=dom[None, :], confidence=confidence, method=method) \
            if weights is not None else None
        un = share_interval(y, None, domain=dom[None, :], confidence=confidence)
        main = wt if wt is not None else un
        sel = (y * dom).sum(axis=-1)
        share = main["share"]
        # order: 1 = largest share (ties share the better position); 0 where there is no share
        order = pd.Series(share).rank(ascending=False, method="min").fillna(0).to_numpy()
        blocks.append({
            "question_id": q.id, "figure": q.figure, "question_zh": q.zh, "question_en": q.en, "type": q.type,
            "horizon": horizon, "horizon_zh": HORIZONS[horizon][0], "horizon_en": HORIZONS[horizon][1],
            "option_id": [o.id for o in q.options], "option_zh": [o.zh for o in q.options],
            "option_en": [o.en for o in q.options], "position": [o.position for o in q.options],
            "statistic": stat, "share": share, "ci_low": main["ci_low"], "ci_high": main["ci_high"],
            "se": main["se"], "n": main["n"].astype(int), "n_selected": sel.astype(int), "n_eff": main["n_eff"],
            "deff": main["deff"], "method": main["method"],
            "share_unweighted": un["share"], "ci_low_unweighted": un["ci_low"], "ci_high_unweighted": un["ci_high"],
            "order": order.astype(int),
        })
    return blocks


def _frame(blocks: list[dict[str, object]]) -> pd.DataFrame:
    """One DataFrame of column blocks (a scalar stands for the block's every row).

    Built once, column by column: a DataFrame per question and statistic, then concatenated, cost
    about 1.5 ms a block, most of the survey stage's estimating time (266 blocks a build)."""
    if not blocks:
        return pd.DataFrame()
    sizes = [len(b["option_id"]) for b in blocks]  # type: ignore[arg-type]
    cols: dict[str, object] = {}
    for c in blocks[0]:
        parts = [b[c] if isinstance(b[c], (list, np.ndarray)) else [b[c]] * k
                 for b, k in zip(blocks, sizes, strict=True)]
        if all(isinstance(x, np.ndarray) for x in parts):
            cols[c] = np.concatenate(parts)  # type: ignore[arg-type]
        else:
            cols[c] = [v for x in parts for v in x]  # type: ignore[union-attr]
    return pd.DataFrame(cols)


def estimate_answers(
    data: SurveyData,
    weights: np.ndarray | None,
    qid: str,
    horizon: str,
    *,
    confidence: float = 0.95,
    method: str = "linearised",
    variance_strata: Sequence[str] = (),
    top_k: int = 3,
    subset: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per (option, statistic): weighted share and interval, plus the unweighted Wilson ones."""
    return _frame(_answer_blocks(data, weights, qid, horizon, confidence=confidence, method=method,
                                 codes=_strata_codes(data, variance_strata), top_k=top_k, subset=subset))


def ranked_summary(
    data: SurveyData, weights: np.ndarray | None, qid: str, horizon: str, *, confidence: float = 0.95,
    variance_strata: Sequence[str] = (), top_k: int = 3,
) -> pd.DataFrame:
    """Ranked question: weighted mean rank (among respondents who ranked the option), top-1 and top-k shares."""
    ans = data.get(qid, horizon)
    q = ans.question
    if q.type != "rank":
        raise ValueError(f"question {qid} is not a ranked question")
    w = np.ones(data.n) if weights is None else weights
    codes = _strata_codes(data, variance_strata)
    r = ans.ranks.T  # (k, n)
    ranked = ~np.isnan(r) & ans.answered[None, :]
    m, lo, hi, se = mean_interval(np.nan_to_num(r), w, strata=codes, domain=ranked, confidence=confidence)
    k = min(top_k, q.max_rank or top_k)
    shares = {s: share_interval(y, w, strata=codes, domain=ans.answered[None, :], confidence=confidence)["share"]
              for s, y in (("top1", (r == 1).astype(float)), ("topk", (r <= k).astype(float)))}
    df = pd.DataFrame({
        "question_id": q.id, "figure": q.figure, "horizon": horizon, "option_id": q.option_ids,
        "option_zh": [o.zh for o in q.options], "option_en": [o.en for o in q.options],
        "mean_rank": m, "ci_low": lo, "ci_high": hi, "se": se, "n_ranked": ranked.sum(axis=-1),
        "top1_share": shares["top1"], "topk_share": shares["topk"], "k": k,
    })
    df["order"] = df["topk_share"].rank(ascending=False, method="min").astype(int)
    return df


def _strata_codes(data: SurveyData, cols: Sequence[str]) -> np.ndarray | None:
    if not cols:
        return None
    # the same "a|b" keys as joining each row, built column-wise (a row-wise join cost seconds per build)
    parts = [data.respondents[c].astype(str) for c in cols]
    key = parts[0].str.cat(parts[1:], sep="|") if len(parts) > 1 else parts[0]
    return pd.factorize(key, sort=True)[0]


def estimate_all(
    data: SurveyData, weights: np.ndarray | None, *, confidence: float = 0.95, method: str = "linearised",
    variance_strata: Sequence[str] = (), top_k: int = 3, by: str | None = None,
) -> pd.DataFrame:
    """Estimates for every question × horizon; with ``by``, one block per level of that stratum
    (columns ``by`` and ``stratum`` first)."""
    codes = _strata_codes(data, variance_strata)  # the same for every question
    common = {"confidence": confidence, "method": method, "codes": codes, "top_k": top_k}
    blocks: list[dict[str, object]] = []
    for (qid, h) in data.answers:
        if by is None:
            blocks += _answer_blocks(data, weights, qid, h, **common)
            continue
        vals = data.respondents[by].to_numpy()
        for level in sorted(set(vals)):
            blocks += [{"by": by, "stratum": level, **b}
                       for b in _answer_blocks(data, weights, qid, h, subset=vals == level, **common)]
    return _frame(blocks)


def check_published(estimates: pd.DataFrame, published: pd.DataFrame, questions: dict[str, Question],
                    top_k: int) -> pd.DataFrame:
    """Verdict (PASS/FAIL) for every published value or ordering against the estimates."""
    rows = []
    est = estimates.set_index(["question_id", "horizon", "statistic", "option_id"])
    for rec in published.to_dict("records"):
        q = questions[rec["question_id"]]
        stat = primary_statistic(q, top_k)
        key = (rec["question_id"], rec["horizon"], stat, rec["option_id"])
        e = est.loc[key]
        out = {"figure": rec["figure"], "question_id": rec["question_id"], "horizon": rec["horizon"],
               "option_id": rec["option_id"], "option_zh": e["option_zh"], "option_en": e["option_en"],
               "statistic": stat, "check": rec["check"], "estimate": e["share"], "ci_low": e["ci_low"],
               "ci_high": e["ci_high"], "estimated_order": int(e["order"]), "published_value": rec["value"],
               "published_rank_low": rec["rank_low"], "published_rank_high": rec["rank_high"],
               "source": rec["source"], "quote": rec["quote"]}
        chk = rec["check"]
        if chk == "value":
            ok = bool(e["ci_low"] <= rec["value"] <= e["ci_high"])
            detail = (f"published {rec['value']:.1%}; estimate {e['share']:.1%} "
                      f"[{e['ci_low']:.1%}, {e['ci_high']:.1%}]")
        elif chk == "rank":
            ok = int(e["order"]) == int(rec["rank_low"])
            detail = f"published position {int(rec['rank_low'])}; estimated position {int(e['order'])}"
        elif chk == "rank_set":
            ok = rec["rank_low"] <= e["order"] <= rec["rank_high"]
            detail = (f"published position {int(rec['rank_low'])}–{int(rec['rank_high'])}; "
                      f"estimated position {int(e['order'])}")
        else:  # increase
            other = est.loc[(rec["question_id"], rec["compare_horizon"], stat, rec["option_id"])]
            ok = bool(e["share"] > other["share"])
            detail = (f"{rec['horizon']} {e['share']:.1%} vs {rec['compare_horizon']} {other['share']:.1%}: "
                      f"published says it rises")
        out["verdict"] = "PASS" if ok else "FAIL"
        out["detail"] = detail
        rows.append(out)
    return pd.DataFrame(rows)
