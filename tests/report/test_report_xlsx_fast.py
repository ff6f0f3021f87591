"""The workbook writer (write-only openpyxl sheets) on small in-memory tables, without a build: strings
stay text whatever they start with, number formats by unit, value-class styles, bilingual frozen
headers, native charts, and the same inputs give the same bytes."""

from __future__ import annotations

import io
import re
import zipfile
from types import SimpleNamespace

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from suanli.report.xlsx import CLASS_FILL, CLASS_FONT, WARN_FILL, _Cells, workbook_bytes

FORMULAS = ['=HYPERLINK("http://x","y")', "+SUM(A1:A9)", "-2+3", "@SUM(A1)", "=1+1", "\tx", "#DIV/0!"]


def _prov(tables: dict[str, pd.DataFrame], synthetic: set[str]) -> pd.DataFrame:
    rows = [dict(table_name=t, kind="result", stage="test", method=FORMULAS[0], params='{"a": "=1+1"}', inputs="",
                 synthetic=t in synthetic, description=FORMULAS[1], value_classes="stated") for t in tables]
    rows.append(dict(table_name="some_input", kind="input", stage="test", method="", params=None, inputs="",
                     synthetic=False, description="@input", value_classes="stated"))
    return pd.DataFrame(rows)


def _figures() -> list:
    def fig(number, kind, data, **opts):
        return SimpleNamespace(number=number, id=f"f{number}", kind=kind, data=data, opts=opts, lang="zh",
                               title=f"=图{number}", source="-来源", x_label="+年份", y_label="@值")

    bars = pd.DataFrame({"x": ["2024", "2025", "2024", "2025"], "series": ["=a", "b", "=a", "b"],
                         "value": [1.0, 2.0, 3.0, 4.0]})
    return [fig(1, "bar", bars), fig(2, "line", bars), fig(3, "stacked100", bars, stacked=True),
            fig(4, "hbar", bars.iloc[:2]),
            fig(5, "pie", pd.DataFrame({"label": ["=x", "y"], "value": [3.0, 1.0]})),
            fig(6, "rank_interval", pd.DataFrame({"label": ["-p", "q"], "value": [1.0, 2.0], "lo": [1.0, 1.0],
                                                  "hi": [2.0, 3.0]})),
            fig(7, "slope", pd.DataFrame({"label": ["p", "q", "p", "q"], "x": ["2024", "2024", "2025", "2025"],
                                          "value": [1.0, 2.0, 2.0, 1.0]})),
            fig(8, "map", pd.DataFrame({"x": [1]}))]


@pytest.fixture(scope="module")
def inputs():
    money = pd.DataFrame({"year": [2024, 2025, 2025, 2025], "series": ["m", "m", "n", FORMULAS[2]],
                          "unit": ["USD", "USD", "CNY", "EFLOPS"], "value": [1.5e9, 2.0e9, 3.0e8, 7.25],
                          "lo": [1.0e9, 1.5e9, 2.0e8, 7.0], "hi": [2.0e9, 2.5e9, 4.0e8, 7.5],
                          "value_class": ["stated", "derived", "modelled", "synthetic"]})
    shares = pd.DataFrame({"region": FORMULAS[:4], "share": [0.1, 0.2, 0.3, float("nan")],
                           "share_lo": [0.05, 0.1, 0.2, 0.3], "share_hi": [0.2, 0.3, 0.4, 0.5],
                           "note": FORMULAS[3:], "value_class": ["synthetic"] * 4})
    frames = {"market_series": money, "regional_shares": shares}
    prov = _prov(frames, {"regional_shares"})
    return (frames, prov, "=报告 Title", True, "-合成数据 banner", "图", _figures())


@pytest.fixture(scope="module")
def xlsx(inputs, tmp_path_factory) -> bytes:
    return workbook_bytes(*inputs, tmp_path_factory.mktemp("figs"))


@pytest.fixture(scope="module")
def wb(xlsx):
    return load_workbook(io.BytesIO(xlsx))


def test_same_inputs_give_the_same_bytes(inputs, xlsx, tmp_path):
    assert workbook_bytes(*inputs, tmp_path) == xlsx
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "2026" not in z.read("docProps/core.xml").decode()


