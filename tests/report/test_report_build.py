"""The default edition's report: files, sections, figures, key findings traced to the store."""

from __future__ import annotations

import csv
import html as h
import os
import re
import subprocess
from html.parser import HTMLParser

import pytest

from conftest import claims_in, have
from suanli.report.claims import evaluate
from suanli.report.fmt import round_half_up
from suanli.report.sections import section_list

SECTIONS = section_list()


def test_files_written(report_out):
    for name in ("report.html", "report.pdf", "tables.xlsx", "report.en.html", "report.en.pdf",
                 "figures/index.csv", "figures/en/index.csv"):
        assert (report_out / name).exists(), name
    assert (report_out / "report.pdf").read_bytes()[:5] == b"%PDF-"


def test_every_section_present_in_order(report_html):
    found = re.findall(r'data-section="([a-z]+)"', report_html)
    assert found == [s for s, _, _ in SECTIONS]
    for _, zh, _ in SECTIONS:
        assert re.search(r">(?:<span class=\"secno\">[0-9A-Z.]+</span> )?" + re.escape(zh), report_html), zh


def test_english_edition_has_english_sections(report_out):
    en = (report_out / "report.en.html").read_text(encoding="utf-8")
    for _, _, title in SECTIONS:
        assert h.escape(title, quote=False) in en
    assert '<html lang="en">' in en
    assert "USD" in en and "亿美元" not in re.sub(r"<script.*?</script>", "", en, flags=re.S)


def test_at_least_25_figures_with_png_and_svg(report_out, report_html):
    n = len(re.findall(r'<figure class="fig', report_html))
    assert n >= 25
    rows = list(csv.DictReader(open(report_out / "figures" / "index.csv", encoding="utf-8")))
    assert len(rows) == n
    for r in rows:
        assert (report_out / "figures" / r["png"]).stat().st_size > 1000
        assert (report_out / "figures" / r["svg"]).read_bytes().lstrip().startswith((b"<?xml", b"<svg"))
    kinds = {r["kind"] for r in rows}
    # every figure type of the seed plus the new ones
    assert {"bar", "stacked100", "hbar", "pie", "tiles", "slope", "waterfall", "rank_interval", "line"} <= kinds
    ids = {r["id"] for r in rows}
    assert {"capacity_by_province", "capacity_by_origin", "city_map", "capacity_province_tiles", "index_city_slope",
            "uncertainty_city_rank_intervals", "market_workload"} <= ids
    assert any(i.startswith("index_city_waterfall_") for i in ids)


def test_source_line_under_every_figure(report_html):
    figs = re.findall(r'<figure class="fig.*?</figure>', report_html, flags=re.S)
    assert figs
    for f in figs:
        assert '<p class="source">来源：' in f


def test_synthetic_banner_and_labels(report_html):
    assert 'class="synthetic-banner"' in report_html
    assert report_html.count("合成数据 SYNTHETIC") >= 25


def _findings_block(html: str) -> str:
    m = re.search(r'<ol class="findings">(.*?)</ol>', html, flags=re.S)
    assert m, "no key findings"
    return m.group(1)


@pytest.mark.parametrize("fname", ["report.html", "report.en.html"])
def test_key_findings_numbers_equal_stored_values(report_out, tables, fname):
    html = (report_out / fname).read_text(encoding="utf-8")
    block = _findings_block(html)
    claims = claims_in(block)
    assert len(claims) >= 15
    for key, payload, text in claims:
        value = evaluate(payload["ref"], tables)
        m = re.search(r"-?[\d,]+(?:\.\d+)?", text)
        assert m, (key, text)
        printed = float(m.group(0).replace(",", ""))
        expected = round_half_up(value * payload["scale"], payload["decimals"])
        assert printed == pytest.approx(expected, abs=1e-9), (key, text, value)
    # no number outside a claim except years and year ranges
    plain = re.sub(r'<span class="num".*?</span>', "", block)
    plain = h.unescape(re.sub(r"<[^>]+>", "", plain))
    for num in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", plain):
        # years, and the level of the rank intervals (90%), which is a definition, not a value
        assert re.fullmatch(r"20\d\d", num) or num in {"5", "18", "90"}, f"untraced number {num!r} in findings"


