"""Running an uncertainty analysis: chunks of samples → rank statistics and Sobol indices.

Monte Carlo results are accumulated as a histogram ``counts[node, unit, rank]`` (rank 0 =
unranked), so memory does not grow with N and sums are exact integers whatever the chunking.
Median and 5%/95% quantiles are R's type-7 quantiles of the sampled ranks, read from the histogram.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..data import Dataset
from ..pipeline import PipelineSpec
from .dask import map_chunks
from .engine import Prepared, prepare
from .sampling import mc_design, sobol_design
from .sobol import sobol_indices
from .spec import UncertaintySpec

MARS = "mean_abs_rank_shift"


def _mc_chunk(prep: Prepared, start: int, stop: int) -> np.ndarray:
    """Histogram ``[n_out, U, U+1]`` of the ranks of samples ``start … stop−1``."""
    R = prep.evaluate(mc_design(prep.seed, prep.n_dims, start, stop))   # [S, n_out, U]
    n_out, U = R.shape[1], R.shape[2]
    off = (np.arange(n_out)[:, None] * U + np.arange(U)[None, :]) * (U + 1)
    idx = (R + off[None]).ravel()
    return np.bincount(idx, minlength=n_out * U * (U + 1)).reshape(n_out, U, U + 1)


def _design_chunk(prep: Prepared, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ranks of the index ``[S, U]`` (int16) and the mean absolute rank shift ``[S]`` for design rows."""
    R = prep.evaluate(rows)[:, prep.root_out, :]
    nom = prep.nominal_ranks[prep.root_out]
    both = (R > 0) & (nom > 0)[None, :]
    with np.errstate(invalid="ignore"):
        mars = np.where(both, np.abs(R - nom[None, :]), 0).sum(1) / both.sum(1)
    return R.astype(np.int16 if prep.n_units < 32000 else np.int32), mars


def quantile_from_counts(C: np.ndarray, q: float) -> np.ndarray:
    """R type-7 quantile of ranks 1…U from counts ``C[..., U+1]`` (column 0 = unranked ignored)."""
    c = C[..., 1:]
    n = c.sum(-1)
    cum = np.cumsum(c, -1)
    h = (n - 1) * q
    lo = np.floor(h).astype(np.int64)
    frac = h - lo

    def order_stat(k: np.ndarray) -> np.ndarray:  # 0-based k-th smallest rank
        return (cum > k[..., None]).argmax(-1) + 1.0

    with np.errstate(invalid="ignore"):
        x0 = order_stat(lo)
        x1 = order_stat(np.minimum(lo + 1, np.maximum(n - 1, 0)))
        out = x0 + frac * (x1 - x0)
    return np.where(n > 0, out, np.nan)


@dataclass
class UncertaintyResult:
    prepared: Prepared
    spec: UncertaintySpec
    counts: np.ndarray                    # [n_out, U, U+1]
    n_samples: int
    sobol: pd.DataFrame | None = None
    sobol_outputs: tuple[np.ndarray, np.ndarray] | None = None  # (ranks [rows, U], mars [rows])
    info: dict[str, Any] = field(default_factory=dict)

    # -- tables -----------------------------------------------------------------------------------
    def rank_intervals(self) -> pd.DataFrame:
        p, C = self.prepared, self.counts
        U = p.n_units
        n = C[..., 1:].sum(-1)
        ranks = np.arange(1, U + 1)
        k = self.spec.top_k
        frames = []
        for j, node in enumerate(p.out_nodes):
            c = C[j]
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = (c[:, 1:] * ranks).sum(1) / n[j]
                df = pd.DataFrame({
                    "unit_id": p.unit_ids, "unit_name": p.unit_names, "node_id": p.fw.ids[node],
                    "nominal_rank": np.where(p.nominal_ranks[j] > 0, p.nominal_ranks[j], np.nan),
                    "median_rank": quantile_from_counts(c, 0.5), "mean_rank": mean,
                    "q05": quantile_from_counts(c, 0.05), "q95": quantile_from_counts(c, 0.95),
                    "p_top10": c[:, 1:11].sum(1) / n[j],
                })
                if k != 10:
                    df[f"p_top{k}"] = c[:, 1:k + 1].sum(1) / n[j]
                nom = p.nominal_ranks[j]
                df["p_nominal_rank"] = np.where(nom > 0, c[np.arange(U), nom] / n[j], np.nan)
                df["p_unranked"] = c[:, 0] / self.n_samples
            df["rank_shift"] = df["median_rank"] - df["nominal_rank"]
            df["n_samples"] = self.n_samples
            frames.append(df)
        out = pd.concat(frames, ignore_index=True)
        return out.sort_values(["node_id", "nominal_rank", "unit_id"], kind="stable").reset_index(drop=True)

    def rank_probabilities(self) -> pd.DataFrame:
        """Long form: P(rank = r) for every unit, node and rank with a positive probability."""
        p, C = self.prepared, self.counts
        j, u, r = np.nonzero(C[..., 1:])
        n = C[..., 1:].sum(-1)
        df = pd.DataFrame({"node_id": np.array(p.fw.ids, dtype=object)[p.out_nodes[j]], "unit_id": p.unit_ids[u],
                           "rank": r + 1, "probability": C[j, u, r + 1] / n[j, u]})
        return df.sort_values(["node_id", "unit_id", "rank"], kind="stable").reset_index(drop=True)

    def inputs_table(self) -> pd.DataFrame:
        return pd.DataFrame([{"input": f.name, "kind": f.kind, "dims": f.dims,
                              "choices": " | ".join(f.choices) if f.kind != "weights" else f"{f.dims} node weights"}
                             for f in self.prepared.factors])

    def write(self, out: str | Path) -> list[Path]:
        from ...store import write_csv

        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        files = []
        for name, df in (("rank_intervals", self.rank_intervals()), ("rank_probabilities", self.rank_probabilities()),
                         ("inputs", self.inputs_table())):
            write_csv(df, out / f"{name}.csv")
            files.append(out / f"{name}.csv")
        if self.sobol is not None:
            write_csv(self.sobol, out / "sobol.csv")
            files.append(out / "sobol.csv")
        return files


