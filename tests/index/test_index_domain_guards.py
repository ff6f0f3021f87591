"""Engine edge cases: normalisers guard their domain, the audit ignores non-finite values, one
tie rule for every ranking, distance-to-reference without cancellation."""

from __future__ import annotations

import numpy as np
import pytest

from suanli.errors import InputError
from suanli.index.audit import audit, group_pca, indicator_stats
from suanli.index.data import Dataset
from suanli.index.normalise import NORMALISERS, NormContext, check_finite
from suanli.index.pipeline import NormaliseStep, build, normalise_data
from suanli.index.ranks import rank_scores
from suanli.index.stats import tie_round
from suanli.index.uncertainty.engine import rank_rows


def ctx(k, n=4, direction=None, target=None):
    return NormContext([f"i{j}" for j in range(k)], np.array([f"u{i}" for i in range(n)], dtype=object),
                       np.ones(k) if direction is None else np.asarray(direction, float),
                       np.full(k, np.nan) if target is None else np.asarray(target, float), np.full((k, 2), np.nan))


def test_fracmax_refuses_a_maximum_not_above_zero_naming_every_indicator(fw):
    X = np.array([[1.0, 10, 5, 2], [2, 20, 4, 4], [3, 15, 3, 8], [4, 40, 1, 6]])
    # 'c' has direction -1: after the flip every value is negative, so x/max reverses the order
    with pytest.raises(InputError) as e:
        normalise_data(X, fw, NormaliseStep(method="fracmax"), np.array(["a", "b", "c", "d"]))
    msg = str(e.value)
    assert "'fracmax'" in msg and "c (max -1)" in msg and "on_constant: nan" in msg
    assert "a (max" not in msg and "d (max" not in msg
    Y = normalise_data(X, fw, NormaliseStep(method="fracmax", params={"on_constant": "nan"}),
                       np.array(["a", "b", "c", "d"]))
    assert np.isnan(Y[:, 2]).all() and np.isfinite(Y[:, [0, 1, 3]]).all()
    assert Y[3, 1] == 1.0


def test_fracmax_zero_maximum_never_gives_infinity():
    X = np.array([[0.0], [-1.0], [-3.0], [0.0]])
    with pytest.raises(InputError, match=r"i0 \(max 0\)"):
        NORMALISERS.create("fracmax").normalise(X, ctx(1))
    assert np.isnan(NORMALISERS.create("fracmax", {"on_constant": "nan"}).normalise(X, ctx(1))).all()


def test_prank_with_one_value_is_refused_or_blank():
    X = np.array([[1.0], [np.nan], [np.nan], [np.nan]])
    with pytest.raises(InputError, match="prank"):
        NORMALISERS.create("prank").normalise(X, ctx(1))
    assert np.isnan(NORMALISERS.create("prank", {"on_constant": "nan"}).normalise(X, ctx(1))).all()


@pytest.mark.parametrize("method", sorted(NORMALISERS.names()))
def test_every_normaliser_accepts_the_nan_opt_in(method):
    assert "on_constant" in NORMALISERS[method].Params.model_fields


def test_check_finite_names_indicators_and_blanks_on_opt_in():
    X = np.array([[1.0, 1.0], [2.0, 2.0]])
    Y = np.array([[np.inf, 0.5], [1.0, np.nan]])
    with pytest.raises(InputError) as e:
        check_finite(X, Y, ["alpha", "beta"], "custom", "error")
    assert "alpha, beta" in str(e.value) and "'custom'" in str(e.value)
    Z = check_finite(X, Y, ["alpha", "beta"], "custom", "nan")
    assert np.isnan(Z[0, 0]) and Z[0, 1] == 0.5
    # missing input staying missing is not a domain violation
    assert check_finite(np.array([[np.nan]]), np.array([[np.nan]]), ["x"], "m", "error").shape == (1, 1)


def test_dist2targ_and_dist2ref_keep_relative_precision_near_zero():
    lo, x, t = 0.0, 1e-11, 1.0
    X = np.array([[lo], [x], [0.5], [0.7]])
    y = NORMALISERS.create("dist2targ").normalise(X, ctx(1, target=[t]))
    assert y[1, 0] == 1e-11            # (x - lo)/(t - lo), exact here
    old = 1 - (t - x) / (t - lo)        # the former formula loses ~8e-9 relative
    assert abs(old - 1e-11) / 1e-11 > 1e-9
    r = NORMALISERS.create("dist2ref", {"ref": "u3"}).normalise(X, ctx(1))
    assert r[1, 0] == pytest.approx(1e-11 / 0.7, rel=1e-15) and r[3, 0] == 1.0


def test_ties_by_float_noise_share_the_lower_rank():
    # the prank variant on COINr's ASEM data: SVK and HUN are one tie in COINr
    V = np.array([0.5866666666666668, 0.5866666666666667, 0.9, 0.1])
    assert list(rank_scores(V)) == [2, 2, 1, 4]
    assert rank_rows(tie_round(V[None, :], axis=-1)).tolist() == [[2, 2, 1, 4]]
    # real differences stay apart, at any scale
    for scale in (1e-6, 1.0, 1e6):
        W = np.array([1.0, 1.0 + 1e-7, 0.5]) * scale
        assert list(rank_scores(W)) == [2, 1, 3]


