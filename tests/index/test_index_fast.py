"""The Rescorer's array path for power means equals ``aggregate_tree`` bit for bit (scores,
effective weights, errors), on COINr's ASEM data (missing values, 51 units, 5 levels) and on a
framework whose groups have different numbers of children."""

from __future__ import annotations

import numpy as np
import pytest

from suanli.errors import InputError
from suanli.index.aggregate import AggregationPlan, aggregate_tree
from suanli.index.fast import Rescorer, TreeArrays
from suanli.index.pipeline import build, default_spec


def _random_weights(fw, rng, base):
    w = base.copy()
    idx = rng.choice(fw.n_nodes, size=min(8, fw.n_nodes), replace=False)
    w[idx] = np.round(rng.uniform(0, 1, len(idx)), 2)
    w[idx[:2]] = 0.0                     # zero weights: the renormalisation over available children
    return w


@pytest.mark.parametrize("norm, params", [(None, None), ("zscore", None), ("minmax", {"l_u": [1, 100]}),
                                          ("zscore", {"m_sd": [10, 2]}), ("rank", None)])
def test_array_path_equals_aggregate_tree_bit_for_bit(asem, norm, params):
    fw, data = asem
    rs = Rescorer(build(default_spec(), data.latest()))
    Xn = rs.normalised(norm, params)
    rng = np.random.default_rng(11)
    compared = 0
    for agg in (None, "amean", "gmean", "hmean", "genmean"):
        for dat in (None, 0.5, {2: 0.6, 3: 0.9}):
            plan, powers = rs.plan(agg, dat_thresh=dat)
            assert powers is not None
            for _ in range(6):
                try:
                    w = rs.weights(dict(zip(fw.ids, _random_weights(fw, rng, rs.base_weights), strict=True)))
                except InputError:
                    continue
                try:
                    ref = aggregate_tree(Xn, fw, w, plan, unit_ids=rs.unit_ids)
                except InputError:
                    ref = None
                V = rs.tree.scores(Xn, w, powers, plan.dat_thresh)
                if ref is None:
                    assert V is None              # declined: aggregate_tree raises the engine's error
                    continue
                assert V is not None
                np.testing.assert_array_equal(V, ref)
                np.testing.assert_array_equal(rs.tree.effective(w), fw.effective_weights(w))
                compared += 1
    assert compared >= 30


def test_rescorer_scores_are_the_engines_and_errors_word_for_word(asem):
    fw, data = asem
    r = build(default_spec(), data.latest())
    rs = Rescorer(r)
    np.testing.assert_array_equal(rs.scores(), r.V)
    g = fw.aggregate_ids[0]
    np.testing.assert_array_equal(rs.scores({g: 0.3}, "zscore"),
                                  aggregate_tree(rs.normalised("zscore"), fw, fw.weight_vector({g: 0.3}),
                                                 r.plan, unit_ids=rs.unit_ids))
    # gmean on a min-max 0-100 normalisation meets zeros: the engine's own error, not a silent NaN
    with pytest.raises(InputError) as fast_err:
        rs.scores(None, None, "gmean")
    with pytest.raises(InputError) as ref_err:
        aggregate_tree(rs.normalised(), fw, r.weights, AggregationPlan.simple("gmean", dat_thresh=r.plan.dat_thresh),
                       unit_ids=rs.unit_ids)
    assert str(fast_err.value) == str(ref_err.value)
    sib = fw.children[fw.root]
    zero = {fw.ids[c]: 0.0 for c in sib}
    with pytest.raises(InputError, match="have weight 0") as e1:
        rs.weights(zero)
    with pytest.raises(InputError) as e2:
        fw.weight_vector(zero)
    assert str(e1.value) == str(e2.value)
    with pytest.raises(InputError, match="unknown ids"):
        rs.weights({"no_such_node": 1.0})
    # methods that are not power means take the general path and still equal it
    for agg in ("topsis", "vikor", "copeland"):
        plan, powers = rs.plan(agg)
        assert powers is None
        np.testing.assert_array_equal(rs.scores(None, None, agg),
                                      aggregate_tree(rs.normalised(), fw, r.weights, plan, unit_ids=rs.unit_ids))


def test_tree_arrays_group_uneven_trees():
    """Groups of one level with different numbers of children go to different blocks."""
    from suanli.index.framework import framework_from_dict

    fw = framework_from_dict({"tree": {"id": "index", "children": [
        {"id": "g1", "weight": 2, "children": [{"id": "a"}, {"id": "b"}, {"id": "c"}]},
        {"id": "g2", "children": [{"id": "d", "weight": 3}]},
        {"id": "g3", "children": [{"id": "e"}, {"id": "f", "weight": 0.5}]}]}})
    ta = TreeArrays(fw)
    assert sorted(b.children.shape for b in ta.blocks) == [(1, 1), (1, 2), (1, 3), (1, 3)]
    X = np.random.default_rng(3).uniform(1, 100, (40, fw.n_ind))
    X[::7, 0] = np.nan
    X[::5, 3] = np.nan
    plan = AggregationPlan.simple("amean", dat_thresh=0.5)
    w = fw.weight_vector({"g1": 0.7, "e": 0.0})
    np.testing.assert_array_equal(ta.scores(X, w, ta.powers(plan), 0.5), aggregate_tree(X, fw, w, plan))
