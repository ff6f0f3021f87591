"""Start-up time of the command line: ``suanli --help`` against a bare ``python -c pass``.

Each is run 10 times as a subprocess (after one warm-up run that fills the OS file cache); the
medians are reported. The last stdout line is one JSON object:
``{"help_seconds", "python_seconds", "help_over_python", "group_help_seconds", "runs", "target_help_seconds"}``.
Target: ``help_seconds`` ≤ 0.3 (the CLI imports no pandas, numpy, scipy, plotly or Dask for help).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

RUNS = 10


def timed(cmd: list[str], runs: int = RUNS) -> float:
    subprocess.run(cmd, capture_output=True, check=True)  # warm-up
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def main() -> None:
    py = timed([sys.executable, "-c", "pass"])
    help_s = timed([sys.executable, "-m", "suanli", "--help"])
    groups = {g: timed([sys.executable, "-m", "suanli", *g.split(), "--help"], runs=5)
              for g in ("capacity", "index", "index uncertainty", "markets", "survey", "build", "serve")}
    for g, s in groups.items():
        print(f"suanli {g} --help: {s:.3f} s")
    print(f"python -c pass: {py:.3f} s; suanli --help: {help_s:.3f} s")
    print(json.dumps({"help_seconds": round(help_s, 4), "python_seconds": round(py, 4),
                      "help_over_python": round(help_s / py, 2),
                      "group_help_seconds": round(max(groups.values()), 4), "runs": RUNS,
                      "target_help_seconds": 0.3}))


if __name__ == "__main__":
    main()
