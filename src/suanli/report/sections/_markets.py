"""Helpers for chapters drawing on the markets stage (``market_series``, forecasts)."""

from __future__ import annotations

import pandas as pd

from ..claims import V
from ..classes import frame, point_rows
from ..data import ReportData
from ..spec import FigureSpec

MS = "market_series"
FORECAST_FROM = 2025
#: the gap between a stated total and its segments, drawn as its own segment
UNALLOCATED = ("未分配", "Unallocated")


def series(rd: ReportData, sid: str, y0: int | None = None) -> pd.DataFrame:
    m = rd.df(MS)
    s = m[m["series"] == sid].sort_values("year")
    if y0 is not None:
        s = s[s["year"] >= y0]
    return s


def has_series(rd: ReportData, *sids: str) -> bool:
    if not rd.has(MS):
        return False
    have = set(rd.df(MS)["series"])
    return all(s in have for s in sids)


def to_money(rd: ReportData, v: pd.Series) -> pd.Series:
    return v / (1e8 if rd.lang == "zh" else 1e9)


def money_unit(rd: ReportData) -> str:
    return rd.zh_en("亿美元", "USD bn")


def level_growth_fig(rd: ReportData, fid: str, section: str, sid: str, title: tuple[str, str], name: tuple[str, str],
                      y0: int, money: bool = True, unit: str = "") -> list[FigureSpec]:
    if not has_series(rd, sid):
        return []
    s = series(rd, sid, y0)
    vals = to_money(rd, s["value"]) if money else s["value"]
    z = rd.zh_en
    g = s["value"] / s["value"].shift(1) - 1
    gname = z("同比增长（右轴）", "YoY growth (right axis)")
    rows = point_rows(z(*name), sid, s["year"], vals)
    rows += point_rows(gname, sid, s["year"].iloc[1:], g.iloc[1:], growth=True)
    return [FigureSpec(fid, section, "bar", z(*title), frame(rows),
                       rd.source(MS), [MS], rd.synthetic(MS), y_label=money_unit(rd) if money else unit,
                       y2_label=z("同比增长", "YoY growth"), forecast_from=FORECAST_FROM,
                       opts={"line_series": [gname]}, lang=rd.lang)]


def ms(sid: str, year: int) -> dict:
    return V(MS, "value", series=sid, year=year)