def test_formula_like_text_stays_text(wb, xlsx):
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t", "#")):
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    seen.add(c.value)
    # in the tables, the provenance, the contents, the title and banner, and the charts' labels
    assert set(FORMULAS) <= seen
    assert {"=报告 Title", "-来源", "+年份", "=a", "=x", "-p"} <= seen
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        for n in z.namelist():
            if n.startswith("xl/worksheets/sheet"):
                assert "<f>" not in z.read(n).decode("utf-8"), n


def test_a_raw_value_cannot_reach_a_write_only_sheet():
    """Rows of a sheet written through put_cell take cells only: a string appended as a bare value
    (which openpyxl would make a formula) is refused, not written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    _Cells(ws)
    with pytest.raises(AttributeError):
        ws.append(["=1+1"])


def test_sheets_in_order_with_bilingual_frozen_headers(wb, xlsx):
    assert wb.sheetnames == ["目录 Contents", "provenance", "图表 Charts", "静态图 Figures", "market_series",
                             "regional_shares"]
    for name in ("provenance", "market_series", "regional_shares"):
        ws = wb[name]
        assert ws.freeze_panes == "A3"
        for c1, c2 in zip(ws[1], ws[2], strict=True):
            assert c1.value and c2.value, (name, c1.coordinate)
            assert c1.font.b and c1.fill.fgColor.rgb == "00DCE6F1"
            assert c2.font.i and c2.font.sz == 9 and c2.fill.fgColor.rgb == "00EEF2F7"
    ws = wb["market_series"]
    assert [c.value for c in ws[1]][:4] == ["年份", "序列", "单位", "数值"]
    assert [c.value for c in ws[2]][:4] == ["Year", "Series", "Unit", "Value"]
    assert ws.column_dimensions["A"].width == 8 and ws.column_dimensions["B"].width == 8
    assert wb["regional_shares"].sheet_properties.tabColor.rgb == "00E0A800"  # synthetic table
    assert wb["market_series"].sheet_properties.tabColor is None
    # each sheet states its used range, as a normal (not write-only) sheet does
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        dims = [re.search(r'<dimension ref="([^"]+)"', z.read(f"xl/worksheets/sheet{i}.xml").decode()).group(1)
                for i in range(1, 7)]
    assert dims[4:] == ["A1:G6", "A1:F6"]
    assert dims[0] == "A1:I8" and dims[2].startswith("A1:")
    toc = wb["目录 Contents"]
    assert toc.freeze_panes == "A5" and toc["A2"].fill.fgColor.rgb == WARN_FILL.fgColor.rgb
    assert toc["H4"].value == "数值类别 Value class" and toc.column_dimensions["I"].width == 90
    assert [toc.cell(r, 1).value for r in (5, 6)] == ["market_series", "regional_shares"]


def test_number_formats_by_unit_and_value_class_styles(wb):
    ws = wb["market_series"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    # money in 亿美元 / 亿元, other units untouched; bounds in the value's format
    assert [r[2] for r in rows] == ["亿美元 (100 million USD)", "亿美元 (100 million USD)", "亿元 (100 million CNY)",
                                    "EFLOPS"]
    assert [r[3] for r in rows] == [15.0, 20.0, 3.0, 7.25] and [r[4] for r in rows] == [10.0, 15.0, 2.0, 7.0]
    for r in range(3, 7):
        assert ws.cell(r, 1).number_format == "0"
        assert ws.cell(r, 4).number_format == ws.cell(r, 5).number_format == ws.cell(r, 6).number_format == "#,##0.00"
        vc = ws.cell(r, 7)
        assert vc.fill.fgColor.rgb == CLASS_FILL[vc.value].fgColor.rgb
        assert vc.fill.patternType == CLASS_FILL[vc.value].patternType
        assert (vc.font.color.rgb, vc.font.b, vc.font.i) == (CLASS_FONT[vc.value].color.rgb, CLASS_FONT[vc.value].b,
                                                            CLASS_FONT[vc.value].i)
    ws = wb["regional_shares"]
    for r in range(3, 6):
        assert ws.cell(r, 2).number_format == ws.cell(r, 3).number_format == ws.cell(r, 4).number_format == "0.0%"
    assert ws.cell(6, 2).value is None and ws.cell(6, 3).value == 0.3  # NaN: an empty cell
    toc = wb["目录 Contents"]
    for r in range(5, 9):
        cls = toc.cell(r, 8).value.split(" · ")[0]
        assert toc.cell(r, 8).fill.fgColor.rgb == CLASS_FILL[cls].fgColor.rgb


def test_native_charts(wb):
    ws = wb["图表 Charts"]
    kinds = [(type(c).__name__, getattr(c, "type", None), getattr(c, "grouping", None)) for c in ws._charts]
    assert kinds == [("BarChart", "col", "clustered"), ("LineChart", None, "standard"),
                     ("BarChart", "col", "percentStacked"), ("BarChart", "bar", "clustered"),
                     ("PieChart", None, None), ("BarChart", "bar", "stacked"), ("LineChart", None, "standard")]
    slope = ws._charts[6]  # one line per unit across the periods, rank 1 at the top
    assert len(slope.series) == 2 and slope.y_axis.scaling.orientation == "maxMin"
    assert [s.marker.symbol for s in slope.series] == ["circle", "circle"]
    for ch in ws._charts:
        for s in ch.series:
            assert s.val.numRef.f.startswith("'图表 Charts'!$")
    # the chart data sits at the rows the charts refer to
    first = ws._charts[0].series[0]
    assert first.val.numRef.f == "'图表 Charts'!$B$4:$B$5" and ws["B3"].value == "=a" and ws["B4"].value == 4.0
    assert ws["A1"].value == "图1 =图1" and ws["A2"].value == "-来源" and ws["A4"].value == "2024"
    assert ws.column_dimensions["A"].width == 22


def test_number_formats_follow_the_values():
    """A format the values contradict gives way: years without a thousands separator, an integer
    format over fractions (a 0.9 interval level printed 1, shares printed 0), magnitudes that showed
    #### in scientific notation, percentages already in percent (MAPE 10.9 printed 1,089.7 %), and a
    half-width (S1_conf) in its index's format."""
    from suanli.report.xlsx import _formats, _numfmt

    assert _numfmt("start_year", pd.Series([2020.0, 2028.0]), "#,##0") == "0"
    assert _numfmt("seed_claim_year", pd.Series([2028, 2030]), "") == "0"
    assert _numfmt("level", pd.Series([0.9, 0.9]), "0") == "0.0%"
    assert _numfmt("level", pd.Series([1, 2, 3]), "0") == "0"
    assert _numfmt("flop", pd.Series([3.15e23, 1.8e24]), "#,##0.00") == "0.00E+00"
    assert _numfmt("tokens", pd.Series([3e11, 1.5e13]), "") == "0.00E+00"
    assert _numfmt("mape", pd.Series([10.9, 45.5]), column_fmt("mape")) == '0.0"%"'
    # small values get the decimals they need (0.03 EFLOPS printed 0.0)
    assert _numfmt("intelligent_eflops", pd.Series([0.03, 0.012, 0.4, 12.5]), "#,##0.0") == "#,##0.00"
    assert _numfmt("intelligent_eflops", pd.Series([1037.3, 725.3, 0.0]), "#,##0.0") == "#,##0.0"
    f = _formats(pd.DataFrame({"S1": [0.1], "S1_conf": [0.02], "recomputed": [1.5], "lower": [1.4], "stated": [1.6]}))
    assert f["S1_conf"] == f["S1"] == "0.000" and f["lower"] == f["stated"] == f["recomputed"]


