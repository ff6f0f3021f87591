"""The dashboard's demand page and its API on a build with the capacity and demand stages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from suanli.web.app import create_app


@pytest.fixture(scope="module")
def client(demand_out: Path):
    with TestClient(create_app(demand_out)) as c:
        yield c


def test_demand_api_serves_the_tables(client, demand_out):
    r = client.get("/api/demand")
    assert r.status_code == 200
    body = r.json()
    ds = pd.read_csv(demand_out / "tables" / "demand_supply.csv")
    assert [x["year"] for x in body["demand_supply"]] == list(ds.year)
    assert body["demand_supply"][-1]["implied_utilisation_hi"] == pytest.approx(ds.implied_utilisation_hi.iloc[-1])
    assert {"demand_parameters", "demand_sensitivity", "demand_checks"} <= set(body)


def test_scenario_at_defaults_is_the_central_table(client, demand_out):
    cen = pd.read_csv(demand_out / "tables" / "demand_central.csv")
    s = client.get("/api/demand/scenario").json()
    assert s["years"] == list(cen.year)
    for k in ("training_eflops", "inference_eflops", "implied_utilisation"):
        assert s["series"][k] == pytest.approx(list(cen[k]), rel=1e-9)


def test_sliders_move_the_scenario_the_right_way(client):
    base = client.get("/api/demand/scenario").json()["series"]
    hi_mfu = client.get("/api/demand/scenario", params={"mfu": 2}).json()["series"]
    assert hi_mfu["demand_eflops"][-1] == pytest.approx(base["demand_eflops"][-1] / 2, rel=1e-9)  # every MFU ×2
    big = client.get("/api/demand/scenario", params={"small_share": 0.0}).json()["series"]
    assert big["inference_eflops"][-1] > base["inference_eflops"][-1]
    slow = client.get("/api/demand/scenario", params={"token_growth": 0.8}).json()["series"]
    assert slow["tokens_per_day"][-1] < base["tokens_per_day"][-1]
    assert slow["training_eflops"] == pytest.approx(base["training_eflops"])
    cov = client.get("/api/demand/scenario", params={"coverage": 16}).json()
    assert cov["settings"]["coverage"] == 16


def test_bad_slider_values_are_422(client):
    r = client.get("/api/demand/scenario", params={"mfu": 50})
    assert r.status_code == 422 and "mfu" in r.json()["detail"]


def test_page_loads_its_script(client):
    r = client.get("/demand")
    from suanli.web.assets import static_url

    assert r.status_code == 200 and f'<script src="{static_url("demand.js")}"' in r.text and "<script>" not in r.text
    assert client.get(static_url("demand.js")).status_code == 200
