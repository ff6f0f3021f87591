"""The default edition's report: files, sections, figures, key findings traced to the store."""

from __future__ import annotations

import csv
import html as h
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser

import duckdb
import pytest
from report_helpers import claims_in, have

from suanli.report.claims import evaluate, ref_class
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


@pytest.mark.parametrize("fname", ["report.html", "report.en.html"])
def test_synthetic_banner_says_its_label_once(report_out, fname):
    """The banner prints its badge, then the note: the note does not open with the label again (it
    read "⚠ SYNTHETIC DATA SYNTHETIC DATA: shipments..." in the page and the PDF)."""
    html = (report_out / fname).read_text(encoding="utf-8")
    m = re.search(r'<div class="synthetic-banner"[^>]*>(.*?)</div>', html, flags=re.S)
    assert m, "no synthetic banner"
    badge, _, note = m.group(1).partition("</strong>")
    assert "SYNTHETIC" in badge
    note = h.unescape(re.sub(r"<[^>]+>", "", note)).strip()
    assert note and not note.upper().startswith(("SYNTHETIC", "合成数据")), note[:60]


def _findings_block(html: str) -> str:
    m = re.search(r'<ol class="findings">(.*?)</ol>', html, flags=re.S)
    assert m, "no key findings"
    return m.group(1)


@pytest.mark.parametrize("fname", ["report.html", "report.en.html"])
def test_every_key_finding_shows_its_value_class(report_out, fname):
    """Each key finding opens with its value-class badge, also one that names without numbers (a
    ranking's order): a reader must never have to guess whether a finding is stated or synthetic."""
    items = re.findall(r"<li>(.*?)</li>", _findings_block((report_out / fname).read_text(encoding="utf-8")), flags=re.S)
    assert len(items) >= 15
    bare = [h.unescape(re.sub(r"<[^>]+>", "", x))[:60] for x in items if 'class="vc-badge' not in x]
    assert not bare, f"key findings without a value class: {bare}"


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
    # the dashboard's citation brackets of a translated checker note never reach a printed page
    assert "⟦" not in text and "⟧" not in text


