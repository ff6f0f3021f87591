from __future__ import annotations

import pytest
from markets_fixtures import EXTERNAL, FACTS

from suanli.markets.config import default_config
from suanli.markets.series import build_series, load_observations


@pytest.fixture(scope="session")
def cfg():
    return default_config()


@pytest.fixture(scope="session")
def seed(cfg):
    from suanli.markets.checks import run_checks

    obs = load_observations(FACTS, cfg, EXTERNAL)
    series, _ = build_series(obs, cfg)
    return obs, series, run_checks(obs, cfg, series)
