"""Determinism: the same edition gives byte-identical tables, whatever the process or Dask workers.

* Two full builds of the default edition, in separate processes with different ``PYTHONHASHSEED``
  (so set/dict iteration order cannot leak into outputs), into fresh folders (no reuse of a
  previous build): every ``tables/*.csv`` has the same SHA-256. The first is the session's shared
  default build (``PYTHONHASHSEED=1``, zh and en, every format), the second is built here
  (``PYTHONHASHSEED=2``, HTML only): report options must not change a table either.
* The uncertainty stage's Monte Carlo and Sobol tables recomputed in-process are byte-identical to
  the build's tables; and on a local Dask cluster of 1 worker and of 2 workers (with small chunks,
  so chunks really spread across the workers) they are byte-identical to the in-process run (with
  fewer samples: chunking and scheduling, not the sample count, is what Dask could change).
"""

from __future__ import annotations

import hashlib
import subprocess

import pytest
from reliability_helpers import tree_hashes


@pytest.fixture(scope="module")
def two_builds(default_build, tmp_path_factory, suanli_cmd_module, env_module):
    out = tmp_path_factory.mktemp("det2") / "out"
    env = dict(env_module, PYTHONHASHSEED="2")
    r = subprocess.run([*suanli_cmd_module, "build", "--out", str(out), "-q", "--formats", "html"], env=env,
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    return [default_build, out]


@pytest.fixture(scope="module")
def suanli_cmd_module():
    import sys

    return [sys.executable, "-m", "suanli"]


@pytest.fixture(scope="module")
def env_module():
    import os

    env = dict(os.environ)
    for k in ("SUANLI_FAULT", "SUANLI_PAUSE", "SUANLI_PAUSE_MARKER"):
        env.pop(k, None)
    return env


@pytest.mark.slow
def test_two_builds_give_identical_tables(two_builds):
    a, b = (tree_hashes(o) for o in two_builds)
    assert len(a) > 40, sorted(a)
    assert a == b, {k for k in a if a.get(k) != b.get(k)}
    print(f"determinism: {len(a)} tables byte-identical across two builds")


def test_a_pages_only_build_renders_no_figure_file(two_builds):
    """``--formats html``: the pages carry their charts themselves (plotly), so no PNG or SVG is drawn."""
    full, pages = two_builds
    assert (pages / "report.html").is_file() and not (pages / "report.pdf").exists()
    assert not (pages / "figures").exists() and not (pages / "tables.xlsx").exists()
    assert any((full / "figures").glob("*.svg"))


def _csv_bytes(df) -> bytes:
    """The bytes ``Store.write_table`` would write for ``df``."""
    import tempfile
    from pathlib import Path

    from suanli.store import write_csv

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "t.csv"
        write_csv(df, p)
        return p.read_bytes()


@pytest.mark.slow
def test_uncertainty_identical_with_0_1_2_dask_workers(two_builds):
    from suanli.edition import load_edition
    from suanli.index.uncertainty.dask import open_client
    from suanli.index.uncertainty.run import run_uncertainty
    from suanli.index.uncertainty.stage import _jobs
    from suanli.store.value_class import replace_status_columns

    ed = load_edition(None)
    jobs = list(_jobs(ed))
    assert jobs, "the default edition has no uncertainty section"
    built = two_builds[0] / "tables"
    results: dict[str, dict[str, str]] = {}
    for workers in ("build", None, 1, 2):
        with open_client(workers=None if workers == "build" else workers) as client:
            for name, cfg, _fw, panel, spec, us, y in jobs:
                if workers != "build":  # fewer samples (and Sobol base samples) for the Dask comparison
                    us = us.model_copy(update={"samples": min(us.samples, 240),
                                               **({"sobol_n": min(us.sobol_n, 16)} if us.sobol else {})})
                chunk = max(1, us.samples // 7)  # several chunks, unevenly sized, spread over the workers
                res = run_uncertainty(us, panel[y], spec, previous=panel.previous(y), client=client, chunk_size=chunk)
                synthetic = bool(ed.inputs[cfg.data].synthetic or ed.inputs[cfg.framework].synthetic)
                tabs = {"rank_intervals": res.rank_intervals(), "rank_probabilities": res.rank_probabilities()}
                if res.sobol is not None:
                    tabs["sobol"] = res.sobol
                for suffix, df in tabs.items():
                    df = df.copy()
                    df["year"] = y
                    df = replace_status_columns(df, synthetic=synthetic)
                    key = f"index_{name}_{suffix}"
                    results.setdefault(key, {})[str(workers)] = hashlib.sha256(_csv_bytes(df)).hexdigest()
    for key, by_workers in results.items():
        in_build = hashlib.sha256((built / f"{key}.csv").read_bytes()).hexdigest()
        assert by_workers.pop("build") == in_build, f"{key}: recomputed in-process, differs from the build's table"
        assert len(set(by_workers.values())) == 1, f"{key} differs by number of Dask workers: {by_workers}"
    print(f"determinism: {len(results)} uncertainty tables identical in-process, with 1 and with 2 Dask workers")
