"""The capacity-anchors page renders hostile strings as text and tolerates a build without tables."""

from __future__ import annotations

import math

import pandas as pd

from suanli.capacity.dashboard import anchors_page

XSS = "<script>alert(1)</script>"


def _tables() -> dict[str, pd.DataFrame]:
    cen = pd.DataFrame([{"name": XSS, "province": "甘肃", "city": "庆阳", "operator": "o'p\"", "announced_pflops": 5.0,
                         "precision": "", "capacity_kind": "in operation", "year": 2025, "status": "operating",
                         "source_title": "t", "source_url": "javascript:alert(1)", "source_date": "2025",
                         "quote": "q", "source_kind": "press", "value_class": "stated"},
                        {"name": "B", "province": "甘肃", "city": "", "operator": "", "announced_pflops": math.nan,
                         "precision": "", "capacity_kind": "", "year": None, "status": "planned",
                         "source_title": "src", "source_url": "https://example.org/a?b=1&c=2", "source_date": "",
                         "quote": "", "source_kind": "press", "value_class": "stated"}])
    chk = pd.DataFrame([{"province": "甘肃", "year": 2025, "synthetic_intelligent_pflops": 1.0,
                         "announced_operating_pflops": 5.0, "announced_all_pflops": 5.0, "centres_with_figure": 1,
                         "below_operating": True, "ratio_synthetic_to_operating": 0.2,
                         "province_intelligent_pflops": math.nan, "below_province_stat": False,
                         "value_class": "synthetic"}])
    return {"capacity_centres": cen, "capacity_province_check": chk}


def test_hostile_strings_are_text_and_only_http_links():
    t = _tables()
    html = anchors_page(t.get, title=XSS, synthetic=True, lang="en")
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in html
    assert "href='https://example.org/a?b=1&amp;c=2'" in html
    assert "⚠ Gansu" in html and "SYNTHETIC" in html
    zh = anchors_page(t.get, title=XSS, synthetic=True, lang="zh")
    assert XSS not in zh and "javascript:" not in zh
    assert "<html lang='zh-CN'>" in zh and "⚠ 甘肃" in zh and "合成数据" in zh and "SYNTHETIC" not in zh


def test_missing_tables_leave_notes_not_errors():
    html = anchors_page(lambda name: None, title="t", synthetic=False, lang="en")
    assert "No <code>capacity_national</code>" in html
    assert "No <code>capacity_scenarios</code>" in html
    assert "No <code>capacity_definitions</code>" in html
