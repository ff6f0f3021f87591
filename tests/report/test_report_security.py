"""Data strings are escaped in HTML and stay text in Excel (no script, no formula)."""

from __future__ import annotations

import os
import zipfile

import pandas as pd
import pytest

from suanli.edition import load_edition
from suanli.report.render import write_report
from suanli.store import Store

EVIL = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="module")
def evil_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("evil")
    st = Store(out)
    rows = []
    for y, prev in ((2024, None), (2025, 1.0)):
        for i, (uid, name) in enumerate([("evil", EVIL), ("beijing", "北京"), ("f", FORMULA)], start=1):
            rows.append(dict(year=y, unit_id=uid, unit_name=name, node_id="index", node_name="综合", level=2,
                             score=100.0 - 10 * i, rank=float(i), prev_rank=prev if y == 2025 else None,
                             rank_change=0.0, change="same", data_status="synthetic"))
            rows.append(dict(year=y, unit_id=uid, unit_name=name, node_id="dim", node_name=EVIL, level=1,
                             score=100.0 - 10 * i, rank=float(i), prev_rank=None, rank_change=None, change=None,
                             data_status="synthetic"))
    st.write_table("index_city_results", pd.DataFrame(rows).rename(columns={"data_status": "value_class"}),
                   stage="index", method="test", synthetic=True, description=EVIL)
    st.write_table("capacity_by_city", pd.DataFrame({
        "year": [2025, 2025, 2025], "city": [EVIL, "北京", FORMULA], "intelligent_eflops": [1.0, 2.0, 3.0],
        "accelerators_added": [1.0, 2.0, 3.0], "value_class": ["synthetic"] * 3}),
        stage="capacity", method=FORMULA, synthetic=True)
    try:
        write_report(st, load_edition(), out, ["zh"], cache_dir=False, formats=("html", "xlsx"))
    finally:
        st.close()
    return out


def test_html_escapes_data_strings(evil_out):
    html = (evil_out / "report.html").read_text(encoding="utf-8")
    assert EVIL not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # inside chart JSON the text is escaped twice over: for plotly's HTML-like labels and for <script>
    assert "alert(1)\\u0026lt;" in html or "\\u0026lt;/script\\u0026gt;" in html


@pytest.mark.skipif(not os.path.exists("/usr/bin/chromium") and not os.environ.get("CI"), reason="needs Debian chromium")
def test_no_script_runs_in_browser(evil_out):
    from test_report_browser import open_page

    ev = open_page(evil_out / "report.html")
    assert ev["dialogs"] == []
    assert ev["errors"] == []


def test_excel_keeps_strings_as_text(evil_out):
    from openpyxl import load_workbook

    wb = load_workbook(evil_out / "tables.xlsx")
    seen = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value in (EVIL, FORMULA):
                    seen.setdefault(c.value, []).append(c.data_type)
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
    assert set(seen) == {EVIL, FORMULA}
    assert all(t == "s" for ts in seen.values() for t in ts)
    with zipfile.ZipFile(evil_out / "tables.xlsx") as z:
        for n in z.namelist():
            if n.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(n).decode("utf-8"), n
