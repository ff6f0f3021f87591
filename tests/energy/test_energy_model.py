"""Energy model: hand-checked system power, identities, imputation, units, vectorised = loop."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from suanli.edition import load_edition
from suanli.energy import units
from suanli.energy.config import EnergyConfig
from suanli.energy.grid import factor_matrix
from suanli.energy.model import (
    Cells,
    central_params,
    factor_specs,
    impute_tdp,
    make_context,
    params_from_unit,
    quantiles,
    simulate,
    simulate_loop,
)
from suanli.energy.power import accelerator_hours_energy, read_power_inventory, system_power
from suanli.energy.stage import energy_catalogs
from suanli.errors import InputError


@pytest.fixture(scope="module")
def edition():
    return load_edition()


@pytest.fixture(scope="module")
def catalogs(edition):
    return energy_catalogs(edition, edition.energy)


def _inventory(tmp_path, text):
    p = tmp_path / "inv.csv"
    p.write_text(text, encoding="utf-8")
    return read_power_inventory(p)


def test_dgx_h100_with_two_host_cpus_is_near_its_rated_10_2_kw(tmp_path, edition, catalogs):
    # NVIDIA DGX H100: 8 × H100 SXM (700 W) + 2 × Xeon Platinum 8480C (350 W), 10.2 kW max system power
    inv = _inventory(tmp_path, "name,accelerator_model,accelerator_count,cpu_model,cpu_count\n"
                               "DGX H100,H100 SXM5 80GB,8,Xeon Platinum 8480+,2\n")
    acc, cpu, cat = catalogs
    r = system_power(inv, acc, cpu, cat, edition.energy, load=0.7, pue=1.2).iloc[0]
    assert r.accelerator_kw == pytest.approx(5.6)
    assert r.rated_it_kw == pytest.approx(10.2, rel=0.01)
    assert r.load_it_kw == pytest.approx(r.rated_it_kw * 0.7)
    assert r.facility_kw == pytest.approx(r.load_it_kw * 1.2)        # facility = IT × PUE
    assert not r.tdp_imputed


def test_dgx_a100_out_of_sample_is_within_ten_percent_of_its_rated_6_5_kw(tmp_path, edition, catalogs):
    # the board factor is taken from the DGX H100 (10.2 / 6.3), so the H100 check above is arithmetic;
    # the DGX A100 (8 × A100 SXM4 400 W + 2 × EPYC 7742 225 W; NVIDIA datasheet: 6.5 kW max) is out of
    # sample: the same factor gives 5.9 kW, 9% under the rating (A100 boards carry more overhead per GPU watt)
    inv = _inventory(tmp_path, "name,accelerator_model,accelerator_count,cpu_model,cpu_count\n"
                               "DGX A100,A100 SXM4 80GB,8,EPYC 7742,2\n")
    acc, cpu, cat = catalogs
    r = system_power(inv, acc, cpu, cat, edition.energy, load=1.0, pue=1.0).iloc[0]
    assert r.accelerator_kw == pytest.approx(3.2)
    assert r.rated_it_kw == pytest.approx(6.5, rel=0.10)
    assert r.rated_it_kw < 6.5


def test_pcie_box_uses_the_pcie_factor_and_form_factor_column_overrides(tmp_path, edition, catalogs):
    inv = _inventory(tmp_path, "name,accelerator_model,accelerator_count,cpu_model,cpu_count,form_factor\n"
                               "box,L20,4,Xeon Platinum 8380,2,\n"
                               "forced,L20,4,Xeon Platinum 8380,2,SXM\n")
    acc, cpu, cat = catalogs
    res = system_power(inv, acc, cpu, cat, edition.energy, load=1.0, pue=1.0)
    watts = 4 * 275 + 2 * 270
    assert res.rated_it_kw.iloc[0] == pytest.approx(edition.energy.system_overhead.pcie.value * watts / 1e3)
    assert res.rated_it_kw.iloc[1] == pytest.approx(edition.energy.system_overhead.board.value * watts / 1e3)


def test_bad_inventory_rows_name_file_row_and_column(tmp_path):
    with pytest.raises(InputError) as e:
        _inventory(tmp_path, "name,accelerator_model,accelerator_count\nx,H100 SXM5 80GB,\n")
    assert "row 2" in str(e.value) and "accelerator_count" in str(e.value)
    with pytest.raises(InputError) as e:
        _inventory(tmp_path, "name,accelerator_model,accelerator_count,form_factor\nx,H20,8,rack\n")
    assert "form_factor" in str(e.value)


def test_missing_tdp_is_imputed_from_same_generation_and_flagged_never_zero(catalogs):
    acc, cpu, _ = catalogs
    a = acc.set_index("model")
    r = a.loc["Ascend 910B (910B2)"]
    assert np.isnan(r.catalog_tdp_w) and r.tdp_imputed
    assert r.tdp_w > 100 and r.tdp_basis.startswith("imputed")
    assert not (acc.tdp_w == 0).any() and not (cpu.tdp_w == 0).any()
    # a catalog TDP is never replaced
    assert a.loc["H100 SXM5 80GB"].tdp_w == 700 and not a.loc["H100 SXM5 80GB"].tdp_imputed
    c = cpu.set_index("model").loc["EPYC 9655"]                       # no TDP in the catalog: W per core
    assert c.tdp_imputed and 250 < c.tdp_w < 600


def test_impute_tdp_by_hand():
    ry = np.array([2022, 2022, 2023, 2023, 2010])
    peak = np.array([100.0, 200.0, 300.0, 400.0, 50.0])
    tdp = np.array([100.0, 300.0, np.nan, 400.0, np.nan])
    used, imp, basis = impute_tdp(ry, peak, tdp, list("abcde"), window=1, min_donors=3)
    # donors within ±1 year of 2023: a (1.0), b (1.5), d (1.0) → median 1.0 W/TFLOPS × 300
    assert used[2] == pytest.approx(300.0) and imp[2]
    assert "median of 3" in basis[2]
    # 'e' (2010) widens its window until it finds three donors
    assert imp[4] and used[4] == pytest.approx(50.0 * 1.0)
    assert not imp[[0, 1, 3]].any()
    used, imp, basis = impute_tdp(np.array([2020.0]), np.array([np.nan]), np.array([np.nan]), ["z"])
    assert np.isnan(used[0]) and not imp[0] and basis[0].startswith("missing")


@pytest.mark.parametrize(("value", "src", "dst", "expected"), [
    (10.2, "kW", "MW", 0.0102), (1.0, "GW", "kW", 1e6), (1.0, "万千瓦", "MW", 10.0),
])
def test_power_units_convert_both_ways(value, src, dst, expected):
    assert units.convert_power(value, src, dst) == pytest.approx(expected)
    assert units.convert_power(expected, dst, src) == pytest.approx(value)


@pytest.mark.parametrize(("value", "src", "dst", "expected"), [
    (1.0, "TWh", "GWh", 1000.0), (1.0, "TWh", "万千瓦时", 1e5), (1.0, "TWh", "亿千瓦时", 10.0),
    (1.0, "GWh", "MWh", 1000.0), (1.0, "MWh", "kWh", 1000.0), (5.0, "万千瓦时", "度", 5e4), (1.0, "twh", "kWh", 1e9),
])
def test_energy_units_convert_both_ways(value, src, dst, expected):
    assert units.convert_energy(value, src, dst) == pytest.approx(expected)
    assert units.convert_energy(expected, dst, src) == pytest.approx(value)


def test_power_energy_hours():
    assert units.energy_from_power(1, "GW", 8760, "TWh") == pytest.approx(8.76)
    assert units.power_from_energy(8.76, "TWh", 8760, "MW") == pytest.approx(1000)
    assert units.hours_in_year(2024) == 8784 and units.hours_in_year(2025) == 8760
    with pytest.raises(KeyError):
        units.energy_factor("BTU")


def _toy(cfg: EnergyConfig, G: int = 2):
    rng = np.random.default_rng(3)
    years = np.array([2023, 2024, 2025])
    provs = np.array(["内蒙古", "北京", "四川"], dtype=object)
    W = rng.random((6, 3, 3, G)) * 1e6
    W[4:] = 0.0
    cells = Cells(years, provs, np.array([f"g{i}" for i in range(G)], dtype=object), W * 1.2, W, scope=0)
    ef = np.array([[0.68, 0.56, 0.14]] * 3)
    ctx = make_context(cfg, years, provs, ef, np.full(3, 1.09))
    return cells, ctx


def test_vectorised_simulation_equals_the_per_draw_loop():
    cfg = EnergyConfig()
    cells, ctx = _toy(cfg)
    specs = factor_specs(cfg)
    X = params_from_unit(np.random.default_rng(7).random((25, len(specs))), specs)
    a = simulate(X, specs, cells, ctx, chunk=7)
    b = simulate_loop(X, specs, cells, ctx)
    for m in ("rated_it_mw", "it_twh", "facility_twh", "co2_mt", "co2_market_mt", "avg_it_mw"):
        np.testing.assert_allclose(a[m], b[m], rtol=1e-10)


def test_identities_facility_is_it_times_pue_and_co2_uses_the_province_factor():
    cfg = EnergyConfig()
    cells, ctx = _toy(cfg, G=1)
    specs = factor_specs(cfg)
    X0 = central_params(specs)
    # one province at a time: facility / IT is that province's PUE, CO2 / facility its grid factor
    for p in range(3):
        one = Cells(cells.years, cells.provinces, cells.groups, cells.W_end * 0, cells.W_avg * 0, scope=0)
        one.W_avg[:, :, p] = cells.W_avg[:, :, p]
        r = simulate(X0, specs, one, ctx)
        from suanli.energy.model import draw_terms

        t = draw_terms(X0, specs, ctx)
        pue = np.maximum(t["pue"][0, 0] + t["hub_offset"][0] * ctx.hub[p], 1.0)
        np.testing.assert_allclose(r["facility_twh"][0, :, 0], r["it_twh"][0, :, 0] * pue)
        np.testing.assert_allclose(r["co2_mt"][0, :, 0], r["facility_twh"][0, :, 0] * ctx.ef[:, p])
    # IT energy by hand: rated × load × (1 + storage/network) × hours
    r = simulate(X0, specs, cells, ctx)
    t = draw_terms(X0, specs, ctx)
    rated = np.einsum("c,cypg->yg", t["coef"][0], cells.W_avg)
    expect = rated * t["load_ai"][0][:, None] * (1 + t["sn"][0]) * ctx.hours[:, None] / 1e12
    np.testing.assert_allclose(r["it_twh"][0], expect)


def test_quantiles_match_numpy():
    x = np.random.default_rng(2).normal(size=(999, 13))
    for a, b in zip(quantiles(x, [0.05, 0.95]), np.quantile(x, [0.05, 0.95], axis=0), strict=True):
        np.testing.assert_allclose(a, b)


def test_grid_factor_matrix_carries_the_nearest_year_and_falls_back_to_national():
    ef = pd.DataFrame({
        "year": [2022, 2022, 2021, 2023], "region": ["北京", "全国", "全国", "全国"],
        "level": ["provincial", "national", "national", "national"], "factor_kind": ["location"] * 4,
        "kgco2_per_kwh": [0.558, 0.5366, 0.5568, 0.5306], "source": ["s"] * 4,
    })
    m, ratio, tab = factor_matrix(ef, np.array([2021, 2022, 2024]), np.array(["北京", "西藏"], dtype=object))
    assert m[:, 0].tolist() == [0.558, 0.558, 0.558]          # the only provincial year, carried both ways
    assert m[:, 1].tolist() == [0.5568, 0.5366, 0.5306]       # national factor of the nearest earlier year
    assert (ratio == 1).all()                                 # no residual factor given
    assert set(tab.value_class) == {"stated", "derived"}
    # stated only for a province's own factor of that year; a national stand-in is derived
    t = tab.set_index(["year", "province"]).value_class
    assert t[(2022, "北京")] == "stated" and t[(2021, "北京")] == "derived" and t[(2022, "西藏")] == "derived"


def test_accelerator_hours_energy_by_hand(edition):
    cfg = edition.energy
    r = accelerator_hours_energy("H100 SXM5 80GB", 1000.0, state="training", pue=1.2, edition=edition, draws=200)
    rated = cfg.system_overhead.board.value * (700 + cfg.host_cpu_w_per_accelerator["board"])
    assert r.rated_w_per_accelerator == pytest.approx(rated)
    it = rated * cfg.load.training.value * (1 + cfg.storage_network.value) * 1000 / 1e6
    assert r.it_mwh == pytest.approx(it)
    assert r.facility_mwh == pytest.approx(it * 1.2)
    assert r.it_mwh_lo < r.it_mwh < r.it_mwh_hi


def test_cli_energy_power_writes_rated_load_and_facility_kw(tmp_path):
    from typer.testing import CliRunner

    from suanli.cli import app

    inv = tmp_path / "inv.csv"
    inv.write_text("name,accelerator_model,accelerator_count,cpu_model,cpu_count\n"
                   "DGX H100,H100 SXM5 80GB,8,Xeon Platinum 8480+,2\n", encoding="utf-8")
    out = tmp_path / "power.csv"
    res = CliRunner().invoke(app, ["energy", "power", str(inv), "--out", str(out), "--pue", "1.3", "--load", "0.5"])
    assert res.exit_code == 0, res.output
    assert "DGX H100" in res.output
    df = pd.read_csv(out)
    assert list(df.columns[:7]) == ["name", "accelerator_kw", "rated_it_kw", "load_it_kw", "facility_kw", "pue", "basis"]
    r = df.iloc[0]
    assert r.rated_it_kw == pytest.approx(10.2, rel=0.01)
    assert r.load_it_kw == pytest.approx(r.rated_it_kw * 0.5)
    assert r.facility_kw == pytest.approx(r.load_it_kw * 1.3) and r.pue == 1.3
