"""The table heights the report page gives the browser for tables it skips off screen
(``render.table_height``; checked against chromium's layout in test_report_charts.py)."""

from __future__ import annotations

import re

import pytest

from suanli.report.margins import CHART_WIDTH, NARROW_WIDTH, text_width
from suanli.report.render import (
    _table_metrics,
    pdf_column_percents,
    table_columns,
    table_height,
    unbreakable_runs,
)


def test_short_rows_are_one_line_each():
    rows = [["北京", "1", "2"]] * 10
    one, ten = table_height(["城市", "a", "b"], rows[:1]), table_height(["城市", "a", "b"], rows)
    line = 1.65 * 15 * 0.88 + 0.5 * 15 * 0.88 + 1
    assert abs((ten - one) - 9 * line) <= 1


def test_a_long_text_cell_wraps_into_more_lines():
    short = table_height(["说明", "值"], [["短", "1.0"]])
    long = table_height(["说明", "值"], [["很长的说明文字" * 40, "1.0"]])
    assert long - short >= 3 * 20  # 3,696 px of text in a 990 px column: four lines instead of one


def test_number_columns_do_not_wrap_and_text_takes_the_rest():
    """A number column (``white-space: nowrap`` on the page) keeps its width, an interval with spaces
    included; laid out as text it would break at the spaces, and the text column wraps less."""
    text = "说明" * 100
    cell = "1,234.5 – 2,345.6 – 3,456.7 (EFLOPS)"
    number = table_columns(["说明", "n"], [[text, cell]], numeric=[False, True])
    as_text = table_columns(["说明", "n"], [[text, cell]], numeric=[False, False])
    assert number[1] >= text_width(cell, 15 * 0.88) > as_text[1]
    assert number[0] < as_text[0]
    one_line = table_height(["说明", "n"], [["说明", cell]], numeric=[False, True])
    assert table_height(["说明", "n"], [[text, cell]], numeric=[False, True]) > one_line


def test_no_column_is_narrower_than_its_longest_word():
    """WeasyPrint's automatic layout never breaks a word (the PDF): squeezed columns keep their
    min-content width (the longest Latin word or number) and the room left goes in proportion to what
    each would like. Chromium breaks words in the page's cells, so there the columns share the room
    in proportion to their widest cells."""
    rows = [["北京市某某智算中心" * 8, "unspecified", "aggregator", "在建"]] * 3
    page = table_columns(["名称", "精度", "来源类型", "状态"], rows, column=400)
    assert page[1] < text_width("unspecified", 15 * 0.88)
    widths = table_columns(["名称", "精度", "来源类型", "状态"], rows, column=400, break_words=False)
    size = 15 * 0.88
    assert widths[1] >= text_width("unspecified", size) and widths[2] >= text_width("aggregator", size)
    assert abs(sum(widths) - 400) < 1e-6
    assert widths[0] > widths[1]  # the long Chinese name takes most of the room left


def test_tables_that_fit_get_their_widest_cells():
    widths = table_columns(["城市", "得分"], [["北京", "12.3"]])
    size = 15 * 0.88
    assert abs(widths[0] - (text_width("城市", size) + size + 1)) < 1e-6


def test_pdf_column_widths_add_up_to_the_table():
    pct = pdf_column_percents(["名称", "精度"], [["很长的名称" * 30, "unspecified"]])
    assert all(p.endswith("%") for p in pct) and abs(sum(float(p[:-1]) for p in pct) - 100) < 0.05


def test_a_phone_column_is_taller_and_small_type_is_shorter():
    rows = [["城市排名与得分的详细说明" * 3, "12.3"]] * 5
    assert table_height(["a", "b"], rows, column=NARROW_WIDTH) > table_height(["a", "b"], rows, column=CHART_WIDTH)
    assert table_height(["a", "b"], rows, small=True) < table_height(["a", "b"], rows)