def test_workbook(report_out):
    from openpyxl import load_workbook

    wb = load_workbook(report_out / "tables.xlsx")
    assert "capacity_national" in wb.sheetnames and "provenance" in wb.sheetnames
    ws = wb["capacity_national"]
    assert ws.freeze_panes == "A3"
    assert ws["B1"].value == "智能算力（EFLOPS）" and ws["B2"].value == "Intelligent compute (EFLOPS)"
    assert ws["B3"].number_format == "#,##0.0"
    charts = wb["图表 Charts"]._charts
    # a native chart for every figure type openpyxl can draw (bars, lines, 100 % bars, pies, rankings)
    figs = list(csv.DictReader(open(report_out / "figures" / "index.csv", encoding="utf-8")))
    native = [f for f in figs if f["kind"] in ("bar", "line", "stacked100", "hbar", "pie", "rank_interval", "slope")]
    assert len(charts) >= len(native) > 25
    assert {"BarChart", "LineChart", "PieChart"} <= {type(c).__name__ for c in charts}
    cjk = re.compile(r"[\u4e00-\u9fff]")
    # every chart block in both languages: the English title under the Chinese one, and the English
    # column names above the Chinese header row the chart takes its series names from
    rows = list(wb["图表 Charts"].iter_rows(values_only=True))
    blocks = [i for i, r in enumerate(rows) if isinstance(r[0], str) and re.match(r"图\d+ ", r[0])]
    assert len(blocks) == len(charts)
    for i in blocks:
        assert str(rows[i + 1][0]).startswith("Figure "), rows[i]
        en, zh = ([v for v in rows[i + k] if v is not None] for k in (3, 4))
        assert len(en) == len(zh) > 1, (rows[i][0], en, zh)
        assert not any(cjk.search(re.sub(r"[（(][^）)]*[）)]", "", str(v))) for v in en), (rows[i][0], en)
    special = {"目录 Contents", "图表 Charts", "静态图 Figures"}
    for name in wb.sheetnames:
        if name in special:
            continue
        ws = wb[name]
        # bilingual headers: Chinese in row 1, English in row 2 (a Chinese unit in brackets may stay)
        for c1, c2 in zip(ws[1], ws[2], strict=True):
            if c1.value is None:
                continue
            assert cjk.search(str(c1.value)), (name, c1.value)
            assert c2.value and not cjk.search(re.sub(r"[（(][^）)]*[）)]", "", str(c2.value))), (name, c2.value)
        heads = {c.value: c.column for c in ws[2] if c.value}
        # interval bounds in the number format (and unit) of their value; money in 亿美元/亿元, never base USD
        for bound, base in (("Lower", "Value"), ("Upper", "Value")):
            if bound in heads and base in heads and ws.max_row >= 3:
                assert ws.cell(3, heads[bound]).number_format == ws.cell(3, heads[base]).number_format, name
        if "Unit" in heads:
            units = {ws.cell(r, heads["Unit"]).value for r in range(3, ws.max_row + 1)}
            assert not units & {"USD", "CNY"}, (name, units)
        if "Value class" in heads:
            cell = ws.cell(3, heads["Value class"])
            assert cell.fill.fgColor.rgb not in (None, "00000000"), name  # styled by class
    assert wb["目录 Contents"]["H4"].value == "数值类别 Value class"
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

    # the report writes its figure tables into the store: work on a copy of the shared session build's store
    (tmp_path / "store").mkdir()
    shutil.copyfile(report_out / "suanli.duckdb", tmp_path / "store" / "suanli.duckdb")
    st = Store(tmp_path / "store", write_csv_tables=False)
    try:
        s = write_report(st, load_edition(), tmp_path, ["zh", "en"], cache_dir=default_cache_dir(report_out))
    finally:
        st.con.close()
    m = re.search(r'<meta name="generator" content="suanli ([^"]+)">',
                  (report_out / "report.html").read_text(encoding="utf-8"))
    missed = s["cache"]["missed"]
    if m and m.group(1) == s["code_version"]:
        assert missed == [] and s["cache"]["hits"] > 50 and s["pdf"] == ["cache", "cache"]
        assert (tmp_path / "report.pdf").read_bytes() == (report_out / "report.pdf").read_bytes()
    else:  # the checkout changed since the session build: only the PDFs (which print the version) re-render
        assert all(m.startswith("pdf/") for m in missed), missed


