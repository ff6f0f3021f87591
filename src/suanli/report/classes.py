"""The value class of every plotted point.

A figure builder either sets ``value_class`` per row itself, or names where each point comes from
in an ``inputs`` column: ``"series@year"`` cells of ``market_series`` separated by ``;`` (one cell:
the point is that stored value; several: it is computed from them, e.g. a growth rate, and takes
the propagated class: synthetic if any input is, else modelled if any is, else derived). A figure
drawn from tables that hold one class only gets that class on every point. :func:`annotate` fills
the column; the renderers encode it (``spec.CLASS_STYLE``).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..store.value_class import propagate
from .data import ReportData
from .spec import FigureSpec

MS = "market_series"


def point_rows(label: str, sid: str, years: Iterable, values: Iterable, *, growth: bool = False) -> list[dict]:
    """Rows ``x, series, value, inputs`` of one plotted series of ``market_series`` cells ``sid``;
    with ``growth`` each point is the ratio of a year to the previous one (two inputs)."""
    out = []
    for y, v in zip(years, values, strict=True):
        y = int(y)
        inputs = f"{sid}@{y};{sid}@{y - 1}" if growth else f"{sid}@{y}"
        out.append({"x": y, "series": label, "value": float(v), "inputs": inputs})
    return out


def stored_classes(rd: ReportData) -> dict[tuple[str, int], str]:
    m = rd.df(MS)
    return {(str(s), int(y)): str(c) for s, y, c in zip(m["series"], m["year"], m["value_class"], strict=True)}


def class_of_inputs(inputs: str, stored: dict[tuple[str, int], str]) -> str:
    cells = [c for c in str(inputs).split(";") if c]
    cls = []
    for c in cells:
        sid, _, year = c.rpartition("@")
        if (sid, int(year)) not in stored:
            raise KeyError(f"plotted point refers to {c}, which is not in {MS}")
        cls.append(stored[(sid, int(year))])
    return cls[0] if len(cls) == 1 else propagate(*cls)


def table_classes(rd: ReportData, tables: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for t in tables:
        if rd.has(t):
            d = rd.df(t)
            if "value_class" in d:
                out |= set(d["value_class"].dropna().astype(str))
    return out


def annotate(rd: ReportData, spec: FigureSpec) -> FigureSpec:
    """Give every point of ``spec`` its value class (see the module docstring)."""
    d = spec.data
    if "value_class" in d.columns and d["value_class"].notna().all():
        return spec
    d = d.copy()
    if "inputs" in d.columns:
        stored = stored_classes(rd)
        d["value_class"] = [class_of_inputs(i, stored) if isinstance(i, str) and i else None for i in d["inputs"]]
    cls = table_classes(rd, spec.tables)
    if len(cls) == 1:
        only = next(iter(cls))
        d["value_class"] = d["value_class"].fillna(only) if "value_class" in d.columns else only
    spec.data = d if "value_class" in d.columns else spec.data
    return spec


def annotate_all(rd: ReportData, specs: list[FigureSpec]) -> list[FigureSpec]:
    return [annotate(rd, s) for s in specs]


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["x", "series", "value", "inputs"])
