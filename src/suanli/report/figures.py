"""Figure-builder plumbing shared by the chapter modules (``sections/``).

A builder turns store tables into FigureSpecs; it declares the tables it needs; when any is missing it is skipped and its section says
which tables it waits for. Builders only select, reshape and label stored values; they never
recompute what a stage computed (growth rates shown as lines are plain ratios of stored levels).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .classes import annotate_all
from .data import ReportData
from .i18n import ORIGIN
from .spec import FigureSpec


@dataclass
class Builder:
    fn: Callable[[ReportData], list[FigureSpec]]
    section: str
    needs: tuple[str, ...]
    any_of: tuple[str, ...] = ()


class Figures:
    """The figure builders of one chapter module, in the order they were declared."""

    def __init__(self, section: str) -> None:
        self.section = section
        self.builders: list[Builder] = []

    def __call__(self, *needs: str, any_of: tuple[str, ...] = ()):
        def deco(fn):
            self.builders.append(Builder(fn, self.section, tuple(needs), any_of))
            return fn
        return deco

    def build(self, rd: ReportData) -> tuple[list[FigureSpec], list[str]]:
        """Run every builder whose tables exist. Returns (figures, tables still missing)."""
        figs: list[FigureSpec] = []
        missing: list[str] = []
        for b in self.builders:
            ok = rd.has(*b.needs) and (not b.any_of or any(rd.has(t) for t in b.any_of))
            if not ok:
                missing.extend([t for t in b.needs if not rd.has(t)] or [" | ".join(b.any_of)])
                continue
            figs.extend(annotate_all(rd, b.fn(rd)))
        return figs, missing


def years(df: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in df["year"].unique())


def last_year(df: pd.DataFrame) -> int:
    return int(df["year"].max())


def growth(values: pd.Series) -> pd.Series:
    return values / values.shift(1) - 1


def origin_label(rd: ReportData, o: str) -> str:
    zh, en = ORIGIN.get(o, (o, o))
    return zh if rd.lang == "zh" else en


def city_ranking(rd: ReportData) -> tuple[pd.DataFrame, str] | None:
    """The city ranking to show: the index stage's when built, else cities by installed compute.

    Returns (frame with city, rank, value, previous_rank?, value_label) and the table it came from.
    """
    if rd.has("index_city_results"):
        d = rd.df("index_city_results")
        d = d[d["level"] == d["level"].max()]
        d = d[d["year"] == d["year"].max()].sort_values("rank")
        out = pd.DataFrame({"city": d["unit_name"].astype(str), "rank": d["rank"].astype(float),
                            "value": d["score"].astype(float)})
        if "prev_rank" in d:
            out["previous_rank"] = d["prev_rank"].to_numpy()
        return out.reset_index(drop=True), "index_city_results"
    if rd.has("capacity_by_city"):
        c = rd.df("capacity_by_city")
        c = c[c["year"] == c["year"].max()].sort_values("intelligent_eflops", ascending=False).reset_index(drop=True)
        return pd.DataFrame({"city": c["city"].astype(str), "rank": np.arange(1, len(c) + 1, dtype=float),
                             "value": c["intelligent_eflops"].astype(float)}), "capacity_by_city"
    return None


def capacity_by_fig(rd: ReportData, table: str, column: str, label: Callable[[str], str], fid: str, section: str,
                    title: tuple[str, str]) -> list[FigureSpec]:
    """Horizontal bars of the last year's installed intelligent compute by one grouping column of ``table``
    (server vendor, industry, ...), largest first. ``title`` holds ``{year}`` for the last year."""
    v = rd.df(table)
    last = last_year(v)
    v = v[v["year"] == last].sort_values("intelligent_eflops", ascending=False)
    d = pd.DataFrame({"y": [label(x) for x in v[column]], "value": v["intelligent_eflops"].astype(float)})
    return [FigureSpec(fid, section, "hbar", rd.zh_en(*title).format(year=last), d, rd.source(table), [table],
                       rd.synthetic(table), x_label="EFLOPS", lang=rd.lang)]
