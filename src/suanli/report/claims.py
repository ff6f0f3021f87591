"""Claims: numbers in sentences, each tied to the stored value it comes from.

A :class:`Claim` holds the value, its printed form (formatted once, so a claim repeated in
several places prints identically) and a *reference* saying how to get the value back from the
store: ``{"op": "value", "table": ..., "column": ..., "where": {...}}`` or a ratio/growth/CAGR/
sum of references. Each claim also carries its *value class* (:func:`ref_class`: a stored value
keeps its row's class, arithmetic on values propagates). In HTML each claim is a
``<span class="num" data-ref=… data-value-class=…>``, which the tests parse back and evaluate
against the DuckDB store, class included.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from ..store.value_class import furthest, propagate
from . import fmt


def V(table: str, column: str, **where: Any) -> dict[str, Any]:
    return {"op": "value", "table": table, "column": column, "where": where}


def SUM(table: str, column: str, **where: Any) -> dict[str, Any]:
    return {"op": "sum", "table": table, "column": column, "where": where}


def GROWTH(a: dict, b: dict) -> dict[str, Any]:
    return {"op": "growth", "a": a, "b": b}


def RATIO(a: dict, b: dict) -> dict[str, Any]:
    return {"op": "ratio", "a": a, "b": b}


def COUNT(table: str, query: str) -> dict[str, Any]:
    """Number of rows of ``table`` matching a pandas ``query`` written by the report (never from data)."""
    return {"op": "count", "table": table, "query": query}


def DIFF(a: dict, b: dict) -> dict[str, Any]:
    return {"op": "diff", "a": a, "b": b}


def CAGR(a: dict, b: dict, n: int) -> dict[str, Any]:
    return {"op": "cagr", "a": a, "b": b, "n": n}


def _select(df: pd.DataFrame, where: dict[str, Any]) -> pd.DataFrame:
    m = pd.Series(True, index=df.index)
    for k, v in where.items():
        if isinstance(v, list):
            m &= df[k].isin(v)
        else:
            m &= df[k] == v
    return df[m]


def evaluate(ref: dict[str, Any], get_table) -> float:
    """Evaluate a reference with ``get_table(name) -> DataFrame`` (the store or a test's DuckDB)."""
    op = ref["op"]
    if op == "value":
        sel = _select(get_table(ref["table"]), ref.get("where", {}))
        if len(sel) != 1:
            raise ValueError(f"reference {ref} matches {len(sel)} rows, expected 1")
        return float(sel[ref["column"]].iloc[0])
    if op == "count":
        return float(len(get_table(ref["table"]).query(ref["query"])))
    if op == "sum":
        return float(_select(get_table(ref["table"]), ref.get("where", {}))[ref["column"]].sum())
    a = evaluate(ref["a"], get_table)
    b = evaluate(ref["b"], get_table)
    if op == "ratio":
        return a / b
    if op == "growth":
        return a / b - 1
    if op == "diff":
        return a - b
    if op == "cagr":
        return (a / b) ** (1.0 / ref["n"]) - 1
    raise ValueError(f"unknown op {op!r}")


def ref_class(ref: dict[str, Any], get_table) -> str:
    """Value class of a claim's reference: a stored value keeps its row's class; any arithmetic on
    values (sum, count, growth, ratio, CAGR) propagates (synthetic > modelled > derived). A table
    without a ``value_class`` column holds stated values."""
    op = ref.get("op")
    if op in ("value", "sum", "count"):
        df = get_table(ref["table"])
        if "value_class" not in df:
            return "stated" if op == "value" else propagate("stated")
        rows = df.query(ref["query"]) if op == "count" else _select(df, ref.get("where", {}))
        classes = [str(x) for x in rows["value_class"]]
        return furthest(classes) if op == "value" else propagate(*classes)
    return propagate(ref_class(ref["a"], get_table), ref_class(ref["b"], get_table))


@dataclass
class Claim:
    key: str
    value: float
    text: str  # as printed
    ref: dict[str, Any]
    scale: float  # printed number = round(value * scale, decimals)
    decimals: int
    value_class: str = "stated"

    def html(self) -> Markup:
        data = json.dumps({"ref": self.ref, "scale": self.scale, "decimals": self.decimals}, ensure_ascii=False,
                          sort_keys=True, default=str)
        return Markup('<span class="num" data-claim="{}" data-ref="{}" data-value-class="{}">{}</span>').format(
            self.key, data, self.value_class, self.text)

    def __html__(self) -> Markup:
        return self.html()


class Claims:
    """One value per claim: formatting happens once per key."""

    def __init__(self, get_table, lang: str) -> None:
        self.get_table = get_table
        self.lang = lang
        self.items: dict[str, Claim] = {}

    def _add(self, key: str, ref: dict, text_fn, scale: float, decimals: int) -> Claim:
        if key in self.items:
            return self.items[key]
        v = evaluate(ref, self.get_table)
        c = Claim(key, v, text_fn(v), ref, scale, decimals, ref_class(ref, self.get_table))
        self.items[key] = c
        return c

    def eflops(self, key: str, ref: dict, decimals: int = 1) -> Claim:
        return self._add(key, ref, lambda v: fmt.eflops(v, self.lang, decimals), 1.0, decimals)

    def pct(self, key: str, ref: dict, decimals: int = 1) -> Claim:
        return self._add(key, ref, lambda v: fmt.pct(v, decimals), 100.0, decimals)

    def points(self, key: str, ref: dict, decimals: int = 1) -> Claim:
        """A difference of two shares in percentage points (the number only; the sentence names the unit)."""
        return self._add(key, ref, lambda v: fmt.number(v * 100, decimals), 100.0, decimals)

    def usd(self, key: str, ref: dict, decimals: int = 1, *, unit_scale: float = 1.0) -> Claim:
        """Money; ``unit_scale`` converts the stored unit to USD (1e8 when the table holds 亿美元)."""
        if self.lang == "zh":
            scale, d = unit_scale / 1e8, decimals
        else:
            scale, d = unit_scale / 1e9, decimals + 1
        return self._add(key, ref, lambda v: fmt.usd(v * unit_scale, self.lang, decimals), scale, d)

    def number(self, key: str, ref: dict, decimals: int = 1, unit: str = "") -> Claim:
        def f(v: float) -> str:
            s = fmt.number(v, decimals)
            return f"{s}{unit}" if unit in ("%",) or self.lang == "zh" else f"{s} {unit}".strip()
        return self._add(key, ref, f, 1.0, decimals)

    def scaled(self, key: str, ref: dict, divisor: float, decimals: int = 1, unit: str = "") -> Claim:
        """A value printed in a larger unit: 671e9 parameters with ``divisor=1e8`` → '6,710亿'."""
        def f(v: float) -> str:
            s = fmt.number(v / divisor, decimals)
            return f"{s}{unit}" if unit in ("%",) or self.lang == "zh" else f"{s} {unit}".strip()
        return self._add(key, ref, f, 1.0 / divisor, decimals)

    def year(self, key: str, ref: dict) -> Claim:
        """A calendar year: no thousands separator."""
        return self._add(key, ref, lambda v: str(int(round(v))), 1.0, 0)

    def twh(self, key: str, ref: dict, decimals: int = 1) -> Claim:
        return self._add(key, ref, lambda v: fmt.twh(v, self.lang, decimals), 1.0, decimals)

    def wan_p(self, key: str, ref: dict, decimals: int = 1) -> Claim:
        """City compute: zh 万P, en EFLOPS (input EFLOPS)."""
        if self.lang == "zh":
            return self._add(key, ref, lambda v: fmt.pflops_wan(v, "zh", decimals), 0.1, decimals)
        return self._add(key, ref, lambda v: fmt.pflops_wan(v, "en", decimals), 1.0, max(decimals - 1, 0))


def sentence(template: str, **parts: Any) -> Markup:
    """Fill a sentence template; claims become spans, other values are HTML-escaped."""
    return escape(template).format(**parts)


def finite(x: float) -> bool:
    return x is not None and math.isfinite(x)
