"""Hand-checked identities: 6·N·D, accelerator-hours at a stated MFU, accelerators for a token volume,
and that each of availability, the experiments multiplier and peak-to-average enters exactly once."""

from __future__ import annotations

import numpy as np
import pytest

from suanli.capacity.catalog import Catalog
from suanli.demand import engine
from suanli.demand.catalogue import read_runs, runs_table
from suanli.demand.config import DemandConfig
from suanli.demand.model import central
from suanli.edition import default_edition_dir

RUNS = default_edition_dir() / "data" / "demand_runs.csv"


@pytest.fixture(scope="module")
def runs():
    return runs_table(read_runs(RUNS), Catalog.bundled()).set_index("run")


def test_6nd_dense_llama31_405b(runs):
    # 6 × 405e9 × 15.6e12 = 3.7908e25, printed by Meta as "3.8 × 10^25 FLOPs"
    assert engine.training_flop(405e9, 15.6e12) == pytest.approx(3.7908e25, rel=1e-12)
    r = runs.loc["llama31_405b"]
    assert r.flop_6nd == pytest.approx(3.7908e25, rel=1e-12)
    assert r.flop_6nd == pytest.approx(r.flop_reported, rel=0.01)  # agrees with the published total


def test_6nd_moe_uses_active_parameters(runs):
    r = runs.loc["deepseek_v3"]
    assert r.params_total == 671e9 and r.params_active == 37e9
    assert r.flop_6nd == pytest.approx(6 * 37e9 * 14.8e12, rel=1e-12)  # 3.2856e24, not 6·671e9·D
    assert r.flop_6nd < 0.06 * engine.training_flop(671e9, 14.8e12)


def test_hours_of_published_run_at_stated_mfu(runs):
    """Llama 3.1 405B at its stated MFU (38-43%, mid 40.5%, BF16 peak 989.5 TFLOPS): the table's
    accelerator-hours come within 5% of the arithmetic on the published total 3.8e25."""
    hand = 3.8e25 / (989.5e12 * 0.405 * 3600)  # 26.34M H100-hours
    r = runs.loc["llama31_405b"]
    assert r.peak_tflops == 989.5 and "BF16" in r.peak_basis
    assert r.accelerator_hours_at_stated_mfu == pytest.approx(hand, rel=0.05)
    # the published 30.84M GPU-hours are ~17% above: downtime and restarts (goodput below 100%)
    assert 1.1 < r.hours_stated_over_at_mfu < 1.25
    palm = runs.loc["palm_540b"]  # TPU v4 BF16 275 TFLOPS at 46.2%
    assert palm.accelerator_hours_at_stated_mfu == pytest.approx(6 * 540e9 * 780e9 / (275e12 * 0.462 * 3600),
                                                                 rel=1e-9)


def test_deepseek_v3_mfu_depends_on_the_peak(runs):
    r = runs.loc["deepseek_v3"]
    assert r.mfu_implied_bf16 == pytest.approx(3.2856e24 / (2.788e6 * 989.5e12 * 3600), rel=1e-9)  # 33.1%
    assert r.mfu_implied_run_precision == pytest.approx(r.mfu_implied_bf16 / 2, rel=1e-3)  # FP8 peak 1,979
    assert "cost_usd" in r.disputed and "mfu_basis" in r.disputed


def test_inference_accelerators_for_a_token_volume():
    # 100万亿 tokens/day, 37B active, H800 BF16 989.5 TFLOPS, MFU 10%, peak/average 1.3
    fps, acc = engine.inference_requirement(1e14, 2 * 37e9, 989.5e12, 0.10, 1.3)
    assert fps == pytest.approx(1e14 / 86400 * 7.4e10 * 1.3)
    assert acc == pytest.approx(1e14 / 86400 * 7.4e10 * 1.3 / (989.5e12 * 0.1))  # 1.125M accelerators
    assert acc == pytest.approx(1.1252e6, rel=1e-3)


def _sim(prepared, **over):
    d = central(DemandConfig())
    for k, v in over.items():
        d[k] = np.array([v])
    return engine.simulate(prepared, d)


@pytest.fixture(scope="module")
def prepared():
    years = np.arange(2023, 2026)
    path = engine.token_path(np.array([2024.0, 2025.5]), np.array([1e11, 3e13]), years)
    return engine.Prepared(years=years, train_base=np.array([1e24, 2e24, 4e24]), first_year=2023, first_value=1e24,
                           tokens=path, flop_per_token=np.array([1.5e10, 7.4e10, 1.5e11]), flop_per_token_ref=7.4e10,
                           tau_ref=4e8, peak_ref=989.5e12, supply_mid=np.array([300.0, 600.0, 900.0]),
                           supply_lo=np.array([300.0, 600.0, 900.0]), supply_hi=np.array([300.0, 600.0, 900.0]))


def test_experiments_multiplier_applied_once(prepared):
    a = _sim(prepared, experiments_multiplier=1.0)["training_eflops"]
    b = _sim(prepared, experiments_multiplier=2.0)["training_eflops"]
    np.testing.assert_allclose(b, 2 * a, rtol=1e-12)
    # hand: 1e24 FLOP/yr × coverage 8 × 1 / (3.15576e7 s × MFU 0.35 × availability 0.9) = 8.05e-1 EFLOPS
    assert a[0, 0] == pytest.approx(1e24 * 8 / (engine.SECONDS_PER_YEAR * 0.35 * 0.9) / 1e18, rel=1e-12)


