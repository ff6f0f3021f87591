"""Benchmark: the energy stage on the default edition with 10,000 Monte Carlo draws.

``seconds``: median wall time of the whole energy stage (read the installed base from the store,
impute TDPs, 10,000 draws for the national, provincial, vendor, origin and CPU-server tables,
Sobol indices, reconciliation, claim checks, writing every table), after the capacity stage has
filled a fresh store (not timed); ``cpu_seconds``: the median CPU time of this process over the
same runs (all its threads), which a machine shared with other jobs inflates less than wall time.
``loop_speedup``: seconds per draw of a plain-Python per-draw loop over the same (year, province)
cells (``simulate_loop``) divided by seconds per draw of the vectorised simulation, both measured in
this run on the national cells; the two are checked equal. The last stdout line is one JSON object.

    .venv/bin/python benchmarks/energy.py [--repeat 3] [--loop-draws 100]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from suanli.capacity.stage import STAGE as CAPACITY
from suanli.edition import load_edition
from suanli.energy.model import factor_specs, simulate, simulate_loop
from suanli.energy.run import design
from suanli.energy.stage import STAGE as ENERGY
from suanli.stage import BuildContext
from suanli.store import Store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--loop-draws", type=int, default=100)
    args = ap.parse_args()
    ed = load_edition()
    ed.outputs.capacity_page = False
    assert ed.energy is not None and ed.energy.draws == 10_000, "the default edition runs 10,000 draws"
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        ctx = BuildContext(ed, Path(tmp), store)
        CAPACITY.run(ctx)
        times, cpu = [], []
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            ENERGY.run(ctx)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        # vectorised vs per-draw loop on the same cells and draws
        from suanli.energy.run import run_energy
        from suanli.energy.stage import load_inputs

        res = run_energy(load_inputs(ctx), ed.energy, ed.capacity)
        store.close()
    cells, ectx = res.cells["national"], res.ctx
    specs = factor_specs(ed.energy)
    X = design(ed.energy, specs)
    vec = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        v = simulate(X, specs, cells, ectx)
        vec.append(time.perf_counter() - t)
    t = time.perf_counter()
    lp = simulate_loop(X[: args.loop_draws], specs, cells, ectx)
    loop_s = time.perf_counter() - t
    for m in ("rated_it_mw", "it_twh", "facility_twh", "co2_mt"):
        np.testing.assert_allclose(v[m][: args.loop_draws], lp[m], rtol=1e-9)
    per_vec = statistics.median(vec) / len(X)
    per_loop = loop_s / args.loop_draws
    print(f"energy stage: {', '.join(f'{x:.2f}' for x in times)} s; vectorised {statistics.median(vec):.3f} s for "
          f"{len(X):,} draws; loop {loop_s:.2f} s for {args.loop_draws} draws")
    print(json.dumps({"seconds": round(statistics.median(times), 3), "cpu_seconds": round(statistics.median(cpu), 3),
                      "draws": len(X),
                      "loop_speedup": round(per_loop / per_vec, 1),
                      "vectorised_seconds": round(statistics.median(vec), 4), "loop_seconds_per_draw": round(per_loop, 5),
                      "repeat": args.repeat, "load_average_1min": round(os.getloadavg()[0], 2)}))


if __name__ == "__main__":
    main()
