"""The dashboard's JSON API: same numbers as the engine, clear 4xx on bad input, safe exports,
escaping, no path traversal, token when asked."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from web_helpers import FORMULA, FORMULA_UNIT, XSS, XSS_UNIT

from suanli.web.app import create_app
from suanli.web.cli import is_loopback
from suanli.web.source import Source


@pytest.fixture(scope="module")
def source(web_build):
    return Source.open(web_build)


@pytest.fixture(scope="module")
def client(source):
    return TestClient(create_app(source))


def test_meta_and_assessment(client):
    m = client.get("/api/meta").json()
    assert m["source_kind"] == "build" and m["synthetic"] is True
    assert {a["name"] for a in m["assessments"]} == {"city", "industry"}
    assert "capacity_national" in m["tables"]
    a = client.get("/api/assessments/city").json()
    assert a["base_normalisation"] == "minmax" and "amean" in a["aggregations"]
    assert a["has_rank_intervals"] is True
    root = [n for n in a["nodes"] if n["parent"] is None]
    assert len(root) == 1 and root[0]["id"] == "index"


def test_rescore_default_matches_index_stage(client, source):
    """With no changes the API gives the ranks of the engine's own build."""
    v = source.view("city")
    res = client.post("/api/assessments/city/rescore", json={}).json()
    got = {u["unit_id"]: u["rank"] for u in res["units"]}
    want = dict(zip(v.result.unit_ids, v.result.ranks[:, v.framework.root].astype(int), strict=True))
    assert got == want
    assert all(u["rank_change"] == 0 for u in res["units"])


def test_rescore_matches_cli_index_build(client, web_edition, tmp_path):
    """The API ranking for new weights, normalisation and aggregation equals what
    'suanli index build' gives with the same weights (a method file with aggregate.weights)."""
    import yaml

    weights = {"investment_scale": 1.0, "policy_support": 0.05}
    body = {"weights": weights, "normalisation": "zscore", "aggregation": "amean"}
    res = client.post("/api/assessments/city/rescore", json=body)
    assert res.status_code == 200, res.text
    api_ranks = {u["unit_id"]: u["rank"] for u in res.json()["units"]}
    fw_file = web_edition / "data" / "index_city_framework.yaml"
    fw = yaml.safe_load(fw_file.read_text(encoding="utf-8"))
    method = [dict(s) for s in fw["method"]]
    for s in method:
        if s["step"] == "normalise":
            s.update(method="zscore", params={})
        if s["step"] == "aggregate":
            s["weights"] = weights
    mfile = tmp_path / "method.yaml"
    mfile.write_text(yaml.safe_dump(method), encoding="utf-8")
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "suanli", "index", "build", str(fw_file),
                    str(web_edition / "data" / "index_city_indicators.csv"), "--method", str(mfile),
                    "--out", str(out)], check=True, capture_output=True)
    r = pd.read_csv(out / "results.csv")
    r = r[(r["node_id"] == "index") & (r["year"] == r["year"].max())]
    cli_ranks = dict(zip(r["unit_id"], r["rank"].astype(int), strict=True))
    assert api_ranks == cli_ranks
    assert any(u["rank_change"] != 0 for u in res.json()["units"])


@pytest.mark.parametrize("body, needle", [
    ({"weights": {"nope": 1}}, "unknown node ids"),
    ({"weights": {"investment_scale": -1}}, "greater than or equal to 0"),
    ({"weights": {"investment_scale": 1e9}}, "less than or equal to 100"),
    ({"normalisation": "magic"}, "unknown normalisation"),
    ({"aggregation": "magic"}, "unknown aggregation"),
    ({"aggregation": "../../etc"}, "invalid aggregation"),
    ({"weights": {"investment_scale": 0, "policy_support": 0, "technology_maturity": 0, "labour_supply": 0}},
     "have weight 0"),
    ({"surprise": 1}, "invalid surprise"),
    ({"weights": [1, 2]}, "invalid weights"),
])
def test_rescore_bad_input_is_4xx_with_message(client, body, needle):
    r = client.post("/api/assessments/city/rescore", json=body)
    assert r.status_code == 422, r.text
    assert needle in r.json()["detail"]


