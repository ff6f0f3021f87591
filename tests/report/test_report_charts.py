"""Every interactive chart of report.html works in chromium: zh and en, desktop (1280 px) and phone (390 px).

For every plotly figure (see ``chart_checks.CHECK_JS``): category axes span at most [-1, n],
every trace has a visible mark inside the plot area, and no two text labels overlap.

The checks catch the faults of the report as it was before this test existed. Run on that report
(``python tests/report/chart_checks.py report.html 1280``, zh, 1280 px) they found 13 of 52 figures
with problems: 12 category axes far outside [-1, n] (the forecast shading passed ``x0="2025"`` on a
category axis, so the x range became about -119...2077 and the bars were squashed into one slot,
e.g. ``market_cn_compute``: range [-118.5, 2077.0] for 9 categories; the rank-interval axis was
padded to [-1.3, 20.3]), 3 overlapping label pairs ("2023" over "0" where the squashed axis piled
the ticks) and 7 traces of the outline map with no mark inside the plot area.
"""

from __future__ import annotations

import os

import pytest
from chart_checks import CHROMIUM, check_page

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
                                 reason="needs Debian chromium (scripts/system-deps.txt)")]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("fname", ["report.html", "report.en.html"])
def test_every_chart_has_sane_axes_visible_marks_and_no_overlapping_labels(report_out, fname, width):
    res = check_page(report_out / fname, width)
    assert res["errors"] == []
    assert res["charts"] >= 25 and res["drawn"] == res["charts"]
    assert res["problems"] == [], res["problems"][:5]