def test_availability_applied_once(prepared):
    a = _sim(prepared, train_availability=1.0, inf_availability=1.0)
    b = _sim(prepared, train_availability=0.5, inf_availability=0.5)
    np.testing.assert_allclose(b["training_eflops"], 2 * a["training_eflops"], rtol=1e-12)
    np.testing.assert_allclose(b["inference_eflops"], 2 * a["inference_eflops"], rtol=1e-12)
    np.testing.assert_allclose(b["inference_empirical_method_eflops"], 2 * a["inference_empirical_method_eflops"],
                               rtol=1e-12)
    np.testing.assert_allclose(b["implied_utilisation"], 2 * a["implied_utilisation"], rtol=1e-12)


def test_peak_to_average_applied_once(prepared):
    a = _sim(prepared, peak_to_average=1.0)["inference_eflops"]
    b = _sim(prepared, peak_to_average=1.5)["inference_eflops"]
    np.testing.assert_allclose(b, 1.5 * a, rtol=1e-12)


def test_inference_by_hand(prepared):
    """One year, one class: prefill and decode at their own MFU, cached input skips prefill."""
    d = central(DemandConfig())
    d["mix"] = np.array([[0.0, 1.0, 0.0]])
    for k, v in dict(output_share=0.2, cached_share=0.5, mfu_prefill=0.4, mfu_decode=0.1, peak_to_average=1.0,
                     inf_availability=1.0, token_scale=1.0).items():
        d[k] = np.array([v])
    res = engine.simulate(prepared, d)
    t = res["tokens_per_day"][0, 2]
    hand = (t * 0.8 * 0.5 * 7.4e10 / 86400 / 0.4 + t * 0.2 * 7.4e10 / 86400 / 0.1) / 1e18
    assert res["inference_eflops"][0, 2] == pytest.approx(hand, rel=1e-12)


def test_token_path_year_average_of_an_exponential():
    # anchors on an exact exponential (×10 per year): the year average is the integral, (g - 1)/ln g × start
    years = np.array([2024, 2025])
    path = engine.token_path(np.array([2024.0, 2026.0]), np.array([1.0, 100.0]), years, steps=20000)
    avg = path.averages(np.array([10.0]))[0]
    assert avg[0] == pytest.approx(9 / np.log(10), rel=1e-6)
    assert avg[1] == pytest.approx(90 / np.log(10), rel=1e-6)
    # before the first anchor: back-cast in closed form at the drawn growth
    early = engine.token_path(np.array([2025.0, 2026.0]), np.array([10.0, 100.0]), np.array([2024]))
    assert early.averages(np.array([10.0]))[0, 0] == pytest.approx(9 / np.log(10), rel=1e-9)


def test_kv_cache_elements():
    assert engine.kv_elements_mla(61, 512, 64) == 35_136
    assert engine.kv_elements_mha(61, 128, 128) == 1_998_848
    assert engine.kv_elements_mha(126, 8, 128) == 258_048


def test_run_energy_uses_the_energy_model_when_the_edition_has_one():
    from suanli.demand.energy import accelerator_energy_mwh, run_energy
    from suanli.edition import load_edition

    ed = load_edition()
    assert ed.energy is not None
    e = run_energy("H800 SXM5", 2.788e6, 700.0, 2024, ed)
    chip, _ = accelerator_energy_mwh(2.788e6, 700.0)
    assert chip == pytest.approx(1951.6)
    assert e.facility_mwh > e.it_mwh > 0 and e.facility_mwh_lo < e.facility_mwh < e.facility_mwh_hi
    assert "energy model" in e.basis
    plain = run_energy("H800 SXM5", 2.788e6, 700.0, 2024, None)
    assert plain.it_mwh == pytest.approx(chip) and "chip only" in plain.basis


def test_supply_interval_taken_from_capacity_when_present(runs):
    """When capacity_national carries *_lo/*_hi, supply is drawn inside them (years move together)."""
    import pandas as pd

    from suanli.demand.catalogue import read_anchors
    from suanli.demand.model import draws, prepare

    cap = pd.DataFrame({"year": [2023, 2024, 2025], "intelligent_eflops": [400.0, 700.0, 1000.0],
                        "intelligent_eflops_lo": [350.0, 600.0, 800.0], "intelligent_eflops_hi": [450.0, 800.0, 1300.0]})
    anchors = read_anchors(default_edition_dir() / "data" / "demand_anchors.csv")
    cfg = DemandConfig()
    inp = prepare(cfg, runs.reset_index(), anchors, cap, Catalog.bundled(), supply_synthetic=False)
    p = inp.prepared
    np.testing.assert_allclose(p.supply_mid, [400.0, 550.0, 850.0])  # first year at year end, then mean of ends
    np.testing.assert_allclose(p.supply_lo, [350.0, 475.0, 700.0])
    np.testing.assert_allclose(p.supply_hi, [450.0, 625.0, 1050.0])
    res = engine.simulate(p, draws(cfg, 4000))
    s = res["supply_eflops"]
    assert (s >= p.supply_lo - 1e-9).all() and (s <= p.supply_hi + 1e-9).all()
    assert np.corrcoef(s[:, 0], s[:, 2])[0, 1] > 0.99  # one uniform per draw: comonotone across years
    assert inp.supply_basis[0].startswith("installed base at year end")
