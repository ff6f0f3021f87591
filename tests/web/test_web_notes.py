"""The Chinese of the build's English notes (suanli.notes_zh): every template the markets checker,
the back-tests and the uncertainty stage write (samples as a build of the default edition writes
them) has its Chinese, with the numbers, ids and quoted words of the English carried over and no
run of English words left; a text no template matches gets ``None`` (the page then shows the
English as stored, or as the original for a title the edition wrote itself)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from suanli import notes_zh as notes
from suanli.energy.reconcile import _scope_text, _scope_zh
from suanli.web.app import create_app

EN_RUN = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:[ ,;:()/]+[A-Za-z][A-Za-z'’\-]*){3,}")
NUM = re.compile(r"\d[\d,]*(?:\.\d+)?")

TITLES = [
    "City intelligent compute vs national 2025 (1,037.3 EFLOPS)",
    "general_compute:china:total 2023: two routes to the unpublished level",
    "intelligent_compute:china:total 2027: this edition (interpolate_geometric) vs previous edition's forecast",
    "intelligent_compute:china:total: this edition's CAGR 46.2% vs previous edition's 33.9%",
    "general_compute:china:total: edition comparison 18.8% (2023-2028) vs 16.6% (2022-2027)",
    "genai_spend:global:total: implied 2023 value from 2,022 / (1 + 59.2%)^5",
    "ai_server_market:china:total 2025: stated 259 vs geometric interpolation 2024->2026",
    "aidc_it_energy:global:total 2024: stated 55.1 vs constant-CAGR path from 2027 at 44.8%",
    "intelligent_compute:china:total 2024->2025: 725.3 -> 1,037.3 vs stated 43%",
    "Repeated claims across sections agree (33 repeats)",
    "ai_compute_services:china: segment CAGRs and 2028 shares vs total CAGR 57.3%",
    "ai_compute_services:china 2028 segment shares: 47% + 48% <= 100%",
    "aidc_it_energy:global:total: 2022->2027 multiple '六倍' vs (1 + 44.8%)^5 (strict reading 7x)",
    "data_volume:global:total: 2025->2028 multiple '翻番x' vs 393.9 / 201.6",
    "ai_server_market:china:total: 2024->2026 multiple '1.77x' vs 337 / 190",
    "genai_spend:global:total: CAGR 2025-2028 (691 -> 2,022) (lower bound: an endpoint is a bound)",
    "ai_compute_services:china:total: CAGR 2024-2025 (50 -> 79.5)",
    "Previous ranks of city_ai_compute_development are feasible with the stated moves",
    "Names of ai_server_market (china)",
    "图13 label order vs the text's ranking ai_point_tech_it_resource_use",
    "deepseek_r1_vs_o1: stated '3%' of OpenAI o1's cost vs list prices",
    "Product name '微软360 Copilot'",
]
DETAILS = [
    "cities sum to 12.2% of the national figure; city 'P' precision unstated",
    "relative difference +0.14% (tolerance 1.0%)",
    "revision +80.4% (like-for-like level in the same year)",
    "the comparison mixes CAGR windows; compare levels in the same year (edition_level_revision) or rates over the "
    "same window instead",
    "lower bound; range from rounding [197.4, inf]; not stated in the source",
    "range from rounding [27.67, 27.76]; not stated in the source",
    "not stated in the source",
    "a yearly path cannot be rebuilt from its endpoints; series store stated years",
    "a CAGR says nothing about the path; stated value above the constant-growth path (later years grow slower)",
    "a CAGR says nothing about the path; stated value below the constant-growth path",
    "recomputed 36.32%; rounding range of the inputs [35.70, 36.94] contains the stated [36.150, 36.250]",
    "all identical",
    "residual segment 12.8 in 2023 -> 13.35 in 2028 (implied CAGR 0.83%)",
    "sum 95%; residual 5%",
    "1.7737x; rounding range [1.7664, 1.7810]",
    "2024-2025 CAGR 59.00% vs stated 2023-2028 CAGR 57.3%: faster by 1.7 pp; a 2023-2028 rate must not be "
    "extrapolated from 2024",
    "2024-2025 CAGR 23.68% vs stated 2023-2028 CAGR 24.4%: within 1.0 pp (windows differ)",
    "1.954x vs 2x (-2.3%); bands: APPROX ≤ 10%, WARN ≤ 25%",
    "增长N倍 read as (N+1)x: 6.366x vs 7x (-9.1%); the wording is ambiguous",
    "the claims agree",
    "3 vs 5 items; the shorter lists are subsets of 3.2: use that list",
    "39% of the stated maximum; the rest is CPUs, network, cooling and power losses",
    "2 names for one series (人工智能服务器市场, 人工智能算力市场); the registry keeps one id (ai_server_market) with aliases",
    "text top 4: 视频分析、知识图谱、AR与VR、图像技术; figure's first 4 labels: 视频分析、知识图谱、AR与VR、语音技术; only in the "
    "figure: 语音技术; only in the text: 图像技术 (labels may not be in value order)",
    "the text dates it 2024-12 + 1 month(s) (qualifier '<'), which spans 2024/2025; external date 2025-01-20 "
    "(DeepSeek-R1 release notes, 20 Jan 2025 (api-docs.deepseek.com/news/news250120; company)) puts it in 2025; "
    "date fields need month precision",
    "printed '微软360 Copilot', the product is 'Microsoft 365 Copilot（微软365 Copilot）' (Microsoft's product name "
    "(microsoft.com/microsoft-365/copilot; company)); an editorial error",
    "fixed: 北京=1, 杭州=2, 上海=4; open: 广州∈{6,7,8,10,>10}, 南京∈{5,6}; improved list taken as complete",
    "different thresholds for the same quantity (≤ 1.1, ≤ 1.15); keep them as ranges, not one parameter: together ≤ 1.1",
    "model energy.pue.liquid = 1.12 (range 1.05-1.2); its central value lies outside pue_liquid_cooling (its range "
    "overlaps them)",
    "3.65% vs stated 3% (+21.8%); APPROX band 10% for '约'; the ratio depends on the token mix and the exchange rate",
]
NOTES = ["nominal 80% interval; coverage out of sample over 10 backtest forecasts",
         "arima needs 5 stated points in consecutive years", "no backtest origin (too few stated points)"]


def _uncited(s: str) -> str:
    return re.sub(f"{notes.CITE_OPEN}[^{notes.CITE_CLOSE}]*{notes.CITE_CLOSE}", "", s)


@pytest.mark.parametrize(("texts", "fn"), [(TITLES, notes.title_zh), (DETAILS, notes.detail_zh), (NOTES, notes.note_zh)])
def test_every_template_has_its_chinese(texts, fn):
    for en in texts:
        zh = fn(en)
        assert zh, en
        assert not EN_RUN.search(_uncited(zh)), (en, zh)
        # every number of the English is in the Chinese (the series id of a title is shown beside it)
        en_nums = NUM.findall(re.sub(r"^[a-z0-9_]+:[a-z0-9_]+(:[a-z0-9_]+)?", "", en))
        assert all(n in zh for n in en_nums), (en, zh)


def test_cited_source_stays_as_cited():
    zh = notes.detail_zh(next(d for d in DETAILS if d.startswith("printed ")))
    assert "⟦Microsoft's product name (microsoft.com/microsoft-365/copilot; company)⟧" in zh


def test_unknown_text_has_no_chinese():
    assert notes.title_zh("Attainable data-centre PUE with liquid cooling (§1.2 vs §2.3)") is None
    assert notes.detail_zh("a sentence no template writes") is None
    assert notes.note_zh(None) is None and notes.detail_zh("") is None


def test_choices():
    assert notes.choices_zh("20 node weights") == "20 个节点权重"
    assert notes.choices_zh("min-max 1-100 | z-score 10±2") == "最小-最大 1-100 | Z 分数 10±2"
    assert notes.choices_zh("none | -ai_vc_funding_yi") == "无 | -ai_vc_funding_yi"
    assert notes.choices_zh("none (gaps skipped) | median | region median") == "不插补（跳过缺口） | 中位数 | 区域中位数"
    assert notes.choices_zh("something new | median") is None


@pytest.mark.parametrize("scope", [("global", "it", "ai", "china", "it", "ai"), ("china", "facility", "all", "china",
                                                                             "facility", "ai"),
                                   ("us", "it", "ai", "china", "it", "ai")])
def test_energy_scope_in_both_languages(scope):
    en, zh = _scope_text(*scope), _scope_zh(*scope)
    assert en.count("differs") == zh.count("不同") and en.count("same") == zh.count("相同")
    assert not EN_RUN.search(zh)


def test_views_carry_the_chinese(web_build):
    c = TestClient(create_app(web_build))
    v = c.get("/api/views/markets").json()
    by = {r["check_id"]: r for r in v["checks"]}
    assert by["CR01"]["detail_zh"] == "相对差异 +0.14%（容差 1.0%）" and by["CR01"]["title_zh"] == "中国人工智能服务器市场规模 2023 年：用两条途径推算未公布的水平"
    assert by["CL01"]["title_zh"] == ""                                # the edition's own title: no Chinese
    assert {r["model"]: r["note_zh"] for r in v["backtests"]}["arima"] == "arima 需要连续年份中的 5 个公布值"
    s = c.get("/api/views/sensitivity").json()
    ins = {r["input"]: r for r in s["runs"][0]["inputs"]}
    assert ins["weights L2+3"]["choices_zh"] == "20 个节点权重"


def test_titles_name_their_series_and_rankings_in_chinese():
    """Two checks of one rule on two series read apart: the Chinese title leads with the series'
    name (the English one with its id), and rankings and metrics are named, not shown by id."""
    a = notes.title_zh("intelligent_compute:china:total: edition comparison 46.2% (2023-2028) vs 33.9% (2022-2027)")
    b = notes.title_zh("general_compute:china:total: edition comparison 18.8% (2023-2028) vs 16.6% (2022-2027)")
    assert a == "中国智能算力规模：两版增速对比，46.2%（2023-2028）与 33.9%（2022-2027）"
    assert b.startswith("中国通用算力规模：")
    assert notes.title_zh("Names of ai_server_market (china)") == "中国人工智能服务器市场规模的名称"
    assert notes.series_zh("data_volume:global:total") == "全球数据量"                 # no 全球全球数据量
    assert notes.series_zh("ai_server_market:china:genai") == "中国人工智能服务器市场规模（生成式人工智能）"
    assert notes.series_zh("new_metric:mars:total") == "marsnew_metric"                # unknown parts as written
    assert notes.title_zh("Previous ranks of city_ai_compute_development are feasible with the stated moves") \
        == "城市排名：上期排名与文中所述的名次变化相容"
    assert "ai_point" not in notes.title_zh("图13 label order vs the text's ranking ai_point_tech_it_resource_use")


def test_english_titles_name_series_not_ids():
    assert notes.readable_en("aidc_it_energy:global:total 2022: two routes to the unpublished level") \
        == "Global AI data-centre IT energy 2022: two routes to the unpublished level"
    assert notes.readable_en("Names of ai_server_market (china)") == "Names of China AI server market"
    assert notes.readable_en("图13 label order vs the text's ranking ai_point_tech_it_resource_use") \
        == "The original report's Figure 13 label order vs the ranking in the text"
    assert notes.readable_en("a title the edition wrote") == "a title the edition wrote"
