"""Every page speaks one language: on a Chinese page no text is Latin-only except ids, units of
measure and a short list of acronyms; on an English page no text holds a Chinese character (the
brand and the language button aside). Text nodes, option labels, chart text (legends, axes,
titles, tile labels) and placeholder/aria-label/title attributes are scanned, on the dashboard
pages and on the server-rendered stage pages (energy, demand, capacity anchors).

And no sentence the build wrote in English shows on a Chinese page: a run of four or more English
words is allowed only inside an element marked as a quote or citation of an outside source
(``data-quote``, ``<cite>``), as an English original the edition wrote itself (``data-orig``,
labelled) or as a stored name or id (``data-id``, ``<code>``); the table browser's cells are the
stored table, shown as stored."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from web_helpers import CHROMIUM, FORMULA, PAGE_TEXTS, XSS, read_texts

pytestmark = [
    pytest.mark.browser,
    # on the worker of test_web_browser.py, whose sweep of every page at 1280 px reads these texts too
    pytest.mark.xdist_group("web-pages"),
    pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Debian chromium not installed (apt-get install chromium)"),
]

PAGES = ["/", "/cities", "/industries", "/city/beijing", "/industry/manufacturing",
         "/compare?as=city&u1=beijing&u2=shanghai", "/methodology", "/capacity", "/capacity/anchors", "/markets",
         "/survey", "/sensitivity", "/years", "/scenarios", "/tables", "/tables?t=market_checks", "/energy", "/demand"]

#: pages rendered on the server (no app.js; ready once loaded)
SERVER_RENDERED = ("/energy", "/demand", "/capacity/anchors")
#: what may stand Latin-only on a Chinese page: units of measure, statistics' symbols, file formats
#: and acronyms that Chinese texts write in Latin letters (IDC, GPU, CO2 ...)
ALLOWED_ZH = {
    "EFLOPS", "PFLOPS", "TFLOPS", "FLOPS", "FP16", "FP64", "FP8", "INT8", "TWh", "GWh", "MW", "kW", "Mt", "kgCO2/kWh",
    "CO2", "kgCO2", "kWh", "CSV", "XLSX", "YAML", "MAPE", "N", "n", "deff", "S1", "ST", "IDC", "AI", "GPU", "CPU", "PUE", "MFU", "ZB",
    "IT", "GenAI", "IaaS", "ARIMA", "Theta", "Borda", "COINr", "VIKOR", "TOPSIS", "Sobol", "Z", "EN", "P", "suanli",
    "id", "USD", "Token", "MC", "x", "y",
}
#: an id: snake_case or a series id with colons (ai_server_market:china:total), table names, node ids
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.:\-/]*$")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
LATIN = re.compile(r"[A-Za-z]")




def latin_only_offender(s: str) -> bool:
    """True when a text on a Chinese page is Latin-only and not made of ids, units or acronyms."""
    if CJK.search(s) or not LATIN.search(s):
        return False
    if s in (XSS, FORMULA):                          # the hostile unit names of the test data
        return False
    if ID_RE.match(s) and ("_" in s or ":" in s):
        return False
    for word in re.split(r"[\s,;()\[\]·=+×%/—–\-<>&'\"!?|]+", s):
        if not word or not LATIN.search(word):
            continue
        if word in ALLOWED_ZH or word.rstrip(".") in ALLOWED_ZH or ID_RE.match(word) and ("_" in word or ":" in word):
            continue
        if re.fullmatch(r"[A-Z]{1,4}\d*[a-z]?", word) or re.fullmatch(r"[a-z]\d*", word):   # symbols: A, B, S1, r, q05
            continue
        if re.fullmatch(r"\d+(\.\d+)?[kMGT]", word) or ID_RE.match(word) and re.search(r"\d", word):  # 100k ticks, hashes
            continue
        return True
    return False


#: a run of four or more English words (build-generated prose: a note, a detail, a check's title)
EN_RUN = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:[ ,;:()/]+[A-Za-z][A-Za-z'’\-]*){3,}")



def english_run(s: str) -> str | None:
    """The first run of four or more English words in ``s`` (``None``: there is none)."""
    m = EN_RUN.search(s)
    return m.group(0) if m else None


def page_texts(browser, build, base: str, lang: str, paths: list[str]) -> dict[str, dict[str, list[str]]]:
    """SCAN and PROSE texts of each page in ``lang`` (ready, charts drawn): as a sweep of every page
    on this worker read them (``web_helpers.PAGE_TEXTS``), the others loaded here."""
    missing = [p for p in paths if (str(build), lang, p) not in PAGE_TEXTS]
    if missing:
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = ctx.new_page()
        try:
            for path in missing:
                pg.goto(base + path + ("&" if "?" in path else "?") + f"lang={lang}")
                if path.split("?")[0] in SERVER_RENDERED:
                    pg.wait_for_load_state("networkidle")
                    if path == "/demand":
                        pg.locator("#sens table").wait_for(state="attached", timeout=20000)
                else:
                    pg.wait_for_function("() => document.body.dataset.busy === '0'", timeout=20000)
                    pg.wait_for_timeout(150)          # charts drawn after the page's tables
                read_texts(pg, build, lang, path)
        finally:
            ctx.close()
    return {p: PAGE_TEXTS[(str(build), lang, p)] for p in paths}


def served_pages(base: str) -> list[str]:
    """:data:`PAGES` and the page of the served build's first industry."""
    import httpx

    industry = httpx.get(base + "/api/assessments/industry").json()["units"][0]["unit_id"]
    return PAGES + [p for p in [f"/industry/{industry}"] if p not in PAGES]


