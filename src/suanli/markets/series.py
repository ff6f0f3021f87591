"""Observation store: facts tables → typed observations → yearly market series.

One observation per stated number: metric, region, segment, year or window, value in base
units (USD, CNY, EFLOPS, TWh, ZB; rates and shares as fractions), its rounding/qualifier
interval, kind (actual, estimate, forecast, target, plan, derived), qualifier, the printed
value and unit, edition and source. Reads ``facts.csv`` of the seed as it is.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..io.readers import Column, Schema, apply_schema, read_raw_table
from ..limits import LIMITS, limit, over_limit_hint
from ..units import UnitError, normalise_text, parse_number, parse_unit
from . import growth
from .config import MarketsConfig
from .registry import METRICS, NATIONAL_REGIONS, classify, is_previous_edition_claim
from .rounding import Interval, decimals_of, printed_interval
from .verbal import VerbalConfig, parse_verbal

FACTS_SCHEMA = Schema("market facts", [
    Column("id", "str", allow_missing=False, aliases=("fact_id", "编号")),
    Column("value", "str", aliases=("数值",)),
    Column("unit", "str", aliases=("单位",)),
    Column("kind", "str", allow_missing=False, aliases=("类型",)),
    Column("year", "str", required=False, aliases=("年份",)),
    Column("period", "str", required=False, aliases=("window", "期间")),
    Column("region", "str", required=False, aliases=("地区",)),
    Column("segment", "str", required=False, aliases=("细分",)),
    Column("metric_zh", "str", required=False),
    Column("metric_en", "str", required=False),
    Column("section", "str", required=False),
    Column("quote", "str", required=False, aliases=("source_quote",)),
    Column("value_original", "str", required=False, aliases=("printed",)),
    Column("unit_original", "str", required=False, aliases=("printed_unit",)),
    Column("qualifier", "str", required=False),
    Column("source_line", "str", required=False),
    Column("duplicate_of", "str", required=False),
    Column("notes", "str", required=False),
    Column("edition", "str", required=False),
    Column("source_url", "str", required=False, aliases=("source",)),
], key=None)

KINDS_IN = {"actual", "estimate", "forecast", "target", "plan", "cagr", "share", "ratio", "count", "derived"}
LEVEL_KINDS = {"actual", "estimate", "forecast", "target", "plan"}

#: unit → (base unit, factor to base, currency)
UNITS: dict[str, tuple[str, float, str]] = {
    "USD": ("USD", 1.0, "USD"), "美元": ("USD", 1.0, "USD"), "万美元": ("USD", 1e4, "USD"),
    "亿美元": ("USD", 1e8, "USD"), "亿美金": ("USD", 1e8, "USD"),
    "CNY": ("CNY", 1.0, "CNY"), "元": ("CNY", 1.0, "CNY"), "万元": ("CNY", 1e4, "CNY"),
    "亿元": ("CNY", 1e8, "CNY"), "亿元人民币": ("CNY", 1e8, "CNY"),
    "EFLOPS": ("EFLOPS", 1.0, ""), "PFLOPS": ("EFLOPS", 1e-3, ""), "P": ("EFLOPS", 1e-3, ""),
    "TWh": ("TWh", 1.0, ""), "太瓦时": ("TWh", 1.0, ""), "ZB": ("ZB", 1.0, ""),
}

OBS_COLUMNS = [
    "obs_id", "metric", "region", "segment", "quantity", "year", "start_year", "end_year", "value", "lo", "hi",
    "unit", "currency", "printed", "printed_unit", "decimals", "verbal", "kind", "qualifier", "edition", "role",
    "method", "inputs", "formula", "duplicate_of", "source", "file", "line", "section", "quote", "metric_zh",
    "metric_en", "notes",
]

_WINDOW = re.compile(r"^(?:FY)?(\d{4})\s*[-–~至]\s*(?:FY)?(\d{4})$")
_YEAR = re.compile(r"(\d{4})")
_QUOTE_MULT = re.compile(r"([一二两三四五六七八九十]+)倍")


def parse_window(text: str) -> tuple[int, int] | None:
    m = _WINDOW.match(normalise_text(text).replace(" ", ""))
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    return (a, b) if b > a else None


@dataclass
class Facts:
    """Observations of one or more facts files (stated rows only)."""

    obs: pd.DataFrame
    files: list[str]


def _quantity(kind: str, unit: str) -> str:
    if kind == "cagr":
        return "rate"
    if kind == "share":
        return "share"
    if kind == "ratio" and unit in ("x", "倍"):
        return "multiple"
    if kind in LEVEL_KINDS:
        return "level"
    return "other"


def read_facts(path: str | Path, cfg: MarketsConfig, *, edition: str | None = None,
               default_role: str = "current") -> pd.DataFrame:
    """Read a facts table (seed ``facts.csv`` or ``facts_external.csv`` layout) into observations.

    Raises :class:`InputError` naming file, row and column for: unreadable values, a rate without
    a window, a share over 100%, a negative market size, a series mixing currencies without an
    exchange rate in ``markets.fx``.
    """
    raw = read_raw_table(path)
    df = apply_schema(raw, FACTS_SCHEMA)
    vcfg = VerbalConfig(cfg.verbal.approx_band, cfg.verbal.warn_band, cfg.verbal.growth_reading)
    tol = cfg.tolerances
    problems: list[Problem] = []
    rows = []
    fname = raw.path  # the file, and the worksheet of a workbook
    for rec in df.to_dict("records"):
        rec = {k: ("" if v is None or (isinstance(v, float) and math.isnan(v)) else v) for k, v in rec.items()}
        line = int(rec["_line"])
        fid = rec["id"]
        kind = rec["kind"].strip().lower()
        unit = rec["unit"].strip()
        region = rec.get("region", "") or ""
        if kind not in KINDS_IN:
            problems.append(Problem(f"unknown kind '{rec['kind']}'", fname, line, "kind",
                                    f"use one of {', '.join(sorted(KINDS_IN))}"))
            continue
        if unit == "date" or unit == "calendar year":
            value = float("nan")
        else:
            try:
                v = parse_number(rec["value"])
                value = float("nan") if v is None else v
            except UnitError as exc:
                problems.append(Problem(str(exc), fname, line, "value", "write a plain number in base units"))
                continue
        quantity = _quantity(kind, unit)
        cls = classify(fid, region)
        metric, segment = cls if cls else ("", rec.get("segment", "") or "")
        if quantity == "level" and not cls:
            quantity = "other"
        if is_previous_edition_claim(fid, rec.get("metric_en", ""), rec.get("metric_zh", "")):
            role = "claim_previous"
        else:
            role = default_role
        ed = rec.get("edition") or edition or cfg.edition_label
        if rec.get("edition") and rec["edition"] != cfg.edition_label:
            role = "previous"
        printed = rec.get("value_original") or rec["value"]
        printed_unit = rec.get("unit_original") or unit
        qual = (rec.get("qualifier") or "").strip()
        verbal = parse_verbal(printed, printed_unit, rec.get("quote", ""), vcfg)
        if verbal is None and quantity == "multiple" and not rec.get("value_original"):
            mq = _QUOTE_MULT.search(rec.get("quote", "") or "")
            if mq:  # external rows: the quote says 两倍 where the value column says 2
                verbal = parse_verbal(mq.group(1), "倍", rec["quote"], vcfg)
                printed = mq.group(1)
        dec = decimals_of(printed)
        year = _YEAR.search(rec.get("year", "") or "")
        yr = int(year.group(1)) if year else None
        start = end = None
        base_unit, factor, currency = unit, 1.0, ""
        lo = hi = value
        if quantity == "rate":
            w = parse_window(rec.get("period", "") or "")
            if w is None and fid.split("__")[0] not in cfg.unstated_windows and fid not in cfg.unstated_windows:
                problems.append(Problem(
                    f"growth rate {rec['value']}{unit} has no window", fname, line, "period",
                    "give the years it spans, e.g. 2023-2028 (one year: 2024-2025); if the source really "
                    "does not say, list the id under markets.unstated_windows"))
                continue
            if w:
                start, end = w
            f = 0.01 if unit == "%" else 1.0
            pnum = _num(printed)
            iv = printed_interval(pnum, dec) if (dec is not None and pnum is not None) else Interval.point(value)
            value, iv = value * f, iv.scale(f)
            iv = growth.qualifier_interval(value, qual, approx_band=tol.approx_qualifier,
                                           near_band=tol.near_qualifier, base=iv)
            lo, hi = iv.lo, iv.hi
            base_unit = "fraction"
            if _implausible(problems, abs(value), "facts.growth_rate", f"growth rate {rec['value']}{unit}",
                            fname, line):
                continue
        elif quantity == "share":
            f = 0.01 if unit == "%" else 1.0
            if not math.isnan(value) and value * f > 1.0 + 1e-9:
                problems.append(Problem(f"share {rec['value']}{unit} is over 100%", fname, line, "value",
                                        "a share of a total cannot exceed 100%; check the unit or the figure"))
                continue
            w = parse_window(rec.get("period", "") or "")
            iv = printed_interval(value, dec if (dec is not None and verbal is None) else None)
            value, iv = value * f, iv.scale(f)
            iv = growth.qualifier_interval(value, qual, approx_band=tol.approx_qualifier,
                                           near_band=tol.near_qualifier, base=iv)
            lo, hi = iv.lo, iv.hi
            base_unit = "fraction"
        elif quantity == "multiple":
            w = parse_window(rec.get("period", "") or "")
            if w:
                start, end = w
            iv = printed_interval(value, dec) if verbal is None else Interval.point(value)
            lo, hi = iv.lo, iv.hi
            if _implausible(problems, value, "facts.multiple", f"multiple {rec['value']}{unit}", fname, line):
                continue
        else:
            conv = UNITS.get(unit) or UNITS.get(unit.replace(" ", ""))
            if conv is None and unit:
                try:  # magnitude words with any currency, compute, energy or data unit: 十亿美元, 万P
                    conv = parse_unit(unit)
                except UnitError as exc:
                    if quantity == "level":  # a market size or capacity needs a known factor: never 1 by default
                        problems.append(Problem(str(exc), fname, line, "unit",
                                                "write the unit as printed in the source, e.g. 亿美元, 十亿美元, "
                                                "亿元, EFLOPS, 万P"))
                        continue
            if conv:
                base_unit, factor, currency = conv
                want = METRICS[metric].unit if quantity == "level" and metric in METRICS else None
                if want and not (base_unit == want or (currency and want in ("USD", "CNY"))):
                    problems.append(Problem(
                        f"unit '{unit}' is {base_unit}, but {metric} is measured in {want}", fname, line, "unit",
                        "check the unit column (a market value in 美元/元, a capacity in FLOPS)"))
                    continue
            if currency and not math.isnan(value) and value < 0:
                problems.append(Problem(f"market size {rec['value']} {unit} is negative", fname, line, "value",
                                        "a market cannot be negative; for a decline give the rate as a negative growth"))
                continue
            if not math.isnan(value):
                pnum = _num(printed)
                if pnum and dec is not None and pnum > 0:
                    iv = printed_interval(pnum, dec).scale(value / pnum)
                else:
                    iv = Interval.point(value)
                iv = iv.scale(factor)
                value = value * factor
                if _implausible(problems, value, _LEVEL_LIMITS.get(base_unit, ""),
                                f"{rec['value']} {unit} ({value:.3g} {base_unit})", fname, line):
                    continue
                iv = growth.qualifier_interval(value, qual, approx_band=tol.approx_qualifier,
                                               near_band=tol.near_qualifier, base=iv)
                lo, hi = iv.lo, iv.hi
        lkind = kind
        notes = rec.get("notes", "") or ""
        if quantity == "level":
            if "target" in fid or "目标" in (rec.get("metric_zh") or ""):
                lkind = "target"
            elif kind == "actual" and ("预计" in notes or "estimate" in notes.lower()):
                lkind = "estimate"
        src = rec.get("source_url") or (
            f"report §{rec.get('section', '')} line {rec.get('source_line', '')}".strip())
        rows.append({
            "obs_id": fid, "metric": metric, "region": region, "segment": segment, "quantity": quantity,
            "year": yr, "start_year": start, "end_year": end, "value": value, "lo": lo, "hi": hi,
            "unit": base_unit, "currency": currency, "printed": printed, "printed_unit": printed_unit,
            "decimals": dec, "verbal": verbal is not None, "kind": lkind, "qualifier": qual, "edition": ed,
            "role": role, "method": "stated", "inputs": "", "formula": "",
            "duplicate_of": rec.get("duplicate_of", "") or "", "source": src, "file": Path(path).name,
            "line": line, "section": rec.get("section", "") or "", "quote": rec.get("quote", "") or "",
            "metric_zh": rec.get("metric_zh", "") or "", "metric_en": rec.get("metric_en", "") or "",
            "notes": notes,
        })
    if problems:
        raise InputError(problems=problems)
    obs = pd.DataFrame(rows, columns=OBS_COLUMNS)
    _check_currencies(obs, cfg, fname)
    return obs


#: plausibility limit (suanli.limits) of a level by its base unit
_LEVEL_LIMITS = {"USD": "facts.market_value_usd", "CNY": "facts.market_value_cny", "EFLOPS": "facts.compute_eflops",
                 "TWh": "facts.energy_twh", "ZB": "facts.data_zb"}


def _implausible(problems: list[Problem], value: float, key: str, what: str, fname: str, line: int) -> bool:
    """Record a problem if ``value`` is above the plausibility limit ``key``; True if it is."""
    lim = limit(key) if key else None
    if lim is None or not (value > lim):
        return False
    problems.append(Problem(f"{what} is above the plausible maximum {lim:.3g} ({LIMITS[key].unit})", fname, line,
                            "value", over_limit_hint(key, value)))
    return True


def _num(printed: str) -> float | None:
    try:
        return float(normalise_text(printed).replace(",", "").replace("%", "").strip())
    except ValueError:
        return None


def _check_currencies(obs: pd.DataFrame, cfg: MarketsConfig, fname: str) -> None:
    lv = obs[(obs.quantity == "level") & (obs.currency != "")]
    problems = []
    for (metric, region), g in lv.groupby(["metric", "region"]):
        cur = sorted(set(g.currency))
        if len(cur) > 1:
            missing = [c for c in cur if c != "USD" and c not in cfg.fx]
            if missing:
                other = g[g.currency == missing[0]].iloc[0]
                problems.append(Problem(
                    f"series {metric} ({region}) mixes currencies {', '.join(cur)} and no exchange rate is given",
                    fname, int(other.line), "unit",
                    f"add markets.fx: {{{missing[0]}: <{missing[0]} per USD>}} to the edition, or convert the row"))
    if problems:
        raise InputError(problems=problems)


def apply_fx(obs: pd.DataFrame, cfg: MarketsConfig) -> pd.DataFrame:
    """Convert market levels in other currencies to USD with ``markets.fx`` (CNY per USD)."""
    out = obs.copy()
    for cur, rate in cfg.fx.items():
        m = (out.currency == cur) & (out.quantity == "level") & (out.metric != "")
        if m.any():
            for c in ("value", "lo", "hi"):
                out.loc[m, c] = out.loc[m, c] / rate
            out.loc[m, "unit"] = "USD"
            out.loc[m, "currency"] = "USD"
            out.loc[m, "notes"] = out.loc[m, "notes"].astype(str) + f" [converted at {rate} {cur}/USD]"
    return out


def load_observations(facts: str | Path, cfg: MarketsConfig, external: str | Path | None = None) -> pd.DataFrame:
    """Current facts plus external facts (press data of this edition and previous editions)."""
    obs = read_facts(facts, cfg)
    if external is not None:
        ext = read_facts(external, cfg, default_role="current")
        ext["source"] = ext["source"].where(ext["source"] != "", "external")
        obs = pd.concat([obs, ext], ignore_index=True)
    obs = apply_fx(obs, cfg)
    return obs


# --------------------------------------------------------------------------------------------
# Yearly series
# --------------------------------------------------------------------------------------------

SERIES_COLUMNS = ["series", "metric", "region", "segment", "year", "value", "lo", "hi", "bound", "unit",
                  "scaled_value", "scaled_unit", "kind", "method", "inputs", "edition", "stated"]


def canonical(obs: pd.DataFrame) -> pd.DataFrame:
    """Drop repeats of the same claim (rows with duplicate_of)."""
    return obs[obs.duplicate_of.fillna("") == ""]


def market_keys(obs: pd.DataFrame) -> list[tuple[str, str, str]]:
    cur = canonical(obs)
    cur = cur[(cur.metric != "") & cur.region.isin(NATIONAL_REGIONS) & (cur.role != "claim_previous")
              & cur.quantity.isin(["level", "rate"])]
    keys = sorted({(r.metric, r.region, r.segment) for r in cur.itertuples()})
    return [k for k in keys if METRICS[k[0]].unit != "%"]


def _cell(year, value, lo, hi, kind, method, inputs, edition, stated=False):
    return {"year": int(year), "value": float(value), "lo": float(lo), "hi": float(hi), "kind": kind,
            "method": method, "inputs": ";".join(inputs), "edition": edition, "stated": stated}


def build_series(obs: pd.DataFrame, cfg: MarketsConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Yearly series over ``cfg.years`` for every market with levels or rates in ``obs``.

    Order of precedence per year: stated level (this edition, incl. press figure data) →
    derived from a stated rate (shortest window first) → segment algebra (total × share; CAGR
    segments; residual) → previous-edition actual → geometric interpolation between known years →
    constant-growth back-cast before the first known year. Years after the last known one are
    left for :mod:`suanli.markets.forecast`. Returns (series, derived observations).
    """
    y0, y1 = cfg.years
    cur = canonical(obs)
    cur = cur[cur.role == "current"]
    prev = obs[obs.role == "previous"]
    derived_rows: list[dict] = []
    cells: dict[tuple[str, str, str], dict[int, dict]] = {}
    for key in market_keys(obs):
        cells[key] = _known_cells(cur, prev, key, derived_rows)
    _segments(cur, cells, derived_rows)
    out = []
    for key, known in cells.items():
        if not known:
            continue
        filled = _fill(known, y0, y1)
        m = METRICS[key[0]]
        for yr in sorted(filled):
            c = filled[yr]
            bound = "lower" if np.isinf(c["hi"]) else ("upper" if np.isinf(c["lo"]) else "")
            out.append({"series": ":".join(key), "metric": key[0], "region": key[1], "segment": key[2],
                        **c, "bound": bound, "unit": m.unit, "scaled_value": c["value"] / m.scale,
                        "scaled_unit": m.scaled_unit})
    series = pd.DataFrame(out) if out else pd.DataFrame(columns=SERIES_COLUMNS)  # no market at all: no series
    series = series[SERIES_COLUMNS].sort_values(["series", "year"]).reset_index(drop=True)
    return series, pd.DataFrame(derived_rows)


