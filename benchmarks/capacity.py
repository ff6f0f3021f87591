"""Benchmark: 10 million shipment rows → installed base by year × province × vendor.

suanli's path (``code_shipments`` + ``stock_by``: names resolved once per distinct value, one
``bincount`` per metric, a years × periods survival matrix product) against a straightforward
pandas baseline (merge with the catalog, groupby period × province × vendor, cross join with the
output years, survival weights, groupby again), in the same process on the same data; results are
checked equal. Memory: peak RSS of a child process that generates the data and runs suanli's
path only. Monte Carlo: ``mc_seconds`` is the median time of 1,000 interval draws on the default
edition (lifetimes, shipment and spec factors; one einsum), against a per-draw Python loop over the
same random inputs (``mc_loop_seconds``), results checked equal. The last stdout line is one JSON
object: seconds, peak_mb, speedup_vs_pandas, mc_seconds.

    .venv/bin/python benchmarks/capacity.py [--rows 10000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

import numpy as np
import pandas as pd

from suanli.capacity.catalog import Catalog
from suanli.capacity.config import CapacityConfig, SurvivalConfig
from suanli.capacity.engine import survival
from suanli.capacity.estimate import Grouper, code_shipments, read_shipments, stock_by

ACC = ["H20", "L20", "Ascend 910B (910B2)", "Ascend 910C", "A800 SXM4 80GB", "H800 SXM5", "A100 SXM4 80GB",
       "Tesla T4", "Tesla V100 SXM2 32GB", "MLU370-X8", "Kunlunxin RG800", "C500 (曦云C500)", "MTT S4000", "A10"]
CPU = ["Xeon Platinum 8480+", "Xeon Platinum 8468", "EPYC 9654", "Xeon Platinum 8380", "Xeon Gold 6248", "EPYC 7742"]
PROV = [f"省{i:02d}" for i in range(31)]
VEND = ["浪潮", "新华三", "宁畅", "超聚变", "华为", "联想", "中科曙光", "其他"]


def make_data(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    period = rng.integers(0, 14, n)
    acc = rng.integers(-1, len(ACC), n)  # -1: a general-purpose server without accelerators
    return pd.DataFrame({
        "period_year": (2019 + period // 2).astype(np.int64),
        "period_half": (1 + period % 2).astype(np.int64),
        "province": pd.Categorical.from_codes(rng.integers(0, len(PROV), n), PROV),
        "vendor": pd.Categorical.from_codes(rng.integers(0, len(VEND), n), VEND),
        "accelerator_model": pd.Categorical.from_codes(np.where(acc < 0, 0, acc + 1), ["", *ACC]),
        "accelerators_per_server": np.where(acc < 0, 0.0, 8.0),
        "cpu_model": pd.Categorical.from_codes(rng.integers(0, len(CPU), n), CPU),
        "cpus_per_server": np.full(n, 2.0),
        "servers": rng.integers(1, 50, n).astype(np.float64),
    })


def config() -> CapacityConfig:
    s = SurvivalConfig(kind="weibull", scale=5.0, shape=2.0)
    return CapacityConfig(years=(2020, 2025), survival_intelligent=s, survival_general=s)


def suanli_path(df: pd.DataFrame, cat: Catalog, cfg: CapacityConfig) -> pd.DataFrame:
    cs = code_shipments(df, cat, cfg)
    g = Grouper(cs, cat)
    out = {}
    for metric in ("intelligent", "general"):
        stock, _, labels, years = stock_by(cs, g, ["province", "vendor"], cfg, metric)
        out[metric] = pd.DataFrame(stock, index=years, columns=pd.MultiIndex.from_tuples(labels)).stack([0, 1],
                                                                                                     future_stack=True)
    res = pd.DataFrame(out)
    res.index.names = ["year", "province", "vendor"]
    return res.sort_index()


def pandas_path(df: pd.DataFrame, cat: Catalog, cfg: CapacityConfig) -> pd.DataFrame:
    fp = cat.fp16_equivalent(cfg.fp16_equivalent)[["model", "fp16_equiv_tflops"]]
    cpu = cat.cpus[["model", "fp64_peak_gflops"]]
    d = df.copy()
    d["accelerator_model"] = d["accelerator_model"].astype(str)
    d["cpu_model"] = d["cpu_model"].astype(str)
    d["province"] = d["province"].astype(str)
    d["vendor"] = d["vendor"].astype(str)
    m = d.merge(fp, left_on="accelerator_model", right_on="model", how="left")
    m = m.merge(cpu, left_on="cpu_model", right_on="model", how="left", suffixes=("", "_cpu"))
    m["intelligent"] = m["servers"] * m["accelerators_per_server"] * m["fp16_equiv_tflops"].fillna(0) * 1e12
    m["general"] = m["servers"] * m["cpus_per_server"] * m["fp64_peak_gflops"].fillna(0) * 1e9
    flow = m.groupby(["period_year", "period_half", "province", "vendor"], as_index=False)[
        ["intelligent", "general"]].sum()
    flow["placed"] = flow["period_year"] + np.where(flow["period_half"] == 2, 0.5, 0.0) + 0.25
    years = pd.DataFrame({"year": np.arange(cfg.years[0], cfg.years[1] + 1)})
    x = flow.merge(years, how="cross")
    x["s"] = survival((x["year"] + 1.0 - x["placed"]).to_numpy(), cfg.survival_intelligent)
    x["intelligent"] *= x["s"]
    x["general"] *= x["s"]
    return x.groupby(["year", "province", "vendor"])[["intelligent", "general"]].sum().sort_index()


def timed(fn, *args, repeat: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn(*args)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def child_peak(rows: int) -> None:
    df = make_data(rows)
    suanli_path(df, Catalog.bundled(), config())
    print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def mc_bench(draws: int, repeat: int) -> dict:
    """Monte Carlo intervals on the default edition: vectorised draws vs a per-draw loop."""
    from suanli.capacity import uncertainty as mc
    from suanli.capacity.engine import measurement_times
    from suanli.capacity.intervals import interval_draws, national_flows
    from suanli.edition import load_edition

    ed = load_edition()
    cfg = ed.capacity
    u = cfg.uncertainty.model_copy(update={"draws": draws})
    df = read_shipments(ed.input_path(cfg.shipments))
    cat = Catalog.bundled()
    nf = national_flows(code_shipments(df, cat, cfg), cat, cfg, u)
    years = np.arange(cfg.years[0], cfg.years[1] + 1)
    mc_s, _ = timed(interval_draws, nf, cfg, u, years, repeat=repeat)
    rng = np.random.default_rng(0)
    ev = measurement_times(years, cfg.stock_at)
    life, shape = rng.uniform(4.5, 6.5, draws), rng.uniform(3, 6, draws)
    spec = mc.spec_factors(rng, draws, nf.sigma_intelligent)
    yrs = np.unique(nf.period_years)
    ship = np.exp(rng.normal(0, 0.1, (draws, len(yrs))))
    yi = np.searchsorted(yrs, nf.period_years)

    def vectorised():
        return mc.stock_draws(nf.intelligent, spec, ship, yi, mc.weibull_survival(ev, nf.place, life, shape))

    def loop():
        out = np.empty((draws, len(years)))
        for d in range(draws):
            s = mc.weibull_survival(ev, nf.place, life[d:d + 1], shape[d:d + 1])[0]
            out[d] = s @ ((nf.intelligent @ spec[d]) * ship[d, yi])
        return out

    v_s, v = timed(vectorised, repeat=repeat)
    l_s, lp = timed(loop, repeat=1)
    if not np.allclose(v, lp, rtol=1e-9):
        raise SystemExit("Monte Carlo results differ between the vectorised core and the loop")
    return {"mc_draws": draws, "mc_seconds": round(mc_s, 4), "mc_core_seconds": round(v_s, 4),
            "mc_loop_seconds": round(l_s, 4)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--child-peak", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child_peak:
        child_peak(a.rows)
        return
    peak = json.loads(subprocess.run([sys.executable, __file__, "--rows", str(a.rows), "--child-peak"],
                                     capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
    cat, cfg = Catalog.bundled(), config()
    t0 = time.perf_counter()
    df = make_data(a.rows)
    print(f"generated {a.rows:,} rows in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    ours_s, ours = timed(suanli_path, df, cat, cfg, repeat=a.repeat)
    print(f"suanli: median {ours_s:.3f} s over {a.repeat}", file=sys.stderr)
    base_s, base = timed(pandas_path, df, cat, cfg, repeat=a.repeat)
    print(f"pandas merge+groupby: median {base_s:.3f} s over {a.repeat}", file=sys.stderr)
    joined = ours.join(base, lsuffix="_s", rsuffix="_p", how="outer").fillna(0.0)
    for m in ("intelligent", "general"):
        if not np.allclose(joined[f"{m}_s"], joined[f"{m}_p"], rtol=1e-9, atol=1e3):
            raise SystemExit(f"results differ for {m}")
    groups = int(len(ours))
    del df, ours, base, joined
    mcr = mc_bench(a.draws, a.repeat)
    print(f"Monte Carlo {a.draws} draws: median {mcr['mc_seconds']:.3f} s (loop {mcr['mc_loop_seconds']:.3f} s)",
          file=sys.stderr)
    print(json.dumps({"rows": a.rows, "groups": groups,
                      "seconds": round(ours_s, 4), "baseline_seconds": round(base_s, 4),
                      "peak_mb": round(peak["peak_mb"], 1), "speedup_vs_pandas": round(base_s / ours_s, 2), **mcr}))


if __name__ == "__main__":
    main()
