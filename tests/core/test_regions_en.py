"""English names of cities: one catalogue (``suanli.regions.city_en``) for the report, workbook and
dashboard, and no city of the default build left in Chinese in English output."""

from __future__ import annotations

import duckdb
import pytest

from suanli.regions import city_en


@pytest.mark.parametrize(("zh", "en"), [("北京", "Beijing"), ("深圳", "Shenzhen"), ("西安", "Xi'an"),
                                        ("克拉玛依", "Karamay"), ("上海(青浦)", "Shanghai (Qingpu)"),
                                        ("上海（青浦）", "Shanghai (Qingpu)")])
def test_city_en(zh, en):
    assert city_en(zh) == en


def test_an_unknown_city_keeps_its_name():
    assert city_en("不存在市") == "不存在市"


def test_every_city_of_the_default_build_has_an_english_name(default_build):
    """Every value of every ``city`` column the default build stores (centres, hubs, shipments,
    capacity by city) has an English name: the English report's tables printed 白城, 德令哈, 宜昌…
    for the 31 centre cities the old name lists lacked."""
    con = duckdb.connect(str(default_build / "suanli.duckdb"), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.columns where column_name = 'city'").fetchall()]
        assert tables
        missing = {}
        for t in tables:
            for (c,) in con.execute(f'select distinct city from "{t}" where city is not null').fetchall():
                if not str(c).isascii() and city_en(str(c)) == str(c):
                    missing.setdefault(t, []).append(c)
    finally:
        con.close()
    assert not missing, f"cities without an English name (add them to data/regions/cities_en.csv): {missing}"


def test_every_industry_of_the_default_build_has_an_english_name(default_build):
    """Every industry the default build ranks has an English name: the English report's industry
    charts labelled two of the fourteen 传媒 and 农业."""
    from suanli.report.data import INDUSTRY_EN

    con = duckdb.connect(str(default_build / "suanli.duckdb"), read_only=True)
    try:
        names = [r[0] for r in con.execute("select distinct unit_name from index_industry_results").fetchall()]
    finally:
        con.close()
    assert len(names) >= 14
    assert not [n for n in names if n not in INDUSTRY_EN], "industries without an English name (report/data.py)"