_CELL_COLUMNS = ["obs_id", "quantity", "year", "start_year", "end_year", "value", "lo", "hi", "kind", "edition"]


def _known_cells(cur, prev, key, derived_rows) -> dict[int, dict]:
    metric, region, segment = key
    # only the columns read below: itertuples copies out every column of the frame it walks
    sel = cur.loc[(cur.metric == metric) & (cur.region == region) & (cur.segment == segment), _CELL_COLUMNS]
    known: dict[int, dict] = {}
    for r in sel[sel.quantity == "level"].itertuples():
        if r.year is not None and not math.isnan(r.value):
            known[int(r.year)] = _cell(r.year, r.value, r.lo, r.hi, r.kind, "stated", [r.obs_id], r.edition, True)
    rates = sel[(sel.quantity == "rate") & sel.start_year.notna()].copy()
    rates["span"] = rates.end_year - rates.start_year
    changed = True
    while changed:
        changed = False
        for r in rates.sort_values(["span", "obs_id"]).itertuples():
            s, e, n = int(r.start_year), int(r.end_year), int(r.end_year - r.start_year)
            riv = Interval(r.lo, r.hi)
            if e in known and s not in known:
                k = known[e]
                iv = growth.implied_start_iv(Interval(k["lo"], k["hi"]), riv, n)
                v = growth.implied_start(k["value"], r.value, n)
                inputs = [*k["inputs"].split(";"), r.obs_id] if k["inputs"] else [r.obs_id]
                known[s] = _cell(s, v, iv.lo, iv.hi, "derived", "implied_start_from_rate", inputs, r.edition)
                derived_rows.append(_derived_obs(key, s, v, iv, inputs, "implied_start_from_rate",
                                                 f"{k['value']:.6g} / (1 + {r.value:.4g})^{n}", r.edition))
                changed = True
            elif s in known and e not in known:
                k = known[s]
                iv = growth.implied_end_iv(Interval(k["lo"], k["hi"]), riv, n)
                v = growth.implied_end(k["value"], r.value, n)
                inputs = [*k["inputs"].split(";"), r.obs_id]
                known[e] = _cell(e, v, iv.lo, iv.hi, "derived", "implied_end_from_rate", inputs, r.edition)
                derived_rows.append(_derived_obs(key, e, v, iv, inputs, "implied_end_from_rate",
                                                 f"{k['value']:.6g} × (1 + {r.value:.4g})^{n}", r.edition))
                changed = True
    psel = prev.loc[(prev.metric == metric) & (prev.region == region) & (prev.segment == segment)
                    & (prev.quantity == "level") & (prev.kind == "actual"), _CELL_COLUMNS]
    for r in psel.itertuples():
        if r.year is not None and int(r.year) not in known:
            known[int(r.year)] = _cell(r.year, r.value, r.lo, r.hi, "actual", "previous_edition_actual",
                                       [r.obs_id], r.edition)
    return known


