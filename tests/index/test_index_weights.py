"""Weighting methods: entropy (by hand and Xu 2004), AHP RI/CR published example, CRITIC (by hand and Tuş & Aytaç Adalı 2019), PCA recipe, optimised."""

from __future__ import annotations

import math

import numpy as np
import pytest

from suanli.errors import InputError
from suanli.index.weights import (
    RANDOM_INDEX,
    WEIGHTERS,
    WeightContext,
    ahp_weights,
    critic_weights,
    entropy_weights,
    pca_weights,
    varimax,
)


def test_entropy_hand():
    # column 1 constant → e = 1 → weight 0; column 2 = (1, 3): p = (1/4, 3/4), e = −(¼ln¼ + ¾ln¾)/ln2
    X = np.array([[2.0, 1.0], [2.0, 3.0]])
    e2 = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75)) / math.log(2)
    w = entropy_weights(X)
    assert w[0] == pytest.approx(0) and w[1] == pytest.approx(1)
    X = np.array([[0.0, 1.0, 1.0], [1.0, 3.0, 1.0], [1.0, 0.0, 2.0]])
    d = []
    for j in range(3):
        p = X[:, j] / X[:, j].sum()
        d.append(1 + sum(v * math.log(v) for v in p if v > 0) / math.log(3))
    np.testing.assert_allclose(entropy_weights(X), np.array(d) / sum(d), rtol=1e-12)
    assert e2 < 1
    with pytest.raises(InputError, match="≥ 0"):
        entropy_weights(np.array([[-1.0], [1.0]]))


def test_ahp_random_index_and_published_cr():
    assert RANDOM_INDEX[3] == 0.58 and RANDOM_INDEX[4] == 0.90 and RANDOM_INDEX[10] == 1.49
    # widely published 3×3 example: λmax ≈ 3.065, CI ≈ 0.032, CR ≈ 0.056, w ≈ (0.279, 0.649, 0.072)
    w, lam, ci, cr = ahp_weights(np.array([[1, 1 / 3, 5], [3, 1, 7], [1 / 5, 1 / 7, 1]]))
    np.testing.assert_allclose(w, [0.279, 0.649, 0.072], atol=6e-4)
    assert lam == pytest.approx(3.065, abs=5e-4) and ci == pytest.approx(0.032, abs=6e-4)
    assert cr == pytest.approx(0.056, abs=5e-4)
    # perfectly consistent matrix: CR = 0, weights proportional
    w, lam, ci, cr = ahp_weights(np.array([[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]]))
    assert cr == pytest.approx(0, abs=1e-12) and np.allclose(w, [4 / 7, 2 / 7, 1 / 7])


def test_ahp_refuses_inconsistent_unless_forced(fw, ds):
    bad = {"g1": {"children": ["a", "b"], "matrix": [[1, 9], [1 / 9, 1]]},
           "index": {"children": ["g1", "g2"], "matrix": [[1, 3], [1 / 3, 1]]}}
    w, det = WEIGHTERS.create("ahp", {"matrices": bad}).weigh(WeightContext(fw, ds.X, fw.weight))
    assert w[fw.pos("a")] == pytest.approx(0.9)
    inc = {"g2": {"children": ["c", "d"], "matrix": [[1, 2], [0.5, 1]]}}
    WEIGHTERS.create("ahp", {"matrices": inc}).weigh(WeightContext(fw, ds.X, fw.weight))
    from suanli.index.framework import framework_from_dict

    fw3 = framework_from_dict({"tree": {
        "id": "index", "children": [{"id": "x", "children": [{"id": "p"}, {"id": "q"}, {"id": "r"}]}]}})
    m = {"x": {"children": ["p", "q", "r"], "matrix": [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]}}
    with pytest.raises(InputError, match="consistency ratio"):
        WEIGHTERS.create("ahp", {"matrices": m}).weigh(WeightContext(fw3, np.ones((3, 3)), fw3.weight))
    w, det = WEIGHTERS.create("ahp", {"matrices": m, "force": True}).weigh(WeightContext(fw3, np.ones((3, 3)), fw3.weight))
    assert det["x"]["CR"] > 0.1
    with pytest.raises(InputError, match="reciprocal"):
        ahp_weights(np.array([[1, 2], [2, 1]]))


