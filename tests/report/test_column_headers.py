"""Column headers in both languages for columns without an entry of their own (the workbook's
second header row, the English report's tables, the dashboard's tables)."""

from __future__ import annotations

import pytest

from suanli.report.i18n import column_header, en_words


@pytest.mark.parametrize(("col", "en"), [
    ("rated_it_mw", "Rated IT MW"),                                   # acronyms as written
    ("it_twh", "IT energy (TWh)"),                                    # the unit's word gives way to its quantity
    ("published_twh", "Published energy (TWh)"),
    ("inference_eflops_hi", "Inference compute, upper (EFLOPS)"),     # an interval bound of a named column
    ("kgco2_per_kwh", "kg CO2 per kWh"),                              # a unit first keeps its case
    ("ai_challenges.talent", "AI challenges: talent"),                # a nested key
    ("cost_usd", "Cost (USD)"),
    ("w_per_tflops", "W per TFLOPS"),                                 # a rate: no unit in brackets
])
def test_english_headers_read_as_words(col, en):
    assert column_header(col, "en")[0] == en


def test_chinese_headers_are_unchanged_and_units_follow_the_name():
    assert column_header("it_twh", "zh")[0] == "IT能耗（TWh）"
    assert column_header("inference_eflops_hi", "zh")[0] == "推理算力需求上限（EFLOPS）"


def test_a_name_without_words_stays_itself():
    assert en_words("") == ""
    assert en_words("x") == "X"
