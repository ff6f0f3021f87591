"""Survey weights: design weights → raking (iterative proportional fitting) → trimming.

Raking adjusts the design weights d_i so that the weighted share of every level of every raking
variable equals its known population share. One sweep visits the variables in turn and multiplies
the weights of level ℓ of variable v by  target_vℓ / current_vℓ; sweeps repeat until the largest
|weighted share − target| is below ``tol`` (Deming & Stephan 1940). The weight total is kept.

Trimming caps weights to [min_ratio, max_ratio] × mean weight by *bounded raking*: the raking
sweeps continue with the weights clipped to the caps after every sweep, so the untrimmed weights
absorb the adjustment (at most ``max_iter × max_rounds`` sweeps); the report says whether both
the caps and the margins hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from .config import WeightingConfig
from .data import SurveyData


@dataclass
class RakeResult:
    weights: np.ndarray
    iterations: int
    converged: bool
    max_error: float
    history: list[float] = field(default_factory=list)  # max |share − target| after each sweep


def kish_n_eff(w: np.ndarray) -> float | np.ndarray:
    """Kish's effective sample size (Σw)² / Σw² (over the last axis)."""
    w = np.asarray(w, dtype=float)
    return w.sum(axis=-1) ** 2 / (w**2).sum(axis=-1)


def _shares(w: np.ndarray, codes: np.ndarray, levels: int) -> np.ndarray:
    return np.bincount(codes, weights=w, minlength=levels) / w.sum()


def rake(
    w0: np.ndarray,
    codes: list[np.ndarray],
    targets: list[np.ndarray],
    *,
    max_iter: int = 200,
    tol: float = 1e-8,
    bounds: tuple[float, float] | None = None,
    total: float | None = None,
) -> RakeResult:
    """Iterative proportional fitting of ``w0`` to marginal ``targets``.

    ``codes[v]`` holds each respondent's level index (0..L_v−1) of variable v and ``targets[v]``
    the L_v population shares (summing to 1). Every level with a positive target must have at
    least one respondent (checked by the caller, which knows the file names).

    ``bounds=(lo, hi)`` clips the weights after every sweep (bounded raking, used for trimming):
    the other weights absorb the adjustment, so caps and margins can hold together.
    """
    w = np.asarray(w0, dtype=float).copy()
    total = w.sum() if total is None else float(total)  # the weight total raking keeps
    history: list[float] = []
    tg = [np.asarray(t, dtype=float) for t in targets]
    err = max((np.abs(_shares(w, c, len(t)) - t).max() for c, t in zip(codes, tg, strict=True)), default=0.0)
    if err <= tol:
        return RakeResult(w, 0, True, float(err), [float(err)])
    for it in range(1, max_iter + 1):
        for c, t in zip(codes, tg, strict=True):
            cur = np.bincount(c, weights=w, minlength=len(t)) / total
            factor = np.divide(t, cur, out=np.zeros_like(t), where=cur > 0)
            w *= factor[c]
        if bounds is not None:
            np.clip(w, bounds[0], bounds[1], out=w)
        err = max(np.abs(_shares(w, c, len(t)) - t).max() for c, t in zip(codes, tg, strict=True))
        history.append(float(err))
        if err <= tol:
            return RakeResult(w, it, True, float(err), history)
    return RakeResult(w, max_iter, False, float(err), history)


@dataclass
class Weighting:
    """Final weights and the diagnostics of each step."""

    design: np.ndarray
    raked: np.ndarray
    final: np.ndarray
    steps: pd.DataFrame  # one row per step: design, raked, trimmed
    margins: pd.DataFrame  # variable, level, target, unweighted, design, final
    converged: bool
    messages: list[str] = field(default_factory=list)


def weight_summary(w: np.ndarray) -> dict[str, float]:
    n = len(w)
    ne = float(kish_n_eff(w))
    return {"n": n, "sum_w": float(w.sum()), "min_w": float(w.min()), "max_w": float(w.max()),
            "max_over_mean": float(w.max() / w.mean()), "cv": float(w.std() / w.mean()),
            "kish_n_eff": ne, "kish_deff": n / ne}


