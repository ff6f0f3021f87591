"""Bad input gets clear errors naming file, row and column."""

import pytest
from markets_fixtures import FACTS, perturb, read_rows, write_rows

from suanli.errors import InputError
from suanli.markets.series import load_observations


def _err(path, cfg):
    with pytest.raises(InputError) as e:
        load_observations(path, cfg)
    return str(e.value)


def test_cagr_without_window(tmp_path, cfg):
    p = perturb(tmp_path, FACTS, {"cn_liquid_cooled_server_cagr": {"period": ""}})
    msg = _err(p, cfg)
    assert "no window" in msg and "column 'period'" in msg and "row " in msg and "2023-2028" in msg


def test_share_over_100(tmp_path, cfg):
    p = perturb(tmp_path, FACTS, {"cn_genai_iaas_share_2028": {"value": "148"}})
    msg = _err(p, cfg)
    assert "over 100%" in msg and "column 'value'" in msg


def test_negative_market(tmp_path, cfg):
    p = perturb(tmp_path, FACTS, {"cn_ai_server_market_2025": {"value": "-25900000000"}})
    msg = _err(p, cfg)
    assert "negative" in msg and "column 'value'" in msg


def test_mixed_currencies_without_rate(tmp_path, cfg):
    p = perturb(tmp_path, FACTS, {"cn_ai_server_market_2025": {"value": "189000000000", "unit": "CNY",
                                                               "unit_original": "亿元", "value_original": "1890"}})
    msg = _err(p, cfg)
    assert "mixes currencies" in msg and "markets.fx" in msg and "column 'unit'" in msg
    ok = cfg.model_copy(update={"fx": {"CNY": 7.3}})
    obs = load_observations(p, ok)
    row = obs[obs.obs_id == "cn_ai_server_market_2025"].iloc[0]
    assert row.currency == "USD" and row.value == pytest.approx(189e9 / 7.3)


def test_unreadable_value_and_missing_column(tmp_path, cfg):
    p = perturb(tmp_path, FACTS, {"cn_ai_server_market_2025": {"value": "lots"}})
    assert "column 'value'" in _err(p, cfg)
    fields, rows = read_rows(FACTS)
    fields = [f for f in fields if f != "kind"]
    for r in rows:
        r.pop("kind")
    q = write_rows(tmp_path / "nokind.csv", fields, rows)
    assert "kind" in _err(q, cfg)


def test_cli_bad_input_exit_2(tmp_path):
    import subprocess
    import sys

    p = perturb(tmp_path, FACTS, {"cn_genai_iaas_share_2028": {"value": "148"}})
    r = subprocess.run([sys.executable, "-m", "suanli", "markets", "check", str(p), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "over 100%" in r.stderr and "Traceback" not in r.stderr
