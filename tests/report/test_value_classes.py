"""Value classes and totals in the default build: every table, the stated totals, honest forecasts."""

from __future__ import annotations

import pandas as pd
import pytest

from suanli.store.value_class import VALUE_CLASSES


def test_every_table_carries_the_four_words(report_out):
    csvs = sorted((report_out / "tables").glob("*.csv"))
    assert len(csvs) > 40
    for p in csvs:
        df = pd.read_csv(p)
        assert "value_class" in df.columns, p.name
        assert df["value_class"].notna().all() and set(df["value_class"]) <= set(VALUE_CLASSES), p.name
        for old in ("data_status", "synthetic"):
            assert old not in df.columns, f"{p.name} still has {old}"


def test_stated_totals_and_segments_add_up(report_out):
    s = pd.read_csv(report_out / "tables" / "market_series.csv")
    def val(sid, y):
        r = s[(s.series == sid) & (s.year == y)]
        assert len(r) == 1, (sid, y)
        return r.iloc[0]
    tot = val("ai_server_market:global:total", 2024)
    assert tot.scaled_value == 1251 and tot.value_class == "stated"
    for y, v in ((2024, 50), (2025, 79.5)):
        t = val("ai_compute_services:china:total", y)
        assert t.scaled_value == v and t.value_class == "stated"
    # every year with a total and segments: segments (with any unallocated gap) sum to the total
    for metric, segs in (("ai_server_market:global", ("genai", "non_genai")),
                         ("ai_compute_services:china", ("integration", "genai_iaas", "non_genai_iaas"))):
        for y in range(2020, 2029):
            total = val(f"{metric}:total", y).value
            parts = s[(s.year == y) & s.series.isin([f"{metric}:{x}" for x in (*segs, "unallocated")])]
            assert parts.value.sum() == pytest.approx(total, rel=1e-9), (metric, y)


def test_forecast_intervals_are_honest(report_out):
    f = pd.read_csv(report_out / "tables" / "market_forecasts.csv")
    model = f[~f["override"].astype(bool)]
    assert len(model) and ((model.lo < model["mean"]) & (model["mean"] < model.hi)).all()
    bt = pd.read_csv(report_out / "tables" / "market_backtests.csv")
    scored = bt[bt.n_origins > 0]
    assert scored.coverage.between(0, 1).all() and len(scored)
    assert (bt.series == "(all series)").any()
    # backtests score stated points only: no series has more origins than stated points minus one
    per = bt[bt.series != "(all series)"]
    assert (per.n_origins <= (per.n_stated - 1).clip(lower=0)).all()


def test_finding_class_propagates_through_claims():
    from markupsafe import Markup

    from suanli.report.claims import GROWTH, Claims, V, sentence
    from suanli.report.findings import badge, finding_class, sourced

    tabs = {"m": pd.DataFrame({"k": ["a", "b", "c"], "v": [1.0, 2.0, 3.0],
                               "value_class": ["stated", "derived", "synthetic"]}),
            "n": pd.DataFrame({"k": ["x"], "v": [5.0], "value_class": ["modelled"]})}
    cl = Claims(lambda t: tabs[t], "en")
    stated = sentence("{a}", a=cl.number("a", V("m", "v", k="a")))
    assert finding_class(stated, tabs.__getitem__) == "stated"
    # arithmetic on stated values is derived; any synthetic or modelled input wins
    grow = sentence("{g}", g=cl.pct("g", GROWTH(V("m", "v", k="a"), V("m", "v", k="a"))))
    assert finding_class(grow, tabs.__getitem__) == "derived"
    mixed = sentence("{a} {b}", a=cl.number("a2", V("m", "v", k="a")), b=cl.number("b2", V("n", "v", k="x")))
    assert finding_class(mixed, tabs.__getitem__) == "modelled"
    syn = sentence("{a}", a=cl.pct("s", GROWTH(V("m", "v", k="c"), V("n", "v", k="x"))))
    assert finding_class(syn, tabs.__getitem__) == "synthetic"
    # a sentence of names only carries its source table's class
    assert finding_class(sourced(Markup("top: a, b"), "m"), tabs.__getitem__) == "synthetic"
    assert finding_class(Markup("no numbers"), tabs.__getitem__) is None
    assert 'data-value-class="synthetic"' in badge(syn, "synthetic", "zh") and "合成数据" in badge(syn, "synthetic", "zh")


def test_default_rank_uncertainty_varies_the_data(report_out):
    ri = pd.read_csv(report_out / "tables" / "index_city_rank_intervals.csv")
    top = ri[ri.node_id == "index"].sort_values("nominal_rank").head(10)
    assert (top.q95 > top.q05).any(), "every top-10 rank interval has zero width"
    inputs = pd.read_csv(report_out / "tables" / "index_city_uncertainty_inputs.csv")
    assert {"measurement noise", "imputation", "exclude one indicator"} <= set(inputs["input"])
    # the method-only run stays available as a named variant
    mo = pd.read_csv(report_out / "tables" / "index_city_method_only_uncertainty_inputs.csv")
    assert "measurement noise" not in set(mo["input"])