def column_fmt(col: str) -> str:
    from suanli.report.i18n import column_header

    return column_header(col, "zh")[2]


def test_reconciliation_money_in_report_units():
    """Money in a table without a unit column takes its unit from market_series by metric."""
    from suanli.report.xlsx import money_in_report_units

    series = pd.DataFrame({"series": ["s"], "metric": ["ai_server_market"], "unit": ["USD"], "value": [2.227e11]})
    recon = pd.DataFrame({"metric": ["ai_server_market"], "bottom_up": [2.227e11], "top_down_total": [2.0e11],
                          "gap_rel": [0.1]})
    out = money_in_report_units({"market_series": series, "market_reconciliation": recon})["market_reconciliation"]
    assert out.loc[0, "bottom_up"] == pytest.approx(2227.0) and out.loc[0, "unit"] == "亿美元 (100 million USD)"
    assert out.loc[0, "gap_rel"] == 0.1


def test_missing_values_are_empty_and_formula_like_text_keeps_a_quote_prefix():
    from suanli.io.cells import put_cell

    ws = Workbook().active
    assert put_cell(ws, 1, 1, pd.NA).value is None and put_cell(ws, 1, 2, pd.NaT).value is None
    c = put_cell(ws, 1, 3, "+2.2 pp")
    assert c.data_type == "s" and c.quotePrefix
    assert not put_cell(ws, 1, 4, "-5").quotePrefix  # a number written as text is no formula