def test_a_short_chinese_column_stays_on_one_line_in_the_pdf():
    """分布/三角分布 beside a long basis column: WeasyPrint would break Chinese between any two
    characters, so without a floor the short column got one character a line (三/角/分/布)."""
    rows = [["训练负载功率（占额定功率）", "70%", "三角分布", "Newkirk et al. 2025 (arXiv:2506.14551): ~76% of 10.2 kW " * 3]] * 4
    size = 10 * 96 / 72 * 0.88
    widths = table_columns(["参数", "中心值", "分布", "依据"], rows, column=600, font=10 * 96 / 72, break_words=False)
    assert widths[2] >= text_width("三角分布", size) + size + 1
    assert abs(sum(widths) - 600) < 1e-6
    # the long columns share the rest: the basis, the longest, gets the most
    assert widths[3] == max(widths) and widths[0] > widths[2]


def test_when_the_longest_names_do_not_fit_the_short_columns_keep_their_width():
    """Appendix B: four columns of long table names do not fit side by side even unbroken; the short
    columns (结果, 合成) keep their width, the long ones share the rest (the PDF lets those names break)."""
    name = "index_city_method_only_rank_probabilities"
    rows = [[name, "结果", name + ", " + name, "合成", name]] * 3
    size = 10 * 96 / 72 * 0.88
    widths = table_columns(["表", "类型", "输入", "数据性质", "说明"], rows, column=600, font=10 * 96 / 72,
                           break_words=False)
    assert abs(sum(widths) - 600) < 1e-6
    assert widths[1] >= text_width("结果", size) + size + 1 and widths[3] >= text_width("数据性质", size) + size + 1
    assert widths[0] == pytest.approx(widths[2], rel=0.02) and widths[0] == widths[4]  # the same longest run each


def test_a_pdf_header_keeps_its_words_whole_in_bold():
    """The header row is bold and WeasyPrint emboldens the one face it has (each glyph about 1/24 em
    wider): a column sized to the regular width of "Published" put its last letter on a second line."""
    rows = [["某某智算中心的名称" * 12, "1,037.3", "MIIT"]] * 3
    size = 10 * 96 / 72 * 0.88
    widths = table_columns(["名称", "Published", "Source"], rows, column=400, font=10 * 96 / 72,
                           numeric=[False, True, False], break_words=False)
    assert widths[1] - (size + 1) >= text_width("Published", size) + 9 * size / 24 - 1e-6
    assert widths[2] - (size + 1) >= text_width("Source", size) + 6 * size / 24 - 1e-6


def test_a_long_header_over_numbers_wraps_and_leaves_room_for_the_names():
    """A number column keeps its numbers on one line, not its header: "Intelligent compute added,
    growth a year" over percentages took a third of the PDF's table and broke the scenario names
    beside it mid-word ("Scena|rio", "Baseli|ne")."""
    cols = ["Scenario", "Intelligent compute added, growth a year", "General compute, growth a year", "Imports"]
    rows = [["Baseline", "35%", "10%", "open"], ["Imports restricted", "35%", "10%", "restricted (China-market parts)"]]
    font = 10 * 96 / 72
    size = font * 0.88
    widths = table_columns(cols, rows, column=300, font=font, numeric=[False, True, True, False], break_words=False)
    assert widths[0] >= text_width("Scenario", size) + 8 * size / 24
    assert widths[1] < text_width(cols[1], size)  # the header wraps
    assert widths[1] >= text_width("Intelligent", size) + 11 * size / 24  # ...between its words