def test_bad_json_nan_and_unknown_things(client):
    r = client.post("/api/assessments/city/rescore", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "detail" in r.json()
    r = client.post("/api/assessments/city/rescore", content=b'{"weights": {"investment_scale": NaN}}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert client.post("/api/assessments/nope/rescore", json={}).status_code == 404
    assert client.post("/api/assessments/NOPE!/rescore", json={}).status_code == 422
    assert client.post("/api/assessments/city/units/nowhere", json={}).status_code == 404
    assert client.get("/api/tables/nope").status_code == 404
    assert client.get("/api/tables/capacity_national?limit=0").status_code == 422


def test_data_dependent_method_failure_is_422(client):
    r = client.post("/api/assessments/city/rescore", json={"aggregation": "gmean"})
    assert r.status_code == 422 and "not positive" in r.json()["detail"]


def test_unit_profile_and_rank_interval(client):
    u = client.post("/api/assessments/city/units/beijing", json={}).json()
    assert u["rank"] == u["base_rank"] and u["exact_decomposition"] is True
    assert abs(sum(c["contribution"] for c in u["contributions"]) - u["score"]) < 1e-6
    assert u["rank_interval"]["q95"] == 2 and u["rank_interval"]["source_table"] == "index_city_rank_intervals"
    assert len(u["strengths"]) == 5 and len(u["weaknesses"]) == 5
    assert client.post("/api/assessments/city/units/hangzhou", json={}).json()["rank_interval"] is None
    w = client.post("/api/assessments/city/units/beijing", json={"weights": {"investment_scale": 0.0}}).json()
    assert w["score"] != u["score"]


def test_exports_are_formula_safe(client):
    r = client.post("/api/assessments/city/export?format=csv&lang=en", json={"weights": {"investment_scale": 0.8}})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    # the file name and a settings column say which scenario this is
    assert re.search(r'filename="suanli-cn-2025-city-w[0-9a-f]{8}\.csv"', r.headers["content-disposition"])
    df = pd.read_csv(io.StringIO(r.content.decode("utf-8-sig")), dtype=str)
    assert set(df["settings"]) == {'{"weights":{"investment_scale":0.8},"normalisation":null,"aggregation":null}'}
    assert (df.loc[df["unit_id"] == FORMULA_UNIT, "name"] == "'" + FORMULA).all()
    assert (df.loc[df["unit_id"] == XSS_UNIT, "name"] == XSS).all()
    api = client.post("/api/assessments/city/rescore", json={"weights": {"investment_scale": 0.8}}).json()
    assert list(df["unit_id"]) == [u["unit_id"] for u in api["units"]]
    assert {x for x in df["value_class"]} == {"synthetic"}

    from openpyxl import load_workbook

    r = client.post("/api/assessments/city/export?format=xlsx&lang=zh", json={})
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    assert any(c.value == FORMULA and c.data_type == "s" for c in cells)
    assert ws.cell(2, 1).value == "排名"
    assert client.post("/api/assessments/city/export?format=pdf", json={}).status_code == 422


def test_json_keeps_hostile_names_as_data_and_html_escapes(client):
    res = client.post("/api/assessments/city/rescore", json={}).json()
    assert XSS in {u["unit_name"] for u in res["units"]}
    page = client.get("/city/dalian")
    assert page.status_code == 200 and "<script>alert" not in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py",
                                  "/vendor/plotly/../__init__.py", "/static//etc/passwd",
                                  "/api/tables/..%2f..%2flineage", "/api/tables/../../lineage.json"])
