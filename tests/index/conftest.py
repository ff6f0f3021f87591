from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from suanli.index.data import Dataset
from suanli.index.framework import framework_from_dict

ASEM = Path(__file__).resolve().parents[1] / "data" / "coinr_asem"  # COINr 1.1.14 (MIT), see LICENSE.md there


def small_framework(**over):
    d = {
        "id": "t",
        "tree": {"id": "index", "children": [
            {"id": "g1", "weight": 1, "children": [{"id": "a", "weight": 1}, {"id": "b", "weight": 2}]},
            {"id": "g2", "weight": 3, "children": [{"id": "c", "weight": 1, "direction": -1}, {"id": "d", "weight": 1}]},
        ]},
    }
    d.update(over)
    return framework_from_dict(d)


@pytest.fixture
def fw():
    return small_framework()


@pytest.fixture
def ds(fw):
    X = np.array([[1.0, 10, 5, 2], [2, 20, 4, 4], [3, 15, 3, 8], [4, 40, 1, 6], [5, 30, 2, 10]])
    return Dataset(fw, np.array(["u1", "u2", "u3", "u4", "u5"]), X)


@pytest.fixture(scope="session")
def asem():
    if not ASEM.exists():
        pytest.fail(f"ASEM data not found at {ASEM}")
    from suanli.index.data import read_data
    from suanli.index.framework import load_framework

    fw = load_framework(ASEM / "ASEM_iMeta.csv")
    return fw, read_data(ASEM / "ASEM_iData.csv", fw)
