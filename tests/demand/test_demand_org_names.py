"""The training-run catalogue's organisations (stored in English) in Chinese on the Chinese report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from suanli.demand.catalogue import read_runs
from suanli.edition import default_edition_dir, load_edition
from suanli.report.claims import Claims
from suanli.report.content import Section
from suanli.report.data import ReportData
from suanli.report.sections import demand as chapter
from suanli.report.sections.demand import ORG_ZH, organisation
from suanli.store import Store

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
#: organisations whose Chinese name is their English one (brands used as is in Chinese text)
KEPT = {"OpenAI", "Meta"}


def _catalogue_organisations() -> set[str]:
    ed = load_edition(default_edition_dir())
    runs = read_runs(ed.input_path(ed.demand.runs))
    return set(runs.loc[runs["field"] == "organisation", "value"].astype(str))


def test_every_catalogue_organisation_has_a_chinese_name():
    orgs = _catalogue_organisations()
    assert {"DeepSeek", "Alibaba", "Moonshot AI", "IEIT Systems (Inspur)"} <= orgs
    missing = sorted(orgs - set(ORG_ZH))
    assert not missing, f"add these to ORG_ZH in suanli/report/sections/demand.py: {missing}"
    for o in orgs:
        assert ORG_ZH[o] == o if o in KEPT else CJK.search(ORG_ZH[o]), o
    assert organisation("Tsinghua University / Zhipu AI", "zh") == "清华大学 / 智谱AI"
    assert organisation("IEIT Systems (Inspur)", "zh") == "浪潮信息"
    # the English report prints the stored name; an unknown name passes through unchanged
    assert organisation("IEIT Systems (Inspur)", "en") == "IEIT Systems (Inspur)"
    assert organisation("Some New Lab", "zh") == "Some New Lab"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_run_table_names_organisations_in_the_reports_language(demand_out: Path, lang):
    store = Store.open_read_only(demand_out)
    try:
        rd = ReportData(store, lang)
        sec = Section(chapter.ID, chapter.TITLE[0])
        chapter.demand_hook(rd, Claims(rd.df, rd.lang), {chapter.ID: sec}, [])
        table = next(t for t in sec.tables if t.columns[1] in ("机构", "Developer"))
        shown = {row[1] for row in table.rows}
        stored = set(store.read_table("demand_runs")["organisation"].astype(str))
    finally:
        store.close()
    if lang == "zh":
        assert shown == {ORG_ZH.get(o, o) for o in stored}
        assert {"深度求索", "阿里巴巴", "月之暗面", "浪潮信息", "清华大学 / 智谱AI"} <= shown
        assert not shown & {"DeepSeek", "Alibaba", "Moonshot AI", "Google"}
    else:
        assert shown == stored
