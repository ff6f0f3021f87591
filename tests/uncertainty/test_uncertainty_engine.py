"""The batched engine against a full pipeline rebuild per sample, every kind of input, rank statistics."""

import numpy as np
import pytest

from suanli.index.pipeline import build
from suanli.index.uncertainty import UncertaintySpec, prepare, rank_rows, run_uncertainty
from suanli.index.uncertainty.engine import _apply_alt, effective_weights_batch, tree_batch
from suanli.index.uncertainty.run import quantile_from_counts
from suanli.index.uncertainty.sampling import mc_design

ALL = [
    {"kind": "weights", "levels": [1, 2], "spread": 0.3},
    {"kind": "normalise", "alternatives": [{"params": {"l_u": [1, 100]}}, {"method": "zscore",
                                                                            "params": {"m_sd": [10, 1]}}]},
    {"kind": "aggregate", "levels": [2], "alternatives": ["amean", "gmean"]},
    {"kind": "aggregate", "name": "top aggregation", "levels": [3], "alternatives": ["amean", "hmean"]},
    {"kind": "impute", "alternatives": ["mean", {"method": "group_mean", "params": {"group": "region"}}]},
    {"kind": "treat", "on_off": True},
]


def _reference_ranks(prep, us, spec, data, row):
    """Full rebuild for one design row (what COINr does per sample)."""
    C, M, _ = prep.decode(row[None, :])
    sp = spec
    alts = {i.kind: i for i in us.inputs}
    from suanli.index.uncertainty.engine import _alternatives

    for kind, col in (("impute", 0), ("treat", 1), ("normalise", 2)):
        if kind in alts:
            sp = _apply_alt(sp, kind, _alternatives(alts[kind], spec, kind)[int(C[0, col])])
    base = build(sp, data)
    w = base.weights * M[0]
    by_level = {}
    for (_fi, (mask, objs)), c in zip(sorted(prep.agg_info.items()), C[0, 3:], strict=True):
        L = int(prep.fw.level[np.flatnonzero(mask)[0]])
        by_level[L] = {"method": objs[int(c)].name}
    sp = sp.replace("aggregate", by_level=by_level)
    r = build(sp, data, weights=dict(zip(prep.fw.ids, w, strict=True)))
    return np.nan_to_num(r.ranks[:, prep.fw.root], nan=0).astype(int)


@pytest.mark.parametrize("missing", [False, True])
def test_engine_equals_full_rebuild(toy, missing, pipe):
    fw, full, miss = toy
    data = miss if missing else full
    inputs = ALL if missing else [i for i in ALL if i["kind"] != "impute"]
    spec = pipe({"step": "impute", "method": "mean"}) if missing else pipe()
    us = UncertaintySpec.parse({"inputs": inputs, "samples": 10})
    prep = prepare(us, data, spec)
    U = mc_design(11, prep.n_dims, 0, 40)
    R = prep.evaluate(U)[:, prep.root_out]
    for s in range(len(U)):
        assert np.array_equal(R[s], _reference_ranks(prep, us, spec, data, U[s])), s


def test_nominal_reproduced_at_centre(toy, pipe):
    fw, full, _ = toy
    us = UncertaintySpec.parse({"inputs": [{"kind": "weights", "levels": [1, 2]}]})
    prep = prepare(us, full, pipe())
    R = prep.evaluate(np.full((3, prep.n_dims), 0.5))
    assert np.array_equal(R[0, prep.root_out], prep.nominal_ranks[prep.root_out])


def test_batched_tree_matches_effective_weights(toy, pipe):
    fw, full, _ = toy
    prep = prepare(UncertaintySpec.parse({"inputs": [{"kind": "weights", "levels": [1, 2]}]}), full, pipe())
    v = prep.variants[(0, 0, 0)]
    W = v.w * np.random.default_rng(1).uniform(0.5, 1.5, (50, fw.n_nodes))
    W[3, fw.pos("f")] = 0.0  # an excluded only child: its group drops out
    for p in (1.0, 0.0, -1.0):
        V = tree_batch(v.Xn, fw, W, np.full(fw.n_nodes, p))[:, :, fw.root - fw.n_ind]
        E = effective_weights_batch(W, fw, fw.root)
        from suanli.index.aggregate import power_transform, power_untransform

        assert np.allclose(V, power_untransform(E @ power_transform(v.Xn, p).T, p))


