"""Interval arithmetic on printed precision.

A printed ``190`` stands for any value in [189.5, 190.5]; ``36.2`` (%) for [36.15, 36.25].
Comparisons between a stated rate and one recomputed from rounded levels are done on these
intervals, so ``190 → 259`` agrees with ``+36.2%`` (recomputed range [35.70, 36.94] contains
36.2) although the point value is 36.32%.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..units import normalise_text

_NUMERIC = re.compile(r"^[+-]?[\d,]*\.?\d+(?:[eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Interval:
    """A closed interval [lo, hi] (lo may be -inf, hi may be +inf)."""

    lo: float
    hi: float

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            object.__setattr__(self, "lo", self.hi)
            object.__setattr__(self, "hi", self.lo)

    @classmethod
    def point(cls, v: float) -> Interval:
        return cls(v, v)

    @property
    def mid(self) -> float:
        if math.isinf(self.lo) or math.isinf(self.hi):
            return self.lo if math.isinf(self.hi) else self.hi
        return (self.lo + self.hi) / 2

    def contains(self, v: float, rel_tol: float = 1e-12) -> bool:
        pad = rel_tol * max(abs(v), 1.0)
        return self.lo - pad <= v <= self.hi + pad

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def __add__(self, o: Interval | float) -> Interval:
        o = _iv(o)
        return Interval(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, o: Interval | float) -> Interval:
        o = _iv(o)
        return Interval(self.lo - o.hi, self.hi - o.lo)

    def __mul__(self, o: Interval | float) -> Interval:
        o = _iv(o)
        c = [_mul(a, b) for a in (self.lo, self.hi) for b in (o.lo, o.hi)]
        return Interval(min(c), max(c))

    def __truediv__(self, o: Interval | float) -> Interval:
        o = _iv(o)
        if o.lo <= 0 <= o.hi:
            raise ZeroDivisionError("interval division by an interval containing 0")
        return self * Interval(1 / o.hi, 1 / o.lo)

    def __pow__(self, p: float) -> Interval:
        if self.lo < 0:
            raise ValueError("power of an interval with negative values")
        a, b = self.lo ** p, self.hi ** p
        return Interval(min(a, b), max(a, b))

    def scale(self, k: float) -> Interval:
        return self * k


def _mul(a: float, b: float) -> float:
    if (a == 0 and math.isinf(b)) or (b == 0 and math.isinf(a)):
        return 0.0
    return a * b


def _iv(x: Interval | float) -> Interval:
    return x if isinstance(x, Interval) else Interval.point(float(x))


def decimals_of(printed: object) -> int | None:
    """Decimal places of a printed number: '1,037.3' → 1, '190' → 0; None if not numeric."""
    s = normalise_text(printed).replace("%", "").strip()
    if not s or not _NUMERIC.match(s):
        return None
    if "e" in s.lower():
        return None
    return len(s.split(".", 1)[1]) if "." in s else 0


def printed_interval(value: float, decimals: int | None) -> Interval:
    """The values that print as ``value`` with ``decimals`` places (half a unit either side)."""
    if decimals is None:
        return Interval.point(value)
    half = 0.5 * 10.0 ** (-decimals)
    return Interval(value - half, value + half)


def agrees(stated: Interval, recomputed: Interval) -> bool:
    """Rounding-aware agreement: the two intervals share at least one value."""
    return stated.overlaps(recomputed)


def rel_error(stated: float, recomputed: float) -> float:
    """(recomputed - stated) / |stated|; NaN when stated is 0."""
    if stated == 0:
        return float("nan")
    return (recomputed - stated) / abs(stated)
