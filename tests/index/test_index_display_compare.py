"""Short reprs of index objects and the comparison of two builds (COINr's compare_coins)."""

from __future__ import annotations

import numpy as np
import pytest

from suanli.errors import ConfigError
from suanli.index import PipelineSpec, build, compare
from suanli.index.assess import run_assessment
from suanli.index.comparison import summary


def test_reprs_are_short_and_say_what_the_object_is(asem):
    fw, panel = asem
    r = build(PipelineSpec.parse(fw.method) if fw.method else None, panel.latest())
    for obj in (fw, panel, panel.latest(), r, run_assessment(panel, r.spec)):
        text = repr(obj)
        assert len(text) < 2000, (type(obj).__name__, len(text))
        assert type(obj).__name__ in text
        html = obj._repr_html_()
        assert len(html) < 20000 and html.startswith("<")
    assert "51 units" in repr(r) and "top 5" in repr(r)
    assert r.order()[0] in repr(r) or r.unit_names[list(r.unit_ids).index(r.order()[0])] in repr(r)


def test_repr_html_escapes_unit_names(ds):
    ds.unit_names = np.array(["<script>alert(1)</script>", "b", "c", "d", "e"], dtype=object)
    r = build(None, ds)
    assert "<script>" not in r._repr_html_() and "&lt;script&gt;" in r._repr_html_()


def test_compare_two_methods(asem):
    fw, panel = asem
    a = build(None, panel.latest())
    spec_b = a.spec.replace("normalise", method="zscore", params={}, per_indicator={})
    b = build(spec_b, panel.latest())
    t = compare(a, b, labels=("minmax", "zscore"))
    assert len(t) == len(a.unit_ids) and t["in_both"].all()
    row = t.set_index("unit_id")
    ra, rb = a.rank(), b.rank()
    for u in a.unit_ids:
        assert row.loc[u, "rank_change"] == rb[u] - ra[u]
        assert row.loc[u, "score_change"] == pytest.approx(b.score()[u] - a.score()[u])
    assert list(t["abs_rank_change"]) == sorted(t["abs_rank_change"], reverse=True)
    s = summary(t)
    assert s["units"] == 51 and 0 < s["changed"] <= 51 and 0.5 < s["spearman"] <= 1
    same = summary(compare(a, a))
    assert same["changed"] == 0 and same["spearman"] == pytest.approx(1.0)


def test_compare_units_in_one_result_only_and_bad_node(ds):
    a = build(None, ds)
    b = build(None, ds.subset(np.array([True, True, True, True, False])))
    t = compare(a, b)
    assert (~t["in_both"]).sum() == 1 and t.iloc[-1]["unit_id"] == "u5"
    assert np.isnan(t.iloc[-1]["rank_b"])
    with pytest.raises(ConfigError, match="no node"):
        compare(a, b, "nosuch")
    g1 = compare(a, b, "g1")
    assert {"score_a", "rank_b"} <= set(g1.columns)
