"""Ranks (R's ``rank(-x, ties.method = "min", na.last = "keep")`` of scores rounded with
:func:`~suanli.index.stats.tie_round`), within-group ranks and
year-on-year score and rank changes (up, down, same, new, dropped)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .stats import rank_min, tie_round


def rank_scores(V: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score; ties (equal to 1e-9 relative) share the smallest rank; NaN stays NaN.
    Works per column."""
    V = np.asarray(V, float)
    V2 = V if V.ndim > 1 else V[:, None]
    return rank_min(tie_round(V2, axis=0), descending=True).reshape(V.shape)


def group_ranks(V: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Ranks within each group of units."""
    out = np.full(np.shape(V), np.nan)
    for g in np.unique(groups):
        m = groups == g
        out[m] = rank_scores(V[m])
    return out


def rank_changes(current: pd.DataFrame, previous: pd.DataFrame | None, *, key: tuple[str, ...] = ("unit_id", "node_id")
                 ) -> pd.DataFrame:
    """Add ``prev_score, prev_rank, score_change, rank_change (+ = moved up), change`` to a long
    results table, comparing with the previous year's; units only in ``previous`` are appended
    with ``change = "dropped"``."""
    cur = current.copy()
    if previous is None or previous.empty:
        cur["prev_score"] = np.nan
        cur["prev_rank"] = np.nan
        cur["score_change"] = np.nan
        cur["rank_change"] = np.nan
        cur["change"] = "new"
        return cur
    prev = previous[list(key) + ["score", "rank"]].rename(columns={"score": "prev_score", "rank": "prev_rank"})
    m = cur.merge(prev, on=list(key), how="left")
    m["score_change"] = m["score"] - m["prev_score"]
    m["rank_change"] = m["prev_rank"] - m["rank"]
    m["change"] = np.select(
        [m["prev_rank"].isna() & m["rank"].notna(), m["rank"].isna(), m["rank_change"] > 0, m["rank_change"] < 0],
        ["new", "unranked", "up", "down"], default="same")
    gone = previous.merge(cur[list(key)], on=list(key), how="left", indicator=True)
    gone = gone[gone["_merge"] == "left_only"].drop(columns="_merge")
    if len(gone):
        d = gone[[c for c in gone.columns if c in m.columns and c not in ("score", "rank")]].copy()
        d["prev_score"], d["prev_rank"] = gone["score"].to_numpy(), gone["rank"].to_numpy()
        d["score"], d["rank"] = np.nan, np.nan
        d["change"] = "dropped"
        if "year" in m.columns and len(m):
            d["year"] = m["year"].iloc[0]
        m = pd.concat([m, d], ignore_index=True)
    return m
