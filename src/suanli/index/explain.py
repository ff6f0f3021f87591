"""Back to the data: why does a unit score what it scores?

For a weighted arithmetic mean the index decomposes exactly: each indicator contributes
``value × Π(renormalised weight along its path)``, with weights renormalised over the unit's
available children at every node (COINr's missing-data rule), so the contributions sum to the
index score. For other aggregators the contributions use the same path weights as an
approximation and say so. Strengths and weaknesses are the indicators where the unit ranks best
and worst (COINr ``get_str_weak``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .aggregate import AMean
from .pipeline import Result


def path_shares(result: Result, r: int) -> tuple[np.ndarray, bool]:
    """Each node's share of the index score for the unit in row ``r`` (weights renormalised over
    the unit's available children at every node, top-down), and whether the decomposition is
    exact (every group an arithmetic mean). The core of :func:`contributions`, without pandas
    (the dashboard's unit page uses it directly)."""
    fw = result.framework
    V = result.V[r]
    w = result.weights
    share = np.ones(fw.n_nodes)  # share of each node in the index score, top-down
    exact = True
    for i in sorted(range(fw.n_ind, fw.n_nodes), key=lambda i: -fw.level[i]):
        ch = fw.children[i]
        if not isinstance(result.plan.for_node(fw, i), AMean):
            exact = False
        avail = ~np.isnan(V[ch])
        wa = np.where(avail, w[ch], 0.0)
        s = wa.sum()
        share[ch] = share[i] * (wa / s if s > 0 else 0.0)
    return share, exact


def contributions(result: Result, unit: str) -> pd.DataFrame:
    fw = result.framework
    r = _row(result, unit)
    V = result.V[r]
    share, exact = path_shares(result, r)
    rows = []
    for j in range(fw.n_ind):
        anc = fw.ancestors(j)
        rows.append({"indicator_id": fw.ids[j], "name": fw.name(fw.ids[j]),
                     "group": fw.ids[anc[0]] if anc else "", "value": V[j], "weight_in_index": share[j],
                     "contribution": share[j] * V[j] if np.isfinite(V[j]) else 0.0,
                     "rank": result.ranks[r, j], "n_units": len(result.unit_ids)})
    df = pd.DataFrame(rows)
    df.attrs["exact"] = exact
    return df.sort_values("contribution", ascending=False, kind="stable").reset_index(drop=True)


def _row(result: Result, unit: str) -> int:
    from ..errors import InputError

    hits = np.flatnonzero((result.unit_ids == unit) | (result.unit_names == unit))
    if not len(hits):
        raise InputError(f"unit '{unit}' is not in the results",
                         hint=f"units: {', '.join(map(str, result.unit_ids[:20]))}")
    return int(hits[0])


def explain(result: Result, unit: str, *, top: int = 5) -> dict[str, Any]:
    fw = result.framework
    r = _row(result, unit)
    c = contributions(result, unit)
    by_rank = c.sort_values(["rank", "contribution"], ascending=[True, False], kind="stable")
    root = fw.root
    nodes = [{"node_id": fw.ids[i], "name": fw.name(fw.ids[i]), "level": int(fw.level[i]),
              "score": float(result.V[r, i]), "rank": float(result.ranks[r, i])}
             for i in range(fw.n_ind, fw.n_nodes)]
    return {"unit_id": str(result.unit_ids[r]), "unit_name": str(result.unit_names[r]),
            "score": float(result.V[r, root]), "rank": float(result.ranks[r, root]), "n_units": len(result.unit_ids),
            "exact_decomposition": bool(c.attrs["exact"]), "nodes": nodes, "contributions": c,
            "strengths": by_rank.head(top), "weaknesses": by_rank.tail(top).iloc[::-1]}


def explain_text(e: dict[str, Any]) -> str:
    lines = [f"{e['unit_name']} ({e['unit_id']}): score {e['score']:.2f}, rank {e['rank']:.0f} of {e['n_units']}"]
    lines.append("")
    lines.append("Groups:")
    for n in sorted(e["nodes"], key=lambda n: (-n["level"], n["node_id"])):
        lines.append(f"  {'  ' * (4 - min(n['level'], 4))}{n['node_id']:<32} {n['score']:8.2f}  rank {n['rank']:.0f}")
    lines.append("")
    kind = "exact" if e["exact_decomposition"] else "approximate (non-additive aggregation)"
    lines.append(f"Contributions to the index ({kind}; sum = score):")
    for row in e["contributions"].itertuples():
        lines.append(f"  {row.indicator_id:<32} {row.value:8.2f} × {row.weight_in_index:.4f} = {row.contribution:7.3f}"
                     f"   rank {row.rank:.0f}")
    lines.append("")
    lines.append("Strengths (best ranks): " + ", ".join(
        f"{r.indicator_id} (#{r.rank:.0f})" for r in e["strengths"].itertuples()))
    lines.append("Weaknesses (worst ranks): " + ", ".join(
        f"{r.indicator_id} (#{r.rank:.0f})" for r in e["weaknesses"].itertuples()))
    return "\n".join(lines)