def test_headline_sentence_as_printed(report_html, tables):
    nat = tables("capacity_national").set_index("year")
    v = nat.loc[2025, "intelligent_eflops"]
    text = re.sub(r"<[^>]+>", "", _findings_block(report_html))
    assert f"2025年中国智能算力规模将达到{round_half_up(v, 1):,.1f} EFLOPS" in text
    assert "79.5亿美元" in text  # 智算服务 2025, from market_series


def test_one_value_per_claim(report_html):
    seen: dict[str, str] = {}
    for key, _, text in claims_in(report_html):
        assert seen.setdefault(key, text) == text, key


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.script_src = 0

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("src", "href") and v is not None:
                self.refs.append((tag, k, v))
        if tag == "script" and any(k == "src" for k, _ in attrs):
            self.script_src += 1


@pytest.mark.parametrize("fname", ["report.html", "report.en.html"])
def test_html_is_self_contained(report_out, fname):
    text = (report_out / fname).read_text(encoding="utf-8")
    p = _Refs()
    p.feed(text)
    assert p.script_src == 0
    for tag, attr, v in p.refs:
        assert not re.match(r"^\s*(https?:|//|ftp:|file:)", v, flags=re.I), (tag, attr, v)
    assert "<link" not in text
    assert text.count("Plotly.newPlot") == 1  # plotly.js inlined once, one init loop
    assert text.count("plotly.js v") <= 2


def test_workbook(report_out):
    from openpyxl import load_workbook

    wb = load_workbook(report_out / "tables.xlsx")
    assert "capacity_national" in wb.sheetnames and "provenance" in wb.sheetnames
    ws = wb["capacity_national"]
    assert ws.freeze_panes == "A3"
    assert ws["B1"].value == "智能算力（EFLOPS）" and ws["B2"].value == "Intelligent compute (EFLOPS)"
    assert ws["B3"].number_format == "#,##0.0"
    charts = wb["图表 Charts"]._charts
    assert len(charts) >= 5
    for name in wb.sheetnames:
        for row in wb[name].iter_rows():
            for c in row:
                assert c.data_type != "f", (name, c.coordinate)