def test_long_table_names_make_readable_sheet_names():
    from suanli.report.xlsx import _sheet_name

    used: set[str] = set()
    names = [_sheet_name(n, used) for n in ("index_city_method_only_rank_probabilities",
                                            "index_city_method_only_rank_intervals", "index_industry_uncertainty_inputs",
                                            "index_industry_rank_probabilities", "capacity_national")]
    assert names == ["index_city_method_rank_prob", "index_city_method_only_rank_int", "index_industry_unc_inputs",
                     "index_industry_rank_prob", "capacity_national"]
    assert all(len(n) <= 31 for n in names)


def test_a_synthetic_chart_says_so_in_its_title_and_unnamed_series_take_the_measure():
    from suanli.report.xlsx import _chart_title, _series_name

    fig = SimpleNamespace(title="全国智能算力", synthetic=True, y_label="EFLOPS", x_label="", lang="zh")
    assert _chart_title(fig) == "全国智能算力（合成数据 SYNTHETIC）"
    assert _chart_title(SimpleNamespace(title="t", synthetic=False)) == "t"
    assert _series_name(fig, "value") == _series_name(fig, "") == "EFLOPS" and _series_name(fig, "国产") == "国产"


def test_charts_draw_the_intervals_they_have(inputs, tmp_path):
    """A line chart draws its bounds as dashed lines, a bar chart as error bars, a rank interval as a
    floating bar from the 5 % to the 95 % rank (an unfilled bar up to the 5 % rank under the width)."""
    def fig(number, kind, data):
        return SimpleNamespace(number=number, id=f"f{number}", kind=kind, data=data, opts={}, lang="en",
                               title=f"t{number}", source="s", x_label="Year", y_label="EFLOPS", synthetic=True)

    band = pd.DataFrame({"x": ["2024", "2025"], "series": ["a", "a"], "value": [1.0, 2.0], "lo": [0.5, 1.5],
                         "hi": [1.5, 3.0]})
    ranks = pd.DataFrame({"label": ["p", "q"], "value": [1.0, 2.0], "lo": [1.0, 1.0], "hi": [2.0, 4.0]})
    frames, prov, title, syn, banner, word, _ = inputs
    data = workbook_bytes(frames, prov, title, syn, banner, word,
                          [fig(1, "line", band), fig(2, "bar", band), fig(3, "rank_interval", ranks)], tmp_path)
    ws = load_workbook(io.BytesIO(data))["图表 Charts"]
    line, bar, rank = ws._charts
    assert [s.tx.strRef.f.split("!")[1].replace("$", "") for s in line.series] == ["B3", "C3", "D3"]
    assert ws["C3"].value == "a lower" and ws["D3"].value == "a upper" and ws["D5"].value == 3.0
    assert [s.graphicalProperties.line.prstDash for s in line.series[1:]] == ["dash", "dash"]
    eb = bar.series[0].errBars
    assert eb is not None and eb.errValType == "cust" and eb.plus.numRef.f.endswith("$C$21:$C$22")
    assert ws["C21"].value == 0.5 and ws["D22"].value == 0.5  # + and − of the bar chart's rows
    assert rank.grouping == "stacked" and rank.series[0].graphicalProperties.noFill
    assert [s.val.numRef.f.split("!")[1] for s in rank.series] == ["$C$38:$C$39", "$E$38:$E$39"]
    assert "SYNTHETIC" in line.title.tx.rich.p[0].r[0].t
    # written in the schema's order (CT_ErrBars: plus before minus), which openpyxl alone does not keep
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = next(z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/") and b"errBars" in z.read(n))
    bars = re.search(r"<errBars>(.*?)</errBars>", xml, flags=re.S).group(1)  # lxml or not: spacing differs
    order = [bars.index(f"<{tag}") for tag in ("errDir", "errBarType", "errValType", "plus>", "minus>")]
    assert order == sorted(order) and '<errDir val="y"' in bars


def test_a_wide_sheet_keeps_its_first_column_in_view_and_every_sheet_filters():
    from suanli.report.xlsx import WIDE_SHEET, write_table_sheet

    wb = Workbook(write_only=True)
    narrow, wide = wb.create_sheet("narrow"), wb.create_sheet("wide")
    write_table_sheet(narrow, pd.DataFrame({"year": [2024, 2025], "value": [1.0, 2.0]}))
    write_table_sheet(wide, pd.DataFrame({f"c{i}": [1.0, 2.0] for i in range(WIDE_SHEET + 1)}))
    buf = io.BytesIO()
    wb.save(buf)
    back = load_workbook(io.BytesIO(buf.getvalue()))
    assert back["narrow"].freeze_panes == "A3" and back["wide"].freeze_panes == "B3"
    assert back["narrow"].auto_filter.ref == "A2:B4" and back["wide"].auto_filter.ref == "A2:M4"


def test_contents_link_to_their_sheets(wb):
    toc = wb["目录 Contents"]
    links = {toc.cell(r, 1).value: toc.cell(r, 1).hyperlink for r in range(5, 7)}
    assert {k: (h.location, h.target) for k, h in links.items()} == {
        "market_series": ("'market_series'!A1", None), "regional_shares": ("'regional_shares'!A1", None)}


def test_charts_name_their_columns_in_both_languages(inputs, tmp_path):
    """With the figures in the other language, each chart block gets that title under its own and
    that language's column names above its header row (which the chart's series take their names
    from, so it stays next to the data); a figure without a match, or whose columns differ, gets
    neither header row."""
    frames, prov, title, syn, banner, word, figs = inputs
    en = []
    for f in figs:
        d = f.data.copy()
        if "series" in d:
            d["series"] = d["series"].map({"=a": "A", "b": "B"})
        en.append(SimpleNamespace(**{**vars(f), "lang": "en", "title": f"T{f.number}", "data": d, "x_label": "Year"}))
    en = [e for e in en if e.number != 4]  # figure 4 has no English match
    data = workbook_bytes(frames, prov, title, syn, banner, word, figs, tmp_path, en)
    ws = load_workbook(io.BytesIO(data))["图表 Charts"]
    assert [ws[f"A{r}"].value for r in range(1, 6)] == ["图1 =图1", "Figure 1 T1", "-来源", "Year", "+年份"]
    assert [ws.cell(4, j).value for j in (2, 3)] == ["A", "B"] and [ws.cell(5, j).value for j in (2, 3)] == ["=a", "b"]
    assert ws.cell(4, 2).font.i and ws.cell(5, 2).font.b
    first = ws._charts[0].series[0]  # the chart still takes its names and values from its own rows
    assert first.tx.strRef.f.replace("$", "").endswith("!B5") and first.val.numRef.f.endswith("$B$6:$B$7")
    titles = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert "Figure 4 T4" not in titles and any(t.startswith("图4 ") for t in titles)
    pie = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Option")
    assert ws.cell(pie, 2).value == "Share" and ws.cell(pie + 1, 1).value == "选项"
    rank = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "Rank")
    assert ws.cell(rank + 1, 2).value == "排名" and ws.cell(rank, 5).value == "Interval width"
    # without them the sheet is as it was
    assert workbook_bytes(frames, prov, title, syn, banner, word, figs, tmp_path) == \
        workbook_bytes(frames, prov, title, syn, banner, word, figs, tmp_path, None)
