"""Benchmark: the demand-supply Monte Carlo of the default edition, 10,000 draws.

Times the vectorised path (parameter draws, simulation of every series for every draw and year,
medians and 90% quantiles, sensitivity ranking) and, in the same run, a baseline that evaluates
the same model one draw and one year at a time in Python; the two must agree. The inputs (capacity
series, run catalogue, token path) are prepared once outside the timings, as the stage does before
its Monte Carlo. Also reports the whole stage computation (reading and checking the inputs, the run
catalogue with its energy model, the checks) as ``stage_seconds``.

Last line: one JSON object with ``seconds`` (median of 5, target ≤ 2), ``baseline_seconds``,
``speedup``, ``draws``, ``stage_seconds``.
"""

from __future__ import annotations

import json
import math
import statistics
import time

import numpy as np


def main(draws: int = 10_000, repeats: int = 5) -> dict:
    from suanli.capacity.estimate import estimate, read_shipments
    from suanli.capacity.stage import load_catalog
    from suanli.demand import engine
    from suanli.demand.catalogue import read_anchors, read_runs, runs_table
    from suanli.demand.model import draws as make_draws
    from suanli.demand.model import prepare, sensitivity
    from suanli.demand.stage import compute
    from suanli.edition import load_edition

    ed = load_edition()
    cfg = ed.demand
    cat = load_catalog(ed)
    nat = estimate(read_shipments(ed.input_path(ed.capacity.shipments)), cat, ed.capacity).tables["capacity_national"]
    runs = runs_table(read_runs(ed.input_path(cfg.runs)), cat)
    anchors = read_anchors(ed.input_path(cfg.anchors))
    inp = prepare(cfg, runs, anchors, nat, cat, supply_synthetic=True)
    p = inp.prepared

    def vectorised():
        d = make_draws(cfg, draws)
        res = engine.simulate(p, d)
        summ = engine.summarise(res)
        sens = sensitivity(cfg, d, res, p.years)
        return d, res, summ, sens

    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        d, res, summ, _ = vectorised()
        times.append(time.perf_counter() - t)

    def baseline(d):
        """Same model, one draw and one year at a time."""
        n, ny = len(d["train_mfu"]), len(p.years)
        util = np.empty((n, ny))
        for i in range(n):
            tok_row = p.tokens.averages(np.array([d["token_backcast_growth"][i]]))[0]
            fpt = float(sum(s * f for s, f in zip(d["mix"][i], p.flop_per_token, strict=True)))
            u = d["supply_u"][i]
            for j, y in enumerate(p.years):
                if y < p.first_year:
                    base = p.first_value * d["train_backcast_growth"][i] ** (y - p.first_year)
                else:
                    base = p.train_base[j]
                c = base * d["coverage"][i] * d["experiments_multiplier"][i]
                tr = c / (engine.SECONDS_PER_YEAR * d["train_mfu"][i] * d["train_availability"][i]) / 1e18
                tok = tok_row[j] * d["token_scale"][i]
                out = tok * d["output_share"][i]
                cin = tok * (1 - d["output_share"][i]) * (1 - d["cached_share"][i])
                scale = d["peak_to_average"][i] / d["inf_availability"][i]
                inf = (cin * fpt / 86400 / d["mfu_prefill"][i] + out * fpt / 86400 / d["mfu_decode"][i]) * scale / 1e18
                lo, mode, hi = p.supply_lo[j], p.supply_mid[j], p.supply_hi[j]
                if hi > lo:
                    c_ = (mode - lo) / (hi - lo)
                    sup = (lo + math.sqrt(u * (hi - lo) * (mode - lo)) if u < c_
                           else hi - math.sqrt((1 - u) * (hi - lo) * (hi - mode)))
                else:
                    sup = mode
                util[i, j] = (tr + inf) / sup
        return np.quantile(util, [0.05, 0.5, 0.95], axis=0)

    t = time.perf_counter()
    q = baseline(d)
    base_s = time.perf_counter() - t
    np.testing.assert_allclose(q[1], summ["implied_utilisation"], rtol=1e-9)
    np.testing.assert_allclose(q[0], summ["implied_utilisation_lo"], rtol=1e-9)

    t = time.perf_counter()
    compute(ed, nat)
    stage_s = time.perf_counter() - t
    sec = statistics.median(times)
    return {"benchmark": "demand", "draws": draws, "years": int(len(p.years)), "seconds": round(sec, 4),
            "seconds_all": [round(x, 4) for x in times], "baseline_seconds": round(base_s, 3),
            "speedup": round(base_s / sec, 1), "stage_seconds": round(stage_s, 3), "target_seconds": 2.0,
            "meets_target": sec <= 2.0}


if __name__ == "__main__":
    res = main()
    print(f"demand Monte Carlo, {res['draws']:,} draws × {res['years']} years: {res['seconds']} s "
          f"(baseline per-draw loop {res['baseline_seconds']} s, {res['speedup']}×); whole stage {res['stage_seconds']} s")
    print(json.dumps(res))
