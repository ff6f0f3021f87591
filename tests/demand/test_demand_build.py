"""The demand stage in a build: demand_supply for every capacity year with intervals, value classes
on every table, determinism, the seed's claims and the sensitivity ranking."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from suanli.builder import build
from suanli.edition import load_edition

CLASSES = {"stated", "derived", "modelled", "synthetic"}


def _t(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / "tables" / f"{name}.csv")


def test_demand_supply_every_capacity_year_with_intervals(demand_out: Path):
    ds = _t(demand_out, "demand_supply")
    cap = _t(demand_out, "capacity_national")
    assert list(ds.year) == sorted(cap.year)
    for c in ("training_eflops", "inference_eflops", "demand_eflops", "supply_eflops", "implied_utilisation",
              "inference_share"):
        assert ds[c].notna().all()
        assert (ds[f"{c}_lo"] <= ds[c] + 1e-12).all() and (ds[c] <= ds[f"{c}_hi"] + 1e-12).all(), c
    for c in ("training_eflops", "inference_eflops", "demand_eflops", "implied_utilisation"):
        assert (ds[f"{c}_hi"] > ds[f"{c}_lo"]).all(), f"{c}: zero-width interval"
    # supply is the capacity series (mean of start and end of year; the first year at its year end)
    nat = cap.set_index("year").intelligent_eflops
    first = int(ds.year.min())
    # (capacity_national carries Monte Carlo bounds, so supply is drawn around the central series: its
    # median sits near, not on, the central value, and the central value lies inside its interval)
    s = ds.set_index("year")
    for y, central in ((first, nat[first]), (2025, (nat[2024] + nat[2025]) / 2)):
        assert s.supply_eflops[y] == pytest.approx(central, rel=0.05)
        assert s.supply_eflops_lo[y] <= central <= s.supply_eflops_hi[y]
    # demand grows with the token volumes; utilisation stays a share of the installed base
    assert ds.demand_eflops.is_monotonic_increasing
    assert (ds.implied_utilisation < 1).all()
    assert set(ds.value_class) == {"synthetic"}  # supply comes from synthetic shipments
    assert set(ds.demand_value_class) == {"modelled"}


def test_every_demand_table_has_value_class(demand_out: Path):
    files = sorted((demand_out / "tables").glob("demand_*.csv"))
    assert len(files) >= 10
    for f in files:
        df = pd.read_csv(f)
        assert "value_class" in df.columns, f.name
        assert set(df.value_class) <= CLASSES, f.name


def test_inference_share_next_to_seed_claim(demand_out: Path):
    sh = _t(demand_out, "demand_inference_share")
    claim = sh[sh.year == 2028].iloc[0]
    assert claim.inference_share == 0.73 and claim.value_class == "stated" and "not stated" in claim.basis
    ds = _t(demand_out, "demand_supply")
    assert (ds.seed_claim_value == 0.73).all()
    ours = sh[sh.value_class == "modelled"].set_index("year").inference_share
    assert ours.is_monotonic_increasing and ours.loc[2025] > 0.5


def test_checks_verdicts(demand_out: Path):
    ch = _t(demand_out, "demand_checks")
    assert set(ch.claim.str[:12]) >= {"DeepSeek-R1 ", "MLA cuts the", "源2.0-M32 per"}
    prim = ch[ch.primary].set_index("facts")
    assert prim.loc["deepseek_r1_train_compute_vs_llama3", "verdict"] == "APPROX"  # 1/11.6, final run only
    assert prim.loc["deepseek_r1_cache_reduction", "recomputed"] == pytest.approx(1_998_848 / 35_136)
    assert prim.loc["yuan2_m32_compute_vs_llama70b", "verdict"] == "PASS"
    # bases on which the claims fail are reported, not hidden
    fails = ch[ch.verdict == "FAIL"]
    assert fails.basis.str.contains("grouped-query").any()
    assert fails.basis.str.contains("Llama 3 70B").any()
    # every claim and basis the checks write has its Chinese
    assert (ch.claim_zh.str.len() > 0).all() and (ch.basis_zh.str.len() > 0).all(), ch[["claim", "basis"]]


def test_sensitivity_ranks_parameters(demand_out: Path):
    s = _t(demand_out, "demand_sensitivity")
    last = s[s.year == s.year.max()].sort_values("rank")
    assert last.share_of_rank_variance.sum() == pytest.approx(1.0)
    assert last.iloc[0].share_of_rank_variance >= last.iloc[-1].share_of_rank_variance
    # MFU lowers the capacity needed: negative rank correlation with utilisation
    assert last.set_index("parameter").loc["mfu_decode", "spearman_rho"] < 0
    assert last.set_index("parameter").loc["coverage", "spearman_rho"] > 0


def test_runs_catalogue_in_build(demand_out: Path):
    runs = _t(demand_out, "demand_runs").set_index("run")
    for r in ("llama31_405b", "deepseek_v3", "deepseek_r1", "qwen25_72b", "gpt3_175b"):
        assert r in runs.index
    assert pd.isna(runs.loc["qwen25_72b", "accelerator"]) or runs.loc["qwen25_72b", "accelerator"] == ""  # a gap
    vals = _t(demand_out, "demand_run_values")
    assert vals.source.notna().all() and (vals.source.str.len() > 0).all()
    disputed = vals[vals.status == "disputed"]
    assert {"cost_usd"} <= set(disputed.field)
    assert ((disputed.run == "deepseek_v3") & (disputed.field == "cost_usd")).any()


def test_deterministic(demand_edition: Path, demand_out: Path, tmp_path: Path):
    out2 = tmp_path / "again"
    build(load_edition(demand_edition), out2, options={"force": True})
    for f in sorted((demand_out / "tables").glob("demand_*.csv")):
        assert (out2 / "tables" / f.name).read_bytes() == f.read_bytes(), f.name


def test_more_draws_narrow_nothing_structural(demand_edition: Path):
    """The medians are stable in the number of draws (Monte Carlo noise, not a bug)."""
    from suanli.demand.stage import compute

    ed = load_edition(demand_edition)
    from suanli.capacity.estimate import estimate, read_shipments
    from suanli.capacity.stage import load_catalog

    nat = estimate(read_shipments(ed.input_path("shipments")), load_catalog(ed), ed.capacity).tables[
        "capacity_national"]
    a = compute(ed, nat, n=4000)["demand_supply"].set_index("year")
    b = compute(ed, nat, n=20000)["demand_supply"].set_index("year")
    np.testing.assert_allclose(a.implied_utilisation, b.implied_utilisation, rtol=0.1)
