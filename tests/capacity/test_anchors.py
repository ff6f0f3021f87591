"""Sourced public anchors: intelligent-computing centres, 东数西算 hubs, the definitions bridge."""

import pandas as pd
import pytest

from suanli.capacity import anchors
from suanli.regions import canonical_province


def test_centres_are_sourced_and_located():
    c = anchors.centres()
    assert len(c) >= 30
    has_url = c["source_url"].str.startswith("http")
    assert has_url.mean() > 0.9 and (c.loc[~has_url, "source_title"].str.len() > 10).all()
    assert (c["quote"].str.len() > 5).all() and (c["source_date"] != "").all()
    assert set(c["source_kind"]) <= anchors.SOURCE_KINDS
    # every province is a real one (canonical spelling)
    assert all(canonical_province(p) == p for p in c["province"])
    assert c["province"].nunique() >= 12
    assert set(c["value_class"]) == {"stated"}
    # a figure that was announced is kept as printed; a missing figure stays missing
    assert c.set_index("name").loc["中国移动智算中心(呼和浩特)", "announced_pflops"] == 6700
    assert c.set_index("name").loc["大连人工智能计算中心", "announced_pflops"] == 100
    not_stated = c["capacity_kind"] == "not stated"
    assert not_stated.any() and c.loc[not_stated, "announced_pflops"].isna().all()
    assert c.loc[~not_stated, "announced_pflops"].notna().all()


def test_hubs_cover_eight_nodes_and_ten_clusters():
    h = anchors.hubs()
    assert h["hub_zh"].nunique() == 8 and h["cluster_zh"].nunique() == 10


def test_definitions_bridge_explains_788_vs_1037():
    d = anchors.definitions()
    assert {"IDC / Inspur", "CAICT"} <= set(d["publisher"]) and d["publisher"].str.startswith("MIIT").any()
    b = anchors.definitions_bridge(d).set_index("step")
    mid = b.loc[b.index.str.startswith("IDC interpolated"), "value"].iloc[0]
    assert mid == pytest.approx((725.3 * 1037.3) ** 0.5)
    share = b.loc["MIIT as a share of IDC at the same time point", "value"]
    assert share == pytest.approx(788 / mid) and 0.85 < share < 0.95
    assert set(b["value_class"]) == {"stated", "derived"}


def test_province_check_flags_synthetic_below_announced():
    by = pd.DataFrame({"year": [2025, 2025, 2024], "province": ["甘肃", "北京", "甘肃"],
                       "intelligent_eflops": [10.0, 200.0, 99.0]})
    cen = pd.DataFrame({"province": ["甘肃", "甘肃", "北京"], "announced_pflops": [50000.0, 30000.0, 1000.0],
                        "status": ["operating", "planned", "operating"],
                        "capacity_kind": ["in operation", "planned total", "in operation"]})
    stats = pd.DataFrame({"province": ["北京"], "value": [300000.0], "compute_kind": ["intelligent"]})
    chk = anchors.province_check(by, cen, 2025, "synthetic", stats).set_index("province")
    assert bool(chk.loc["北京", "below_province_stat"]) and not bool(chk.loc["甘肃", "below_province_stat"])
    assert bool(chk.loc["甘肃", "below_operating"]) and not bool(chk.loc["北京", "below_operating"])
    assert chk.loc["甘肃", "announced_operating_pflops"] == 50000 and chk.loc["甘肃", "announced_all_pflops"] == 80000
    assert chk.loc["甘肃", "synthetic_intelligent_pflops"] == pytest.approx(10000)
    assert set(chk["value_class"]) == {"synthetic"}


def test_province_statistics_are_sourced():
    st = anchors.province_statistics()
    assert len(st) >= 5 and (st["source_url"].str.startswith("http")).all()
    assert st.set_index("province").loc["山西", "value"] == 32000