def test_rank_rows_ties_and_nan():
    V = np.array([[3.0, 1.0, 3.0, np.nan, 2.0]])
    assert rank_rows(V).tolist() == [[1, 4, 1, 0, 3]]


def test_type7_quantiles_from_counts():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 8, 501)
    C = np.bincount(x, minlength=8)[None, :]
    for q in (0.05, 0.5, 0.95, 0.33):
        assert quantile_from_counts(C, q)[0] == pytest.approx(np.quantile(x, q))


@pytest.mark.parametrize("inp", [
    {"kind": "weights", "levels": [2], "mode": "dirichlet", "concentration": 20},
    {"kind": "weights", "levels": [1], "spread": 0.5},
    {"kind": "normalise", "alternatives": [{"params": {"l_u": [1, 100]}}, "rank", "prank"]},
    {"kind": "aggregate", "alternatives": ["amean", "gmean", {"method": "genmean", "params": {"p": 2}}]},
    {"kind": "aggregate", "alternatives": ["amean", "topsis"]},
    {"kind": "treat", "alternatives": [{"params": {"winmax": 1}}, {"params": {"winmax": 3}}, {"method": "none"}]},
    {"kind": "exclude"},
    {"kind": "exclude", "indicators": ["a", "f"], "include_none": False},
    {"kind": "noise", "sd": 0.2},
    {"kind": "noise", "indicators": {"a": 0.1, "d": 0.3}, "relative_to": "value"},
])
def test_every_kind_of_input(toy, inp, pipe):
    fw, full, _ = toy
    res = run_uncertainty({"inputs": [inp], "samples": 300, "sobol": True, "sobol_n": 32, "bootstrap": 10},
                          full, pipe())
    ri = res.rank_intervals()
    assert len(ri) == full.n_units and (ri["q05"] <= ri["median_rank"]).all()
    assert (ri["median_rank"] <= ri["q95"]).all()
    assert ri["p_top10"].between(0, 1).all()
    pr = res.rank_probabilities()
    assert np.allclose(pr.groupby("unit_id")["probability"].sum(), 1.0)
    assert (ri["q95"] - ri["q05"]).max() > 0, "the input must move some rank"
    s = res.sobol
    assert set(s["input"]) == {res.prepared.factors[0].name}
    assert set(s["target"]) == {"rank", "mean_abs_rank_shift"}


def test_imputation_input_on_missing_data(toy, pipe):
    fw, _, miss = toy
    res = run_uncertainty({"inputs": [ALL[4]], "samples": 200}, miss, pipe({"step": "impute"}))
    assert res.counts.sum() == 200 * miss.n_units


def test_impute_none_alternative_skips_the_step(toy, pipe):
    fw, _, miss = toy
    us = UncertaintySpec.parse({"inputs": [{"kind": "impute", "alternatives": ["mean", "none"]}]})
    prep = prepare(us, miss, pipe({"step": "impute"}))
    assert np.isnan(prep.variants[(1, 0, 0)].Xn).any() and not np.isnan(prep.variants[(0, 0, 0)].Xn).any()


def test_extra_nodes_reported(toy, pipe):
    fw, full, _ = toy
    res = run_uncertainty({"inputs": [ALL[0]], "samples": 100, "nodes": ["g1", "g2"], "top_k": 3}, full, pipe())
    ri = res.rank_intervals()
    assert set(ri["node_id"]) == {"g1", "g2", "index"} and "p_top3" in ri


def test_sample_count_and_bounded_memory_chunks(toy, pipe):
    fw, full, _ = toy
    res = run_uncertainty({"inputs": [ALL[0]], "samples": 5000, "chunk_size": 1000}, full, pipe())
    assert res.counts[..., 1:].sum(-1).min() == 5000
