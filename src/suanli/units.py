"""Numbers and units as real files write them.

* Numbers: full-width digits and punctuation (NFKC), thousands separators, Chinese magnitude
  suffixes (千 = 1e3, 万 = 1e4, 百万 = 1e6, 千万 = 1e7, 亿 = 1e8, 十亿 = 1e9, 百亿 = 1e10,
  千亿 = 1e11, 万亿 = 1e12), percent strings, and the usual spellings of "missing".
* FLOPS: TFLOPS/PFLOPS/EFLOPS (and K/M/G/Z), Chinese "P" and "E" (PFLOPS, EFLOPS) with
  magnitude prefixes ("2.2万P" = 22,000 PFLOPS = 22 EFLOPS, "千P" = 1 EFLOPS), and the
  sparsity marker "*" used in datasheet tables.

Everything here is pure and vectorisable over pandas Series through :func:`parse_number_series`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

#: Spellings of a missing value (compared after NFKC + strip + lower-case).
MISSING_TOKENS = frozenset(
    {
        "", "-", "--", "—", "——", "–", "n/a", "na", "n.a.", "nan", "none", "null", "暂无", "无",
        "不详", "缺失", "…", "...", "#n/a", "#value!", "#div/0!", "?",
    }
)

#: Chinese magnitude words, longest first so that 万亿 wins over 亿.
CN_MAGNITUDES: dict[str, float] = {
    "万亿": 1e12,
    "千亿": 1e11,
    "百亿": 1e10,
    "十亿": 1e9,
    "亿": 1e8,
    "千万": 1e7,
    "百万": 1e6,
    "十万": 1e5,
    "万": 1e4,
    "千": 1e3,
    "百": 1e2,
    "十": 1e1,  # last: 十亿/十万 match first ("3十" = 30, "十P" = 10 PFLOPS)
}

_NUM_RE = re.compile(r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?$")
_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")


class UnitError(ValueError):
    """A value or unit string that cannot be read; the message says what was expected."""


def normalise_text(text: object) -> str:
    """NFKC (full-width → ASCII), strip, collapse inner whitespace."""
    if text is None:
        return ""
    if isinstance(text, float) and math.isnan(text):
        return ""
    text = text if isinstance(text, str) else str(text)
    return _normalise_short(text) if len(text) <= 200 else _normalise_str(text)


_SPACES = re.compile(r"\s+")


def _normalise_str(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = s.replace("\u3000", " ").replace("\u00a0", " ")
    return _SPACES.sub(" ", s).strip()


#: Short cells normalised once per distinct text: input files repeat the same cells (names, units,
#: answer codes) many times over and a build reads hundreds of thousands of them; long texts are not
#: kept (the memory stays bounded whatever a file holds).
_normalise_short = lru_cache(maxsize=1 << 16)(_normalise_str)


def is_missing(text: object) -> bool:
    """True for empty cells and for "—", "N/A", "-", "暂无" and the like."""
    if text is None:
        return True
    if isinstance(text, float) and math.isnan(text):
        return True
    return normalise_text(text).lower() in MISSING_TOKENS


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    percent: bool = False
    qualifier: str | None = None


_QUALIFIERS = [
    ("超过", ">"), ("突破", ">"), ("大于", ">"), ("多于", ">"), ("以上", ">="), ("不到", "<"),
    ("不足", "<"), ("以下", "<="), ("约", "~"), ("大约", "~"), ("近", "~<"), ("接近", "~<"),
    (">=", ">="), ("<=", "<="), ("≥", ">="), ("≤", "<="), (">", ">"), ("<", "<"), ("~", "~"),
    ("≈", "~"),
]


def strip_qualifier(s: str) -> tuple[str, str | None]:
    """Split a leading or trailing qualifier word off: '超过2022亿' → ('2022亿', '>')."""
    qualifier = None
    for word, q in _QUALIFIERS:
        if s.startswith(word):
            qualifier, s = q, s[len(word):].strip()
            break
    for word, q in _QUALIFIERS:
        if s.endswith(word) and word not in {">", "<", "~"}:
            qualifier, s = q, s[: -len(word)].strip()
            break
    return s, qualifier


def parse_number(text: object, *, allow_percent: bool = True) -> float | None:
    """Parse one cell into a float, or ``None`` if it spells "missing".

    >>> parse_number("2.2万"), parse_number("１，０３７．３"), parse_number("46.2%")
    (22000.0, 1037.3, 0.462)

    Raises :class:`UnitError` with a message naming what was found and what is accepted.
    """
    parsed = parse_number_full(text, allow_percent=allow_percent)
    return None if parsed is None else parsed.value


def parse_number_full(text: object, *, allow_percent: bool = True) -> ParsedNumber | None:
    if isinstance(text, bool):
        raise UnitError(f"'{text}' is a boolean, not a number")
    if isinstance(text, (int, float, np.integer, np.floating)):
        v = float(text)
        if math.isnan(v):
            return None
        if math.isinf(v):
            raise UnitError(f"'{text}' is infinite")
        return ParsedNumber(v)
    if is_missing(text):
        return None
    s, qualifier = strip_qualifier(normalise_text(text))
    percent = False
    if s.endswith("%"):
        if not allow_percent:
            raise UnitError(f"'{text}' is a percentage where a plain number is expected")
        percent, s = True, s[:-1].strip()
    mult = 1.0
    for word, m in CN_MAGNITUDES.items():
        if s.endswith(word):
            mult, s = m, s[: -len(word)].strip()
            break
    if "," in s:
        if not _THOUSANDS_RE.match(s):
            raise UnitError(
                f"'{text}' has commas that are not thousands separators "
                "(write 1,234.5 or 1234.5; a decimal comma is not accepted)"
            )
        s = s.replace(",", "")
    s = s.replace(" ", "").replace("_", "")
    m = _NUM_RE.match(s)
    if not m:
        raise UnitError(
            f"'{text}' is not a number (accepted: 1234.5, 1,234.5, full-width digits, "
            "2.2万, 3亿, 46.2%, or a missing marker such as '—' or 'N/A')"
        )
    v = float(s) * mult
    if math.isinf(v):
        raise UnitError(f"'{text}' is too large")
    if percent:
        v = v / 100.0
    return ParsedNumber(v, percent, qualifier)


def parse_number_series(values: pd.Series) -> tuple[np.ndarray, list[tuple[int, str]]]:
    """Vectorised :func:`parse_number` over a Series of cells.

    Plain numeric strings are converted in bulk by pandas; only the cells that fail the fast
    path go through the full parser. Returns the float array (NaN = missing) and a list of
    ``(position, message)`` for cells that could not be read.
    """
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(dtype=float), []
    fast = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    need = np.isnan(fast)
    errors: list[tuple[int, str]] = []
    if need.any():
        idx = np.flatnonzero(need)
        raw = values.to_numpy(dtype=object)
        for i in idx:  # only the cells that are not plain numbers
            try:
                p = parse_number(raw[i])
                fast[i] = np.nan if p is None else p
            except UnitError as exc:
                errors.append((int(i), str(exc)))
    if np.isinf(fast).any():
        for i in np.flatnonzero(np.isinf(fast)):
            errors.append((int(i), f"'{values.iloc[i]}' is infinite"))
    return fast, errors


# --------------------------------------------------------------------------------------------
# FLOPS units
# --------------------------------------------------------------------------------------------

SI_PREFIX = {"": 1.0, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18, "Z": 1e21}

#: Canonical unit names accepted by :func:`convert_flops`.
FLOPS_UNITS = {f"{p}FLOPS": f for p, f in SI_PREFIX.items()}



@dataclass(frozen=True)
class Flops:
    """A FLOP/s quantity with its sparsity basis as read from text."""

    flops: float
    sparse: bool = False
    qualifier: str | None = None

    def to(self, unit: str) -> float:
        return self.flops / flops_factor(unit)


def flops_factor(unit: str) -> float:
    """FLOP/s per one ``unit``: 'TFLOPS' → 1e12, 'P' → 1e15, 'E' → 1e18, '万P' → 1e19."""
    u = normalise_text(unit).replace(" ", "")
    if not u:
        raise UnitError("empty FLOPS unit (use TFLOPS, PFLOPS, EFLOPS, P, E, 万P or 千P)")
    mult = 1.0
    for word, m in CN_MAGNITUDES.items():
        if u.startswith(word):
            mult, u = m, u[len(word):]
            break
    up = u.upper().replace("FLOP/S", "FLOPS")
    m = re.match(r"^([KMGTPEZ]?)(FLOPS)?$", up)
    if not m or (not m.group(1) and not m.group(2)):
        raise UnitError(
            f"'{unit}' is not a FLOPS unit (use TFLOPS, PFLOPS, EFLOPS, P, E, 万P or 千P; "
            "TOPS are integer operations and are not FLOPS)"
        )
    return mult * SI_PREFIX[m.group(1)]


def convert_flops(value: float | np.ndarray, from_unit: str, to_unit: str) -> float | np.ndarray:
    """Convert between FLOPS units: ``convert_flops(2.2, '万P', 'EFLOPS') == 22.0``."""
    return value * (flops_factor(from_unit) / flops_factor(to_unit))




def parse_flops(text: object, default_unit: str | None = None) -> Flops | None:
    """Read '2.2万P', '3000P', '1.1 EFLOPS', '989.5 TFLOPS', '1,979*' (sparse) into FLOP/s.

    A bare number needs ``default_unit``; a trailing '*' marks a sparse figure (NVIDIA's
    datasheet convention) and is returned with ``sparse=True`` so the caller can refuse or
    halve it explicitly; it is never silently mixed with dense values.
    """
    if is_missing(text):
        return None
    s, qualifier = strip_qualifier(normalise_text(text))
    sparse = False
    low = s.lower()
    for marker in ("(sparse)", "sparse", "with sparsity", "稀疏"):
        if low.endswith(marker):
            sparse, s = True, s[: -len(marker)].strip()
            low = s.lower()
    if s.endswith("*"):
        sparse, s = True, s[:-1].strip()
    m = re.match(r"^([+-]?[0-9][0-9,]*(?:\.[0-9]*)?|[+-]?\.[0-9]+)\s*(.*)$", s)
    if not m:
        raise UnitError(f"'{text}' is not a FLOPS value (e.g. '989.5 TFLOPS', '2.2万P', '1.1E')")
    num = parse_number(m.group(1))
    rest = m.group(2).strip()
    if num is None:
        return None
    if not rest:
        if default_unit is None:
            raise UnitError(
                f"'{text}' has no unit; say TFLOPS, PFLOPS, EFLOPS, P or E "
                "(Chinese 'P' means PFLOPS)"
            )
        rest = default_unit
    # magnitude word may sit between number and unit: 2.2万P
    flops = num * flops_factor(rest)
    if not math.isfinite(flops):
        raise UnitError(f"'{text}' is too large to be a FLOPS figure")
    return Flops(flops, sparse, qualifier)


# --------------------------------------------------------------------------------------------
# Units of quantities (market values, compute, energy, data) with magnitude words
# --------------------------------------------------------------------------------------------

#: Magnitude words in front of a unit, longest first ("十亿美元", "万P", "百万元", "billion USD").
UNIT_MAGNITUDES: dict[str, float] = {
    **CN_MAGNITUDES,
    "billion": 1e9, "million": 1e6, "thousand": 1e3, "bn": 1e9, "mn": 1e6,
}

#: Base units: name → (base unit, factor to base, currency). A magnitude word may precede any of them.
BASE_UNITS: dict[str, tuple[str, float, str]] = {
    "美元": ("USD", 1.0, "USD"), "美金": ("USD", 1.0, "USD"), "usd": ("USD", 1.0, "USD"),
    "us$": ("USD", 1.0, "USD"), "$": ("USD", 1.0, "USD"),
    "元": ("CNY", 1.0, "CNY"), "元人民币": ("CNY", 1.0, "CNY"), "人民币": ("CNY", 1.0, "CNY"),
    "人民币元": ("CNY", 1.0, "CNY"), "cny": ("CNY", 1.0, "CNY"), "rmb": ("CNY", 1.0, "CNY"),
    "twh": ("TWh", 1.0, ""), "太瓦时": ("TWh", 1.0, ""), "gwh": ("TWh", 1e-3, ""), "千瓦时": ("TWh", 1e-9, ""),
    "kwh": ("TWh", 1e-9, ""), "度": ("TWh", 1e-9, ""),
    "zb": ("ZB", 1.0, ""), "eb": ("ZB", 1e-3, ""), "pb": ("ZB", 1e-6, ""),
}


def parse_unit(unit: object) -> tuple[str, float, str]:
    """A unit as written → (base unit, factor to it, currency); unknown units are errors.

    ``'十亿美元'`` → ('USD', 1e9, 'USD'); ``'亿元'`` → ('CNY', 1e8, 'CNY'); ``'万P'`` → ('EFLOPS', 10, '');
    ``'PFLOPS'`` → ('EFLOPS', 1e-3, ''); ``'billion USD'`` → ('USD', 1e9, 'USD'); ``'TWh'`` → ('TWh', 1, '').
    A unit that is not one of these (a typo, '十亿美圆', 'kUSD') raises :class:`UnitError`: a wrong
    factor of 1 is never assumed.
    """
    u = normalise_text(unit).replace(" ", "")
    if not u:
        raise UnitError("empty unit (write e.g. 亿美元, 十亿美元, 亿元, EFLOPS, 万P, TWh)")
    low = u.lower()
    mult = 1.0
    for word, m in sorted(UNIT_MAGNITUDES.items(), key=lambda kv: -len(kv[0])):
        if low.startswith(word) and len(low) > len(word):
            mult, low = m, low[len(word):]
            break
    if low in BASE_UNITS:
        base, f, cur = BASE_UNITS[low]
        return base, mult * f, cur
    try:
        f = flops_factor(low)
    except UnitError:
        pass
    else:
        return "EFLOPS", mult * f / 1e18, ""
    raise UnitError(
        f"'{unit}' is not a known unit (accepted: a magnitude 十/百/千/万/十万/百万/千万/亿/十亿/百亿/千亿/万亿 "
        "or billion/million in front of 元/美元/USD/CNY, FLOPS units (TFLOPS, PFLOPS, EFLOPS, P, E), TWh/千瓦时, "
        "ZB/EB/PB; e.g. 亿美元, 十亿美元, 万P)")


_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def parse_rank(text: object) -> int | None:
    """A rank as surveys write it: '1', '１', '第1', '第一', '第十', '1st', 'No.1' → 1 …; missing → None.
    Anything else raises :class:`UnitError`."""
    if is_missing(text):
        return None
    s = normalise_text(text).replace(" ", "")
    low = s.lower()
    for prefix in ("第", "no.", "no", "#", "rank"):
        if low.startswith(prefix):
            s, low = s[len(prefix):], low[len(prefix):]
            break
    for suffix in ("位", "名", "st", "nd", "rd", "th"):
        if low.endswith(suffix):
            s, low = s[: -len(suffix)], low[: -len(suffix)]
            break
    if s in _CN_DIGITS:
        return _CN_DIGITS[s]
    if len(s) == 2 and s[0] == "十" and s[1] in _CN_DIGITS:
        return 10 + _CN_DIGITS[s[1]]
    try:
        v = float(s)
    except ValueError:
        raise UnitError(f"'{text}' is not a rank (write 1, 2, 3 …; 第1 and 第一 are read as 1)") from None
    if v != int(v) or v < 1:
        raise UnitError(f"'{text}' is not a whole rank of 1 or more")
    return int(v)


def format_flops(flops: float, unit: str = "EFLOPS", digits: int = 1) -> str:
    """'1,037.3 EFLOPS' style formatting."""
    v = flops / flops_factor(unit)
    return f"{v:,.{digits}f} {unit}"


# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------

_PERIOD_RE = re.compile(
    r"^(?P<year>(?:19|20)\d\d)\s*(?:年)?\s*(?:(?P<h>[Hh]|上半年|下半年|Q|q)\s*(?P<n>[1-4])?)?$"
)


@dataclass(frozen=True)
class Period:
    """A year (``half=0``) or a half-year (``half`` 1 or 2)."""

    year: int
    half: int = 0

    @property
    def label(self) -> str:
        return f"{self.year}H{self.half}" if self.half else str(self.year)

    @property
    def midpoint(self) -> float:
        """Mid-point in fractional years: 2024 → 2024.5, 2024H1 → 2024.25, 2024H2 → 2024.75."""
        return self.year + (0.5 if self.half == 0 else (0.25 if self.half == 1 else 0.75))


def parse_period(text: object) -> Period:
    """'2024', '2024H1', '2024 h2', '2024上半年', '２０２４Ｈ１' → :class:`Period`."""
    s = normalise_text(text).replace(" ", "")
    if s.endswith(".0") and s[:-2].isdigit():
        s = s[:-2]
    m = _PERIOD_RE.match(s)
    if not m:
        raise UnitError(
            f"'{text}' is not a period (use a year such as 2024 or a half-year such as 2024H1/2024H2)"
        )
    year = int(m.group("year"))
    h = m.group("h")
    if h is None:
        return Period(year, 0)
    if h == "上半年":
        return Period(year, 1)
    if h == "下半年":
        return Period(year, 2)
    n = m.group("n")
    if h in ("Q", "q"):
        raise UnitError(f"'{text}' is a quarter; aggregate quarters to half-years or years first")
    if n not in ("1", "2"):
        raise UnitError(f"'{text}': a half-year is H1 or H2")
    return Period(year, int(n))


# --------------------------------------------------------------------------------------------
# Counts in the spellings of model cards (parameters, tokens, hours)
# --------------------------------------------------------------------------------------------

#: Count suffixes as model cards and papers write them: 405B parameters, 15.6T tokens, 2.788M hours.
#: "G" is not accepted: in this field it means GFLOPs, not a billion of anything.
COUNT_SUFFIXES: dict[str, float] = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9,
    "t": 1e12, "tn": 1e12, "trillion": 1e12, "q": 1e15, "quadrillion": 1e15,
}
_COUNT_RE = re.compile(r"^([+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]+)$")


def parse_count(text: object) -> float | None:
    """Read a count as papers and model cards spell it: '4.05e11', '405B', '15.6T', '2.788M',
    '300.6K', '70 billion', '1万亿', '6710亿', '1,000'. ``None`` for a missing marker.

    Percentages are refused (a count is not a share). Raises :class:`UnitError` naming the
    accepted spellings.
    """
    if isinstance(text, (int, float, np.integer, np.floating)) and not isinstance(text, bool):
        return parse_number(text)
    if is_missing(text):
        return None
    s = normalise_text(text)
    m = _COUNT_RE.match(s.replace(" ", "")) if s else None
    if m and m.group(2).lower() in COUNT_SUFFIXES:
        num = parse_number(m.group(1), allow_percent=False)
        if num is None:  # pragma: no cover - the regex guarantees digits
            return None
        v = num * COUNT_SUFFIXES[m.group(2).lower()]
        if math.isinf(v):
            raise UnitError(f"'{text}' is too large")
        return v
    try:
        return parse_number(s, allow_percent=False)
    except UnitError:
        raise UnitError(
            f"'{text}' is not a count (accepted: 4.05e11, 405B, 15.6T, 2.788M, 300.6K, 70 billion, "
            "1万亿, 6710亿, 1,000)"
        ) from None


# --------------------------------------------------------------------------------------------
# Quantities of sourced statements (open-data facts and anchors), for plausibility limits
# --------------------------------------------------------------------------------------------

#: Magnitudes written in English in front of a unit by the open-data tables ("100m CNY" = 亿元,
#: "10k persons" = 万人), besides the Chinese words and billion/million/thousand.
STATEMENT_MAGNITUDES: dict[str, float] = {"100m": 1e8, "10m": 1e7, "1m": 1e6, "100k": 1e5, "10k": 1e4, "1k": 1e3}
_PERSONS = frozenset({"person", "persons", "people", "人", "人口", "名", "位"})
_RATIOS = frozenset({"ratio", "x", "×", "倍", "times", "fold"})
_PERCENT = frozenset({"%", "percent", "pct", "百分比"})
_BASE_QUANTITY = {"EFLOPS": "compute_eflops", "USD": "value_usd", "CNY": "value_cny", "TWh": "energy_twh",
                  "ZB": "data_zb"}


def statement_quantity(unit: object) -> tuple[str, float]:
    """The quantity a stated value measures and the factor to its base unit, from the unit as written.

    ``'EFLOPS'``/``'P'``/``'万P'`` → ``('compute_eflops', …)`` (to EFLOPS); ``'亿元'``/``'100m CNY'`` →
    ``('value_cny', 1e8)``; ``'美元'`` → ``value_usd``; TWh/千瓦时 → ``energy_twh``; ZB/EB → ``data_zb``;
    ``'%'`` → ``('percent', 1)``; ``'10k persons'``/``'万人'`` → ``('persons', 1e4)``; ``'ratio'``/``'倍'``
    → ``ratio``; anything else is a count of things (members, centres, firms, ``'10k racks'`` →
    ``('count', 1e4)``). Used to put a plausibility limit on every value of a sourced-statement table
    whose units vary by row; never raises (a count is the fallback).
    """
    u = normalise_text(unit).replace(" ", "")
    low = u.lower()
    if not low:
        return "count", 1.0
    if low in _PERCENT:
        return "percent", 1.0
    if low in _RATIOS:
        return "ratio", 1.0
    mult = 1.0
    for word, m in sorted({**STATEMENT_MAGNITUDES, **UNIT_MAGNITUDES}.items(), key=lambda kv: -len(kv[0])):
        if low.startswith(word) and len(low) > len(word):
            mult, rest = m, low[len(word):]
            break
    else:
        rest = low
    for text, m in ((low, 1.0), (rest, mult)):
        try:
            base, f, _ = parse_unit(text)
        except UnitError:
            continue
        return _BASE_QUANTITY[base], m * f
    if rest in _PERSONS:
        return "persons", mult
    return "count", mult
