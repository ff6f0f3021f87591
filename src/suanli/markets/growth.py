"""Growth maths. Rates are fractions (0.462 for 46.2%); windows are whole years.

Scalar functions accept floats or numpy arrays. :class:`Derived` records a derived value with
its formula and inputs, and its bounds when an input carries a qualifier (``>``, ``<`` …):
every function is monotone in each argument, so bounds propagate through the endpoints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .rounding import Interval

ArrayLike = float | np.ndarray


def _check_years(years: ArrayLike) -> None:
    if np.any(np.asarray(years) <= 0):
        raise ValueError("a growth window needs a positive number of years")


def cagr(start: ArrayLike, end: ArrayLike, years: ArrayLike) -> ArrayLike:
    """Compound annual growth rate: (end/start)^(1/years) - 1."""
    _check_years(years)
    start, end = np.asarray(start, float), np.asarray(end, float)
    if np.any(start <= 0) or np.any(end < 0):
        raise ValueError("CAGR needs a positive start and a non-negative end")
    out = (end / start) ** (1.0 / np.asarray(years, float)) - 1.0
    return float(out) if np.ndim(out) == 0 else out


def implied_end(start: ArrayLike, rate: ArrayLike, years: ArrayLike) -> ArrayLike:
    """start · (1 + rate)^years."""
    out = np.asarray(start, float) * (1.0 + np.asarray(rate, float)) ** np.asarray(years, float)
    return float(out) if np.ndim(out) == 0 else out


def implied_start(end: ArrayLike, rate: ArrayLike, years: ArrayLike) -> ArrayLike:
    """end / (1 + rate)^years (back-cast of an unpublished base year)."""
    out = np.asarray(end, float) / (1.0 + np.asarray(rate, float)) ** np.asarray(years, float)
    return float(out) if np.ndim(out) == 0 else out


def interpolate(start: ArrayLike, end: ArrayLike, years: ArrayLike, at: ArrayLike) -> ArrayLike:
    """Geometric interpolation: the value ``at`` years after the start on a constant-growth path."""
    _check_years(years)
    s, e = np.asarray(start, float), np.asarray(end, float)
    out = s * (e / s) ** (np.asarray(at, float) / np.asarray(years, float))
    return float(out) if np.ndim(out) == 0 else out


def yoy(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Year-on-year growth of a yearly series (first element NaN)."""
    v = np.asarray(values, float)
    out = np.full(v.shape, np.nan)
    out[1:] = v[1:] / v[:-1] - 1.0
    return out


def multiple(start: ArrayLike, end: ArrayLike) -> ArrayLike:
    """end / start ("x times")."""
    out = np.asarray(end, float) / np.asarray(start, float)
    return float(out) if np.ndim(out) == 0 else out


def multiple_from_rate(rate: ArrayLike, years: ArrayLike) -> ArrayLike:
    out = (1.0 + np.asarray(rate, float)) ** np.asarray(years, float)
    return float(out) if np.ndim(out) == 0 else out


def share(part: ArrayLike, total: ArrayLike) -> ArrayLike:
    """part / total as a fraction."""
    out = np.asarray(part, float) / np.asarray(total, float)
    return float(out) if np.ndim(out) == 0 else out


# -- interval versions (bounds propagate) ------------------------------------------------------

def cagr_iv(start: Interval, end: Interval, years: float) -> Interval:
    """CAGR increases with ``end`` and decreases with ``start``."""
    if end.lo <= 0 or np.isinf(start.hi):
        lo = -1.0
    else:
        lo = (end.lo / start.hi) ** (1 / years) - 1
    hi = (end.hi / start.lo) ** (1 / years) - 1 if start.lo > 0 else float("inf")
    return Interval(lo, hi)


def implied_start_iv(end: Interval, rate: Interval, years: float) -> Interval:
    return Interval(end.lo / (1 + rate.hi) ** years, end.hi / (1 + rate.lo) ** years)


def implied_end_iv(start: Interval, rate: Interval, years: float) -> Interval:
    return Interval(start.lo * (1 + rate.lo) ** years, start.hi * (1 + rate.hi) ** years)


def multiple_iv(start: Interval, end: Interval) -> Interval:
    return end / start


def multiple_from_rate_iv(rate: Interval, years: float) -> Interval:
    return Interval((1 + rate.lo) ** years, (1 + rate.hi) ** years)


@dataclass
class Derived:
    """A derived number with its bounds, formula and the ids of its inputs."""

    value: float
    lo: float
    hi: float
    formula: str
    inputs: list[str] = field(default_factory=list)
    method: str = ""

    @property
    def interval(self) -> Interval:
        return Interval(self.lo, self.hi)

    @property
    def bound(self) -> str:
        """'lower' / 'upper' when one side is open, '' otherwise."""
        if np.isinf(self.hi) and not np.isinf(self.lo):
            return "lower"
        if np.isinf(self.lo) and not np.isinf(self.hi):
            return "upper"
        return ""


def qualifier_interval(value: float, qualifier: str, *, approx_band: float = 0.05,
                       near_band: float = 0.10, base: Interval | None = None) -> Interval:
    """Turn a qualified value into an interval.

    ``>``/``>=`` → [v, inf); ``<``/``<=`` → (-inf, v]; ``~`` → v·(1 ± approx_band);
    ``~<`` (近/接近, "nearly") → [v·(1 - near_band), v]; '' → the rounding interval ``base``.
    """
    b = base if base is not None else Interval.point(value)
    q = (qualifier or "").strip()
    if q in (">", ">="):
        return Interval(b.lo, float("inf"))
    if q in ("<", "<="):
        return Interval(float("-inf"), b.hi)
    if q == "~":
        return Interval(min(b.lo, value * (1 - approx_band)), max(b.hi, value * (1 + approx_band)))
    if q == "~<":
        return Interval(min(b.lo, value * (1 - near_band)), b.hi)
    return b
