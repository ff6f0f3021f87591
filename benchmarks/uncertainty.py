"""Benchmark of the uncertainty engine. Last stdout line: one JSON object.

(a) roofline_ratio: 300 units × 40 indicators × 100,000 weight samples (indicator and group weights
    ×U(0.75, 1.25), arithmetic mean): engine wall seconds / (numpy matmul of the same shapes + batched
    ranking by double argsort), both in this run. Target ≤ 2.
(b) loop_speedup: the same 1,000 samples through a loop that rebuilds the full index per sample (as
    COINr's get_sensitivity does) vs the engine, per sample. Target ≥ 100.
(c) sobol_asem_seconds: COINr's sensitivity example on ASEM (Saltelli N = 500, 3,000 runs, S1/ST of
    the mean absolute rank shift with bootstrap intervals), wall seconds from spec to indices. Target ≤ 0.3.
(d) dask_overhead_seconds: (a) on a 2-worker LocalCluster minus (a) in-process (cluster start excluded).
Medians of repeated runs.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from suanli.index.data import Dataset
from suanli.index.framework import framework_from_dict
from suanli.index.pipeline import PipelineSpec, build, default_spec
from suanli.index.uncertainty import UncertaintySpec, open_client, run_uncertainty
from suanli.index.uncertainty.run import _mc_chunk

ASEM = Path(__file__).resolve().parents[1] / "tests" / "data" / "coinr_asem"


def timed(fn, repeat=3):
    ts = []
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), out


def problem_a():
    groups = [{"id": f"g{g}", "children": [{"id": f"x{g}_{i}"} for i in range(5)]} for g in range(8)]
    fw = framework_from_dict({"id": "bench", "tree": {"id": "index", "children": groups}})
    rng = np.random.default_rng(0)
    X = rng.lognormal(0, 0.5, (300, 40))
    ds = Dataset(fw, np.array([f"u{i}" for i in range(300)]), X)
    spec = default_spec()  # COINr's default pipeline: treat (skew/kurtosis rule), min-max 0-100, amean
    return fw, ds, spec


def main() -> None:
    n_a = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    fw, ds, spec = problem_a()
    us = UncertaintySpec.parse({"inputs": [{"kind": "weights", "levels": [1, 2], "spread": 0.25}],
                                "samples": n_a, "seed": 1, "chunk_size": 8192})
    t_engine, res = timed(lambda: run_uncertainty(us, ds, spec), 3)

    # roofline: same shapes, effective weights given, matmul + batched ranking
    Xn = res.prepared.variants[(0, 0, 0)].Xn
    Weff = np.random.default_rng(2).random((n_a, 40))
    Weff /= Weff.sum(1, keepdims=True)

    def roof():
        for a in range(0, n_a, 8192):
            V = Weff[a:a + 8192] @ Xn.T
            np.argsort(np.argsort(-V, axis=1), axis=1)
    t_roof, _ = timed(roof, 3)

    # (b) loop rebuilding the full index per sample vs engine, 1,000 samples
    from suanli.index.uncertainty.sampling import mc_design

    prep = res.prepared
    U = mc_design(1, prep.n_dims, 0, 1000)
    _, M, _ = prep.decode(U)
    W = prep.variants[(0, 0, 0)].w * M

    def loop():
        for s in range(200):  # 200 of the 1,000 (per-sample time is what counts)
            build(spec, ds, weights=dict(zip(fw.ids, W[s], strict=True)))
    t_loop, _ = timed(loop, 1)
    t_loop_per = t_loop / 200
    t_eng1k, _ = timed(lambda: _mc_chunk(prep, 0, 1000), 5)
    speedup = t_loop_per / (t_eng1k / 1000)

    # (c) COINr's sensitivity example on ASEM
    t_sobol = float("nan")
    if ASEM.exists():
        from suanli.index.data import read_data
        from suanli.index.framework import load_framework
        from suanli.index.uncertainty.engine import prepare
        from suanli.index.uncertainty.run import run_sobol

        afw = load_framework(ASEM / "ASEM_iMeta.csv")
        ads = read_data(ASEM / "ASEM_iData.csv", afw).latest()
        aspec = PipelineSpec.parse([
            {"step": "denominate"}, {"step": "impute", "method": "group_mean", "params": {"group": "EurAsia_group"}},
            {"step": "screen", "dat_thresh": 0.9}, {"step": "treat"}, {"step": "normalise"}, {"step": "aggregate"}])
        aus = UncertaintySpec.parse({"inputs": [
            {"kind": "treat", "name": "winsorisation", "alternatives": [{"params": {"winmax": k}} for k in range(1, 6)]},
            {"kind": "normalise", "alternatives": [{"method": "minmax", "params": {"l_u": [1, 100]}},
                                                   {"method": "zscore", "params": {"m_sd": [10, 2]}}]},
            {"kind": "weights", "levels": [2, 3], "spread": 0.25},
            {"kind": "aggregate", "alternatives": ["amean", "gmean"]}],
            "sobol": True, "sobol_n": 500, "bootstrap": 100, "seed": 1})

        def sa():
            p = prepare(aus, ads, aspec)
            return run_sobol(p, aus)
        t_sobol, (sob, (R, _)) = timed(sa, 5)
        assert len(R) == 3000
        m = sob[sob.target == "mean_abs_rank_shift"]
        print(m[["input", "S1", "S1_lo", "S1_hi", "ST", "ST_lo", "ST_hi"]].to_string(index=False))

    # (d) Dask overhead for (a)
    with open_client(workers=2) as client:
        run_uncertainty(dict(us.model_dump(), samples=8192), ds, spec, client=client)  # warm up workers
        t_dask, res_d = timed(lambda: run_uncertainty(us, ds, spec, client=client), 3)
    assert np.array_equal(res_d.counts, res.counts), "Dask result differs from local"

    out = {
        "engine_seconds": round(t_engine, 4), "roofline_seconds": round(t_roof, 4),
        "roofline_ratio": round(t_engine / t_roof, 3),
        "loop_seconds_per_sample": round(t_loop_per, 6), "engine_seconds_per_sample": round(t_eng1k / 1000, 8),
        "loop_speedup": round(speedup, 1),
        "sobol_asem_seconds": round(t_sobol, 4),
        "dask_seconds": round(t_dask, 4), "dask_overhead_seconds": round(t_dask - t_engine, 4),
        "samples": n_a, "units": 300, "indicators": 40,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
