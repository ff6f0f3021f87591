import math

import numpy as np
import pytest

from suanli.capacity import engine
from suanli.capacity.config import SurvivalConfig


def test_fixed_survival_step():
    cfg = SurvivalConfig(kind="fixed", life_years=6)
    s = engine.survival(np.array([-0.5, 0.0, 5.99, 6.0, 7.0]), cfg)
    assert s.tolist() == [0.0, 1.0, 1.0, 0.0, 0.0]


def test_weibull_survival_and_mean_life():
    cfg = SurvivalConfig(kind="weibull", scale=5.0, shape=2.0)
    assert engine.survival(np.array([5.0]), cfg)[0] == pytest.approx(math.exp(-1))
    assert engine.mean_life(cfg) == pytest.approx(5.0 * math.gamma(1.5))
    assert engine.survival(np.array([-1.0]), cfg)[0] == 0.0


def test_placement_and_measurement_times():
    p = engine.placement_times(np.array([2024, 2024, 2024]), np.array([0, 1, 2]))
    assert p.tolist() == [2024.5, 2024.25, 2024.75]
    assert engine.placement_times(np.array([2024]), np.array([2]), "end").tolist() == [2025.0]
    assert engine.measurement_times(np.array([2024]), "year_end").tolist() == [2025.0]


def test_installed_base_hand_computed():
    # shipments: 2019H1 10, 2019H2 20, 2020H1 5 (one group); 1-year... use a 1.5-year life
    cfg = SurvivalConfig(kind="fixed", life_years=1.5)
    place = engine.placement_times(np.array([2019, 2019, 2020]), np.array([1, 2, 1]))
    smat = engine.survival_matrix(engine.measurement_times(np.array([2019, 2020])), place, cfg)
    # end of 2019 (2020.0): ages .75, .25, <0 -> 10 + 20; end of 2020 (2021.0): ages 1.75, 1.25, .75 -> 20 + 5
    flows = engine.group_sum(np.array([0, 1, 2]), np.array([0, 0, 0]), np.array([10.0, 20.0, 5.0]), 3, 1)
    stock = engine.installed_base(flows, smat)
    assert stock[:, 0].tolist() == [30.0, 25.0]
    added = engine.annual_flows(flows, np.array([2019, 2019, 2020]), np.array([2019, 2020]))
    assert added[:, 0].tolist() == [30.0, 5.0]


def test_group_sum_matches_loop():
    rng = np.random.default_rng(1)
    p = rng.integers(0, 5, 1000)
    g = rng.integers(0, 7, 1000)
    v = rng.random(1000)
    out = engine.group_sum(p, g, v, 5, 7)
    ref = np.zeros((5, 7))
    for a, b, c in zip(p, g, v, strict=True):
        ref[a, b] += c
    assert np.allclose(out, ref)
