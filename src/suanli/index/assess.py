"""Run an assessment over years: one :class:`Result` per year, long results with rank changes,
weights, availability and audit tables, and a data-status label on every value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .audit import audit
from .data import Panel
from .pipeline import PipelineSpec, Result, build
from .ranks import group_ranks, rank_changes


@dataclass
class Assessment:
    panel: Panel
    spec: PipelineSpec
    results: dict[int | None, Result] = field(default_factory=dict)

    def __repr__(self) -> str:
        from .display import assessment_text

        return assessment_text(self)

    def _repr_html_(self) -> str:
        from .display import assessment_text, html_box

        return html_box(assessment_text(self))

    @property
    def framework(self):
        return self.panel.framework

    def latest(self) -> Result:
        return self.results[list(self.results)[-1]]

    def long(self, group: str | None = None) -> pd.DataFrame:
        """Every year's long results with score/rank changes vs the previous year."""
        fw = self.framework
        frames = []
        prev = None
        for y, r in self.results.items():
            df = r.to_long()
            if "year" not in df:
                df.insert(0, "year", y if y is not None else 0)
            if group and group in r.groups:
                df["group"] = np.repeat(r.groups[group], fw.n_nodes)
                df["group_rank"] = group_ranks(r.V, r.groups[group]).ravel()
            df["data_status"] = node_status(r).ravel()
            n_missing, n_imputed = node_gaps(r)
            df["missing_indicators"] = n_missing.ravel()
            df["imputed"] = (n_imputed > 0).ravel()
            cur = rank_changes(df, prev)
            frames.append(cur)
            prev = df
        out = pd.concat(frames, ignore_index=True)
        names = {k: fw.spec(k).name_zh or k for k in fw.ids}
        out.insert(out.columns.get_loc("node_id") + 1, "node_name", out["node_id"].map(names))
        return out.sort_values(["year", "level", "node_id", "rank", "unit_id"], ascending=[True, False, True, True, True],
                               kind="stable", na_position="last").reset_index(drop=True)

    def weights(self) -> pd.DataFrame:
        r = self.latest()
        df = self.framework.nodes_frame()
        df["weight"] = r.weights
        df["effective_weight"] = self.framework.effective_weights(r.weights)
        return df

    def availability(self) -> pd.DataFrame:
        frames = []
        for y, d in self.panel.years.items():
            a = d.availability()
            a.insert(0, "year", y if y is not None else 0)
            frames.append(a)
        return pd.concat(frames, ignore_index=True)

    def audit_table(self) -> pd.DataFrame:
        frames = []
        for y, r in self.results.items():
            s = audit(r)["indicator_stats"]
            s.insert(0, "year", y if y is not None else 0)
            frames.append(s)
        return pd.concat(frames, ignore_index=True)


def node_status(r: Result) -> np.ndarray:
    """[unit, node] data status: indicators from the data; a group is real/synthetic/target when all
    its indicators are, mixed when synthetic and other parts meet, else derived (e.g. stated and
    derived indicators of an open-data edition)."""
    fw = r.framework
    U = len(r.unit_ids)
    out = np.full((U, fw.n_nodes), "", dtype=object)
    spec_status = np.array([s.data_status or "" for s in fw.specs[: fw.n_ind]], dtype=object)
    ind = r.status if r.status is not None else np.tile(spec_status, (U, 1))
    ind = np.where(ind == "", spec_status, ind)
    raw = r.data["raw"]
    pos = {u: i for i, u in enumerate(raw.unit_ids)}
    missing = np.isnan(raw.X[[pos[u] for u in r.unit_ids]])
    ind = np.where(missing, "missing", ind)
    out[:, : fw.n_ind] = ind
    desc: dict[int, list[int]] = {i: [] for i in range(fw.n_nodes)}
    for j in range(fw.n_ind):
        for a in fw.ancestors(j):
            desc[a].append(j)
    for i in range(fw.n_ind, fw.n_nodes):
        for u in range(U):
            vals = {v for v in ind[u, desc[i]] if v != "missing"}
            if len(vals) == 1:
                out[u, i] = vals.pop()
            elif not vals:
                out[u, i] = "missing"
            else:  # 'mixed' means real and synthetic parts; a mix without synthetic is computed from sources
                out[u, i] = "mixed" if "synthetic" in vals else "derived"
    return out


def node_gaps(r: Result) -> tuple[np.ndarray, np.ndarray]:
    """[unit, node] counts of the indicators under each node that are missing in the raw data, and
    of those the pipeline's declared imputation filled (an indicator counts itself).

    They travel with every score so that a value resting on a gap is flagged wherever it is shown
    (``missing_indicators`` and ``imputed`` columns of the long results)."""
    fw = r.framework
    raw = r.data["raw"]
    pos = {u: i for i, u in enumerate(raw.unit_ids)}
    rows = [pos[u] for u in r.unit_ids]
    missing = np.isnan(raw.X[rows])
    imputed = np.zeros_like(missing)
    if "imputed" in r.data:
        d = r.data["imputed"]
        ipos = {u: i for i, u in enumerate(d.unit_ids)}
        imputed = missing & ~np.isnan(d.X[[ipos[u] for u in r.unit_ids]])
    member = np.zeros((fw.n_ind, fw.n_nodes), dtype=np.int64)
    for j in range(fw.n_ind):
        member[j, j] = 1
        for a in fw.ancestors(j):
            member[j, a] = 1
    return missing.astype(np.int64) @ member, imputed.astype(np.int64) @ member


def run_assessment(panel: Panel, spec: PipelineSpec | list[dict[str, Any]] | None, *,
                   years: list[int] | None = None) -> Assessment:
    spec = PipelineSpec.parse(spec)
    ys = [y for y in panel.year_list() if years is None or y in years]
    a = Assessment(panel, spec)
    for y in ys:
        a.results[y] = build(spec, panel[y], previous=panel.previous(y))
    return a
