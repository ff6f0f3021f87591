"""A choice that does not apply is an error; incompatible combinations are caught up front."""

import numpy as np
import pytest

from suanli.errors import ConfigError
from suanli.index.framework import framework_from_dict
from suanli.index.uncertainty import UncertaintySpec, prepare


def _prep(toy_data, pipe_spec, inputs):
    return prepare(UncertaintySpec.parse({"inputs": inputs}), toy_data, pipe_spec)


@pytest.mark.parametrize("inp, msg", [
    ({"kind": "impute", "alternatives": ["mean", "median"]}, "no 'impute' step"),
    ({"kind": "weights", "levels": [3]}, "no weights to vary"),
    ({"kind": "weights", "levels": [7]}, "no weights to vary"),
    ({"kind": "aggregate", "levels": [1], "alternatives": ["amean", "gmean"]}, "no aggregates at level"),
    ({"kind": "exclude", "indicators": ["a", "zz"]}, "not indicators"),
    ({"kind": "exclude", "indicators": ["g1"]}, "not indicators"),
    ({"kind": "noise", "indicators": ["nope"]}, "not indicators"),
    ({"kind": "normalise", "alternatives": ["minmax"]}, "at least two alternatives"),
    ({"kind": "normalise", "alternatives": ["minmax", "minmax"]}, "same alternative twice"),
    ({"kind": "aggregate", "alternatives": ["amean", "gmean"]}, "incompatible choices"),  # min-max 0-100 has zeros
])
def test_choice_errors(toy, inp, msg):
    from suanli.index.pipeline import PipelineSpec

    fw, full, _ = toy
    spec = PipelineSpec.parse([{"step": "treat"}, {"step": "normalise"}, {"step": "aggregate"}])
    with pytest.raises(ConfigError, match=msg):
        _prep(full, spec, [inp])


def test_geometric_mean_after_zscores(toy, pipe):
    fw, full, _ = toy
    with pytest.raises(ConfigError, match="incompatible choices.*gmean.*zscore"):
        _prep(full, pipe(), [{"kind": "normalise", "alternatives": [{"params": {"l_u": [1, 100]}}, "zscore"]},
                             {"kind": "aggregate", "alternatives": ["amean", "gmean"]}])
    # shifted z-scores are positive: fine
    _prep(full, pipe(), [{"kind": "normalise", "alternatives": [{"params": {"l_u": [1, 100]}},
                                                                {"method": "zscore", "params": {"m_sd": [10, 1]}}]},
                         {"kind": "aggregate", "alternatives": ["amean", "gmean"]}])


def test_treat_without_step_and_inert_choices(toy, pipe):
    from suanli.index.pipeline import PipelineSpec

    fw, full, miss = toy
    no_treat = PipelineSpec.parse([{"step": "normalise"}, {"step": "aggregate"}])
    with pytest.raises(ConfigError, match="no 'treat' step"):
        _prep(full, no_treat, [{"kind": "treat", "on_off": True}])
    # imputation on complete data changes nothing: an error, not a silent no-op
    with pytest.raises(ConfigError, match="does not apply.*no missing values"):
        _prep(full, pipe({"step": "impute"}), [{"kind": "impute", "alternatives": ["mean", "median"]}])
    clean = full.with_X(np.abs(np.random.default_rng(0).normal(10, 1, full.X.shape)))
    with pytest.raises(ConfigError, match="does not apply.*outlier rule"):
        _prep(clean, pipe(), [{"kind": "treat", "on_off": True}])


def test_only_children_have_no_weight_to_vary():
    from suanli.index.data import Dataset
    from suanli.index.pipeline import PipelineSpec

    fw = framework_from_dict({"id": "t", "tree": {"id": "index", "children": [
        {"id": "g1", "children": [{"id": "a"}]}, {"id": "g2", "children": [{"id": "b"}]}]}})
    ds = Dataset(fw, np.array(["x", "y", "z"]), np.array([[1.0, 2], [2, 1], [3, 3]]))
    with pytest.raises(ConfigError, match="only child"):
        _prep(ds, PipelineSpec.parse([{"step": "normalise"}, {"step": "aggregate"}]), [{"kind": "weights",
                                                                                          "levels": [1]}])


@pytest.mark.parametrize("bad", [
    {"inputs": []},
    {"inputs": [{"kind": "nonsense"}]},
    {"inputs": [{"kind": "weights", "levels": [1], "spread": 1.5}]},
    {"inputs": [{"kind": "weights", "levels": [1]}, {"kind": "weights", "levels": [1]}]},
    {"inputs": [{"kind": "treat", "on_off": True}, {"kind": "treat", "on_off": True, "name": "x"}]},
    {"inputs": [{"kind": "weights", "levels": [1]}], "samples": 0},
    {"inputs": [{"kind": "weights", "levels": [1]}], "unknown_key": 1},
])
def test_spec_validation(bad):
    with pytest.raises(ConfigError):
        UncertaintySpec.parse(bad)


def test_overlapping_aggregate_levels(toy, pipe):
    fw, full, _ = toy
    with pytest.raises(ConfigError, match="overlap"):
        _prep(full, pipe(), [{"kind": "aggregate", "alternatives": ["amean", "gmean"]},
                             {"kind": "aggregate", "name": "x", "levels": [2], "alternatives": ["amean", "hmean"]}])


def test_unknown_nodes(toy, pipe):
    fw, full, _ = toy
    with pytest.raises(ConfigError, match="not an aggregate"):
        prepare(UncertaintySpec.parse({"inputs": [{"kind": "weights", "levels": [1]}], "nodes": ["a"]}), full, pipe())
