"""Determinism across chunk sizes and 1 vs 2 Dask workers (one LocalCluster each per module); CLI; stage."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from suanli.index.uncertainty import open_client, run_uncertainty

SPEC = {"inputs": [{"kind": "weights", "levels": [1, 2], "spread": 0.3},
                   {"kind": "normalise", "alternatives": [{"params": {"l_u": [1, 100]}},
                                                          {"method": "zscore", "params": {"m_sd": [10, 1]}}]},
                   {"kind": "aggregate", "alternatives": ["amean", "gmean"]},
                   {"kind": "noise", "indicators": ["a", "b"], "sd": 0.1}],
        "samples": 2500, "sobol": True, "sobol_n": 64, "bootstrap": 20, "seed": 42}


def _frames(res):
    return res.rank_intervals(), res.rank_probabilities(), res.sobol


def _same(r1, r2):
    for a, b in zip(_frames(r1), _frames(r2), strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert np.array_equal(r1.counts, r2.counts)


@pytest.fixture(scope="module")
def reference(toy, pipe):
    fw, full, _ = toy
    return run_uncertainty(SPEC, full, pipe(), chunk_size=4096)


@pytest.mark.parametrize("chunk", [1, 333, 1000])
def test_chunk_size_does_not_change_results(toy, pipe, reference, chunk):
    fw, full, _ = toy
    spec = dict(SPEC, samples=2500 if chunk > 1 else 300, sobol=chunk > 1)
    res = run_uncertainty(spec, full, pipe(), chunk_size=chunk)
    if chunk == 1:
        ref = run_uncertainty(spec, full, pipe(), chunk_size=128)
        assert np.array_equal(res.counts, ref.counts)
    else:
        _same(res, reference)


def test_seed_changes_results(toy, pipe, reference):
    fw, full, _ = toy
    res = run_uncertainty(dict(SPEC, seed=43), full, pipe())
    assert not np.array_equal(res.counts, reference.counts)


@pytest.fixture(scope="module")
def clients():
    with open_client(workers=1) as c1, open_client(workers=2) as c2:
        yield c1, c2


def test_dask_one_and_two_workers_equal_local(toy, pipe, reference, clients):
    fw, full, _ = toy
    c1, c2 = clients
    r1 = run_uncertainty(SPEC, full, pipe(), client=c1, chunk_size=700)
    r2 = run_uncertainty(SPEC, full, pipe(), client=c2, chunk_size=500)
    _same(r1, reference)
    _same(r2, reference)


def test_scheduler_address(toy, pipe, clients):
    fw, full, _ = toy
    addr = clients[1].scheduler.address
    with open_client(scheduler=addr) as c:
        res = run_uncertainty(dict(SPEC, sobol=False, samples=300), full, pipe(), client=c)
    assert res.counts[0, :, 1:].sum(-1).min() == 300


def _write_toy(tmp: Path, toy) -> tuple[Path, Path]:
    import yaml

    fw, full, _ = toy
    f = tmp / "fw.yaml"
    f.write_text(yaml.safe_dump({"id": "toy", "method": [{"step": "treat"}, {"step": "normalise",
                                                                               "params": {"l_u": [1, 100]}},
                                                          {"step": "aggregate"}],
                                 "tree": {"id": "index", "children": [
                                     {"id": "g1", "children": [{"id": "a"}, {"id": "b", "weight": 2}, {"id": "c"}]},
                                     {"id": "g2", "weight": 2, "children": [{"id": "d", "direction": -1}, {"id": "e"}]},
                                     {"id": "g3", "children": [{"id": "f"}]}]}}), encoding="utf-8")
    d = tmp / "data.csv"
    full.frame().to_csv(d, index=False)
    return f, d


def _cli(*args):
    return subprocess.run([str(Path(sys.executable).parent / "suanli"), *args], capture_output=True, text=True)


def test_cli_writes_tables(tmp_path, toy):
    f, d = _write_toy(tmp_path, toy)
    spec = tmp_path / "u.yaml"
    spec.write_text("inputs:\n  - {kind: weights, levels: [1, 2]}\n  - {kind: aggregate, alternatives: [amean, gmean]}\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    p = _cli("index", "uncertainty", str(f), str(d), "--samples", "500", "--sobol", "--sobol-n", "32",
             "--seed", "3", "--spec", str(spec), "--out", str(out))
    assert p.returncode == 0, p.stderr
    ri = pd.read_csv(out / "rank_intervals.csv")
    assert {"unit_id", "node_id", "nominal_rank", "median_rank", "q05", "q95", "p_top10"} <= set(ri.columns)
    s = pd.read_csv(out / "sobol.csv")
    assert set(s["input"]) == {"weights L1+2", "aggregation"}
    # a choice that does not apply: exit 2 with a message, no traceback
    bad = tmp_path / "bad.yaml"
    bad.write_text("inputs:\n  - {kind: impute, alternatives: [mean, median]}\n", encoding="utf-8")
    p = _cli("index", "uncertainty", str(f), str(d), "--samples", "10", "--spec", str(bad), "--out", str(out))
    assert p.returncode == 2 and "no 'impute' step" in (p.stderr + p.stdout) and "Traceback" not in p.stderr
    p = _cli("index", "uncertainty", str(f), str(d), "--workers", "1", "--scheduler", "tcp://x:1", "--out", str(out))
    assert p.returncode == 2


def test_stage_on_default_edition(tmp_path):
    from suanli.builder import BuildContext, stages
    from suanli.edition import load_edition
    from suanli.index.uncertainty.stage import STAGE
    from suanli.store import Store

    assert "uncertainty" in [s.name for s in stages()]
    ed = load_edition()
    assert STAGE.applies(ed)
    st = Store(tmp_path)
    STAGE.run(BuildContext(ed, tmp_path, st))
    for name in ("city", "industry"):
        ri = st.read_table(f"index_{name}_rank_intervals")
        assert {"unit_id", "node_id", "nominal_rank", "median_rank", "q05", "q95", "p_top10", "value_class"} <= set(ri)
        s = st.read_table(f"index_{name}_sobol")
        assert (s["target"] == "mean_abs_rank_shift").any()