def test_pdfs_laid_out_while_the_figures_were_drawn(report_out):
    """A cold build lays each PDF out beside the figure workers and writes it once the PNGs exist
    (``render._PdfJob``); "again" would mean a figure's PNG was not of the size computed in advance
    (``spec.png_size``) and the PDF was typeset a second time."""
    import json

    msgs = json.loads((report_out / "lineage.json").read_text(encoding="utf-8"))["messages"]
    line = next(m for m in msgs if m.startswith("report: cache"))
    how = "here" if os.environ.get("SUANLI_REPORT_WORKERS") == "0" else "early"  # no workers: in-process
    assert line.endswith(f"; PDF {how}, {how}"), line


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
def test_the_text_names_no_internal_ids(report_out, tables, fname):
    """The report speaks of series, rules, choices and indicators by name: an id of the code
    (``event_date``, ``ai_server_market``, ``-ai_vc_funding_yi``) left in its text is a gap. Allowed:
    the names of data tables (source lines, the lineage tables, which point into the workbook), the
    ids of the published facts a check cites and, in English, the columns of the tables (``n_eff``)."""
    con = duckdb.connect(str(report_out / "suanli.duckdb"), read_only=True)
    try:
        names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if fname == "report.en.html":
            names |= {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns").fetchall()}
    finally:
        con.close()
    facts = {f for cell in tables("market_checks")["facts"].dropna() for f in str(cell).split(";")}
    html = (report_out / fname).read_text(encoding="utf-8")
    html = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    # the appendix's lineage tables list table names, methods and inputs as recorded
    html = re.sub(r"<table\b(?:(?!</table>).)*?<caption[^>]*>(?:(?!</caption>).)*?(?:数据表来源|图表来源|Provenance of every table|Provenance of figures).*?</table>", "",
                  html, flags=re.S)
    found = {}
    for m in re.finditer(r"<(p|li|td|th|caption|figcaption|h[1-4])\b[^>]*>(.*?)</\1>", html, flags=re.S):
        text = h.unescape(re.sub(r"<[^>]+>", "", m.group(2)))
        for tok in re.findall(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b", text):
            if tok not in names and not tok.startswith("input_") and tok not in facts:
                found.setdefault(tok, text[:120])
    assert not found, "\n".join(f"{k}: {v}" for k, v in sorted(found.items()))


@pytest.mark.parametrize("fname", ["report.html", "report.en.html"])
def test_table_cells_print_numbers_as_a_report_does(report_out, fname):
    """No cell shows a float as Python writes it (867.3832428632686, 100000.0): numbers are rounded
    and grouped as in the text."""
    html = (report_out / fname).read_text(encoding="utf-8")
    cells = [h.unescape(c).strip() for c in re.findall(r"<td[^>]*>([^<]*)</td>", html)]
    raw = [c for c in cells if re.fullmatch(r"-?\d+\.\d{5,}|-?\d{4,}\.0+|-?\d+\.\d+e[-+]\d+", c)]
    assert not raw, raw[:10]


def test_english_sentences_are_spaced(report_out):
    """Sentences put together from parts keep a space after the full stop ("2,790 EFLOPS. IDC's")."""
    html = re.sub(r"<script.*?</script>|<style.*?</style>", "", (report_out / "report.en.html").read_text(encoding="utf-8"),
                  flags=re.S)
    joined = []
    for m in re.finditer(r"<(p|li)\b[^>]*>(.*?)</\1>", html, flags=re.S):
        text = h.unescape(re.sub(r"<[^>]+>", "", m.group(2)))
        joined += [text[max(0, x.start() - 30):x.end() + 10] for x in re.finditer(r"[A-Za-z0-9%)\]]{2}\.[A-Z]", text)]
    assert not joined, joined


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
        # a reason is given once (two checks of one rule are one finding naming both), each list ends with a stop
        because = h.unescape(re.sub(r"<[^>]+>", "", b.split(cite, 1)[1]))
        items = [re.sub(r"^[A-Z]{1,3}\d{2}[:：]\s*", "", x.strip()) for x in re.split(r"[；;]", because) if x.strip()]
        assert len(items) == len(set(items)), because
        assert because.rstrip().endswith(("。", ".")), because[-80:]
    # the city table: top 20, each with its weakest dimension and whom to learn from: only cities that
    # score higher there (the leader of a dimension is told it leads, not sent to cities below it)
    rows = re.findall(r"<tr><td class=\"n\">\d+</td>(.*?)</tr>", m.group(0), flags=re.S)
    assert len(rows) == 20
    leads = 0
    for row in rows:
        cells = [h.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        own = float(cells[2])
        others = [float(x) for x in re.findall(r"[（(](\d+(?:\.\d+)?)[）)]", cells[3])]
        assert all(x > own for x in others), cells
        leads += not others
        assert others or cells[3] in ("无：该市在此维度已居首位", "none: it leads this dimension"), cells
    assert leads < len(rows)


#: Numbers the prose may print that are not data: top-N cut-offs (10, 14 industries, 20 cities), percentile
#: bounds and interval levels (5, 90, 95), the score range (0-100), framework levels.
DESIGN_CONSTANTS = {"0", "1", "2", "3", "5", "10", "14", "20", "90", "95", "100"}


def test_every_number_in_the_text_is_a_stored_value(report_out, tables):
    """All chapters: every claim evaluates back to the store with the value class of what it reads (a
    stored value its row's class, arithmetic propagated), and no other number is printed in the prose
    except years, chapter numbers and the design constants the text names (top 10/20, 5-95 %)."""
    for fname in ("report.html", "report.en.html"):
        html = (report_out / fname).read_text(encoding="utf-8")
        body = re.sub(r"<script.*?</script>", "", html, flags=re.S)
        # the demand and energy chapters come with their packages, which test their own claims
        body = re.sub(r'<section id="sec-(demand|energy)".*?</section>', "", body, flags=re.S)
        paras = re.findall(r"<p>(.*?)</p>", body, flags=re.S)
        assert len(paras) >= 40
        n = 0
        classes: dict[str, int] = {}
        for p in paras:
            for key, payload, text in claims_in(p):
                value = evaluate(payload["ref"], tables)
                m = re.search(r"-?[\d,]+(?:\.\d+)?", text)
                assert m, (key, text)
                expected = round_half_up(value * payload["scale"], payload["decimals"])
                assert float(m.group(0).replace(",", "")) == pytest.approx(expected, abs=1e-9), (key, text, value)
                assert payload["value_class"] == ref_class(payload["ref"], tables), (key, text)
                classes[payload["value_class"]] = classes.get(payload["value_class"], 0) + 1
                n += 1
            plain = h.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<span class="num".*?</span>', "", p)))
            plain = re.sub(r"第\d+(\.\d)?节|[Ss]ection \d+(\.\d)?|§\d\.\d|\d\.\d节|Appendix [AB]|附录[一二]", "", plain)
            # figure references are numbering, not values
            plain = re.sub(r"（见图\d+）|\(Figure \d+\)|图\d+", "", plain)
            # a checker finding cited by its title may quote a product name ("Product name '微软360 Copilot'", 产品名称“微软360 Copilot”)
            plain = re.sub(r"name '[^']*'|名称“[^”]*”", "", plain)
            # standalone numbers only: FP16, DeepSeek-V3, Llama3, check ids like EW01 are names, not values
            for num in re.findall(r"(?<![A-Za-z\d.\-])\d+(?:,\d{3})*(?:\.\d+)?(?![A-Za-z\d])", plain):
                assert re.fullmatch(r"(19|20)\d\d", num) or num in DESIGN_CONSTANTS, (fname, num, plain[:160])
        assert n >= 60
        # the default edition prints stated reference facts, derived growth and synthetic results
        assert {"stated", "derived", "synthetic"} <= set(classes), classes


def test_claim_value_class_of_counts_and_arithmetic():
    import pandas as pd

    from suanli.report.claims import COUNT, GROWTH, Claims, V

    tabs = {"m": pd.DataFrame({"k": ["a", "b", "c"], "v": [1.0, 2.0, 3.0],
                               "value_class": ["stated", "stated", "synthetic"]})}
    cl = Claims(lambda t: tabs[t], "en")
    assert cl.number("a", V("m", "v", k="a")).value_class == "stated"
    assert cl.pct("g", GROWTH(V("m", "v", k="b"), V("m", "v", k="a"))).value_class == "derived"
    assert cl.number("n", COUNT("m", "k != 'c'"), 0).value_class == "derived"
    assert cl.number("n2", COUNT("m", "k == k"), 0).value_class == "synthetic"
    assert 'data-value-class="derived"' in str(cl.items["g"].html())


def test_maps_use_the_one_tile_grid_and_draw_no_outlines(report_out):
    """The report's tile map is the project's one layout (suanli.tilegrid, also the dashboard's), and no
    figure carries map geometry: no geo traces, no lon/lat, no outline data shipped with the package."""
    import json
    from pathlib import Path

    from suanli.report.tilemap import TILES
    from suanli.tilegrid import PROVINCE_TILES

    assert {p: (r, c) for p, (c, r, _) in TILES.items()} == PROVINCE_TILES
    for fname in ("report.html", "report.en.html"):
        html = (report_out / fname).read_text(encoding="utf-8")
        figs = re.findall(r'<script type="application/json" id="data-[^"]*">(.*?)</script>', html, flags=re.S)
        assert len(figs) >= 25
        for f in figs:
            d = json.loads(f)
            for tr in d["data"]:
                assert tr.get("type") not in ("scattergeo", "choropleth", "choroplethmapbox", "scattermapbox"), tr
                assert "lon" not in tr and "lat" not in tr and "geojson" not in tr
            assert "geo" not in d["layout"]
    import suanli

    pkg = Path(suanli.__file__).parent
    shipped = [p for p in pkg.rglob("*") if p.suffix.lower() in (".geojson", ".shp", ".topojson", ".kml")
               or "natural_earth" in p.name.lower() or p.name.lower().startswith("ne_")]
    assert shipped == []


def _pdf_pages_text(pdf) -> list[str]:
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                       check=True).stdout).group(1))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    return pages[:n]


