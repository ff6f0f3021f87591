"""The table heights the report page gives the browser for tables it skips off screen
(``render.table_height``; checked against chromium's layout in test_report_charts.py)."""

from __future__ import annotations

from suanli.report.margins import CHART_WIDTH, NARROW_WIDTH
from suanli.report.render import table_height


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
    """Squeezed in proportion like a text column, the number would break over lines; a number column
    (``white-space: nowrap`` on the page) keeps its width and the text column wraps instead."""
    text = "说明" * 100
    with_numbers = table_height(["说明", "n"], [[text, "1234567.89"]], numeric=[False, True])
    as_text = table_height(["说明", "n"], [[text, "1234567.89"]], numeric=[False, False])
    assert with_numbers < as_text


def test_a_phone_column_is_taller_and_small_type_is_shorter():
    rows = [["城市排名与得分的详细说明" * 3, "12.3"]] * 5
    assert table_height(["a", "b"], rows, column=NARROW_WIDTH) > table_height(["a", "b"], rows, column=CHART_WIDTH)
    assert table_height(["a", "b"], rows, small=True) < table_height(["a", "b"], rows)
