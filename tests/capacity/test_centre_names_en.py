"""English names of the intelligent-computing centres (``name_en``, ``operator_en``: renderings by
the suanli maintainers, not from the sources): every bundled row has them, they are optional in a
user's file, and the English report tables print them (the Chinese where a cell is empty)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from suanli.capacity import anchors
from suanli.capacity.anchors import centre_text
from suanli.opendata.derive import read_centres
from suanli.report.claims import Claims
from suanli.report.content import Section
from suanli.report.data import ReportData
from suanli.report.opendata import _compute
from suanli.report.sections import Context
from suanli.report.sections import capacity_anchors as chapter
from suanli.store import Store

ROOT = Path(__file__).resolve().parents[2]
CENTRES = ROOT / "src/suanli/data/capacity/intelligent_computing_centres.csv"
OPEN_COPY = ROOT / "src/suanli/data/editions/open-2025/data/intelligent_computing_centres.csv"
#: CJK ideographs, CJK punctuation (、，（）) and full-width forms
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_bundled_centre_has_an_english_name_and_operator():
    rows = _rows(CENTRES)
    assert len(rows) == 155
    for r in rows:
        assert r["name_en"].strip(), r["id"]
        assert bool(r["operator_en"].strip()) == bool(r["operator"].strip()), r["id"]
        assert not CJK.search(r["name_en"] + r["operator_en"]), r["id"]
    # a few standard names (place names in pinyin, the operators' own English names)
    by_id = {r["id"]: r for r in rows}
    assert by_id["icc011"]["operator_en"] == "China Mobile"
    assert by_id["icc036"]["operator_en"] == "Peng Cheng Laboratory"
    assert "Horinger" in by_id["icc062"]["name_en"] and by_id["icc062"]["operator_en"] == "Volcano Engine"
    # the open edition's copy stays byte-identical
    assert OPEN_COPY.read_bytes() == CENTRES.read_bytes()
    # and both readers carry the columns
    assert {"name_en", "operator_en"} <= set(anchors.centres().columns)
    assert {"name_en", "operator_en"} <= set(read_centres(OPEN_COPY).columns)


def test_a_users_file_without_the_english_columns_still_loads(tmp_path):
    rows = _rows(CENTRES)
    cols = [c for c in rows[0] if c not in ("name_en", "operator_en")]
    path = tmp_path / "intelligent_computing_centres.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, cols, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    c = anchors.centres(path)
    assert len(c) == len(rows) and (c["name_en"] == "").all() and (c["operator_en"] == "").all()
    assert c.set_index("name").loc["中国移动智算中心(呼和浩特)", "announced_pflops"] == 6700
    o = read_centres(path)  # the open edition's reader: the columns were never required there
    assert len(o) == len(rows) and "name_en" not in o.columns


def test_centre_text_falls_back_to_the_chinese():
    df = pd.DataFrame({"name": ["甲智算中心", "乙智算中心", "丙智算中心"], "operator": ["中国移动", "", None],
                       "name_en": ["A Intelligent Computing Centre", "", None],
                       "operator_en": ["China Mobile", "", None]})
    rows = list(df.itertuples())
    assert [centre_text(r, "name", "en") for r in rows] == ["A Intelligent Computing Centre", "乙智算中心", "丙智算中心"]
    assert [centre_text(r, "operator", "en") for r in rows] == ["China Mobile", "", ""]
    assert [centre_text(r, "name", "zh") for r in rows] == ["甲智算中心", "乙智算中心", "丙智算中心"]
    assert [centre_text(r, "operator", "zh") for r in rows] == ["中国移动", "", ""]
    old = list(df[["name", "operator"]].itertuples())  # a table stored before the columns existed
    assert centre_text(old[0], "name", "en") == "甲智算中心" and centre_text(old[0], "operator", "en") == "中国移动"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A store with only the centres tables, as the capacity and opendata stages write them."""
    st = Store(tmp_path_factory.mktemp("centres-store"), write_csv_tables=False)
    st.write_table("capacity_centres", anchors.centres(), stage="capacity",
                   method="sourced reference data (data/capacity)")
    cen = read_centres(OPEN_COPY).drop(columns=["_line"]).assign(value_class="stated")
    st.write_table("intelligent_computing_centres", cen, stage="opendata", method="read")
    yield st
    st.close()


def _capacity_table(store: Store, lang: str):
    rd = ReportData(store, lang)
    sec = Section(chapter.ID, chapter.TITLE[0 if lang == "zh" else 1])
    ctx = Context(rd, Claims(rd.df, rd.lang), None, {chapter.ID: sec}, [])
    chapter._anchors(ctx, sec, {k: v[0 if lang == "zh" else 1] for k, v in chapter.TX.items()})
    (table,) = sec.tables
    return table


def _open_table(store: Store, lang: str):
    sec = Section("compute", "")
    _compute(ReportData(store, lang), sec)
    (table,) = sec.tables
    return table


@pytest.mark.parametrize("build", [_capacity_table, _open_table], ids=["table1", "open_edition"])
def test_english_centre_tables_print_english_names_and_operators(store, build):
    en = build(store, "en")
    name, operator = 0, en.columns.index("Operator")
    assert en.columns[name] in ("Centre", "Name")
    places = [j for j, c in enumerate(en.columns) if c in ("Place", "Province", "City")]
    assert places
    assert len(en.rows) >= 30
    for row in en.rows:
        assert row[name] and not CJK.search(str(row[name])), row
        assert not CJK.search(str(row[operator])), row
        assert not CJK.search("".join(str(row[j]) for j in places)), row  # province and city in English too
    stored = set(store.read_table("capacity_centres")["name_en"])
    assert {row[name] for row in en.rows} <= stored
    # the Chinese report is unchanged: names and operators as stored
    zh = build(store, "zh")
    operator = zh.columns.index("运营方")
    cen = store.read_table("capacity_centres")
    assert {row[name] for row in zh.rows} <= set(cen["name"])
    assert {row[operator] for row in zh.rows} <= set(cen["operator"])
    assert any(CJK.search(str(row[name])) for row in zh.rows)


def test_a_centre_place_is_one_cell_in_either_language():
    """Table 1 prints province and city in one cell (one column less for the English table)."""
    from types import SimpleNamespace

    from suanli.regions import PROVINCES, city_en
    from suanli.report.sections.capacity_anchors import place

    zh = SimpleNamespace(lang="zh", province=lambda p: p, city=lambda c: c)
    en = SimpleNamespace(lang="en", province=lambda p: PROVINCES[p][1], city=city_en)
    assert place(zh, "河北", "廊坊") == "河北廊坊" and place(en, "河北", "廊坊") == "Langfang, Hebei"
    assert place(zh, "北京", "北京") == "北京" and place(en, "北京", "北京") == "Beijing"
    assert place(en, "内蒙古", "") == "Inner Mongolia"
