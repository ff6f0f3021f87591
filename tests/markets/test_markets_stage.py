"""Series 2020-2028 for every seed market, kinds and methods, CLI and build wiring."""

import subprocess
import sys

from markets_fixtures import EXTERNAL, FACTS

from suanli.edition import load_edition
from suanli.markets.series import build_series, load_observations
from suanli.markets.stage import edition_comparison, run_markets

MARKETS = ["ai_server_market:china:total", "ai_server_market:global:total", "ai_server_market:global:genai",
           "ai_server_market:global:non_genai", "ai_compute_services:china:total",
           "ai_compute_services:china:integration", "ai_compute_services:china:genai_iaas",
           "ai_compute_services:china:non_genai_iaas", "liquid_cooled_server_market:china:total",
           "ai_storage_spend:global:total", "aidc_it_energy:global:total", "genai_spend:global:total",
           "data_volume:global:total", "intelligent_compute:china:total", "general_compute:china:total"]


def test_series_cover_2020_2028_after_forecast(cfg):
    obs = load_observations(FACTS, cfg, EXTERNAL)
    t = run_markets(obs, cfg)
    s = t["market_series"]
    for key in MARKETS:
        years = sorted(s[s.series == key].year)
        assert years == list(range(2020, 2029)), key
    assert set(s.kind) <= {"actual", "estimate", "forecast", "derived"}
    assert s.method.notna().all()
    e = s[(s.series == "aidc_it_energy:global:total") & (s.year == 2028)].iloc[0]
    assert e.kind == "forecast" and e.method.startswith("model:")
    st = s[(s.series == "intelligent_compute:china:total") & (s.year == 2026)].iloc[0]
    assert st.stated and st.value == 1460.3
    assert (t["market_backtests"].groupby("series").selected.sum() == 1).all()
    assert set(t["market_checks"].verdict) <= {"PASS", "APPROX", "INFO", "WARN"}


def test_edition_comparison_like_for_like(cfg):
    obs = load_observations(FACTS, cfg, EXTERNAL)
    series, _ = build_series(obs, cfg)
    ec = edition_comparison(obs, series)
    lvl = ec[(ec.quantity == "level") & (ec.year == 2027)].set_index("series")
    assert lvl.loc["intelligent_compute:china:total", "like_for_like"]
    assert lvl.loc["intelligent_compute:china:total", "previous"] == 1117.4
    headline = ec[(ec.quantity == "cagr") & (ec.current_method == "headline CAGR")]
    assert not headline.like_for_like.any()


def test_default_edition_has_markets_section():
    ed = load_edition()
    assert ed.markets is not None and ed.inputs["market_facts"].synthetic is False


def test_cli_check_writes_csv_and_markdown(tmp_path):
    r = subprocess.run([sys.executable, "-m", "suanli", "markets", "check", str(FACTS), "--previous", str(EXTERNAL),
                        "--out", str(tmp_path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "FAIL 0" in r.stdout
    assert (tmp_path / "checks.csv").exists() and "E02" in (tmp_path / "checks.md").read_text(encoding="utf-8")
