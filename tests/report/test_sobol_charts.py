"""Every Sobol chart of the report speaks one language: the same two series, in the same order (so
the same colours), named as the workbook names its columns, inputs largest total-order index first,
each index with its interval, and a note saying what the whiskers are."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

SOBOL_FIGURES = ("energy_sobol", "uncertainty_city_sobol", "uncertainty_industry_sobol")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sobol_charts_share_series_order_intervals_and_note(default_build, lang):
    from suanli.report.data import ReportData
    from suanli.report.i18n import column_header
    from suanli.report.sections import modules
    from suanli.store import Store

    rd = ReportData(Store.open_read_only(default_build), lang)
    specs = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for m in modules():
            for f in m.FIGURES.build(rd)[0]:
                if f.id in SOBOL_FIGURES:
                    specs[f.id] = f
    assert set(specs) == set(SOBOL_FIGURES)
    s1, st = (column_header(c, lang)[0] for c in ("S1", "ST"))
    want = [f"{s1} S1", f"{st} ST"] if lang == "zh" else [s1, st]
    notes = {f.note for f in specs.values()}
    assert len(notes) == 1 and notes.pop()
    for fid, f in specs.items():
        d = f.data
        assert list(dict.fromkeys(d["series"])) == want, fid
        assert d[["lo", "hi"]].notna().all().all(), fid
        assert (d["lo"] <= d["value"] + 1e-12).all() and (d["value"] <= d["hi"] + 1e-12).all(), fid
        total = d[d["series"] == want[1]]["value"].to_numpy()
        assert np.all(np.diff(total) <= 1e-12), f"{fid}: inputs not ordered by total-order index: {total}"
        # the first-order rows list the inputs in the same order
        assert list(d[d["series"] == want[0]]["y"]) == list(d[d["series"] == want[1]]["y"]), fid
