"""Verbal quantities: 两倍, 翻番, 六倍, 近三分之一, 四十多个, 近六成, 增长N倍.

:func:`parse_verbal` maps a printed phrase to a :class:`Verbal` value with its readings. 增长N倍
is ambiguous (grows *to* N× or *by* N×, i.e. (N+1)×); :class:`VerbalConfig.growth_reading`
decides which readings are checked ("to", "by" or "both": the first is primary, the other is
reported as an ambiguity). :func:`band_verdict` grades a recomputed value against a verbal one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..units import normalise_text

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9, "十": 10, "半": 0.5}


@dataclass
class VerbalConfig:
    """How loose words are read and graded."""

    approx_band: float = 0.10  # |rel. error| within this → APPROX
    warn_band: float = 0.25  # within this → WARN, beyond → FAIL
    growth_reading: str = "both"  # 增长N倍: "to" (N×), "by" ((N+1)×) or "both"


@dataclass
class Verbal:
    value: float
    kind: str  # multiple | fraction | count
    qualifier: str = ""
    alternatives: list[float] = field(default_factory=list)  # other admissible readings
    text: str = ""


def cn_numeral(s: str) -> float | None:
    """'六' → 6, '十' → 10, '十二' → 12, '二十' → 20, '四十' → 40, '两' → 2; digits pass through."""
    s = normalise_text(s)
    if not s:
        return None
    try:
        return float(s.replace(",", ""))
    except ValueError:
        pass
    if all(c in DIGITS for c in s):
        if "十" in s:
            a, _, b = s.partition("十")
            tens = DIGITS[a] if a else 1
            ones = DIGITS[b] if b else 0
            return float(tens * 10 + ones)
        if len(s) == 1:
            return float(DIGITS[s])
    return None


_FRACTION = re.compile(r"^(近|约|接近)?([一二两三四五六七八九十]+)分之([一二两三四五六七八九十]+)$")
_CHENG = re.compile(r"^(近|约|接近)?([一二两三四五六七八九十]+)成$")


def parse_verbal(printed: object, unit: object = "", quote: object = "",
                 cfg: VerbalConfig | None = None) -> Verbal | None:
    """Read a verbal quantity; None when ``printed`` is a plain number or not understood."""
    cfg = cfg or VerbalConfig()
    p = normalise_text(printed)
    u = normalise_text(unit)
    q = normalise_text(quote)
    if not p:
        return None
    try:
        float(p.replace(",", "").replace("%", ""))
        return None  # a printed number is not verbal
    except ValueError:
        pass
    if p in ("翻番", "翻一番"):
        return Verbal(2.0, "multiple", "~", text=p)
    if p == "翻两番":
        return Verbal(4.0, "multiple", "~", text=p)
    if p in ("一半", "近一半"):
        return Verbal(0.5, "fraction", "~<" if p.startswith("近") else "~", text=p)
    m = _FRACTION.match(p)
    if m:
        den, num = cn_numeral(m.group(2)), cn_numeral(m.group(3))
        if den and num is not None:
            return Verbal(num / den, "fraction", "~<" if m.group(1) in ("近", "接近") else "", text=p)
    m = _CHENG.match(p)
    if m:
        n = cn_numeral(m.group(2))
        if n is not None:
            return Verbal(n / 10, "fraction", "~<" if m.group(1) in ("近", "接近") else "", text=p)
    n = cn_numeral(p)
    if n is None:
        return None
    if u == "成":
        return Verbal(n / 10, "fraction", "~<" if re.search(r"近|接近", q) else "", text=p)
    if u == "倍" or "倍" in q:
        ambiguous = bool(re.search(r"增长\S{0,2}倍|增加\S{0,2}倍|倍增长|增长了", q)) and "翻" not in q
        if ambiguous and cfg.growth_reading == "by":
            return Verbal(n + 1, "multiple", "~", [n], text=p)
        if ambiguous and cfg.growth_reading == "both":
            return Verbal(n, "multiple", "~", [n + 1], text=p)
        return Verbal(n, "multiple", "~", text=p)
    return Verbal(n, "count", "", text=p)


def band_verdict(stated: float, recomputed: float, cfg: VerbalConfig | None = None) -> tuple[str, float]:
    """APPROX within ``approx_band``, WARN within ``warn_band``, FAIL beyond; returns (verdict, rel)."""
    cfg = cfg or VerbalConfig()
    rel = (recomputed - stated) / abs(stated) if stated else float("nan")
    a = abs(rel)
    if a <= cfg.approx_band:
        return "APPROX", rel
    if a <= cfg.warn_band:
        return "WARN", rel
    return "FAIL", rel