def _pdf_bookmarks(pdf) -> list[str]:
    """Outline titles of a PDF (WeasyPrint may put them in compressed object streams)."""
    import zlib

    raw = pdf.read_bytes()
    chunks = [raw]
    for m in re.finditer(rb"stream\r?\n", raw):
        try:
            chunks.append(zlib.decompressobj().decompress(raw[m.end():m.end() + 4_000_000]))
        except zlib.error:
            pass
    titles = []
    for c in chunks:
        if b"/Parent" not in c:
            continue
        for m in re.finditer(rb"/Title\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]+>)", c):
            # outline items only (their dictionary has a /Parent), not the document information's /Title
            start, end = c.rfind(b"<<", 0, m.start()), c.find(b">>", m.end())
            if b"/Parent" not in c[start:end]:
                continue
            t = m.group(1)
            if t.startswith(b"<"):
                b = bytes.fromhex(t[1:-1].decode())
                titles.append(b[2:].decode("utf-16-be") if b.startswith(b"\xfe\xff") else b.decode("latin-1"))
            else:
                b = re.sub(rb"\\(.)", rb"\1", t[1:-1])
                titles.append(b[2:].decode("utf-16-be") if b.startswith(b"\xfe\xff") else b.decode("latin-1"))
    return titles


@pytest.mark.skipif(not have("pdftoppm") and not os.environ.get("CI"), reason="needs poppler-utils (scripts/system-deps.txt)")
@pytest.mark.parametrize("fname", ["report.pdf", "report.en.pdf"])
def test_pdf_contents_numbering_fill_and_bookmarks(report_out, tmp_path, fname):
    """The PDF as a reader checks it: contents with right page numbers, each figure and table captioned
    once and numbered in order, no page less than a third full except the last page of a chapter
    (measured on the rasterised page: lowest ink above the footer), one bookmark per chapter."""
    import numpy as np
    from PIL import Image

    pdf = report_out / fname
    pages = _pdf_pages_text(pdf)
    zh = fname == "report.pdf"
    # contents: every chapter with the page it starts on
    toc = {}
    for line in pages[0].splitlines():
        m = re.match(r"\s*(.+?)\s*\.{3,}\s*(\d+)\s*$", line)
        if m:
            toc[m.group(1).strip()] = int(m.group(2))
    titles = [(zh_t if zh else en_t) for _, zh_t, en_t in SECTIONS]
    assert len(toc) == len(titles), toc
    starts = []
    for (entry, page), title in zip(toc.items(), titles, strict=True):
        assert entry.endswith(title), (entry, title)
        body = " ".join(pages[page - 1].split())
        assert title in body, (title, page)
        starts.append((entry, page))
    # captions: 图N / Figure N and 表N / Table N once each, numbered 1..n
    for word in (("图", "表") if zh else ("Figure ", "Table ")):
        # a caption is "表N title" (one space); "Table 1 (2024-12-27)" inside a cell cites a source's
        # table, and appendix B's rows start with "图N" in a column of their own (wider gap to the title)
        nums = [int(m) for p in pages for m in re.findall(rf"(?m)^\s*{word}(\d+) [^\s(（]", p)]
        assert nums == list(range(1, len(nums) + 1)), (word, nums)
    assert len([1 for p in pages for _ in re.finditer(rf"(?m)^\s*{'图' if zh else 'Figure '}\d+\s", p)]) >= 25
    # no caption left alone at the foot of a page, its table or figure on the next
    alone = []
    for i, p in enumerate(pages, start=1):
        lines = [ln for ln in p.splitlines() if ln.strip() and not re.fullmatch(r"\s*\d+\s*", ln)]
        if lines and re.match(rf"\s*({'表|图' if zh else 'Table |Figure '})\d+ ", lines[-1]):
            alone.append((i, lines[-1].strip()[:40]))
    assert alone == [], alone
    # fill: chapters that start a page (break-before) end on a possibly short page
    # (key findings, chapters 1, 2, 3, 4 and the appendices; the template's "major" sections; 2.1 and
    # 3.1 follow their chapter's heading on its page, so the page before them ends chapter 1 or 2)
    major = {page for i, (entry, page) in enumerate(starts)
             if i == 0 or re.match(r"(\d+|\d+\.1)\s|附录|Appendix", entry)}
    chapter_ends = {p - 1 for p in major} | {len(pages)}
    subprocess.run(["pdftoppm", "-r", "20", "-gray", str(pdf), str(tmp_path / "p")], check=True)
    short = []
    for i, f in enumerate(sorted(tmp_path.glob("p-*.pgm")), start=1):
        a = np.asarray(Image.open(f))
        h = a.shape[0]
        top, bottom = int(h * 18 / 297), int(h * (297 - 20) / 297)  # the page margins (running head, page number)
        ink = np.where((a[top:bottom] < 200).any(axis=1))[0]
        fill = (ink.max() + 1) / (bottom - top) if len(ink) else 0.0
        if fill < 1 / 3 and i not in chapter_ends:
            short.append((i, round(fill, 2)))
    assert short == [], short
    # bookmarks: one per chapter, in order, titled like the contents
    marks = _pdf_bookmarks(pdf)
    assert len(marks) == len(titles) and all(m.endswith(t) for m, t in zip(marks, titles, strict=True)), marks