def scan(browser, build, base: str, lang: str) -> dict[str, list[str]]:
    bad: dict[str, list[str]] = {}
    for path, got in page_texts(browser, build, base, lang, served_pages(base)).items():
        if lang == "en":
            found = [s for s in got["texts"] if CJK.search(s) and s not in ("中文", "算力 suanli", "中文 / English")]
        else:
            found = [s for s in got["texts"] if latin_only_offender(s)]
        if found:
            bad[path] = sorted(set(found))[:80]
    return bad


def test_offender_rule():
    assert latin_only_offender("weighted arithmetic mean")
    assert latin_only_offender("synthetic")
    assert latin_only_offender("two routes")
    assert not latin_only_offender("EFLOPS")
    assert not latin_only_offender("investment_scale")
    assert not latin_only_offender("ai_server_market:china:total")
    assert not latin_only_offender("2025")
    assert not latin_only_offender("智能算力 (EFLOPS, FP16)")
    assert not latin_only_offender("S1 [0.1, 0.2]")
    assert not latin_only_offender("· suanli 6be800d31989")
    assert not latin_only_offender("250k")
    assert latin_only_offender("scaled")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_in_one_language(browser, server, web_build, lang):
    bad = scan(browser, web_build, server.url, lang)
    if os.environ.get("SUANLI_SCAN_DUMP"):
        import json

        Path(os.environ["SUANLI_SCAN_DUMP"] + f"-{lang}.json").write_text(json.dumps(bad, ensure_ascii=False, indent=1))
    assert not bad, bad


def test_english_run_rule():
    assert english_run("relative difference +0.14% (tolerance 1.0%)") is None          # three words
    assert english_run("range from rounding [27.67, 27.76]; not stated in the source") == "not stated in the source"
    assert english_run("原文：the comparison mixes CAGR windows") == "the comparison mixes CAGR windows"
    assert english_run("相对差异 +0.14%（容差 1.0%）") is None
    assert english_run("ai_server_market:china:total 2023") is None
    assert english_run("IDC AI GPU") is None


def test_no_generated_english_on_chinese_pages(browser, server, web_build):
    """Every page in Chinese, each English run listed: the markets checker's titles and details, the
    back-test notes, the uncertainty choices, the energy scopes, the capacity anchors' labels are
    shown in Chinese; a title the edition wrote itself is marked as its English original; a source
    is a citation."""
    paths = [p for p in served_pages(server.url) if not p.startswith("/tables?")]
    bad: dict[str, list[str]] = {}
    for path, got in page_texts(browser, web_build, server.url, "zh", paths).items():
        found = sorted({s for s in got["prose"] if english_run(s)})
        if found:
            bad[path] = found[:40]
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    try:
        # the parts this test is about were on the pages it read
        pg.goto(server.url + "/markets?lang=zh")
        pg.wait_for_function("() => document.body.dataset.busy === '0'", timeout=20000)
        checks = pg.locator("#market-checks").inner_text()
        assert "相对差异 +0.14%（容差 1.0%）" in checks and "下限；按舍入推出的范围 [101.4, 102]；来源未给出" in checks
        assert pg.locator("#market-checks [data-orig]").count() == 1          # the edition's own claim title
        assert pg.locator("#market-checks cite").first.inner_text().startswith("Microsoft's product name")
        assert "名义 80% 区间" in pg.locator("#market-backtests").inner_text()
    finally:
        ctx.close()
    assert not bad, bad
