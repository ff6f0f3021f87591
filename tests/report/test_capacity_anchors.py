"""Chapter 1.1 (capacity intervals, scenarios, real anchors, definitions bridge) and the dashboard's
/capacity/anchors page, both read from the session's built default edition."""

from __future__ import annotations

import csv
import html as h
import re

import pytest
from fastapi.testclient import TestClient
from report_helpers import claims_in

from suanli.report.claims import evaluate
from suanli.web.app import create_app
from suanli.web.source import Source


def _section(html: str) -> str:
    m = re.search(r'<section id="sec-anchors".*?</section>', html, flags=re.S)
    assert m, "chapter 1.1 missing"
    return m.group(0)


def _figures(report_out, lang_dir: str = "") -> dict[str, dict]:
    path = report_out / "figures" / lang_dir / "index.csv" if lang_dir else report_out / "figures" / "index.csv"
    return {r["id"]: r for r in csv.DictReader(open(path, encoding="utf-8"))}


def test_chapter_follows_capacity_and_draws_intervals_scenarios_and_anchors(report_out, report_html):
    order = re.findall(r'data-section="([a-z]+)"', report_html)
    assert order.index("anchors") == order.index("compute") + 1
    sec = _section(report_html)
    figs = _figures(report_out)
    for fid in ("capacity_interval_intelligent", "capacity_interval_general", "capacity_scenarios_intelligent",
                "capacity_scenarios_general", "capacity_province_check"):
        assert f'id="fig-{fid}"' in sec, fid
        assert figs[fid]["section"] == "anchors"
    assert figs["capacity_interval_intelligent"]["kind"] == "line"


def test_interval_and_scenario_sentences_match_the_store(report_html, tables):
    nat = tables("capacity_national").set_index("year")
    y = int(nat.index.max())
    sec = _section(report_html)
    found = {k: (p, t) for k, p, t in claims_in(sec)}
    for key, col in (("cap_i_lo", "intelligent_eflops_lo"), ("cap_i_hi", "intelligent_eflops_hi"),
                     ("cap_g_lo", "general_eflops_lo"), ("cap_g_hi", "general_eflops_hi")):
        assert evaluate(found[key][0]["ref"], tables) == pytest.approx(float(nat.loc[y, col]))
    assert nat.loc[y, "intelligent_eflops_lo"] < nat.loc[y, "intelligent_eflops_hi"]
    sc = tables("capacity_scenarios")
    idc = sc[(sc["metric"] == "intelligent_eflops") & sc["published"].notna()]
    assert float(idc["published"].iloc[0]) == pytest.approx(2781.9)
    assert evaluate(found["sc_idc"][0]["ref"], tables) == pytest.approx(2781.9)
    # the sentence says whether IDC lies inside the baseline interval, and says it right
    base = sc[(sc["scenario"] == "baseline") & (sc["year"] == int(idc["year"].iloc[0]))
              & (sc["metric"] == "intelligent_eflops")].iloc[0]
    inside = base["lo"] <= 2781.9 <= base["hi"]
    assert ("落在基准情景区间之内" if inside else "落在基准情景区间之外") in sec


def test_province_check_names_every_flagged_province(report_html, tables):
    chk = tables("capacity_province_check")
    flagged = chk[chk["below_operating"].astype(bool) | chk["below_province_stat"].astype(bool)]
    sec = h.unescape(re.sub(r"<[^>]+>", "", _section(report_html)))
    assert len(flagged) >= 1
    for p in flagged["province"]:
        assert p in sec, p
    assert set(chk["value_class"]) <= {"synthetic", "modelled"}


def test_bridge_explains_788_against_1037(report_html, report_out, tables):
    for fname in ("report.html", "report.en.html"):
        sec = _section((report_out / fname).read_text(encoding="utf-8"))
        found = {k: (p, t) for k, p, t in claims_in(sec)}
        miit = evaluate(found["br_miit"][0]["ref"], tables)
        idc = evaluate(found["br_idc"][0]["ref"], tables)
        mid = evaluate(found["br_mid"][0]["ref"], tables)
        time_gap = evaluate(found["br_time"][0]["ref"], tables)
        scope = evaluate(found["br_scope"][0]["ref"], tables)
        assert (miit, idc) == (pytest.approx(788.0), pytest.approx(1037.3))
        assert mid == pytest.approx((725.3 * 1037.3) ** 0.5)
        # the two steps add up to the whole gap
        assert time_gap + scope == pytest.approx(idc - miit)
        assert "788" in sec and "1,037.3" in sec
    assert "口径" in _section(report_html)
    # the definitions and the bridge in the report's language
    def shown(html: str) -> str:  # the visible text (claims keep the stored English step in their references)
        return re.sub(r"<[^>]+>", " ", html)

    zh = shown(_section(report_html))
    assert "在用（基础设施侧）" in zh and "时间点差距：IDC 2025 年底减 IDC 2025 年年中" in zh
    assert "in use (infrastructure side)" not in zh and "time-point gap" not in zh
    en = shown(_section((report_out / "report.en.html").read_text(encoding="utf-8")))
    assert "in use (infrastructure side)" in en and "time-point gap" in en and "在用（基础设施侧）" not in en


def test_dashboard_anchors_page(report_out, tables):
    c = TestClient(create_app(Source.open(report_out)))
    r = c.get("/capacity/anchors?lang=en")
    assert r.status_code == 200
    assert "script-src 'self' 'unsafe-inline'" in r.headers["content-security-policy"]
    text = r.text
    # intervals drawn as bands, scenarios against IDC's forecast, anchors, the bridge
    assert text.count("<div id='cap-nat-") == 2 and '"fill":"toself"' in text
    assert "<div id='cap-sc-0'" in text and "2,781.9" in text and "2781.9" in text
    assert "<div id='cap-prov'" in text
    chk = tables("capacity_province_check")
    flagged = chk[chk["below_operating"].astype(bool) | chk["below_province_stat"].astype(bool)]
    zh = c.get("/capacity/anchors").text                       # Chinese by default: provinces by their Chinese names
    for p in flagged["province"]:
        assert f"⚠ {p}" in zh
    assert "867.4" in text and "Why 788 and 1,037.3 differ" in text
    cen = tables("capacity_centres")
    assert text.count("<tr>") >= len(cen)
    # no script from another host
    assert not re.search(r"<script[^>]+src=['\"]https?:", text)


def test_scenario_names_in_the_pages_language(report_out, report_html):
    """The edition labels scenarios in both languages ("短寿命 Short life"); each page names them in
    its own, in the sentence and in the scenario chart's legend."""
    import json

    from suanli.notes_zh import one_language

    assert one_language("短寿命 Short life", "zh") == "短寿命" and one_language("短寿命 Short life", "en") == "Short life"
    assert one_language("Baseline", "zh") == "Baseline"                        # one language: as it is
    en_html = (report_out / "report.en.html").read_text(encoding="utf-8")
    for page, want, unwanted in ((report_html, "短寿命", "Short life"), (en_html, "Short life", "短寿命")):
        sec = _section(page)
        text = h.unescape(re.sub(r"<script.*?</script>|<[^>]+>", "", sec, flags=re.S))
        assert want in text and unwanted not in text
        m = re.search(r'<script[^>]*id="data-capacity_scenarios_intelligent"[^>]*>(.*?)</script>', page, flags=re.S)
        names = {t.get("name") for t in json.loads(m.group(1))["data"]}
        assert want in names and not any(unwanted in str(n) for n in names), names
