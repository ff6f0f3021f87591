"""Aggregators: hand computations, COINr's missing-data rule and threshold, published TOPSIS example,
batch = single, clear errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from suanli.errors import InputError
from suanli.index.aggregate import (
    AGGREGATORS,
    AggContext,
    aggregate_tree,
    aggregate_tree_batch,
    benefit_of_the_doubt,
    grey_relational,
    mazziotta_pareto,
    outranking_matrix,
    topsis,
    vikor,
)

Y = np.array([[1.0, 4.0, np.nan], [2.0, 2.0, 8.0]])
w = np.array([1.0, 3.0, 4.0])


def test_amean_skips_nan_and_renormalises():
    y = AGGREGATORS.create("amean").aggregate(Y, w)
    assert y[0] == pytest.approx((1 * 1 + 3 * 4) / 4)
    assert y[1] == pytest.approx((2 + 6 + 32) / 8)


def test_gmean_hmean_genmean_hand():
    g = AGGREGATORS.create("gmean").aggregate(Y, w)
    assert g[0] == pytest.approx(math.exp((1 * math.log(1) + 3 * math.log(4)) / 4))
    h = AGGREGATORS.create("hmean").aggregate(Y, w)
    assert h[1] == pytest.approx(8 / (1 / 2 + 3 / 2 + 4 / 8))
    p = AGGREGATORS.create("genmean", {"p": 2}).aggregate(Y, w)
    assert p[0] == pytest.approx(math.sqrt((1 + 3 * 16) / 4))  # COINr's a_genmean has no na.rm; we do


def test_gmean_nonpositive_names_values_and_suggests():
    with pytest.raises(InputError) as e:
        AGGREGATORS.create("gmean").aggregate(np.array([[0.0, 2.0], [1.0, -1.0]]), np.ones(2),
                                              AggContext(np.array(["x", "y"]), ["a", "b"], "g"))
    msg = str(e.value)
    assert "unit 'x', 'a' = 0" in msg and "unit 'y', 'b' = -1" in msg and "l_u: [1, 100]" in msg
    with pytest.raises(InputError, match="zero"):
        AGGREGATORS.create("hmean").aggregate(np.array([[0.0, 2.0]]), np.ones(2))


def test_tree_and_dat_thresh(fw, ds):
    from suanli.index.pipeline import NormaliseStep, normalise_data

    Xn = normalise_data(ds.X, fw, NormaliseStep(), ds.unit_ids)
    Xn[0, 0] = np.nan  # u1 misses 'a'
    V = aggregate_tree(Xn, fw)
    g1 = fw.pos("g1")
    assert V[0, g1] == pytest.approx(Xn[0, 1])  # only 'b' available
    assert V[1, g1] == pytest.approx((Xn[1, 0] + 2 * Xn[1, 1]) / 3)
    root = fw.pos("index")
    assert V[1, root] == pytest.approx((V[1, g1] + 3 * V[1, fw.pos("g2")]) / 4)
    V2 = aggregate_tree(Xn, fw, dat_thresh=0.6)  # 1/2 available < 0.6 → NaN (COINr: share < thresh)
    assert np.isnan(V2[0, g1]) and not np.isnan(V2[1, g1])
    assert np.isnan(V2[0, root])  # the index then has 1 of 2 children: also below 0.6
    V3 = aggregate_tree(Xn, fw, dat_thresh=0.5)  # equal to the threshold passes
    assert not np.isnan(V3[0, g1])


def test_weights_by_id_not_position(fw, ds):
    from suanli.index.pipeline import NormaliseStep, normalise_data

    Xn = normalise_data(ds.X, fw, NormaliseStep(), ds.unit_ids)
    a = aggregate_tree(Xn, fw, {"b": 5.0, "g2": 1.0})
    b = aggregate_tree(Xn, fw, {"g2": 1.0, "b": 5.0})
    assert np.array_equal(a, b)
    with pytest.raises(InputError, match="unknown ids: zz"):
        aggregate_tree(Xn, fw, {"zz": 1.0})


@pytest.mark.parametrize("p", [1.0, 0.0, -1.0, 2.0])
def test_batch_equals_single(fw, ds, p):
    from suanli.index.aggregate import AggregationPlan, GenMean
    from suanli.index.pipeline import NormaliseStep, normalise_data

    Xn = normalise_data(ds.X, fw, NormaliseStep(params={"l_u": [1, 100]}), ds.unit_ids)
    Xn[2, 3] = np.nan
    rng = np.random.default_rng(0)
    W = rng.uniform(0.1, 2, size=(7, fw.n_nodes))
    B = aggregate_tree_batch(Xn, fw, W, p=p, dat_thresh=0.4)
    for s in range(7):
        V = aggregate_tree(Xn, fw, W[s], AggregationPlan(GenMean(p=p)), dat_thresh=0.4)
        np.testing.assert_allclose(B[s], V[:, fw.n_ind:], rtol=1e-12, atol=1e-12)


def test_topsis_published_example():
    # Hwang & Yoon (1981) fighter-aircraft example: 4 alternatives × 6 criteria, criterion 4 a cost.
    # 0.643 and 0.268 as printed in the literature; 0.614 and 0.312 recomputed here (not checked in print).
    X = np.array([[2.0, 1500, 20000, 5.5, 5, 9], [2.5, 2700, 18000, 6.5, 3, 5], [1.8, 2000, 21000, 4.5, 7, 7],
                  [2.2, 1800, 20000, 5.0, 5, 5]])
    c = topsis(X, np.array([0.2, 0.1, 0.1, 0.1, 0.2, 0.3]), np.array([1, 1, 1, -1, 1, 1]))
    np.testing.assert_allclose(c, [0.643, 0.268, 0.614, 0.312], atol=6e-4)
    assert list(np.argsort(-c)) == [0, 2, 3, 1]


def test_topsis_published_example_papathanasiou_ploskas_2018():
    """Papathanasiou, J. & Ploskas, N. (2018). TOPSIS. In Multiple Criteria Decision Aid, pp. 1-30,
    Springer: 6 alternatives × 4 benefit criteria, weights 0.4/0.3/0.1/0.2, vector normalisation;
    published closeness coefficients 0.387, 0.327, 0.391, 0.615, 0.868, 0.493."""
    X = np.array([[8, 7, 2, 1], [5, 3, 7, 5], [7, 5, 6, 4], [9, 9, 7, 3], [11, 10, 3, 7], [6, 9, 5, 4]], float)
    c = topsis(X, np.array([0.4, 0.3, 0.1, 0.2]))
    np.testing.assert_array_equal(np.round(c, 3), [0.387, 0.327, 0.391, 0.615, 0.868, 0.493])


def test_topsis_hand_two_units():
    # two units, two equal-weight criteria; vector norms 5 and 5: R = [[3/5, 4/5],[4/5, 3/5]] (×0.5)
    c = topsis(np.array([[3.0, 4.0], [4.0, 3.0]]), np.array([1.0, 1.0]))
    assert np.allclose(c, [0.5, 0.5])
    c = topsis(np.array([[1.0, 1.0], [0.0, 0.0], [0.5, 0.5]]), np.ones(2))
    assert np.allclose(c, [1.0, 0.0, 0.5])


def test_vikor_hand():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    S, R, Q = vikor(X, np.array([1.0, 1.0]), v=0.5)
    assert np.allclose(S, [0.5, 0.5, 0.5]) and np.allclose(R, [0.5, 0.5, 0.25])
    assert np.allclose(Q, [0.5, 0.5, 0.0])  # compromise unit wins (lower Q)


def test_gra_hand():
    X = np.array([[1.0, 1.0], [0.0, 0.5]])
    # Δ = [[0,0],[1,0.5]]; Δmin 0, Δmax 1; ξ = 0.5/(Δ+0.5)
    g = grey_relational(X, np.ones(2), rho=0.5)
    assert np.allclose(g, [1.0, (0.5 / 1.5 + 0.5 / 1.0) / 2])


def test_mpi_hand():
    X = np.array([[1.0, 3.0], [3.0, 1.0], [2.0, 2.0]])
    m = mazziotta_pareto(X, np.ones(2))
    # z: col mean 2, pop sd sqrt(2/3): unit 3 = 100,100 → MPI 100; units 1, 2 penalised equally
    assert m[2] == pytest.approx(100) and m[0] == pytest.approx(m[1]) and m[0] < 100
    z = 10 / math.sqrt(2 / 3)
    assert m[0] == pytest.approx(100 - z * z / 100)
    a = mazziotta_pareto(X, np.ones(2), variant="ampi")
    assert a[2] == pytest.approx(100) and a[0] == pytest.approx(100 - 30 * 0.3)


def test_bod_hand():
    s, W = benefit_of_the_doubt(np.array([[1.0, 0.0], [0.0, 1.0], [0.4, 0.4], [0.5, 0.5]]))
    assert np.allclose(s, [1, 1, 0.8, 1.0])
    with pytest.raises(InputError, match="negative"):
        AGGREGATORS.create("bod").aggregate(np.array([[-1.0, 1.0], [1.0, 1.0]]), np.ones(2))


def test_copeland_hand():
    X = np.array([[3.0, 3.0], [2.0, 2.0], [1.0, 4.0]])
    om = outranking_matrix(X, np.ones(2))
    assert om[0, 1] == 1 and om[0, 2] == 0.5 and om[1, 2] == 0.5
    c = AGGREGATORS.create("copeland").aggregate(X, np.ones(2))
    assert list(c) == [1, -1, 0]


def test_vikor_unit_without_any_criterion_does_not_blank_the_others():
    # unit 3 has no value at all (a whole group missing): it gets NaN, the others keep the scores
    # they would have without it (S/R ranges over units with data only)
    X = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [np.nan, np.nan]])
    S, R, Q = vikor(X, np.array([1.0, 1.0]), v=0.5)
    assert np.allclose(Q[:3], [0.5, 0.5, 0.0]) and np.isnan(Q[3])
    assert np.allclose(S[:3], [0.5, 0.5, 0.5]) and np.isnan(S[3]) and np.isnan(R[3])
    # partly missing: weights renormalised over the unit's criteria
    S2, R2, Q2 = vikor(np.array([[1.0, 0.0], [0.0, np.nan], [0.5, 1.0]]), np.array([1.0, 1.0]))
    assert np.allclose(S2, [0.5, 1.0, 0.25]) and np.isfinite(Q2).all()


def test_vikor_tree_scores_every_unit_with_data(fw):
    from suanli.index.aggregate import aggregate_tree

    rng = np.random.default_rng(1)
    Xn = rng.uniform(0, 100, (6, 4))
    Xn[2, 2:] = np.nan     # unit 2 lacks the whole group g2
    V = aggregate_tree(Xn, fw, None, "vikor")
    g2 = V[:, fw.index["g2"]]
    assert np.isnan(g2[2]) and np.isfinite(np.delete(g2, 2)).all()   # only the unit without g2 data is blank there
    assert np.isfinite(V[:, fw.index["index"]]).all()                 # every unit has some data: every unit is scored


def test_aggregation_that_scores_nobody_is_an_error(fw):
    from suanli.index.aggregate import AGGREGATORS, AggregationPlan, Aggregator, aggregate_tree

    class Nothing(Aggregator):
        name = "nothing_for_test"

        def aggregate(self, Y, w, ctx=None):
            return np.full(len(Y), np.nan)

    with pytest.raises(InputError, match="'nothing_for_test' in group 'g1' scored no unit although 3 unit"):
        aggregate_tree(np.ones((3, 4)), fw, None, AggregationPlan(Nothing()))
    assert "nothing_for_test" not in AGGREGATORS.names()
