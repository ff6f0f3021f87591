"""Number and unit formatting, one function per quantity and language.

Every number the report prints goes through here, so a claim repeated in several places is the
same string (rounding is decided once, from the printed precision). Chinese uses 万/亿 scales
(79.5亿美元, 2.2万P); English uses thousands separators and bn/mn (USD 7.95 bn, 22 EFLOPS).

Rounding is half-away-from-zero on the decimal value (as printed reports do), not Python's
banker's rounding: 0.125 → "0.13".
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

LANGS = ("zh", "en")


def round_half_up(x: float, decimals: int) -> float:
    """Round like a printed report: 2.25 → 2.3 (decimal half-up on the shortest repr)."""
    if x is None or not math.isfinite(x):
        return x
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


def number(x: float | None, decimals: int = 1, *, sep: bool = True) -> str:
    """1037.305 → '1,037.3'. None/NaN → '—'."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    v = round_half_up(float(x), decimals)
    if v == 0:
        v = 0.0  # no '-0.0'
    return f"{v:,.{decimals}f}" if sep else f"{v:.{decimals}f}"


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def sci(x: float | None, digits: int = 3) -> str:
    """3.15e23 → '3.15×10²³' (``digits`` significant digits), as a report prints a large count
    such as training FLOP. None/NaN → '—'."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    mant, _, exp = f"{float(x):.{digits - 1}e}".partition("e")
    return f"{mant}×10{str(int(exp)).translate(_SUPERSCRIPT)}"


def listing(items: list[str], lang: str = "zh") -> str:
    """Names as a sentence lists them: 北京、上海、广东 on a Chinese page, "Beijing, Shanghai and
    Guangdong" on an English one."""
    items = [str(x) for x in items]
    if lang == "zh" or len(items) < 2:
        return "、".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def pct(frac: float | None, decimals: int = 1, *, signed: bool = False) -> str:
    """0.462 → '46.2%'."""
    if frac is None or not math.isfinite(frac):
        return "—"
    s = number(frac * 100, decimals)
    if signed and not s.startswith("-") and s != number(0, decimals):
        s = "+" + s
    return s + "%"


def eflops(x: float | None, lang: str = "zh", decimals: int = 1) -> str:
    """Compute in EFLOPS: '1,037.3 EFLOPS' in both languages (the report prints it that way)."""
    return f"{number(x, decimals)} EFLOPS"


def pflops_wan(x_eflops: float | None, lang: str = "zh", decimals: int = 1) -> str:
    """City-scale compute: zh '2.2万P' (万 PFLOPS), en '22 EFLOPS'. Input in EFLOPS."""
    if x_eflops is None or not math.isfinite(x_eflops):
        return "—"
    if lang == "zh":
        p = x_eflops * 1000.0
        if abs(p) >= 1e4:
            return f"{number(p / 1e4, decimals)}万P"
        return f"{number(p, 0)}P"
    d = max(decimals - 1, 0)  # 2.2万P = 22 EFLOPS: the same precision, one place less
    return f"{number(x_eflops, d)} EFLOPS"


def usd(x_usd: float | None, lang: str = "zh", decimals: int = 1) -> str:
    """Money in US dollars. zh in 亿美元 ('79.5亿美元'), en in bn ('USD 7.95 bn').

    ``decimals`` is the precision in the Chinese unit (亿 = 1e8). English keeps the same
    precision: 1e9 is ten times 亿, so it prints one more decimal place.
    """
    if x_usd is None or not math.isfinite(x_usd):
        return "—"
    if lang == "zh":
        if abs(x_usd) >= 1e12:
            return f"{number(x_usd / 1e12, decimals + 1)}万亿美元"
        return f"{number(x_usd / 1e8, decimals)}亿美元"
    if abs(x_usd) >= 1e9 or x_usd == 0:
        return f"USD {number(x_usd / 1e9, decimals + 1)} bn"
    return f"USD {number(x_usd / 1e6, max(decimals - 2, 0))} mn"


def usd_unit(lang: str) -> tuple[float, str]:
    """(divisor, unit label) for a money axis."""
    return (1e8, "亿美元") if lang == "zh" else (1e9, "USD bn")


def twh(x: float | None, lang: str = "zh", decimals: int = 1) -> str:
    """Energy: zh '77.7太瓦时' (as the original report prints it; chart axes add '（TWh）' once), en '77.7 TWh'."""
    if lang == "zh":
        return f"{number(x, decimals)}太瓦时"
    return f"{number(x, decimals)} TWh"


def count(x: float | None, lang: str = "zh") -> str:
    """Counts of devices: zh uses 万 above 10,000 ('63.2万'), en thousands separators."""
    if x is None or not math.isfinite(x):
        return "—"
    if lang == "zh" and abs(x) >= 1e4:
        if abs(x) >= 1e8:
            return f"{number(x / 1e8, 2)}亿"
        return f"{number(x / 1e4, 1)}万"
    return number(x, 0)


def year_range(a: int, b: int, lang: str = "zh") -> str:
    return f"{a}-{b}年" if lang == "zh" else f"{a}-{b}"


def rank_ordinal(r: int, lang: str = "zh") -> str:
    if lang == "zh":
        return f"第{r}位"
    suf = "th" if 10 <= r % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(r % 10, "th")
    return f"{r}{suf}"


def value(x: float | None, unit: str, lang: str = "zh", decimals: int = 1) -> str:
    """Format by unit name: EFLOPS, USD, TWh, %, share (fraction), count; else number + unit."""
    u = (unit or "").strip()
    ul = u.lower()
    if ul == "eflops":
        return eflops(x, lang, decimals)
    if ul in ("usd", "us$", "美元"):
        return usd(x, lang, decimals)
    if u == "亿美元":
        return usd(None if x is None else x * 1e8, lang, decimals)
    if ul == "twh" or u == "太瓦时":
        return twh(x, lang, decimals)
    if ul in ("share", "fraction"):
        return pct(x, decimals)
    if u == "%":
        return f"{number(x, decimals)}%"
    if ul in ("count", "units"):
        return count(x, lang)
    return f"{number(x, decimals)} {u}".strip()
