from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from suanli.index.data import Dataset
from suanli.index.framework import framework_from_dict
from suanli.index.pipeline import PipelineSpec

ASEM = Path(__file__).resolve().parents[1] / "data" / "coinr_asem"


def toy_framework():
    return framework_from_dict({"id": "toy", "tree": {"id": "index", "children": [
        {"id": "g1", "weight": 1, "children": [{"id": "a", "weight": 1}, {"id": "b", "weight": 2},
                                               {"id": "c", "weight": 1}]},
        {"id": "g2", "weight": 2, "children": [{"id": "d", "weight": 1, "direction": -1}, {"id": "e", "weight": 1}]},
        {"id": "g3", "weight": 1, "children": [{"id": "f", "weight": 1}]},
    ]}})


@pytest.fixture(scope="session")
def toy():
    fw = toy_framework()
    rng = np.random.default_rng(3)
    X = rng.lognormal(1.0, 0.6, size=(25, fw.n_ind))
    X[:, 0] = np.r_[X[:-1, 0], 60.0]          # an outlier, so treatment changes the data
    Xm = X.copy()
    Xm[[2, 7], [1, 4]] = np.nan                # missing values, so imputation applies
    groups = {"region": np.array(["n", "s", "e"] * 8 + ["n"])}
    ids = np.array([f"u{i:02d}" for i in range(25)])
    return fw, Dataset(fw, ids, X, groups=groups), Dataset(fw, ids, Xm, groups=groups)


def _pipe(*extra):
    return PipelineSpec.parse([*extra, {"step": "treat"}, {"step": "normalise", "params": {"l_u": [1, 100]}},
                               {"step": "aggregate"}])


@pytest.fixture(scope="session")
def pipe():
    return _pipe
