"""Sobol estimators: Ishigami analytic indices, an additive function, parity with SALib's analyzer."""

import numpy as np
import pytest

from suanli.index.uncertainty.sampling import Factor, choice, mc_design, sobol_design
from suanli.index.uncertainty.sobol import ishigami, ishigami_analytic, sobol_indices


def _design(G, n, seed=7):
    fs = [Factor(f"x{i}", "c", 1, i) for i in range(G)]
    return fs, sobol_design(fs, n, seed)


def test_ishigami_against_analytic():
    fs, U = _design(3, 2**14)
    X = -np.pi + 2 * np.pi * U
    s = sobol_indices(ishigami(X), [f.name for f in fs], num_resamples=50)
    s1, st = ishigami_analytic()
    assert np.abs(s.S1[:, 0] - s1).max() < 0.02
    assert np.abs(s.ST[:, 0] - st).max() < 0.02
    assert (s.S1_lo[:, 0] <= s.S1[:, 0]).all() and (s.S1[:, 0] <= s.S1_hi[:, 0]).all()


def test_additive_function():
    # y = sum a_i x_i, x_i ~ U(0,1): S1_i = ST_i = a_i² / sum a²
    a = np.array([1.0, 2.0, 0.5, 0.0])
    fs, U = _design(4, 2**12)
    s = sobol_indices(U @ a, [f.name for f in fs], num_resamples=30)
    exact = a**2 / (a**2).sum()
    assert np.allclose(s.S1[:, 0], exact, atol=0.02)
    assert np.allclose(s.ST[:, 0], exact, atol=0.02)


def test_many_outputs_match_salib_analyzer():
    from SALib.analyze import sobol as salib

    fs, U = _design(3, 2**10)
    X = -np.pi + 2 * np.pi * U
    Y = np.column_stack([ishigami(X), ishigami(X, a=2.0), X[:, 0] + X[:, 1] ** 2])
    s = sobol_indices(Y, [f.name for f in fs], num_resamples=20)
    prob = {"num_vars": 3, "names": ["x0", "x1", "x2"], "bounds": [[0, 1]] * 3}
    for m in range(3):
        ref = salib.analyze(prob, Y[:, m], calc_second_order=False, num_resamples=20, seed=1)
        assert np.allclose(s.S1[:, m], ref["S1"], atol=1e-10)
        assert np.allclose(s.ST[:, m], ref["ST"], atol=1e-10)


def test_constant_output_gives_nan():
    fs, U = _design(2, 64)
    s = sobol_indices(np.ones(len(U)), [f.name for f in fs], num_resamples=10)
    assert np.isnan(s.S1).all() and np.isnan(s.ST).all()


def test_grouped_design_layout():
    fs = [Factor("w", "weights", 3, 0), Factor("n", "normalise", 1, 3)]
    U = sobol_design(fs, 32, 1)
    assert U.shape == (32 * 4, 4)
    blk = U.reshape(32, 4, 4)
    A, AB1, AB2, B = blk[:, 0], blk[:, 1], blk[:, 2], blk[:, 3]
    assert np.array_equal(AB1[:, :3], B[:, :3]) and np.array_equal(AB1[:, 3], A[:, 3])
    assert np.array_equal(AB2[:, 3], B[:, 3]) and np.array_equal(AB2[:, :3], A[:, :3])
    # one multi-dimensional factor alone (SALib drops a single group): still A, AB, B
    U1 = sobol_design([Factor("w", "weights", 3, 0)], 16, 1)
    assert U1.shape == (16 * 3, 3)


def test_mc_design_is_chunk_independent():
    full = mc_design(5, 4, 0, 3000)
    parts = np.concatenate([mc_design(5, 4, a, min(a + 777, 3000)) for a in range(0, 3000, 777)])
    assert np.array_equal(full, parts)
    assert not np.array_equal(full, mc_design(6, 4, 0, 3000))


@pytest.mark.parametrize("k", [2, 3, 5])
def test_choice_floor(k):
    u = np.array([0.0, 0.2, 0.5, 0.9999, 1.0])
    c = choice(u, k)
    assert c.min() >= 0 and c.max() == k - 1
    assert c[0] == 0
