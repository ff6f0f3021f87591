"""Rank and score differences between two builds of an index (as COINr's ``compare_coins``).

Typical uses: the same framework under two methods (min-max vs z-score, arithmetic vs geometric
mean), two editions of the data, or an index with and without an indicator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import ConfigError

if TYPE_CHECKING:
    from .pipeline import Result


def compare(a: Result, b: Result, node_id: str | None = None, *, sort_by: str = "abs_rank_change",
            labels: tuple[str, str] = ("a", "b")) -> pd.DataFrame:
    """One row per unit in either result: scores and ranks of ``node_id`` (default the index) in
    ``a`` and ``b``, ``rank_change`` = rank in ``b`` − rank in ``a`` (negative = moved up),
    ``score_change`` and ``abs_rank_change``. A unit present in only one result has NaN on the other
    side and ``in_both`` False. Rows are sorted by ``sort_by`` (descending for changes, NaN last),
    then by rank in ``a``.
    """
    la, lb = labels
    node_a = a.framework.ids[a.framework.root] if node_id is None else node_id
    node_b = b.framework.ids[b.framework.root] if node_id is None else node_id
    for res, node, lab in ((a, node_a, la), (b, node_b, lb)):
        if node not in res.framework.index:
            raise ConfigError(f"result {lab!r} has no node {node!r}",
                              hint=f"nodes: {', '.join(res.framework.ids[res.framework.n_ind:])}")
    names = {**dict(zip(b.unit_ids, b.unit_names, strict=False)), **dict(zip(a.unit_ids, a.unit_names, strict=False))}
    df = pd.DataFrame({f"score_{la}": a.score(node_a), f"rank_{la}": a.rank(node_a)}).join(
        pd.DataFrame({f"score_{lb}": b.score(node_b), f"rank_{lb}": b.rank(node_b)}), how="outer")
    df.index.name = "unit_id"
    df = df.reset_index()
    df.insert(1, "unit_name", df["unit_id"].map(names))
    df["in_both"] = df[f"rank_{la}"].notna() & df[f"rank_{lb}"].notna()
    df["rank_change"] = df[f"rank_{lb}"] - df[f"rank_{la}"]
    df["abs_rank_change"] = df["rank_change"].abs()
    df["score_change"] = df[f"score_{lb}"] - df[f"score_{la}"]
    if sort_by not in df.columns:
        raise ConfigError(f"cannot sort by {sort_by!r}", hint=f"columns: {', '.join(df.columns)}")
    ascending = sort_by.startswith("rank_") and sort_by != "rank_change"
    df = df.sort_values([sort_by, f"rank_{la}"], ascending=[ascending, True], na_position="last", kind="stable")
    return df.reset_index(drop=True)


def summary(table: pd.DataFrame) -> dict[str, float]:
    """Headline figures of a :func:`compare` table: units compared, units whose rank changed, mean and
    largest absolute rank change, and Spearman's rank correlation."""
    both = table[table["in_both"]]
    ra, rb = (c for c in table.columns if c.startswith("rank_") and c not in ("rank_change",))
    rho = float(np.corrcoef(both[ra], both[rb])[0, 1]) if len(both) > 1 else float("nan")
    return {"units": int(len(both)), "changed": int((both["rank_change"] != 0).sum()),
            "mean_abs_rank_change": float(both["abs_rank_change"].mean()) if len(both) else float("nan"),
            "max_abs_rank_change": float(both["abs_rank_change"].max()) if len(both) else float("nan"),
            "spearman": rho}


__all__ = ["compare", "summary"]
