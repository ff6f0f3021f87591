"""The real page in Debian's chromium (Playwright, no browser download): move a weight slider and
check the ranking shown against 'suanli index build' with the same weights; share URL; switch
language; download CSV/XLSX; unit page; compare; hostile names render as text; no request leaves
localhost."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
import yaml
from web_helpers import CHROMIUM, XSS, XSS_UNIT, LiveServer, read_texts

from suanli.web.app import create_app

pytestmark = [
    pytest.mark.browser,
    # with test_web_language.py, which reads the texts this module's sweep of every page keeps
    pytest.mark.xdist_group("web-pages"),
    pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Debian chromium not installed (apt-get install chromium)"),
]


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = ctx.new_page()
    seen: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: seen.append(r.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    pg.seen = seen  # type: ignore[attr-defined]
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    # every request stayed on this machine; no script error, no alert() from a unit name
    outside = [u for u in seen if urlparse(u).scheme not in ("blob", "data", "about")
               and urlparse(u).hostname not in ("127.0.0.1", "localhost")]
    assert not outside, outside
    assert not errors, errors
    ctx.close()


def wait_ready(page, contains: str = "") -> None:
    page.wait_for_function(
        "(s) => document.body.dataset.busy === '0' && (s === '' || (document.body.dataset.settings || '').includes(s))",
        arg=contains, timeout=15000)


def shown_ranks(page) -> dict[str, int]:
    rows = page.locator("#ranking tbody tr").evaluate_all(
        "rs => rs.map(r => [r.dataset.unit, r.dataset.rank])")
    return {u: int(r) for u, r in rows}


def cli_ranks(edition: Path, tmp: Path, weights: dict[str, float]) -> dict[str, int]:
    fw_file = edition / "data" / "index_city_framework.yaml"
    method = [dict(s) for s in yaml.safe_load(fw_file.read_text(encoding="utf-8"))["method"]]
    for s in method:
        if s["step"] == "aggregate":
            s["weights"] = weights
    (tmp / "m.yaml").write_text(yaml.safe_dump(method), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "suanli", "index", "build", str(fw_file),
                    str(edition / "data" / "index_city_indicators.csv"), "--method", str(tmp / "m.yaml"),
                    "--out", str(tmp / "idx")], check=True, capture_output=True)
    r = pd.read_csv(tmp / "idx" / "results.csv")
    r = r[(r["node_id"] == "index") & (r["year"] == r["year"].max())]
    return dict(zip(r["unit_id"], r["rank"].astype(int), strict=True))


def test_slider_ranking_equals_cli_and_share_url(page, server, web_edition, tmp_path):
    page.goto(server.url + "/cities")
    wait_ready(page)
    before = shown_ranks(page)
    assert len(before) == 44 and before["beijing"] == 1
    page.locator("#w-investment_scale").fill("1")
    page.locator("#w-policy_support").fill("0.05")
    wait_ready(page, "policy_support%3A0.05")
    got = shown_ranks(page)
    want = cli_ranks(web_edition, tmp_path, {"investment_scale": 1.0, "policy_support": 0.05})
    assert got == want
    assert got != before
    # the rank-change column and the URL reflect the settings; opening the URL shows the same ranking
    assert page.locator("#ranking .up, #ranking .down").count() > 0
    url = page.locator("#share-url").input_value()
    assert "investment_scale%3A1" in url and url == page.url
    page.goto(url)
    wait_ready(page, "policy_support%3A0.05")
    assert shown_ranks(page) == want
    assert page.locator("#w-investment_scale").input_value() == "1"


def test_normalisation_selector_and_error_message(page, server):
    page.goto(server.url + "/cities")
    wait_ready(page)
    page.select_option("#norm", "rank")
    wait_ready(page, "norm=rank")
    assert page.locator("#ranking tbody tr").count() == 44
    page.select_option("#agg", "gmean")   # zeros after rank normalisation? the message is shown, nothing breaks
    wait_ready(page, "agg=gmean")
    if page.evaluate("document.body.dataset.failed") == "1":
        assert page.locator("#error").is_visible()


def test_language_switch(page, server):
    page.goto(server.url + "/cities")
    wait_ready(page)
    assert page.locator("#nav a[data-nav='/cities']").inner_text() == "城市"
    assert page.locator("#ranking thead th").first.inner_text() == "排名"
    page.click("#lang")
    wait_ready(page)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("#nav a[data-nav='/cities']").inner_text() == "Cities"
    assert page.locator("#ranking thead th").first.inner_text() == "Rank"
    row = page.locator("#ranking tr[data-unit='beijing']").inner_text()
    assert "Beijing" in row and "North China" in row                       # unit and region group in English
    assert "lang=en" in page.url
    page.click("#lang")
    wait_ready(page)
    assert page.locator("#ranking thead th").first.inner_text() == "排名"


def test_download_csv_and_xlsx(page, server, tmp_path):
    page.goto(server.url + "/cities")
    wait_ready(page)
    page.locator("#w-labour_supply").fill("0")
    wait_ready(page, "labour_supply%3A0")
    with page.expect_download() as d:
        page.click("#dl-csv")
    f = tmp_path / d.value.suggested_filename
    d.value.save_as(f)
    assert re.fullmatch(r"suanli-cn-2025-city-w[0-9a-f]{8}\.csv", f.name)     # the scenario is in the name
    df = pd.read_csv(f, encoding="utf-8-sig")
    assert dict(zip(df["单位代码"], df["排名"], strict=True)) == shown_ranks(page)
    with page.expect_download() as d:
        page.click("#dl-xlsx")
    g = tmp_path / d.value.suggested_filename
    d.value.save_as(g)
    from openpyxl import load_workbook

    ws = load_workbook(g).active
    assert ws.cell(2, 2).value == "单位代码" and ws.max_row == 46


def test_hostile_unit_name_renders_as_text(page, server):
    page.goto(server.url + "/cities")
    wait_ready(page)
    link = page.locator(f"#ranking tr[data-unit='{XSS_UNIT}'] a.unit-link")
    assert link.inner_text() == XSS
    assert page.locator("script:not([src])").count() == 0
    link.click()
    page.wait_for_url("**/city/dalian**")
    wait_ready(page)
    assert page.locator("#unit-title").inner_text() == XSS
    assert page.locator("#main script").count() == 0


def test_unit_page_and_compare(page, server):
    page.goto(server.url + "/city/beijing")
    wait_ready(page)
    assert page.locator("#unit-title").inner_text() == "北京"
    assert "1 – 2" in page.locator("#rank-interval").inner_text()
    assert page.locator("#contrib tbody tr").count() > 10
    assert page.locator("#strengths li").count() == 5
    assert page.locator("#chart-unit-dims .main-svg").count() > 0
    page.goto(server.url + "/compare?as=city&u1=beijing&u2=shanghai")
    wait_ready(page)
    head = page.locator("#compare-table thead").inner_text()
    assert "北京" in head and "上海" in head
    page.select_option("#cmp-u2", "hangzhou")
    page.wait_for_url("**u2=hangzhou**")
    wait_ready(page)
    assert "杭州" in page.locator("#compare-table thead").inner_text()


def test_overview_industries_methodology(page, server):
    page.goto(server.url + "/")
    wait_ready(page)
    assert page.locator("#chart-capacity .main-svg").count() > 0
    page.goto(server.url + "/industries")
    wait_ready(page)
    assert page.locator("#ranking tbody tr").count() == 14
    page.goto(server.url + "/methodology")
    wait_ready(page)
    # method steps are sentences (no pipeline JSON); methods not offered say why, bod included
    steps = page.locator("#steps-city li").all_inner_texts()
    assert steps[1] == "2. 标准化：最小-最大（区间 0–100）" and "{" not in page.locator("#main").inner_text()
    assert "滑块上的权重对它不起作用" in page.locator("#hidden-city").inner_text()
    page.click("#lang")
    wait_ready(page)
    assert page.locator("#steps-city li").nth(1).inner_text() == "2. normalise: min-max (range 0–100)"
    assert "the weight sliders have no effect" in page.locator("#hidden-city").inner_text()


def test_page_asks_for_token(browser, web_build, tmp_path):
    with LiveServer(create_app(web_build, token="tok-abcdefghijklmnop")) as s:
        ctx = browser.new_context()
        pg = ctx.new_page()
        pg.goto(s.url + "/cities")
        pg.wait_for_selector("#token-input")
        pg.fill("#token-input", "tok-abcdefghijklmnop")
        pg.click("#token-form button")
        wait_ready(pg)
        assert pg.locator("#ranking tbody tr").count() == 44
        ctx.close()



def test_failed_rescore_never_leaves_an_unflagged_table(page, server):
    page.goto(server.url + "/cities")
    wait_ready(page)
    page.locator("#w-investment_scale").fill("1")
    wait_ready(page, "investment_scale%3A1")
    good = page.url
    page.select_option("#agg", "gmean")      # gmean on min-max 0-100 (zeros): the engine refuses it
    page.wait_for_function("() => document.body.dataset.failed === '1'", timeout=15000)
    assert page.locator("#stale-banner").is_visible()
    assert "gmean" in page.locator("#stale-reason").inner_text()
    assert "最小-最大 1–100" in page.locator("#stale-gloss").inner_text()      # the reason explained in Chinese
    assert "stale" in page.locator("#ranking-host").get_attribute("class")
    # the controls and the share link went back to the last settings that worked
    assert page.url == good and page.locator("#agg").input_value() != "gmean"
    page.select_option("#norm", "minmax_1_100")   # a working choice clears the flag
    page.wait_for_function("() => document.body.dataset.failed === '0' && document.body.dataset.busy === '0'", timeout=15000)
    assert not page.locator("#stale-banner").is_visible()
    assert "stale" not in (page.locator("#ranking-host").get_attribute("class") or "")


def test_bad_url_parameter_shows_a_warning(page, server):
    page.goto(server.url + "/cities?norm=bogus&w=investment_scale:5,nosuchnode:0.3&agg=amean")
    wait_ready(page)
    box = page.locator("#url-warning")
    assert box.is_visible()
    text = box.inner_text()
    assert "norm=bogus" in text and "nosuchnode" in text and "investment_scale:5" in text
    assert page.locator("#ranking tbody tr").count() == 44


def test_vikor_scores_every_unit_in_the_page(page, server):
    page.goto(server.url + "/cities")
    wait_ready(page)
    page.select_option("#agg", "vikor")
    wait_ready(page, "agg=vikor")
    ranks = shown_ranks(page)
    assert len(ranks) == 44 and sorted(ranks.values()) == list(range(1, 45))


def test_saved_scenario_reloads_and_its_yaml_reproduces_the_cli(page, server, web_edition, tmp_path):
    page.goto(server.url + "/cities")
    wait_ready(page)
    page.locator("#w-investment_scale").fill("0.9")
    wait_ready(page, "investment_scale%3A0.9")
    page.select_option("#norm", "zscore_10_2")
    wait_ready(page, "norm=zscore_10_2")
    want = shown_ranks(page)
    page.fill("#scenario-name", "投资优先")
    page.click("#scenario-save")
    page.goto(server.url + "/scenarios")
    wait_ready(page)
    assert "投资优先" in page.locator("#scenario-table").inner_text()
    with page.expect_download() as d:
        page.locator("#scenario-table .sc-yaml").first.click()
    f = tmp_path / "s.yaml"
    d.value.save_as(f)
    data = web_edition / "data"
    subprocess.run([sys.executable, "-m", "suanli", "index", "build", str(data / "index_city_framework.yaml"),
                    str(data / "index_city_indicators.csv"), "--method", str(f), "--out", str(tmp_path / "idx")],
                   check=True, capture_output=True)
    r = pd.read_csv(tmp_path / "idx" / "results.csv")
    r = r[(r["node_id"] == "index") & (r["year"] == r["year"].max())]
    assert dict(zip(r["unit_id"], r["rank"].astype(int), strict=True)) == want
    page.locator("#scenario-table .sc-open").first.click()
    wait_ready(page, "norm=zscore_10_2")
    assert shown_ranks(page) == want
    # the correlation of each indicator with the index follows the weights
    corr = page.locator("#corr-table tbody tr")
    assert corr.count() >= 20
    before = page.locator("#corr-table").text_content()          # inside a closed <details>
    # a second scenario (the defaults) and the side-by-side comparison of the two
    page.click("#reset")
    wait_ready(page)
    assert page.locator("#corr-table").text_content() != before
    default = shown_ranks(page)
    page.fill("#scenario-name", "默认")
    page.click("#scenario-save")
    page.goto(server.url + "/scenarios?a=0&b=1")
    wait_ready(page)
    rows = page.locator("#scenario-compare tbody tr").evaluate_all(
        "rs => rs.map(r => Array.from(r.children).map(c => c.textContent))")
    assert len(rows) == 44
    assert sorted(int(r[1]) for r in rows) == sorted(want.values())             # scenario A's ranks
    assert sorted(int(r[2]) for r in rows) == sorted(default.values())          # scenario B's ranks
    for r in rows:                                                              # difference = B − A, ▲/▼
        d = int(r[2]) - int(r[1])
        assert r[3] == ("0" if d == 0 else f"▲{d}" if d > 0 else f"▼{-d}")
    assert sum(r[3] != "0" for r in rows) == sum(want[u] != default[u] for u in want) > 0


STAGE_PARTS = {
    "/capacity": ["#chart-cap-national .main-svg", "#chart-cap-routes .main-svg", "#cap-routes tbody tr", "#chart-tilemap .main-svg", "#chart-mix .main-svg", "#chart-device .main-svg"],
    "/markets": ["#chart-market-series .main-svg", "#market-points", "#market-forecasts", "#market-checks .badge", "#chart-checks .main-svg"],
    "/survey": ["#chart-survey .main-svg", "#survey-estimates", "#chart-survey-strata .main-svg"],
    "/sensitivity": ["#chart-sobol .main-svg", "#chart-rank-prob .main-svg", "#sens-intervals"],
    "/years": ["#chart-years-city .main-svg", "#chart-years-industry .main-svg", "#years-city tbody tr"],
}
PAGES = ["/", "/cities", "/industries", "/city/beijing", "/industry/{industry}", "/compare?as=city&u1=beijing&u2=shanghai",
         "/methodology", "/capacity", "/capacity/anchors", "/markets", "/survey", "/sensitivity", "/years", "/scenarios",
         "/tables", "/energy", "/demand"]
#: server-rendered pages (no app.js): ready when loaded, in the language of the link
RENDERED = {"/energy": ["#e-nat .main-svg", "#e-tile0 .main-svg", "#e-tile1 .main-svg"],
            "/capacity/anchors": ["#cap-nat-0 .main-svg", "#cap-nat-1 .main-svg", "#cap-sc-0 .main-svg",
                                  "#cap-prov .main-svg", "#anchors-national-table", "#anchors-scenarios-table",
                                  "#anchors-provinces", "#anchors-centres", "#anchors-hubs", "#anchors-bridge",
                                  "#anchors-defs"]}
#: pages with their own script (demand.js, no app.js): ready when every part is drawn
OWN_SCRIPT = {"/demand": ["#chart .main-svg", "#uchart .main-svg", "#table table", "#sens table"]}
#: Trace types on the page that the loaded plotly.js does not register.
UNREGISTERED_TRACES = """() => {
  const known = new Set(Object.keys(Plotly.PlotSchema.get().traces));
  const types = [...document.querySelectorAll(".js-plotly-plot")].flatMap(gd => (gd.data || []).map(t => t.type || "scatter"));
  return [...new Set(types.filter(t => !known.has(t)))];
}"""
UNIT_PARTS = ["#unit-title", "#unit-rank", "#chart-unit-dims .main-svg", "#chart-unit-contrib .main-svg", "#contrib"]


def served_industry(server) -> str:
    """An industry id of the served build (the first unit of its industry assessment)."""
    import httpx

    return httpx.get(server.url + "/api/assessments/industry").json()["units"][0]["unit_id"]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_fits_the_screen(browser, server, web_build, width, lang):
    """Every page at a phone's and a laptop's width, in both languages: no script error, no error
    shown, no horizontal scroll, every part drawn. At 1280 px the page's texts are kept for the
    language tests (test_web_language.py), which then need not load every page again."""
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    industry = served_industry(server)
    try:
        for tmpl in PAGES:
            path = tmpl.format(industry=industry)
            pg.goto(server.url + path + ("&" if "?" in path else "?") + f"lang={lang}")
            if path in RENDERED:                               # ready when every part is there
                for sel in RENDERED[path]:
                    pg.locator(sel).first.wait_for(state="attached", timeout=20000)
            elif path in OWN_SCRIPT:
                for sel in OWN_SCRIPT[path]:                       # its CSP allows no string-evaluated wait
                    pg.locator(sel).first.wait_for(state="attached", timeout=20000)
                assert pg.locator("#error").is_hidden(), (path, pg.locator("#error").inner_text())
            else:
                wait_ready(pg)
                assert pg.locator("#main .error-inline").count() == 0, (path, pg.locator("#main").inner_text()[:300])
                assert pg.locator("#error").is_hidden(), (path, pg.locator("#error").inner_text())
            assert pg.evaluate("document.documentElement.lang") == ("zh-CN" if lang == "zh" else "en"), path
            if width == 1280:                                   # before the interactions below change the page
                if path not in RENDERED and path not in OWN_SCRIPT:
                    pg.wait_for_timeout(150)                    # charts drawn after the page's tables
                read_texts(pg, web_build, lang, path)
            # the served plotly.js is a partial bundle: every trace drawn is of a type it registers
            # (plotly would quietly hide a trace of another type)
            unknown = pg.evaluate(UNREGISTERED_TRACES)
            assert unknown == [], (path, unknown)
            # no horizontal page scroll; tables scroll inside their own box
            over = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert over <= 1, (path, width, over)
            for sel in STAGE_PARTS.get(path, ()):                                       # stage pages draw every part
                assert pg.locator(sel).count() > 0, (path, sel)
            if path.startswith("/industry/"):
                for sel in UNIT_PARTS:
                    assert pg.locator(sel).count() > 0, (path, sel)
            if path == "/capacity/anchors":                                             # one language, links keep it
                h1 = pg.locator("h1").inner_text()
                assert h1 == ("算力：区间、情景、真实锚点与口径" if lang == "zh" else "Capacity: intervals, scenarios, real anchors, definitions")
                assert pg.locator("#anchors-back").get_attribute("href") == f"/?lang={lang}"
                assert pg.locator("#anchors-capacity").get_attribute("href") == f"/capacity?lang={lang}"
                heads = " ".join(pg.locator("#anchors-provinces th").all_inner_texts())
                assert ("province" in heads and "省份" not in heads) if lang == "en" else ("省份" in heads and "province" not in heads)
            if path == "/capacity":
                tiles = pg.locator("#chart-tilemap").inner_text()
                assert ("Inner Mongolia" in tiles) if lang == "en" else ("内蒙古" in tiles)
                assert pg.locator("#capacity-anchors-link").get_attribute("href") == f"/capacity/anchors?lang={lang}"
            if path == "/markets":
                assert ("AI server market" if lang == "en" else "人工智能服务器市场规模") in pg.locator("#market-series").inner_text()
            if path == "/cities":
                box = pg.locator("#w-investment_scale").bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= width      # sliders reachable
                pg.locator("#ranking thead th").first.click()                             # sortable
                pg.fill("#ranking-search", "beijing" if lang == "en" else "北京")           # searchable
                assert pg.locator("#ranking tbody tr:not([hidden])").count() == 1
        assert not errors, errors
    finally:
        ctx.close()


IV_LABELS = {"en": ("Rank interval (as built)", "Rank interval (current settings)", "500 samples"),
             "zh": ("排名区间（按构建设置）", "排名区间（当前设置）", "500 次抽样")}


@pytest.mark.parametrize(("width", "lang"), [(1280, "en"), (390, "zh")])
def test_rank_intervals_recomputed_for_the_current_settings(browser, server, width, lang):
    """The recompute button at both screen sizes (the second run is served from the job cache:
    same settings, same sample count): progress, then the recomputed column, labelled."""
    built, current, samples = IV_LABELS[lang]
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        _recompute_intervals(page, server, width, lang, built, current, samples)
        assert not errors, errors
    finally:
        ctx.close()


def _recompute_intervals(page, server, width, lang, built, current, samples):
    page.goto(server.url + f"/cities?lang={lang}")
    wait_ready(page)
    head = page.locator("#ranking thead th").all_inner_texts()
    assert built in head
    assert page.locator("#iv-recompute").is_hidden()           # the build's intervals apply
    page.locator("#w-investment_scale").fill("1")
    wait_ready(page, "investment_scale%3A1")
    col = head.index(built) + 1
    cells = page.locator(f"#ranking tbody td:nth-child({col})")
    assert "dim" in (cells.first.get_attribute("class") or "")  # greyed: not these settings
    assert page.locator("#iv-recompute").is_visible()
    box = page.locator("#iv-recompute").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width          # reachable on the screen
    page.locator("#iv-recompute").click()
    page.wait_for_function("() => ['done', 'failed'].includes(document.body.dataset.ivState)", timeout=240000)
    assert page.evaluate("document.body.dataset.ivState") == "done", page.locator("#iv-status").inner_text()
    assert page.evaluate("document.body.dataset.ivProgress").endswith("/20")     # progress was shown
    head = page.locator("#ranking thead th").all_inner_texts()
    assert head[col - 1].startswith(current) and samples in head[col - 1]
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    texts = cells.all_inner_texts()
    assert len(texts) == 44 and all(re.fullmatch(r"\d+–\d+", x) for x in texts)
    assert "dim" not in (cells.first.get_attribute("class") or "")
    assert page.locator("#iv-recompute").is_hidden()
    # the numbers are the server's for these settings
    job = page.evaluate("""async () => (await (await fetch('/api/assessments/city/intervals', {method: 'POST',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify({settings: {weights: {investment_scale: 1},
        normalisation: null, aggregation: null}, samples: 500})})).json())""")
    want = {u["unit_id"]: f"{u['q05']:.0f}–{u['q95']:.0f}" for u in job["result"]["units"]}
    shown = dict(zip(page.locator("#ranking tbody tr").evaluate_all("rs => rs.map(r => r.dataset.unit)"), texts,
                     strict=True))
    assert shown == want
    # other settings: the recomputed intervals no longer apply
    page.locator("#w-investment_scale").fill("0.5")
    wait_ready(page, "investment_scale%3A0.5")
    assert "dim" in (cells.first.get_attribute("class") or "") and page.locator("#iv-recompute").is_visible()


@pytest.fixture(scope="module")
def big_server(tmp_path_factory):
    """A 160-unit city assessment (the bundled framework; the bundled cities' values resampled
    with seeded noise, synthetic): more rows than the ranking table draws at once."""
    import numpy as np

    from suanli.edition import default_edition_dir

    src = default_edition_dir()
    ed = yaml.safe_load((src / "edition.yaml").read_text(encoding="utf-8"))
    root = tmp_path_factory.mktemp("web-big")
    (root / "data").mkdir()
    fw_in = ed["inputs"]["index_city_framework"]
    (root / fw_in["path"]).write_bytes((src / fw_in["path"]).read_bytes())
    df = pd.read_csv(src / ed["inputs"]["index_city_indicators"]["path"])
    df = df[df["year"] == df["year"].max()]
    wide = df.pivot_table(index="unit_id", columns="indicator_id", values="value", aggfunc="first")
    rng = np.random.default_rng(11)
    rows = []
    for u in range(160):
        x = wide.to_numpy()[rng.integers(len(wide))] * rng.lognormal(0.0, 0.25, wide.shape[1])
        rows += [(2025, f"u{u:04d}", f"城市{u:04d}", ind, round(float(x[j]), 4), "synthetic", "test resample", "华北")
                 for j, ind in enumerate(wide.columns) if np.isfinite(x[j])]
    pd.DataFrame(rows, columns=["year", "unit_id", "unit_name", "indicator_id", "value", "data_status", "source",
                                "region"]).to_csv(root / "data" / "index_city_indicators.csv", index=False)
    out = {k: ed[k] for k in ("schema_version", "id", "year", "title", "publisher")}
    out.update(synthetic=True, assessments={"city": ed["assessments"]["city"]}, inputs={
        "index_city_framework": fw_in, "index_city_indicators": {
            "path": "data/index_city_indicators.csv", "kind": "indicators", "synthetic": True, "source": "test"}})
    (root / "edition.yaml").write_text(yaml.safe_dump(out, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with LiveServer(create_app(root)) as s:
        yield s


def test_long_ranking_is_windowed_and_equals_the_api(browser, big_server):
    """Over WINDOW_MIN rows the ranking table keeps only the rows in its scroll box in the page:
    those rows are the API's ranking at their positions, before and after a slider move, at the
    top and scrolled to the bottom; search and sort work on every row, not only the drawn ones."""
    import httpx

    def api_order(settings: dict) -> list[tuple[str, int]]:
        res = httpx.post(big_server.url + "/api/assessments/city/rescore", json=settings).json()
        return [(u["unit_id"], u["rank"]) for u in res["units"]]

    def drawn(pg) -> list[tuple[str, int]]:
        return [(u, int(r)) for u, r in pg.locator("#ranking tbody tr:not(.pad)").evaluate_all(
            "rs => rs.map(r => [r.dataset.unit, r.dataset.rank])")]

    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(big_server.url + "/cities?lang=en")
    wait_ready(pg)
    table = pg.locator("#ranking")
    assert table.get_attribute("data-windowed") == "1" and table.get_attribute("data-rows") == "160"
    n = len(drawn(pg))
    assert 10 < n < 160
    assert drawn(pg) == api_order({})[:n]
    # a slider move: the drawn rows are the new ranking's first rows
    pg.locator("#w-investment_scale").fill("0.9")
    wait_ready(pg, "investment_scale%3A0.9")
    want = api_order({"weights": {"investment_scale": 0.9}})
    assert drawn(pg) == want[: len(drawn(pg))] and want != api_order({})
    # scrolled to the bottom: the last rows, in order, and the box is as tall as all rows
    box = pg.locator("#ranking-host .tablewrap")
    box.evaluate("e => { e.scrollTop = e.scrollHeight; }")
    pg.wait_for_function("(u) => { const r = [...document.querySelectorAll('#ranking tbody tr:not(.pad)')]; "
                         "return r.length && r[r.length - 1].dataset.unit === u; }", arg=want[-1][0], timeout=5000)
    bottom = drawn(pg)
    assert bottom == want[-len(bottom):]
    # search reaches a row that is not drawn; sorting by rank descending puts the last first
    pg.fill("#ranking-search", "u0123")
    pg.wait_for_function("() => document.querySelector('#ranking').dataset.rows === '1'", timeout=5000)
    assert [u for u, _ in drawn(pg)] == ["u0123"] and table.get_attribute("data-windowed") == "0"
    pg.fill("#ranking-search", "")
    box.evaluate("e => { e.scrollTop = 0; }")
    head = pg.locator("#ranking thead th").first
    head.click()
    head.click()
    pg.wait_for_function("() => document.querySelector('#ranking thead th').getAttribute('aria-sort') === 'descending'")
    assert drawn(pg)[0] == want[-1]
    assert not errors, errors
    ctx.close()
