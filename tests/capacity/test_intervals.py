"""Monte Carlo intervals and scenario forecasts on the default edition."""

import numpy as np
import pytest

from suanli.capacity import uncertainty as mc
from suanli.capacity.catalog import Catalog
from suanli.capacity.config import ScenarioConfig
from suanli.capacity.estimate import estimate, read_shipments
from suanli.capacity.scenarios import restriction_ratio, share_path
from suanli.edition import load_edition


@pytest.fixture(scope="module")
def default_run():
    ed = load_edition()
    cfg = ed.capacity
    df = read_shipments(ed.input_path(cfg.shipments))
    return cfg, df, estimate(df, Catalog.bundled(), cfg, synthetic=True)


def test_national_table_gains_intervals(default_run):
    cfg, _, res = default_run
    nat = res.tables["capacity_national"].set_index("year")
    for m in ("intelligent_eflops", "general_eflops"):
        assert (nat[f"{m}_lo"] < nat[f"{m}_hi"]).all()
        # the calibrated central values lie inside the 90% intervals
        for y in (2024, 2025):
            assert nat.loc[y, f"{m}_lo"] <= nat.loc[y, m] <= nat.loc[y, f"{m}_hi"]
    assert (nat["interval_level"] == 0.9).all()
    # existing columns keep their place
    assert list(nat.reset_index().columns[:5]) == ["year", "intelligent_eflops", "general_eflops", "basis",
                                                     "data_status"]
    it = res.tables["capacity_intervals"]
    assert set(it["value_class"]) == {"synthetic"} and (it["draws"] == cfg.uncertainty.draws).all()
    assert set(it["metric"]) == {"intelligent_eflops", "general_eflops", "intelligent_effective_eflops"}


def test_intervals_are_deterministic_and_value_class_follows_inputs(default_run):
    cfg, df, res = default_run
    again = estimate(df, Catalog.bundled(), cfg, synthetic=False)
    a = res.tables["capacity_national"]
    b = again.tables["capacity_national"]
    assert np.array_equal(a["intelligent_eflops_lo"].to_numpy(), b["intelligent_eflops_lo"].to_numpy())
    assert set(again.tables["capacity_intervals"]["value_class"]) == {"modelled"}
    assert set(again.tables["capacity_scenarios"]["value_class"]) == {"modelled"}


def test_scenarios_move_the_curve_the_right_way(default_run):
    _, _, res = default_run
    sc = res.tables["capacity_scenarios"]
    v = sc[(sc.metric == "intelligent_eflops") & (sc.year == 2030)].set_index("scenario")["value"]
    assert v["imports_restricted"] < v["baseline"] < v["domestic_push"]
    assert v["short_life"] < v["baseline"] < v["long_life"]
    # history is shared: every scenario has the same 2024 value under the edition's lifetimes
    h = sc[(sc.metric == "intelligent_eflops") & (sc.year == 2024) & ~sc.scenario.str.endswith("_life")]
    assert np.allclose(h["value"], 725.3, rtol=1e-3)
    idc = sc[(sc.year == 2028) & (sc.metric == "intelligent_eflops")]
    assert (idc["published"] == 2781.9).all() and (idc["lo"] <= idc["median"]).all()
    assert (idc["median"] <= idc["hi"]).all()
    assert set(sc["value_class"]) == {"synthetic"}


def test_restriction_ratio_from_catalog():
    sc = ScenarioConfig(name="r", imported="restricted")
    assert restriction_ratio(Catalog.bundled(), sc, ["fp16", "bf16"]) == pytest.approx(148 / 989.5)
    assert restriction_ratio(Catalog.bundled(), ScenarioConfig(name="o"), ["fp16", "bf16"]) == 1.0


def test_share_path_interpolates_from_last_observed():
    p = share_path({2030: 0.9}, np.arange(2026, 2031), 0.5)
    assert p[0] == pytest.approx(0.5 + 0.4 / 5) and p[-1] == pytest.approx(0.9)


def test_weibull_draws_have_the_drawn_mean_life():
    ages = np.linspace(0, 40, 4001)
    s = mc.weibull_survival(ages, np.zeros(1), np.array([5.0, 6.5]), np.array([3.0, 5.0]))[:, :, 0]
    mean_life = s.sum(axis=1) * (ages[1] - ages[0])  # ∫ S(a) da = mean life
    assert mean_life == pytest.approx([5.0, 6.5], rel=2e-3)


def test_spec_and_shipment_factors_have_mean_one():
    rng = np.random.default_rng(1)
    f = mc.spec_factors(rng, 200_000, np.array([0.02, 0.1]))
    assert f.mean(axis=0) == pytest.approx([1.0, 1.0], abs=2e-3)
    lo, med, hi = mc.quantiles(np.arange(101.0)[:, None], 0.9)
    assert (lo[0], med[0], hi[0]) == pytest.approx((5.0, 50.0, 95.0))