def test_no_path_traversal(client, path):
    r = client.get(path)
    assert r.status_code in (404, 422), (path, r.status_code)
    assert "edition_folder" not in r.text and "import" not in r.text


def test_static_assets_and_pages(client):
    from suanli.report.plotlyjs import page_js
    from suanli.web.assets import plotly_url, static_url

    js = client.get(plotly_url())
    assert js.status_code == 200 and js.content == page_js() and b"Plotly" in js.content
    assert client.get("/vendor/plotly/plotly.min.js").status_code == 404   # the full bundle is not served
    assert client.get("/static/app.js").status_code == 200
    for p in ["/", "/cities", "/industries", "/compare", "/methodology", "/city/beijing", "/a/industry",
              "/capacity/anchors", "/energy", "/demand"]:
        r = client.get(p)
        # every page links the one versioned plotly URL (one download and compile for all of them)
        # and versioned static files (they are served as immutable)
        assert r.status_code == 200 and plotly_url() in r.text, p
        assert "/vendor/plotly/" not in r.text.replace(plotly_url(), ""), p
        assert re.findall(r"/static/[\w.]+[\"']", r.text) == [], p
        assert static_url("app.css") in r.text, p
        if p != "/capacity/anchors":   # that page links its sources (announcements, press)
            assert "http://" not in r.text and "https://" not in r.text


def test_tables_and_overview(client):
    t = client.get("/api/tables").json()
    assert {"capacity_national", "index_city_rank_intervals", "market_series"} <= {x["name"] for x in t}
    rows = client.get("/api/tables/capacity_national?limit=2&offset=1").json()
    assert rows["total"] == 3 and rows["rows"][0][0] == 2024
    o = client.get("/api/overview").json()
    assert o["capacity_national"][-1]["intelligent_eflops"] == pytest.approx(1037.3)
    assert o["market_series"][0]["series"] == "ai_server_market:china:total" and len(o["assessments"]["city"]) == 10