def test_critic_hand():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]])
    Z = (X - X.min(0)) / (X.max(0) - X.min(0))
    sd = Z.std(0, ddof=1)
    r = np.corrcoef(Z, rowvar=False)[0, 1]
    C = sd * (1 - r)
    np.testing.assert_allclose(critic_weights(X), C / C.sum(), rtol=1e-12)


def test_pca_handbook_recipe_positive_and_sums_to_one():
    rng = np.random.default_rng(1)
    f = rng.normal(size=200)
    X = np.column_stack([f + 0.3 * rng.normal(size=200), f + 0.6 * rng.normal(size=200), -f + rng.normal(size=200)])
    w, det = pca_weights(X)
    assert (w > 0).all() and w.sum() == pytest.approx(1)
    # one factor: weights ∝ squared loadings (sign does not matter, unlike COINr's signed PC1)
    ev, vec = np.linalg.eigh(np.corrcoef(X, rowvar=False))
    if det["n_factors"] == 1:
        sq = vec[:, -1] ** 2
        np.testing.assert_allclose(w, sq / sq.sum(), rtol=1e-9)
    L = rng.normal(size=(6, 2))
    R = varimax(L)
    np.testing.assert_allclose((R**2).sum(1), (L**2).sum(1), rtol=1e-9)  # rotation keeps communalities


def test_equal_and_given_and_optimised(fw, ds):
    from suanli.index.pipeline import NormaliseStep, normalise_data

    Xn = normalise_data(ds.X, fw, NormaliseStep(), ds.unit_ids)
    ctx = WeightContext(fw, Xn, fw.weight)
    w, _ = WEIGHTERS.create("equal").weigh(ctx)
    assert w[fw.pos("b")] == w[fw.pos("a")] and w[fw.pos("g1")] == w[fw.pos("g2")]
    w, _ = WEIGHTERS.create("given", {"weights": {"g2": 7}}).weigh(ctx)
    assert w[fw.pos("g2")] == 7 and w[fw.pos("b")] == 2
    with pytest.raises(InputError):
        WEIGHTERS.create("given", {"weights": {"g2": -1}}).weigh(ctx)
    w, det = WEIGHTERS.create("optimised", {"level": 2, "optype": "balance"}).weigh(ctx)
    r = np.array(det["correlations"])
    assert abs(r[0] / r.sum() - 0.5) < 0.05
    w2, det2 = WEIGHTERS.create("optimised", {"level": 2, "optype": "infomax"}).weigh(ctx)
    assert sum(det2["correlations"]) >= sum(det["correlations"]) - 1e-6


def test_effective_weights(fw):
    eff = fw.effective_weights()
    assert eff[fw.pos("b")] == pytest.approx(1 / 4 * 2 / 3) and eff[fw.pos("c")] == pytest.approx(3 / 4 * 1 / 2)
    assert sum(eff[: fw.n_ind]) == pytest.approx(1)


def test_entropy_published_example_xu_2004():
    """Xu, X. (2004). A note on the subjective and objective integrated approach to determine attribute
    weights. European Journal of Operational Research 156(2), 530-532: the entropy weights of its
    4 × 4 example are 0.4630, 0.3992, 0.1378 and 0.0000 (a constant criterion carries no information)."""
    X = np.array([[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]], float)
    np.testing.assert_array_equal(np.round(entropy_weights(X), 4), [0.4630, 0.3992, 0.1378, 0.0000])


def test_critic_published_example_tus_adali_2019():
    """Tuş, A. & Aytaç Adalı, E. (2019). The new combination with CRITIC and WASPAS methods for the time
    and attendance software selection problem. Opsearch 56(2), 528-538: CRITIC weights of the six
    criteria 0.157, 0.249, 0.168, 0.121, 0.154, 0.151 (min-max normalised columns, as published)."""
    X = np.array([[5000, 3, 3, 4, 3, 2], [680, 5, 3, 2, 2, 1], [2000, 3, 2, 3, 4, 3], [600, 4, 3, 1, 2, 2],
                  [800, 2, 4, 3, 3, 4]], float)
    np.testing.assert_array_equal(np.round(critic_weights(X), 3), [0.157, 0.249, 0.168, 0.121, 0.154, 0.151])
