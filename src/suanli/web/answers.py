"""The hot answers of the dashboard, computed with numpy and encoded with orjson.

A slider move on the ranking page asks ``POST /api/assessments/{name}/scores``; the unit page
asks ``POST /api/assessments/{name}/units/{unit_id}``. With 20 pages open on a 2-core machine,
every millisecond of server CPU per answer shows in the latency, so what these answers repeat
and what cannot change while the server runs is prepared once per assessment (:class:`Prepared`),
and the rest is arrays:

- the ranking answer is columns (each unit's score, rank and dimension scores, in the order of
  the static unit list of ``GET /api/assessments/{name}``, whose ids, names, groups and as-built
  scores the page keeps), encoded by orjson straight from the numpy arrays;
- indicator–index correlations reuse, per normalisation, everything that depends only on the
  normalised data (checked against the data each time, so never stale);
- a unit profile takes its ranks (one unit, every node: ``1 + count of strictly better scores``
  after the engine's tie rounding, which equals the engine's ``rank_scores`` row), the node
  medians (one sort) and the contributions (:func:`suanli.index.explain.path_shares`, the same
  arithmetic as :func:`~suanli.index.explain.contributions`) without pandas.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import numpy as np
import orjson

from .source import AssessmentView

NUMPY = orjson.OPT_SERIALIZE_NUMPY


def dumps(obj: Any) -> bytes:
    """JSON bytes; numpy arrays (C-contiguous float64/int64) as lists, NaN and ±inf as null."""
    return orjson.dumps(obj, option=NUMPY)


def floats(a: np.ndarray) -> np.ndarray:
    """A float column ready for :func:`dumps` (contiguous float64; NaN/inf become null)."""
    return np.ascontiguousarray(a, dtype=np.float64)


def ints(a: np.ndarray) -> np.ndarray | list[int | None]:
    """An integer column (ranks) for :func:`dumps`: int64 when every value is finite, else a list
    with None for the missing ones."""
    a = np.asarray(a, dtype=np.float64)
    ok = np.isfinite(a)
    if ok.all():
        return np.ascontiguousarray(np.rint(a).astype(np.int64))
    return [int(round(x)) if math.isfinite(x) else None for x in a.tolist()]


def dim_positions(view: AssessmentView) -> list[int]:
    fw = view.framework
    return [int(c) for c in fw.children[fw.root]]


class Prepared:
    """Per-assessment constants of the hot answers (built once, read-only afterwards)."""

    def __init__(self, view: AssessmentView) -> None:
        fw = view.framework
        self.dims = dim_positions(view)
        self.dim_ids = [fw.ids[d] for d in self.dims]
        self.node_ids = list(fw.ids)
        self.n_ind = fw.n_ind
        self.root = fw.root
        self.groups = fw.n_nodes - fw.n_ind
        # each indicator's dimension (the top-level ancestor below the root), as contributions name it
        self.ind_group = []
        for j in range(fw.n_ind):
            anc = fw.ancestors(j)
            self.ind_group.append(fw.ids[anc[0]] if anc else "")
        self.ind_names = [(fw.specs[j].name_zh or fw.ids[j], fw.specs[j].name_en or fw.specs[j].name_zh or fw.ids[j])
                          for j in range(fw.n_ind)]
        self.node_rows = [{"node_id": fw.ids[i], "name_zh": fw.specs[i].name_zh or fw.ids[i],
                           "name_en": fw.specs[i].name_en or fw.specs[i].name_zh or fw.ids[i],
                           "level": int(fw.level[i]),
                           "parent": fw.ids[fw.parent[i]] if fw.parent[i] >= 0 else None}
                          for i in range(fw.n_ind, fw.n_nodes)]
        self.base_rank = np.asarray(view.result.ranks[:, fw.root], dtype=np.float64)
        self.groups_of = [str(g or "") for g in view.group_of()]
        raw = view.result.data["raw"]
        pos = {str(x): i for i, x in enumerate(raw.unit_ids)}
        self.raw_row = [pos.get(str(u)) for u in view.unit_ids]
        self.raw_X = np.asarray(raw.X, dtype=np.float64)
        self._corr: dict[Any, tuple[np.ndarray, np.ndarray, tuple[np.ndarray, ...]]] = {}
        self._lock = threading.Lock()

    # -- correlations --------------------------------------------------------------------------
    def correlations(self, V: np.ndarray) -> dict[str, float | None]:
        """Pearson correlation of each indicator's normalised values with the index score, over
        the units that have both; None where either side is constant or fewer than 3 units."""
        X = V[:, : self.n_ind]
        y = np.asarray(V[:, self.root], dtype=np.float64)
        yfin = np.isfinite(y)
        pre = self._corr_parts(X, yfin)
        ok, n, dx, sxx = pre
        with np.errstate(all="ignore"):
            y0 = np.where(yfin, y, 0.0)
            my = (ok.T @ y0) / n
            dy = ok * (y0[:, None] - my)
            syy = (dy * dy).sum(0)
            c = (dx * dy).sum(0) / np.sqrt(sxx * syy)
        tiny = 1e-24 * np.maximum(1.0, n)
        good = (n > 2) & (sxx > tiny) & (syy > tiny) & np.isfinite(c)
        vals = np.round(np.clip(np.where(good, c, 0.0), -1, 1), 4).tolist()
        return {k: (vals[j] if good[j] else None) for j, k in enumerate(self.node_ids[: self.n_ind])}

    def _corr_parts(self, X: np.ndarray, yfin: np.ndarray) -> tuple[np.ndarray, ...]:
        """What the correlations need from the normalised data alone, cached per (data, units
        with a score); the cached data is compared with the current data before reuse."""
        key = yfin.tobytes()
        hit = self._corr.get(key)
        if hit is not None and hit[0].shape == X.shape and np.array_equal(hit[0], X, equal_nan=True):
            return hit[2]
        ok = np.isfinite(X) & yfin[:, None]
        n = ok.sum(0).astype(np.float64)
        with np.errstate(all="ignore"):
            Xm = np.where(ok, X, 0.0)
            mx = Xm.sum(0) / n
            dx = np.where(ok, X - mx, 0.0)
            sxx = (dx * dx).sum(0)
        parts = (ok.astype(np.float64), n, dx, sxx)
        with self._lock:
            if len(self._corr) > 16:
                self._corr.clear()
            self._corr[key] = (np.array(X, dtype=np.float64, copy=True), yfin, parts)
        return parts

    # -- one unit ------------------------------------------------------------------------------
    def unit_ranks(self, V: np.ndarray, u: int) -> np.ndarray:
        """Rank of unit ``u`` at every node (1 = best, ties "min", NaN where it has no score):
        the row ``u`` of the engine's ``rank_scores(V)`` without ranking everyone."""
        from ..index.stats import tie_round

        R = tie_round(V, axis=0)
        mine = R[u]
        with np.errstate(invalid="ignore"):
            better = (R > mine).sum(0)
        return np.where(np.isfinite(mine), 1.0 + better, np.nan)

    def group_medians(self, V: np.ndarray) -> np.ndarray:
        """Median over units of each group node's score (NaN ignored; NaN when nobody has one),
        as ``np.nanmedian`` gives it."""
        G = np.where(np.isfinite(V[:, self.n_ind:]), V[:, self.n_ind:], np.nan)
        S = np.sort(G, axis=0)                       # NaN last
        cnt = np.isfinite(S).sum(0)
        lo = np.maximum((cnt - 1) // 2, 0)
        hi = np.maximum(cnt // 2, 0)
        cols = np.arange(S.shape[1])
        if not S.shape[0]:
            return np.full(S.shape[1], np.nan)
        with np.errstate(invalid="ignore"):
            med = (S[lo, cols] + S[hi, cols]) / 2.0
        return np.where(cnt > 0, med, np.nan)


def prepared(view: AssessmentView) -> Prepared:
    p = getattr(view, "_web_prepared", None)
    if p is None:
        p = Prepared(view)
        view._web_prepared = p      # built once; a race builds the same thing twice, harmlessly
    return p


def _f(x: float) -> float | None:
    return x if math.isfinite(x) else None


def unit_profile(view: AssessmentView, u: int, out: Any, res: Any) -> dict[str, Any]:
    """The settings-dependent part of a unit answer: node scores, ranks and medians,
    contributions, strengths and weaknesses (the shape of ``UnitResponse``)."""
    from ..index.explain import path_shares

    p = prepared(view)
    V = np.asarray(out.V, dtype=np.float64)
    ranks = p.unit_ranks(V, u)
    med = p.group_medians(V)
    share, exact = path_shares(res, u)
    vu = V[u].tolist()
    rk = ranks.tolist()
    raw = p.raw_X[p.raw_row[u]].tolist() if p.raw_row[u] is not None else [math.nan] * p.n_ind
    cons = []
    for j in range(p.n_ind):
        val = vu[j]
        fin = math.isfinite(val)
        cons.append({"indicator_id": p.node_ids[j], "name_zh": p.ind_names[j][0], "name_en": p.ind_names[j][1],
                     "group": p.ind_group[j], "raw": _f(raw[j]), "value": val if fin else None,
                     "weight_in_index": float(share[j]), "contribution": float(share[j]) * val if fin else 0.0,
                     "rank": int(round(rk[j])) if math.isfinite(rk[j]) else None})
    # the order of contributions(): contribution descending, stable
    cons.sort(key=lambda c: -c["contribution"])
    by_rank = sorted([c for c in cons if c["rank"] is not None], key=lambda c: (c["rank"], -c["contribution"]))
    mv = med.tolist()
    nodes = [{**row, "score": _f(vu[i]), "rank": int(round(rk[i])) if math.isfinite(rk[i]) else None,
              "median": _f(mv[i - p.n_ind])}
             for i, row in zip(range(p.n_ind, p.n_ind + p.groups), p.node_rows, strict=True)]
    root = p.root
    return {"score": _f(vu[root]), "rank": int(round(rk[root])) if math.isfinite(rk[root]) else None,
            "nodes": nodes, "contributions": cons, "exact_decomposition": bool(exact),
            "strengths": by_rank[:5], "weaknesses": by_rank[::-1][:5]}