def encode_margins(data: SurveyData, margins: dict[str, dict[str, float]], variables: list[str],
                   margins_path: str = "margins") -> tuple[list[np.ndarray], list[np.ndarray], list[list[str]]]:
    """Level codes of each respondent and target arrays; errors for levels that do not match."""
    codes, targets, names = [], [], []
    problems: list[Problem] = []
    df = data.respondents
    for v in variables:
        levels = list(margins[v])
        index = {lv: i for i, lv in enumerate(levels)}
        vals = df[v].to_numpy()
        c = np.array([index.get(x, -1) for x in vals], dtype=np.int64)
        for pos in np.flatnonzero(c < 0)[:10]:
            problems.append(Problem(f"{v} '{vals[pos]}' has no population share in the margins", data.path,
                                    int(df["_line"].iloc[pos]), v,
                                    f"known {v} levels: {', '.join(levels)}; add it to {margins_path} or fix the cell"))
        t = np.array([margins[v][lv] for lv in levels])
        counts = np.bincount(c[c >= 0], minlength=len(levels))
        for i, lv in enumerate(levels):
            if t[i] > 0 and counts[i] == 0:
                problems.append(Problem(f"{v} = {lv} has population share {t[i]:.1%} but no respondents; "
                                        "raking cannot reach it", margins_path, None, v,
                                        "merge the level with a neighbour or drop it from rake_on"))
            if t[i] == 0 and counts[i] > 0:
                problems.append(Problem(f"{v} = {lv} has {counts[i]} respondents but population share 0",
                                        margins_path, None, v, "give the level its population share"))
        codes.append(c)
        targets.append(t)
        names.append(levels)
    if problems:
        raise InputError(problems=problems)
    return codes, targets, names


def compute_weights(data: SurveyData, margins: dict[str, dict[str, float]] | None, cfg: WeightingConfig,
                    *, margins_path: str = "margins") -> Weighting:
    """Design weights → raked → trimmed (and re-raked) weights with diagnostics."""
    d = data.design_weight.astype(float)
    steps = [{"step": "design", **weight_summary(d), "iterations": 0, "converged": True, "max_margin_error": np.nan}]
    msgs: list[str] = []
    if not cfg.rake_on or margins is None:
        steps[0]["max_margin_error"] = np.nan
        return Weighting(d, d, d, pd.DataFrame(steps), pd.DataFrame(), True, ["no raking configured"])
    codes, targets, names = encode_margins(data, margins, cfg.rake_on, margins_path)
    design_err = max(np.abs(_shares(d, c, len(t)) - t).max() for c, t in zip(codes, targets, strict=True))
    steps[0]["max_margin_error"] = float(design_err)
    res = rake(d, codes, targets, max_iter=cfg.max_iter, tol=cfg.tol)
    raked = res.weights
    steps.append({"step": "raked", **weight_summary(raked), "iterations": res.iterations,
                  "converged": res.converged, "max_margin_error": res.max_error})
    msgs.append(f"raking {'converged' if res.converged else 'did NOT converge'} after {res.iterations} sweeps "
                f"(max margin error {res.max_error:.2e})")
    final, converged = raked, res.converged
    if cfg.trim is not None:
        m = d.sum() / len(d)  # the mean weight is fixed by the total raking keeps
        lo, hi = cfg.trim.min_ratio * m, cfg.trim.max_ratio * m
        w, iters, ok = raked, 0, bool(raked.min() >= lo * (1 - 1e-9) and raked.max() <= hi * (1 + 1e-9))
        if not ok:
            r = rake(np.clip(raked, lo, hi), codes, targets, max_iter=cfg.max_iter * cfg.trim.max_rounds,
                     tol=cfg.tol, bounds=(lo, hi), total=d.sum())
            w, iters, ok = r.weights, r.iterations, r.converged
        err = max(np.abs(_shares(w, c, len(t)) - t).max() for c, t in zip(codes, targets, strict=True))
        converged = ok and err <= cfg.tol
        steps.append({"step": "trimmed", **weight_summary(w), "iterations": iters, "converged": converged,
                      "max_margin_error": float(err)})
        msgs.append(f"trimming to [{cfg.trim.min_ratio:g}, {cfg.trim.max_ratio:g}] × mean weight (bounded raking): "
                    f"{'caps and margins hold' if converged else 'caps and margins could not both be met'}")
        final = w
    n = len(d)
    rows = []
    for v, c, t, levels in zip(cfg.rake_on, codes, targets, names, strict=True):
        un = np.bincount(c, minlength=len(t)) / n
        ds, fs = _shares(d, c, len(t)), _shares(final, c, len(t))
        cnt = np.bincount(c, minlength=len(t))
        for i, lv in enumerate(levels):
            rows.append({"variable": v, "level": lv, "n": int(cnt[i]), "target": float(t[i]), "unweighted": float(un[i]),
                         "design_weighted": float(ds[i]), "final_weighted": float(fs[i]),
                         "abs_error": float(abs(fs[i] - t[i]))})
    return Weighting(d, raked, final, pd.DataFrame(steps), pd.DataFrame(rows), converged, msgs)