def _derived_obs(key, year, value, iv, inputs, method, formula, edition) -> dict:
    metric, region, segment = key
    m = METRICS[metric]
    return {"obs_id": f"derived:{metric}:{region}:{segment}:{year}", "metric": metric, "region": region,
            "segment": segment, "quantity": "level", "year": year, "start_year": None, "end_year": None,
            "value": value, "lo": iv.lo, "hi": iv.hi, "unit": m.unit, "currency": "USD" if m.money else "",
            "printed": "", "printed_unit": "", "decimals": None, "verbal": False, "kind": "derived",
            "qualifier": "", "edition": edition, "role": "current", "method": method, "inputs": ";".join(inputs),
            "formula": formula, "duplicate_of": "", "source": "derived", "file": "", "line": None, "section": "",
            "quote": "", "metric_zh": m.zh, "metric_en": m.en, "notes": ""}


def _segments(cur: pd.DataFrame, cells: dict, derived_rows: list) -> None:
    """Segment levels from total × share, segment CAGRs and residuals."""
    shares = cur[(cur.quantity == "share") & (cur.metric != "") & (cur.segment != "total")]
    for (metric, region), g in shares.groupby(["metric", "region"]):
        total = cells.get((metric, region, "total"))
        if not total or METRICS[metric].unit == "%":
            continue
        segs = METRICS[metric].segments[1:]
        for seg, gs in g.groupby("segment"):
            seg_cells = cells.setdefault((metric, region, seg), {})
            for r in gs.itertuples():
                yr = int(r.year)
                if yr in total and yr not in seg_cells:
                    t = total[yr]
                    v = t["value"] * r.value
                    iv = Interval(t["lo"], t["hi"]) * Interval(r.lo, r.hi)
                    inputs = [*t["inputs"].split(";"), r.obs_id]
                    seg_cells[yr] = _cell(yr, v, iv.lo, iv.hi, "derived", "total_x_share", inputs, r.edition)
                    derived_rows.append(_derived_obs((metric, region, seg), yr, v, iv, inputs, "total_x_share",
                                                     f"{t['value']:.6g} × {r.value:.4g}", r.edition))
            # segment CAGR → base year of the segment
            rates = cur[(cur.metric == metric) & (cur.region == region) & (cur.segment == seg)
                        & (cur.quantity == "rate") & cur.start_year.notna()]
            for r in rates.itertuples():
                s, e, n = int(r.start_year), int(r.end_year), int(r.end_year - r.start_year)
                if e in seg_cells and s not in seg_cells:
                    k = seg_cells[e]
                    iv = growth.implied_start_iv(Interval(k["lo"], k["hi"]), Interval(r.lo, r.hi), n)
                    v = growth.implied_start(k["value"], r.value, n)
                    inputs = [*k["inputs"].split(";"), r.obs_id]
                    seg_cells[s] = _cell(s, v, iv.lo, iv.hi, "derived", "implied_start_from_rate", inputs, r.edition)
                    derived_rows.append(_derived_obs((metric, region, seg), s, v, iv, inputs,
                                                     "implied_start_from_rate",
                                                     f"{k['value']:.6g} / (1 + {r.value:.4g})^{n}", r.edition))
        # residual segment: total minus the known segments, in years where all are known
        known_segs = set(g.segment)
        missing = [s for s in segs if s not in known_segs]
        if len(missing) == 1:
            res = cells.setdefault((metric, region, missing[0]), {})
            years = set(total)
            for s in known_segs:
                years &= set(cells[(metric, region, s)])
            for yr in sorted(years):
                t = total[yr]
                parts = [cells[(metric, region, s)][yr] for s in sorted(known_segs)]
                v = t["value"] - sum(p["value"] for p in parts)
                iv = Interval(t["lo"], t["hi"])
                for p in parts:
                    iv = iv - Interval(p["lo"], p["hi"])
                inputs = [t["inputs"]] + [p["inputs"] for p in parts]
                res[yr] = _cell(yr, v, iv.lo, iv.hi, "derived", "residual_total_minus_segments", inputs, t["edition"])
                derived_rows.append(_derived_obs((metric, region, missing[0]), yr, v, iv, inputs,
                                                 "residual_total_minus_segments", "total − Σ segments",
                                                 t["edition"]))