@pytest.mark.skipif(not have("pdffonts") and not os.environ.get("CI"), reason="needs poppler-utils (scripts/system-deps.txt)")
def test_pdf_embeds_cjk_font_and_rasterises(report_out, tmp_path):
    fonts = subprocess.run(["pdffonts", str(report_out / "report.pdf")], capture_output=True, text=True,
                           check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts
    assert any("CJK-SC" in line or "CJKsc" in line for line in cjk), fonts
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "3", "-l", "3", str(report_out / "report.pdf"),
                    str(tmp_path / "p")], check=True)
    png = next(tmp_path.glob("p*.png"))
    from PIL import Image

    im = Image.open(png).convert("L")
    dark = sum(im.histogram()[:128])
    assert dark > 500  # text and a chart were drawn
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "2", str(report_out / "report.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "核心观点" in text and "EFLOPS" in text


def test_warm_rebuild_reuses_cache(report_out, tmp_path):
    from suanli.edition import load_edition
    from suanli.report.cache import default_cache_dir
    from suanli.report.render import write_report
    from suanli.store import Store

    st = Store(report_out, write_csv_tables=False)
    try:
        s = write_report(st, load_edition(), tmp_path, ["zh", "en"], cache_dir=default_cache_dir(report_out))
    finally:
        st.con.close()
    m = re.search(r'<meta name="generator" content="suanli ([^"]+)">',
                  (report_out / "report.html").read_text(encoding="utf-8"))
    missed = s["cache"]["missed"]
    if m and m.group(1) == s["code_version"]:
        assert missed == [] and s["cache"]["hits"] > 50
        assert (tmp_path / "report.pdf").read_bytes() == (report_out / "report.pdf").read_bytes()
    else:  # the checkout changed since the session build: only the PDFs (which print the version) re-render
        assert all(m.startswith("pdf/") for m in missed), missed


def _visible_text(html: str) -> str:
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    html = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    return h.unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("fname", ["report.html", "report.en.html"])
def test_no_json_dumps_in_the_report(report_out, fname):
    text = _visible_text((report_out / fname).read_text(encoding="utf-8"))
    assert not re.search(r'\{\s*"[^"]+"\s*:', text), re.search(r'.{40}\{\s*"[^"]+"\s*:.{40}', text)
    assert not re.search(r'\[\s*\{', text)


@pytest.mark.parametrize("fname", ["report.html", "report.en.html"])
def test_recommendations_cite_findings(report_out, fname):
    html = (report_out / fname).read_text(encoding="utf-8")
    m = re.search(r'<section id="sec-recommendations".*?</section>', html, flags=re.S)
    assert m, "chapter 4 missing"
    boxes = re.findall(r'<aside class="box">(.*?)</aside>', m.group(0), flags=re.S)
    assert len(boxes) >= 3
    cite = "依据：" if fname == "report.html" else "Because: "
    for b in boxes:
        assert cite in b, b[:200]
    # the city table: top 20, each with its weakest dimension and whom to learn from
    rows = re.findall(r"<tr><td class=\"n\">\d+</td>", m.group(0))
    assert len(rows) == 20


#: Numbers the prose may print that are not data: top-N cut-offs (10, 14 industries, 20 cities), percentile
#: bounds and interval levels (5, 90, 95), the score range (0-100), framework levels.
DESIGN_CONSTANTS = {"0", "1", "2", "3", "5", "10", "14", "20", "90", "95", "100"}


def test_every_number_in_the_text_is_a_stored_value(report_out, tables):
    """All chapters: every claim evaluates back to the store, and no other number is printed in the prose
    except years, chapter numbers and the design constants the text names (top 10/20, 5-95 %)."""
    for fname in ("report.html", "report.en.html"):
        html = (report_out / fname).read_text(encoding="utf-8")
        body = re.sub(r"<script.*?</script>", "", html, flags=re.S)
        # the demand and energy chapters come with their packages, which test their own claims
        body = re.sub(r'<section id="sec-(demand|energy)".*?</section>', "", body, flags=re.S)
        paras = re.findall(r"<p>(.*?)</p>", body, flags=re.S)
        assert len(paras) >= 40
        n = 0
        for p in paras:
            for key, payload, text in claims_in(p):
                value = evaluate(payload["ref"], tables)
                m = re.search(r"-?[\d,]+(?:\.\d+)?", text)
                assert m, (key, text)
                expected = round_half_up(value * payload["scale"], payload["decimals"])
                assert float(m.group(0).replace(",", "")) == pytest.approx(expected, abs=1e-9), (key, text, value)
                n += 1
            plain = h.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<span class="num".*?</span>', "", p)))
            plain = re.sub(r"(第|section )\d\.\d节?|\d\.\d节|Appendix [AB]|附录[一二]", "", plain)
            # figure references are numbering, not values
            plain = re.sub(r"（见图\d+）|\(Figure \d+\)", "", plain)
            # standalone numbers only: FP16, DeepSeek-V3, Llama3, check ids like EW01 are names, not values
            for num in re.findall(r"(?<![A-Za-z\d.\-])\d+(?:,\d{3})*(?:\.\d+)?(?![A-Za-z\d])", plain):
                assert re.fullmatch(r"(19|20)\d\d", num) or num in DESIGN_CONSTANTS, (fname, num, plain[:160])
        assert n >= 60