def test_request_size_limit(client):
    big = json.dumps({"weights": {f"k{i}": 1 for i in range(10000)}})
    r = client.post("/api/assessments/city/rescore", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "too large" in r.json()["detail"]


def test_token_required_when_given(source):
    c = TestClient(create_app(source, token="s3cret-token-0123456789"))
    assert c.get("/api/meta").status_code == 401
    assert c.get("/api/meta", headers={"X-Suanli-Token": "wrong"}).status_code == 401
    assert c.get("/api/meta", headers={"X-Suanli-Token": "s3cret-token-0123456789"}).status_code == 200
    assert c.get("/api/meta", headers={"Authorization": "Bearer s3cret-token-0123456789"}).status_code == 200
    page = c.get("/")
    assert page.status_code == 200 and "s3cret" not in page.text and "tokenRequired&#34;: true" in page.text


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.org")


def test_serve_cli_refuses_short_token_and_bad_source(tmp_path):
    r = subprocess.run([sys.executable, "-m", "suanli", "serve", str(tmp_path / "missing")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "no such edition or build folder" in r.stderr
    r = subprocess.run([sys.executable, "-m", "suanli", "serve", str(tmp_path), "--token", "short"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "at least 16" in r.stderr


def test_edition_source_without_build(web_edition):
    s = Source.open(web_edition)
    assert s.kind == "edition" and s.table_names() == [] and set(s.assessments) == {"city", "industry"}
    assert np.isfinite(s.view("industry").result.V).any()


def test_vikor_scores_every_unit_with_data(client, source):
    """A unit lacking a whole group used to blank VIKOR for everybody (200 with empty ranks)."""
    v = source.view("city")
    fw = v.framework
    # units with no value at all under some group (the as-built amean leaves that group blank)
    lacking = [str(v.unit_ids[u]) for u in range(len(v.unit_ids))
               if np.isnan(v.result.V[u, fw.n_ind:]).any()]
    assert lacking, "the served city data should have a unit without a whole group (the case being tested)"
    assert "vikor" in client.get("/api/assessments/city").json()["aggregations"]
    res = client.post("/api/assessments/city/rescore", json={"aggregation": "vikor"})
    assert res.status_code == 200
    units = res.json()["units"]
    assert all(u["rank"] is not None and u["score"] is not None for u in units)
    assert sorted(u["rank"] for u in units) == list(range(1, len(units) + 1))


def test_methods_offered_score_the_data_and_none_is_hidden(client):
    a = client.get("/api/assessments/city").json()
    keys = [o["key"] for o in a["norm_options"]]
    assert "none" not in keys and "none" in a["hidden"]
    # the edition's uncertainty section declares min-max 1-100 and z-score 10±2: both offered, labelled
    labels = {o["key"]: o["label_en"] for o in a["norm_options"]}
    assert labels["minmax_1_100"] == "min-max 1-100" and labels["zscore_10_2"] == "z-score 10±2"
    # gmean fails on min-max 0-100 (zeros) and works on 1-100: the pair table says so before anyone picks it
    assert a["compat"]["gmean"]["minmax"] and a["compat"]["gmean"]["minmax_1_100"] is None
    for agg in a["aggregations"]:
        for norm, why in a["compat"][agg].items():
            r = client.post("/api/assessments/city/rescore", json={"normalisation": norm, "aggregation": agg})
            if why is None:
                assert r.status_code == 200, (agg, norm, r.text)
                assert any(u["rank"] is not None for u in r.json()["units"])
            else:
                assert r.status_code == 422 and r.json()["detail"], (agg, norm)


def test_all_empty_ranking_is_422_with_the_engine_reason(client, source, monkeypatch):
    from suanli.index import fast

    real = fast.Rescorer.scores_for

    def blank(*a, **k):
        V = real(*a, **k).copy()
        V[:, -1] = np.nan
        return V

    monkeypatch.setattr(fast.Rescorer, "scores_for", blank)
    r = client.post("/api/assessments/city/rescore", json={"weights": {"investment_scale": 0.7}})
    assert r.status_code == 422 and "no unit was scored" in r.json()["detail"]


def test_host_check_head_static_cache_and_nul(source):
    from suanli.web.app import LOOPBACK_HOSTS

    c = TestClient(create_app(source, allowed_hosts=LOOPBACK_HOSTS), base_url="http://127.0.0.1:8000")
    assert c.get("/api/meta").status_code == 200
    assert c.get("/api/meta", headers={"Host": "localhost:8000"}).status_code == 200
    r = c.get("/api/meta", headers={"Host": "evil.example:8000"})      # DNS rebinding
    assert r.status_code == 421 and "DNS rebinding" in r.json()["detail"]
    h = c.head("/")
    assert h.status_code == 200 and h.content == b"" and h.headers["content-type"].startswith("text/html")
    assert c.head("/api/meta").status_code == 200
    from suanli.web.assets import plotly_url

    js = c.get(plotly_url(), headers={"Accept-Encoding": "gzip"})
    assert js.status_code == 200 and js.headers["content-encoding"] == "gzip"
    assert "immutable" in js.headers["cache-control"] and js.headers["etag"]
    assert js.headers["content-type"].startswith("text/javascript")
    assert c.get(plotly_url(), headers={"If-None-Match": js.headers["etag"]}).status_code == 304
    assert c.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    assert c.get("/static/../app.py").status_code == 404
    assert c.post("/api/assessments/city/units/beijing%00", json={}).status_code == 400


def test_scenario_yaml_reproduces_the_ranking_through_the_cli(client, web_edition, tmp_path):
    settings = {"weights": {"investment_scale": 0.9, "policy_support": 0.1}, "normalisation": "minmax_1_100",
                "aggregation": "gmean"}
    r = client.post("/api/assessments/city/scenario", json={"name": "重投资 heavy", "settings": settings})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/yaml")
    f = tmp_path / "m.yaml"
    f.write_bytes(r.content)
    data = web_edition / "data"
    subprocess.run([sys.executable, "-m", "suanli", "index", "build", str(data / "index_city_framework.yaml"),
                    str(data / "index_city_indicators.csv"), "--method", str(f), "--out", str(tmp_path / "idx")],
                   check=True, capture_output=True)
    res = pd.read_csv(tmp_path / "idx" / "results.csv")
    res = res[(res["node_id"] == "index") & (res["year"] == res["year"].max())]
    want = dict(zip(res["unit_id"], res["rank"].astype(int), strict=True))
    api = client.post("/api/assessments/city/rescore", json=settings).json()
    assert {u["unit_id"]: u["rank"] for u in api["units"]} == want
    assert client.post("/api/assessments/city/scenario",
                       json={"name": "x", "settings": {"aggregation": "bogus"}}).status_code == 422


def test_years_geo_intervals_and_table_download(client):
    y = client.get("/api/assessments/city/years").json()
    assert y["previous_year"] == y["year"] - 1 and len(y["units"]) == 44
    assert any(u["move"] for u in y["units"] if u["move"] is not None)
    g = client.get("/api/geo").json()
    assert len(g["tiles"]) == 34 and {"province": "北京", "name_en": "Beijing"}.items() <= next(
        t for t in g["tiles"] if t["province"] == "北京").items()
    a = client.get("/api/assessments/city").json()
    assert {r["unit_id"] for r in a["intervals"]} == {"beijing", "shanghai"}
    res = client.post("/api/assessments/city/rescore", json={}).json()
    corr = [c for c in res["correlations"].values() if c is not None]
    assert res["as_built"] is True and corr and all(-1 <= c <= 1 for c in corr)
    assert abs(res["effective_weights"]["index"] - 1) < 1e-9
    assert client.post("/api/assessments/city/rescore", json={"weights": {"investment_scale": 0.5}}).json()["as_built"] is False
    d = client.get("/api/tables/capacity_national/download")
    assert d.status_code == 200 and d.content.startswith("\ufeff".encode()) and b"intelligent_eflops" in d.content


def test_stage_views_and_names(client):
    names = client.get("/api/names").json()
    assert names["province"]["内蒙古"]["en"] == "Inner Mongolia"
    assert names["city"]["西安"]["en"] == "Xi'an" and names["city"]["乌兰察布"]["en"] == "Ulanqab"
    assert names["vendor"]["浪潮"]["en"] == "Inspur" and names["group"]["华北"]["en"] == "North China"
    assert names["metric"]["ai_server_market"]["zh"] == "人工智能服务器市场规模"
    assert names["unit"]["亿美元"]["en"] == "100 million USD" and names["value_class"]["derived"]["zh"] == "推算"
    from types import SimpleNamespace

    from suanli.edition import load_edition
    from suanli.web.names import survey_strata

    strata = survey_strata(SimpleNamespace(edition=load_edition()))            # from the edition's margins file
    assert strata["very_large"]["en"].startswith("Very large") and strata["east"]["zh"] == "东部"
    cap = client.get("/api/views/capacity").json()
    assert [r["value_class"] for r in cap["national"]] == ["synthetic"] * 3
    assert {t["province"] for t in cap["grid"]["tiles"]} >= {"北京", "广东", "新疆"}
    assert {r["province"] for r in cap["cities"]} == {"北京", "广东"}            # cities placed in their province
    assert set(cap["mix"]) == {"vendor", "origin"} and cap["device_mix"][0]["origin"] == "domestic"
    # the national series by both routes, each under its own name and class
    routes = {(r["year"], r["route"]): r for r in cap["routes"]}
    assert routes[(2020, "published")]["value_class"] == "derived" and routes[(2020, "model")]["value"] == 75.0
    assert routes[(2025, "model")]["name_en"] == "suanli model, synthetic shipments"
    mk = client.get("/api/views/markets").json()
    assert mk["series"][0]["unit"] == "亿美元"
    assert [p["v"] for p in mk["points"]] == pytest.approx([100, 190, 259])     # scaled to the printed unit
    assert [p["value_class"] for p in mk["points"]] == ["derived", "stated", "stated"]
    assert mk["forecasts"][0]["v"] == pytest.approx(330) and mk["forecasts"][0]["lo"] == pytest.approx(300)
    assert {c["verdict"] for c in mk["checks"]} == {"PASS", "WARN", "INFO", "APPROX"}
    sv = client.get("/api/views/survey").json()
    assert len(sv["estimates"]) == 2 and {r["stratum"] for r in sv["by_stratum"]} == {"small", "large"}
    se = client.get("/api/views/sensitivity").json()
    run = next(r for r in se["runs"] if r["run"] == "city")
    assert run["assessment"] == "city" and len(run["sobol"]) == 2 and len(run["probabilities"]) == 4
    assert client.get("/api/views/nothing").status_code == 404


def test_methodology_steps_are_sentences_in_both_languages():
    from suanli.web.names import describe_steps

    steps = describe_steps([{"step": "treat", "method": "coinr", "params": {"winmax": 5}},
                            {"step": "normalise", "method": "minmax", "params": {"l_u": [0, 100]}},
                            {"step": "aggregate", "method": "amean", "dat_thresh": 0.5}])
    assert steps[1]["zh"] == "2. 标准化：最小-最大（区间 0–100）"
    assert steps[1]["en"] == "2. normalise: min-max (range 0–100)"
    assert "50%" in steps[2]["zh"] and "{" not in "".join(s["zh"] + s["en"] for s in steps)


def _interval_job(client, body: dict) -> dict:
    import time

    r = client.post("/api/assessments/city/intervals", json=body)
    assert r.status_code in (200, 202), r.text
    job = r.json()
    t0 = time.time()
    while job["status"] in ("queued", "running"):
        assert time.time() - t0 < 300, job
        time.sleep(0.2)
        job = client.get(f"/api/intervals/{job['job']}").json()
    return job


def test_intervals_recomputed_for_the_current_settings(client):
    """The uncertainty engine on the pipeline of the page's settings: nominal ranks equal the
    re-score's, a fixed normalisation is held, the seed makes it repeatable, samples are bounded."""
    settings = {"weights": {"investment_scale": 1.0}, "normalisation": "zscore_10_2"}
    job = _interval_job(client, {"settings": settings, "samples": 50})
    assert job["status"] == "done", job
    res = job["result"]
    assert res["samples"] == 50 and not res["as_built"] and res["source"] == "edition"
    assert res["held"] == ["normalisation"] and "normalisation" not in res["inputs"]
    assert any(x.startswith("weights") for x in res["inputs"])
    assert res["value_class"] in ("synthetic", "modelled")
    ranks = {u["unit_id"]: u["rank"] for u in
             client.post("/api/assessments/city/rescore", json=settings).json()["units"]}
    units = {u["unit_id"]: u for u in res["units"]}
    assert set(units) == set(ranks)
    assert all(units[k]["nominal_rank"] == ranks[k] for k in ranks)
    assert all(u["q05"] <= u["median_rank"] <= u["q95"] for u in units.values() if u["q05"] is not None)
    # the same request is the same job (kept), and a fresh computation gives the same numbers
    again = client.post("/api/assessments/city/intervals", json={"settings": settings, "samples": 50}).json()
    assert again["job"] == job["job"] and again["result"] == res
    from suanli.web.api import Settings
    from suanli.web.intervals import compute

    fresh = compute(client.app.state.source.view("city"), Settings(**settings), 50)
    assert [u.model_dump() for u in fresh.units] == res["units"]


def test_intervals_bad_requests(client):
    assert client.post("/api/assessments/city/intervals", json={"samples": 5}).status_code == 422
    assert client.post("/api/assessments/city/intervals", json={"samples": 50_000}).status_code == 422
    r = client.post("/api/assessments/city/intervals", json={"settings": {"aggregation": "gmean"}, "samples": 50})
    assert r.status_code == 422 and "gmean" in r.json()["detail"]     # gmean on min-max 0-100: not scoreable
    assert client.post("/api/assessments/nope/intervals", json={}).status_code == 404
    assert client.get("/api/intervals/0123456789abcdef").status_code == 404
    assert client.get("/api/intervals/not-a-job").status_code == 422


def test_abandoned_interval_job_stops(client, monkeypatch):
    import time

    import suanli.web.intervals as iv

    monkeypatch.setattr(iv, "ABANDON_S", 0.0)       # nobody polls in time: the job stops between chunks
    r = client.post("/api/assessments/city/intervals", json={"settings": {"weights": {"investment_scale": 0.7}},
                                                            "samples": 60})
    jid = r.json()["job"]
    jobs = client.app.state.interval_jobs
    t0 = time.time()
    while jobs.jobs[jid]["status"] in ("queued", "running") and time.time() - t0 < 120:
        time.sleep(0.1)
    assert jobs.jobs[jid]["status"] == "failed" and "nobody asked" in jobs.jobs[jid]["error"]


SETTINGS_CASES = [{}, {"weights": {"investment_scale": 0.8, "policy_support": 0.05}},
                  {"weights": {"investment_scale": 0.3}, "normalisation": "zscore"},
                  {"aggregation": "vikor"}, {"weights": {"policy_support": 0.9}, "aggregation": "gmean",
                                             "normalisation": "minmax_1_100"}]


@pytest.mark.parametrize("settings", SETTINGS_CASES)
def test_scores_columns_equal_the_rescore_rows(client, settings):
    """The ranking page's columns answer carries the same numbers as the rows answer, unit by unit,
    in the order of the static unit list (fast ASGI path and thread-pool path alike)."""
    a = client.get("/api/assessments/city").json()
    if settings.get("normalisation") and settings["normalisation"] not in a["normalisations"]:
        pytest.skip(f"{settings['normalisation']} not offered for this data")
    rows = client.post("/api/assessments/city/rescore", json=settings)
    cols = client.post("/api/assessments/city/scores", json=settings)
    assert rows.status_code == cols.status_code == 200, (rows.text, cols.text)
    rows, cols = rows.json(), cols.json()
    ids = [u["unit_id"] for u in a["units"]]
    assert len(ids) == cols["n_units"] == len(cols["score"]) == len(cols["rank"]) == len(rows["units"])
    by_id = {r["unit_id"]: r for r in rows["units"]}
    for k, uid in enumerate(ids):
        r = by_id[uid]
        assert cols["rank"][k] == r["rank"] and cols["score"][k] == r["score"]
        assert [cols["dim_scores"][d][k] for d in range(len(cols["dims"]))] == [r["dims"][d] for d in cols["dims"]]
        info = a["units"][k]
        assert (info["unit_name"], info["group"], info["base_rank"], info["base_score"]) == (
            r["unit_name"], r["group"], r["base_rank"], r["base_score"])
    for key in ("dims", "effective_weights", "correlations", "as_built", "settings", "synthetic", "year"):
        assert cols[key] == rows[key], key


@pytest.mark.parametrize("body, needle", [
    ({"weights": {"nope": 1}}, "unknown node ids"),
    ({"weights": {"investment_scale": -1}}, "greater than or equal to 0"),
    ({"normalisation": "magic"}, "unknown normalisation"),
    ({"weights": {"investment_scale": 0, "policy_support": 0, "technology_maturity": 0, "labour_supply": 0}},
     "have weight 0"),
    ({"surprise": 1}, "invalid surprise"),
])
def test_scores_bad_input_gets_the_routes_message(client, body, needle):
    """What the fast path does not take goes to the FastAPI route, which answers as for /rescore."""
    r = client.post("/api/assessments/city/scores", json=body)
    assert r.status_code == 422, r.text
    assert needle in r.json()["detail"]
    assert client.post("/api/assessments/city/scores", content=b"{not json",
                       headers={"content-type": "application/json"}).status_code == 422
    assert client.post("/api/assessments/nope/scores", json={}).status_code == 404
    # a body sent without a JSON content type is the route's business too
    r = client.post("/api/assessments/city/scores", content=b"{}", headers={"content-type": "text/plain"})
    assert r.status_code in (200, 422)


def test_scores_fast_path_keeps_the_guard(source):
    """Token, host check and size limit apply to the fast path as to every request."""
    c = TestClient(create_app(source, token="t" * 20, allowed_hosts=("127.0.0.1",)), base_url="http://127.0.0.1")
    assert c.post("/api/assessments/city/scores", json={}).status_code == 401
    ok = c.post("/api/assessments/city/scores", json={}, headers={"X-Suanli-Token": "t" * 20})
    assert ok.status_code == 200 and ok.json()["as_built"] is True
    assert c.post("/api/assessments/city/scores", json={}, headers={"X-Suanli-Token": "t" * 20,
                                                                   "Host": "evil.example"}).status_code == 421
    big = b'{"weights": {' + b",".join(b'"k%d": 1' % i for i in range(20000)) + b"}}"
    r = c.post("/api/assessments/city/scores", content=big, headers={"content-type": "application/json",
                                                                     "X-Suanli-Token": "t" * 20})
    assert r.status_code == 413


@pytest.mark.parametrize("settings", SETTINGS_CASES[:3] + [{"aggregation": "vikor"}])
def test_unit_profile_equals_the_engine_explanation(client, source, settings):
    """The unit page's numpy profile equals explain.contributions, the engine's ranks of every
    node and numpy's nanmedian, for several units and settings."""
    from suanli.index.explain import contributions
    from suanli.web.api import Settings, run

    v = source.view("city")
    fw = v.framework
    out, res = run(v, Settings(**settings))
    for uid in [str(x) for x in v.unit_ids[:: max(1, len(v.unit_ids) // 6)]]:
        got = client.post(f"/api/assessments/city/units/{uid}", json=settings)
        assert got.status_code == 200, got.text
        got = got.json()
        u = int(np.flatnonzero(v.unit_ids == uid)[0])
        c = contributions(res, uid)
        assert [x["indicator_id"] for x in got["contributions"]] == c["indicator_id"].tolist()
        np.testing.assert_allclose([x["contribution"] for x in got["contributions"]], c["contribution"], rtol=0,
                                   atol=1e-12)
        np.testing.assert_allclose([x["weight_in_index"] for x in got["contributions"]], c["weight_in_index"],
                                   rtol=0, atol=1e-15)
        assert got["exact_decomposition"] == bool(c.attrs["exact"])
        want_rank = [None if not np.isfinite(r) else int(r) for r in c["rank"]]
        assert [x["rank"] for x in got["contributions"]] == want_rank
        med = np.nanmedian(np.where(np.isfinite(out.V), out.V, np.nan), axis=0)
        for n in got["nodes"]:
            i = fw.index[n["node_id"]]
            r = out.ranks[u, i]
            assert n["rank"] == (int(r) if np.isfinite(r) else None)
            assert (n["median"] is None and not np.isfinite(med[i])) or n["median"] == pytest.approx(med[i], abs=1e-12)
            s = out.V[u, i]
            assert n["score"] == (float(s) if np.isfinite(s) else None)
        assert got["rank"] == (int(out.ranks[u, fw.root]) if np.isfinite(out.ranks[u, fw.root]) else None)