def _fill(known: dict[int, dict], y0: int, y1: int) -> dict[int, dict]:
    """Geometric interpolation inside, constant-growth back-cast before the first known year."""
    out = dict(known)
    years = sorted(known)
    for a, b in zip(years, years[1:], strict=False):
        ka, kb = known[a], known[b]
        for t in range(a + 1, b):
            if ka["value"] > 0 and kb["value"] > 0:
                v = growth.interpolate(ka["value"], kb["value"], b - a, t - a)
            else:
                v = ka["value"] + (kb["value"] - ka["value"]) * (t - a) / (b - a)
            out[t] = _cell(t, v, v, v, "derived", "interpolate_geometric",
                           [f"{a}", f"{b}"], ka["edition"])
    first = years[0]
    if first > y0:
        if len(years) >= 2 and known[first]["value"] > 0 and known[years[1]]["value"] > 0:
            r = growth.cagr(known[first]["value"], known[years[1]]["value"], years[1] - first)
        else:
            r = 0.0
        for t in range(y0, first):
            v = growth.implied_start(known[first]["value"], r, first - t)
            out[t] = _cell(t, v, v, v, "derived", "backcast_constant_growth",
                           [f"{first}", f"{years[1] if len(years) > 1 else first}"], known[first]["edition"])
    return {y: c for y, c in out.items() if y0 <= y <= y1}