def run_uncertainty(uspec: UncertaintySpec | dict, data: Dataset, pipeline: PipelineSpec | list | None, *,
                    previous: Dataset | None = None, client: Any = None, chunk_size: int | None = None,
                    progress: Callable[[str, int, int], None] | None = None) -> UncertaintyResult:
    """Monte Carlo rank intervals (and Sobol indices when ``spec.sobol``) for ``data`` under ``pipeline``.

    ``client``: a ``distributed.Client`` (see :func:`~suanli.index.uncertainty.dask.open_client`) or
    None for in-process. ``progress(phase, done, total)`` is called after every chunk."""
    uspec = UncertaintySpec.parse(uspec)
    pipeline = PipelineSpec.parse(pipeline)
    prep = prepare(uspec, data, pipeline, previous=previous)
    C = chunk_size or uspec.chunk_size
    N = uspec.samples
    tasks = [(a, min(a + C, N)) for a in range(0, N, C)]
    cb = (lambda d: progress("samples", d, len(tasks))) if progress else None
    parts = map_chunks(_mc_chunk, prep, tasks, client, cb)
    counts = np.sum(parts, axis=0)
    res = UncertaintyResult(prep, uspec, counts, N)
    if uspec.sobol:
        res.sobol, res.sobol_outputs = run_sobol(prep, uspec, client=client, chunk_size=C, progress=progress)
    return res


def run_sobol(prep: Prepared, uspec: UncertaintySpec, *, client: Any = None, chunk_size: int = 8192,
              progress: Callable[[str, int, int], None] | None = None
              ) -> tuple[pd.DataFrame, tuple[np.ndarray, np.ndarray]]:
    """Saltelli design (SALib) → ranks and mean absolute rank shift → S1/ST with bootstrap intervals."""
    D = sobol_design(prep.factors, uspec.sobol_n, uspec.seed)
    tasks = [(D[a:a + chunk_size],) for a in range(0, len(D), chunk_size)]
    cb = (lambda d: progress("sobol", d, len(tasks))) if progress else None
    parts = map_chunks(_design_chunk, prep, tasks, client, cb)
    R = np.concatenate([x[0] for x in parts]) if parts else np.zeros((0, prep.n_units), np.int16)
    mars = np.concatenate([x[1] for x in parts]) if parts else np.zeros(0)
    Y = np.column_stack([mars, np.where(R > 0, R, np.nan).astype(float)])
    # an unranked unit in some run has no rank there: use the worst rank + 1 (keeps runs aligned)
    Y = np.where(np.isnan(Y), prep.n_units + 1, Y)
    names = [f.name for f in prep.factors]
    s = sobol_indices(Y, names, num_resamples=uspec.bootstrap, conf_level=uspec.conf_level, seed=uspec.seed)
    root = prep.fw.root_id
    targets = [MARS] + ["rank"] * prep.n_units
    units = [""] + list(prep.unit_ids)
    rows = []
    for m in range(Y.shape[1]):
        for g, name in enumerate(names):
            rows.append({"target": targets[m], "node_id": root, "unit_id": units[m], "input": name,
                         "S1": s.S1[g, m], "S1_lo": s.S1_lo[g, m], "S1_hi": s.S1_hi[g, m], "S1_conf": s.S1_conf[g, m],
                         "ST": s.ST[g, m], "ST_lo": s.ST_lo[g, m], "ST_hi": s.ST_hi[g, m], "ST_conf": s.ST_conf[g, m],
                         "n_base": s.n_base, "n_runs": len(D)})
    return pd.DataFrame(rows), (R, mars)