def test_every_sensitivity_input_has_a_name_in_both_languages(tables):
    """Sobol inputs are named in Chinese in the zh report (no 'measurement noise' in a Chinese chart)."""
    from suanli.report.sections._index import INPUTS

    for t in ("index_city_sobol", "index_industry_sobol"):
        missing = sorted(set(tables(t)["input"]) - set(INPUTS))
        assert missing == [], (t, missing)


@pytest.mark.parametrize("fname", ["report.html", "report.en.html"])
def test_accelerator_vendors_are_named_in_the_reports_language(report_out, fname):
    """The store keeps the catalogue's English vendor names; the Chinese report shows 寒武纪, not Cambricon."""
    import json

    page = (report_out / fname).read_text(encoding="utf-8")
    for fig in ("capacity_by_accelerator_vendor", "capacity_accelerator_vendor_share"):
        m = re.search(rf'<script[^>]*id="data-{fig}"[^>]*>(.*?)</script>', page, flags=re.S)
        assert m, fig
        names = {t.get("name") for t in json.loads(m.group(1))["data"]}
        if fname == "report.html":
            assert {"英伟达", "华为", "寒武纪"} <= names and not names & {"NVIDIA", "Huawei", "Cambricon"}, names
        else:
            assert {"NVIDIA", "Huawei", "Cambricon"} <= names, names


def test_english_tile_maps_have_a_key_to_their_codes(report_out):
    """The English tiles carry ISO codes (HE, HA, HB, HN and HI are five provinces): each tile map
    has the key under it; a figure's note, which the page never printed, is printed."""
    en = (report_out / "report.en.html").read_text(encoding="utf-8")
    figs = dict(re.findall(r'<figure class="fig[^"]*" id="fig-([a-z0-9_]+)"(.*?)</figure>', en, flags=re.S))
    tiles = [f for f in ("city_map", "capacity_province_tiles", "energy_tiles_mw", "energy_tiles_co2") if f in figs]
    assert len(tiles) >= 3, sorted(figs)
    for f in tiles:
        assert "Tile codes (ISO 3166-2:CN):" in figs[f] and "HE Hebei" in figs[f] and "HA Henan" in figs[f], f
    assert "The targets cap new builds" in figs["energy_pue_ladder"]
    assert "Tile codes" not in (report_out / "report.html").read_text(encoding="utf-8")
