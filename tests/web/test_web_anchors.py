"""/capacity/anchors in one language (``?lang=zh|en``): the html lang attribute, headings, column
headers, the bridge's explanation and steps, and the links keep the language; a national table
with an interval for one series only draws that series without a band."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from suanli.capacity.dashboard import anchors_page
from suanli.web.app import create_app


@pytest.fixture(scope="module")
def client(web_build):
    return TestClient(create_app(web_build))


def _text(html: str) -> str:
    """The page's visible text outside stored names, ids, citations and marked English originals."""
    html = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    html = re.sub(r"<(span|cite|a)[^>]*data-(?:id|quote|orig|raw)[^>]*>.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_chinese_page(client):
    r = client.get("/capacity/anchors?lang=zh")
    assert r.status_code == 200
    html = r.text
    assert "<html lang='zh-CN'>" in html
    for zh in ("全国算力及其 90% 区间", "情景预测与 IDC 预测对照", "真实锚点", "口径：IDC、工信部与中国信通院", "为什么是 788 与",
               "<th>省份</th>", "<th>合成 PFLOPS</th>", "<th>步骤</th>", "时间点差距：IDC 2025 年底减 IDC 2025 年年中"):
        assert zh in html, zh
    for en in ("National capacity", "Scenarios against", "Real anchors", "Why 788", "<th>province</th>",
               "time-point gap", "SYNTHETIC", "No <code>"):
        assert en not in html, en
    assert "href='/?lang=zh'" in html and "href='/capacity?lang=zh'" in html and "href='/capacity/anchors?lang=en'" in html
    # the definitions table in Chinese (the bundled definitions carry it), not marked as English originals
    assert "由出货量推算的保有量（设备侧）" in html and "FP64（CPU 双精度）" in html and "工信部 / 中国信通院" in html
    assert "installed base built from shipments" not in html and "（英文原文）" not in html
    words = re.findall(r"[A-Za-z][A-Za-z'\-]*(?:[ ,;:()/]+[A-Za-z][A-Za-z'\-]*){3,}", _text(html))
    assert not words, words[:10]


def test_english_page(client):
    r = client.get("/capacity/anchors?lang=en")
    assert r.status_code == 200
    html = r.text
    assert "<html lang='en'>" in html
    assert "National capacity with 90% intervals" in html and "Why 788 and 1,037.3 differ" in html
    assert "<th>province</th>" in html and "time-point gap" in html
    assert "href='/?lang=en'" in html and "href='/capacity?lang=en'" in html and "href='/capacity/anchors?lang=zh'" in html
    # no Chinese outside stored names, ids and citations (provinces by their English names)
    assert not re.search(r"[\u3400-\u9fff]", _text(html).replace("中文", ""))
    assert "Inner Mongolia" in html
    # the announced centres by their English names, operators and cities (Chinese only in quotes)
    from suanli.capacity.anchors import centres

    top = centres().sort_values("announced_pflops", ascending=False).iloc[0]
    assert top["name_en"] in html and top["name"] not in html
    table = html[html.index(top["name_en"]):]
    table = table[:table.index("</table>")]
    assert "China Mobile" in table and "Qingyang" in table
    assert not re.search(r"[\u3400-\u9fff]", re.sub(r"<cite.*?</cite>", "", table, flags=re.S))


def test_interval_for_one_series_only():
    nat = pd.DataFrame({"year": [2024, 2025], "intelligent_eflops": [725.3, 1037.3], "general_eflops": [71.5, 85.8],
                        "intelligent_eflops_lo": [650.0, 900.0], "intelligent_eflops_hi": [770.0, 1080.0],
                        "value_class": "synthetic"})
    html = anchors_page({"capacity_national": nat}.get, title="t", synthetic=True, lang="en")
    assert html.count('"fill":"toself"') == 1 and "725.3 (650.0–770.0)" in html and "<td>71.5</td>" in html
