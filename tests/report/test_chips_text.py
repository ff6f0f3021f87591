"""Chapter 2.1's words: accelerator models as each language writes them, in the text and the figures."""

from __future__ import annotations

import pytest

from suanli.report.data import ReportData


@pytest.mark.parametrize("name,zh,en", [
    ("Ascend 910C", "昇腾910C", "Ascend 910C"),
    ("Ascend 910B (910B2)", "昇腾910B (910B2)", "Ascend 910B (910B2)"),
    ("Kunlunxin RG800", "昆仑芯RG800", "Kunlunxin RG800"),
    ("H20", "H20", "H20"),                      # no family word: as the catalogue names it
    ("Ascend", "Ascend", "Ascend"),             # a family word alone is not a model
])
def test_model_names_in_each_language(name, zh, en):
    assert ReportData(None, "zh").accel_model(name) == zh
    assert ReportData(None, "en").accel_model(name) == en