def test_a_cell_of_names_one_a_line_is_as_wide_as_its_longest_name():
    """A cell the report writes as HTML with ``<br>`` between names (appendix B lists the tables that
    share a row so) is as wide as its longest name (written as one run of text, the list took most of
    the table and squeezed the description beside it) and as tall as its lines (it was counted as
    one line: the page reserved too little height for the table)."""
    from markupsafe import Markup

    names = [f"capacity_by_{w}" for w in ("accelerator_model", "province_vendor", "city", "industry", "origin")]
    cell = Markup(",<br>").join(names)
    desc = "年末的装机存量，固定服役期6年；智能算力为FP16等效稠密峰值" * 3
    widths = table_columns(["表", "说明"], [[cell, desc]], break_words=False)
    longest = max(text_width(n + ",", 15 * 0.88) for n in names)
    assert widths[0] < 2 * longest < widths[1]
    one = table_height(["表"], [[names[0]]])
    assert table_height(["表"], [[cell]]) - one >= 4 * 20  # five lines, not one


def test_ten_english_columns_keep_their_words_whole_when_they_can():
    """Nine columns of English (the centres table of the English report): their longest words fit side
    by side, but not with the 7.5 em every long column gets for Chinese; the PDF then gives a column
    without Chinese its longest word, a short column's header may wrap between words, and no word
    breaks. Shared in proportion to the longest runs, every column fell below its longest word
    (Langfan|g, Operato|r, construc|tion)."""
    cols = ["Centre", "Place", "Operator", "Announced (PFLOPS)", "Figure covers", "Precision", "Status",
            "Year of figure", "Source kind"]
    from suanli.capacity.anchors import centres
    from suanli.regions import PROVINCES, city_en

    top = centres().dropna(subset=["announced_pflops"]).sort_values("announced_pflops", ascending=False).head(30)
    rows = [[r.name_en, f"{city_en(r.city)}, {PROVINCES[r.province][1]}", r.operator_en,
             f"{r.announced_pflops:,.0f}", r.capacity_kind, "—" if r.precision == "unspecified" else r.precision,
             r.status.replace("_", " "), str(r.year), r.source_kind] for r in top.itertuples()]
    numeric = [False, False, False, True, False, False, False, True, False]
    font = 10 * 96 / 72
    size, _, _, side = _table_metrics(True, font)
    widths = table_columns(cols, rows, small=True, numeric=numeric, column=672.8, font=font, break_words=False)
    assert abs(sum(widths) - 672.8) < 1e-6
    for j, c in enumerate(cols):
        longest = max(text_width(w, size) for r in rows for w in unbreakable_runs(str(r[j])))
        assert widths[j] - side >= longest - 1e-6, (c, widths[j] - side, longest)


def test_names_break_after_underscores_only_where_they_must():
    """The provenance tables mark a break opportunity after every underscore of a table name
    (``<wbr>``): a name wider than its column breaks there, not between any two letters. The PDF's
    column widths are those of the whole names, so a name that fits stays on one line."""
    from markupsafe import Markup

    from suanli.report.sections.appendix import breakable, names_cell

    assert str(breakable("index_city_results")) == "index_<wbr>city_<wbr>results"
    assert str(breakable("<b>_x")) == "&lt;b&gt;_<wbr>x"  # text is escaped first
    span = Markup('<span lang="en" class="un_translated">market_reconciliation</span>')
    assert str(breakable(span)) == '<span lang="en" class="un_translated">market_<wbr>reconciliation</span>'
    names = ["index_city_method_only_uncertainty_inputs", "capacity_national"]
    cell = names_cell(names)
    assert str(cell).count("<wbr>") == 6 and str(cell).count("<br>") == 1
    assert re.sub(r"<[^>]+>", "", str(cell)) == ",".join(names)
    rows = [[cell, "年末的装机存量，固定服役期6年" * 6, "synthetic"]]
    plain = [[Markup(",<br>").join(names), *rows[0][1:]]]
    for small in (False, True):
        assert table_columns(["表", "说明", "数据"], rows, small, break_words=False) == \
            table_columns(["表", "说明", "数据"], plain, small, break_words=False)
    assert unbreakable_runs(str(cell))[0] == "index_city_method_only_uncertainty_inputs,"