def test_build_and_uncertainty_engine_rank_alike(fw):
    # p and q tie in exact arithmetic ((0.3 + 2*0.6)/3 = (0.9 + 2*0.3)/3), not in floating point
    X = np.array([[0.3, 0.6, 0.3, 0.9], [0.9, 0.3, 0.3, 0.9], [0.2, 0.2, 0.2, 0.2], [0.9, 0.9, 0.1, 0.1]])
    r = build([{"step": "normalise", "method": "none"}, {"step": "aggregate", "method": "amean"}],
              Dataset(fw, np.array(["p", "q", "r", "s"]), X))
    from suanli.index.pipeline import PipelineSpec
    from suanli.index.uncertainty.engine import prepare
    from suanli.index.uncertainty.spec import UncertaintySpec

    prep = prepare(UncertaintySpec.parse({"inputs": [{"kind": "weights", "levels": [1]}], "samples": 4}),
                   Dataset(fw, np.array(["p", "q", "r", "s"]), X),
                   PipelineSpec.parse([{"step": "normalise", "method": "none"}, {"step": "aggregate"}]))
    nominal = prep.evaluate(np.full((1, prep.n_dims), 0.5))[0, prep.root_out]
    assert list(nominal) == [int(v) for v in r.ranks[:, fw.root]]
    assert r.ranks[0, fw.root] == r.ranks[1, fw.root]


def test_audit_treats_non_finite_values_as_missing(fw, ds):
    r = build([{"step": "normalise", "method": "minmax"}, {"step": "aggregate"}], ds)
    r.V[0, :] = np.inf
    r.V[1, fw.n_ind] = -np.inf
    a = audit(r)  # no LinAlgError, no warning-as-error
    assert a["indicator_stats"]["n_available"].min() >= 0
    st = indicator_stats(np.array([[1.0, np.inf], [2.0, 3.0], [3.0, 4.0], [5.0, -np.inf]]), ["x", "y"])
    assert st.loc[1, "n_available"] == 2 and np.isfinite(st.loc[1, "mean"])
    assert "eigenvalues" not in group_pca(np.array([[1.0, np.inf], [2.0, np.inf], [3.0, 1.0]]))


def test_uncertainty_accepts_pre_drawn_weight_sets(fw, ds):
    from suanli.errors import ConfigError
    from suanli.index.pipeline import PipelineSpec
    from suanli.index.uncertainty.engine import prepare
    from suanli.index.uncertainty.spec import UncertaintySpec

    pipe = PipelineSpec.parse([{"step": "normalise", "method": "minmax"}, {"step": "aggregate"}])
    sets = [{"a": 1, "b": 2}, {"a": 5, "b": 0.5, "g2": 1}, {"g1": 0.1}]
    prep = prepare(UncertaintySpec.parse({"inputs": [{"kind": "weight_sets", "sets": sets}], "samples": 10}), ds, pipe)
    assert prep.factors[0].kind == "weight_sets" and prep.factors[0].choices == ["set 1", "set 2", "set 3"]
    for k, s in enumerate(sets):
        u = np.array([[(k + 0.5) / len(sets)]])
        got = prep.evaluate(u)[0, prep.root_out]
        want = build(pipe, ds, weights=s).ranks[:, fw.root]
        assert list(got) == [int(x) for x in want], k
    with pytest.raises(ConfigError, match="not in the framework"):
        prepare(UncertaintySpec.parse({"inputs": [{"kind": "weight_sets", "sets": [{"zz": 1}, {"a": 1}]}]}), ds, pipe)
    with pytest.raises(ConfigError):
        UncertaintySpec.parse({"inputs": [{"kind": "weight_sets", "sets": [{"a": 1}]}]})


@pytest.mark.parametrize("name", ["amean", "bod", "copeland", "genmean", "gmean", "gra", "hmean", "mpi", "topsis",
                                  "vikor"])
def test_every_aggregator_scores_a_unit_missing_a_whole_group(fw, name):
    """A unit without any value in one group is blank in that group only; every unit with some data
    gets an index score, and the other units' group scores are those of the units with data."""
    from suanli.index.aggregate import AGGREGATORS, aggregate_tree

    assert name in AGGREGATORS.names()
    Xn = np.random.default_rng(1).uniform(1, 100, (6, 4))
    Xn[2, 2:] = np.nan  # unit 2 lacks the whole group g2
    V = aggregate_tree(Xn, fw, None, name)
    g2 = V[:, fw.index["g2"]]
    assert np.isnan(g2[2]) and np.isfinite(np.delete(g2, 2)).all()
    assert np.isfinite(V[:, fw.index[fw.root_id]]).all()
