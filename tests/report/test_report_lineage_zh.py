"""The lineage (table kinds, methods, descriptions) in the report's language.

The stages record every table's kind, method and description in English; the Chinese report's
Appendix B and the methodology chapter's fallback print them in Chinese through
``suanli.report.lineage_zh``, the English report as recorded. A table a stage adds without Chinese
fails here by name."""

from __future__ import annotations

import html as h
import re
from pathlib import Path

import pandas as pd
import pytest

from suanli.edition import load_edition
from suanli.report import lineage_zh as lz

#: a run of four or more English words (ids such as PASS/WARN or table_names count as one word)
EN_RUN = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:[ ,;:()]+[A-Za-z][A-Za-z'’\-]*){3,}")


def _section(page: str, sid: str) -> str:
    m = re.search(rf'<section id="sec-{sid}".*?</section>', page, flags=re.S)
    assert m, f"no section {sid}"
    return m.group(0)


def _table(section: str, caption: str) -> tuple[list[str], list[list[str]]]:
    """(headers, rows of raw cell HTML) of the table whose caption holds ``caption``."""
    for t in re.findall(r"<table>.*?</table>", section, flags=re.S):
        cap = re.search(r"<caption>(.*?)</caption>", t, flags=re.S)
        if cap and caption in h.unescape(cap.group(1)):
            heads = [h.unescape(x) for x in re.findall(r"<th>(.*?)</th>", t, flags=re.S)]
            rows = [re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S)
                    for r in re.findall(r"<tr>(.*?)</tr>", t.split("<tbody>", 1)[1], flags=re.S)]
            return heads, rows
    raise AssertionError(f"no table captioned {caption!r}")


def _text(cell: str) -> str:
    return h.unescape(re.sub(r"<[^>]+>", "", cell))


def _every_table_once(rows, col: int, provenance) -> None:
    """Every stored table is named in exactly one row of the provenance table (rows may name several)."""
    named = [n for r in rows for n in _text(r[col]).split(",")]
    assert sorted(named) == sorted(provenance["table_name"])


def _stage_paragraphs(section: str, word: str) -> dict[str, str]:
    """Methodology paragraphs '<strong>算力阶段（capacity）。</strong>text' (or '<strong>Capacity stage.</strong> text'),
    raw HTML, by stage id."""
    if word == "阶段。":
        return dict(re.findall(r"<p><strong>\w+阶段（(\w+)）。</strong>(.*?)</p>", section, flags=re.S))
    return {k.lower(): v for k, v in re.findall(rf"<p><strong>(\w+) {word}</strong> (.*?)</p>", section, flags=re.S)}


@pytest.fixture(scope="module")
def provenance(tables) -> pd.DataFrame:
    return tables("provenance")


@pytest.fixture(scope="module")
def en_html(report_out: Path) -> str:
    return (report_out / "report.en.html").read_text(encoding="utf-8")


# -- the module on its own ------------------------------------------------------------------------

def test_capacity_basis_lines_of_every_setting():
    base = ("; intelligent = FP16-equivalent dense peak (fp16 > bf16); general = CPU FP64 peak at base clock "
            "(vector; CPUs have no FP64 matrix units)")
    assert lz.capacity_basis_zh("installed base at year end, fixed 6-year life" + base).startswith(
        "年末的装机存量，固定服役期 6 年；智能算力 = FP16 等效稠密峰值（fp16 > bf16）")
    assert "年中的装机存量，不退役" in lz.capacity_basis_zh("installed base at mid year, no retirement" + base)
    w = lz.capacity_basis_zh("installed base at year end, Weibull(scale=5.5, shape=2)"
                             + base.replace("FP16", "FP8").replace("dense", "sparse")
                             + " + accelerator FP64 (matrix)")
    assert "Weibull 服役曲线退役（scale=5.5，shape=2）" in w and "FP8 等效稀疏峰值" in w
    assert w.endswith("+ 加速卡 FP64（矩阵口径）")
    assert lz.capacity_basis_zh("installed base at year end, fixed 6-year life; something else") is None


def test_a_table_without_chinese_shows_its_english_marked_and_is_named():
    rows = [{"table_name": "energy_new", "kind": "result", "method": "a method added later",
             "description": "a table added later"},
            {"table_name": "energy_by_vendor", "kind": "result", "method": "read",
             "description": "the same by server vendor"},
            {"table_name": "index_region_weights", "kind": "result", "method": "weights",
             "description": "declared and effective weight of every node"}]
    assert lz.untranslated(rows) == ["energy_new: method 'a method added later'",
                                     "energy_new: description 'a table added later'"]
    # the same table with an English description the module does not know is not translated blindly
    assert lz.description_zh("energy_by_vendor", "the same by rack vendor") is None
    marked = str(lz.shown("a <new> table", None, "zh"))
    assert marked == '<span lang="en" class="untranslated">a &lt;new&gt; table</span>'
    assert lz.shown("a table", "一张表", "en") == "a table" and lz.shown("a table", "一张表", "zh") == "一张表"


def test_index_results_line_takes_the_editions_chinese_title():
    text = "My assessment: score, rank and rank change of every unit and node by year (long form)"
    assert lz.description_zh("index_mine_results", text) is None
    assert lz.description_zh("index_mine_results", text, {"My assessment": "我的评估"}).startswith("我的评估：")
    ed = load_edition("2025")
    assert lz.titles(ed)["AI application penetration by industry"] == "中国人工智能行业应用渗透度"


def test_every_chinese_text_keeps_the_ids_and_has_no_english_sentence():
    for en, zh in lz.METHODS.items():
        assert not EN_RUN.search(zh), (en, zh)
        for code in re.findall(r"\b[a-z]+_[a-z_]+\b|\bFP\d+\b|\bPUE\b|\bTDP\b|\bMFU\b", en):
            assert code in zh, (en, code)
    for table, d in lz.DESCRIPTIONS.items():
        for en, zh in d.items():
            assert zh and not EN_RUN.search(zh), (table, zh)
            for code in re.findall(r"\b[a-z]+_[a-z_]+\b|\bE?FLOPS\b|\d+(?:[.,]\d+)*%", en):
                assert code in zh, (table, en, code)


# -- the default build ----------------------------------------------------------------------------

def test_every_table_of_the_default_build_has_its_chinese(provenance):
    missing = lz.untranslated(provenance.to_dict("records"), lz.titles(load_edition("2025")))
    assert not missing, "no Chinese in suanli/report/lineage_zh.py for:\n" + "\n".join(missing)


def test_chinese_appendix_prints_kind_method_and_description_in_chinese(report_html, provenance):
    sec = _section(report_html, "data")
    assert 'class="untranslated"' not in sec
    heads, rows = _table(sec, "数据表来源（全部表")
    _every_table_once(rows, heads.index("表"), provenance)
    col = {c: heads.index(c) for c in ("表", "类型", "方法", "说明")}
    for r in rows:
        table = _text(r[col["表"]])
        assert _text(r[col["类型"]]) in {"结果", "输入"}, table
        for c in ("方法", "说明"):
            assert not EN_RUN.search(_text(r[col[c]])), (table, c, _text(r[col[c]]))
        assert re.search(r"[\u4e00-\u9fff]", _text(r[col["方法"]])), table
    heads, rows = _table(sec, "图表来源")
    assert rows
    for r in rows:
        m = _text(r[heads.index("方法")])
        assert m and not EN_RUN.search(m), m


def test_chinese_methodology_describes_every_stage_in_chinese(report_html, provenance):
    paras = _stage_paragraphs(_section(report_html, "methodology"), "阶段。")
    stages = set(provenance.loc[provenance["kind"] == "result", "stage"])
    assert set(paras) == stages
    assert {"energy", "demand"} <= set(paras)
    for stage, text in paras.items():
        assert 'class="untranslated"' not in text and not EN_RUN.search(_text(text)), (stage, text)


def test_english_report_prints_the_lineage_as_recorded(en_html, provenance):
    sec = _section(en_html, "data")
    heads, rows = _table(sec, "Provenance of every table")
    by_name = provenance.set_index("table_name")
    _every_table_once(rows, heads.index("Table"), provenance)
    for r in rows:
        for name in _text(r[heads.index("Table")]).split(","):  # each table of a shared row matches it
            p = by_name.loc[name]
            assert _text(r[heads.index("Kind")]) == p["kind"]
            assert _text(r[heads.index("Method")]) == p["method"]
            assert _text(r[heads.index("Description")]) == (p["description"] or "")
    # tables made alike share a row: the capacity model's one description is printed once, not ~17 times
    made = [tuple(_text(c) for c in r[1:]) for r in rows]
    assert len(made) == len(set(made)) < len(provenance)
    assert "untranslated" not in sec
    paras = _stage_paragraphs(_section(en_html, "methodology"), "stage.")
    res = provenance[provenance["kind"] == "result"]
    from suanli.report.sections.methodology import STAGE_TEXT

    for stage in ("energy", "demand"):  # each stage's own paragraph, not a table's description
        assert _text(paras[stage]) == STAGE_TEXT[stage][1]
        assert _text(paras[stage]) != res[res["stage"] == stage].iloc[0]["description"]


# -- the open-data edition (its stages only, no report: a few seconds) -----------------------------

@pytest.fixture(scope="module")
def open_store(tmp_path_factory):
    from suanli.builder import build
    from suanli.store import Store

    ed = load_edition("open-2025")
    ed = ed.model_copy(update={"outputs": ed.outputs.model_copy(update={"report": False, "tables_csv": False})})
    out = build(ed, tmp_path_factory.mktemp("open-lineage") / "out")
    store = Store.open_read_only(out)
    yield store, load_edition("open-2025")
    store.con.close()


def test_every_table_of_the_open_data_edition_has_its_chinese(open_store):
    store, ed = open_store
    prov = store.read_table("provenance")
    assert "opendata" in set(prov["stage"])
    missing = lz.untranslated(prov.to_dict("records"), lz.titles(ed))
    assert not missing, "no Chinese in suanli/report/lineage_zh.py for:\n" + "\n".join(missing)


def test_open_data_edition_appendix_and_methodology_in_chinese(open_store):
    from suanli.report.content import Section
    from suanli.report.data import ReportData
    from suanli.report.sections import Context, appendix, methodology

    store, ed = open_store
    for lang in ("zh", "en"):
        rd = ReportData(store, lang)
        prov = rd.provenance()
        sec = Section("data", "")
        appendix.data_appendix(rd, sec, [], lz.titles(ed))
        t = sec.tables[0]
        kind, method, desc = (t.columns.index(c) for c in (rd.zh_en("类型", "Kind"), rd.zh_en("方法", "Method"),
                                                            rd.zh_en("说明", "Description")))
        meth = Section("methodology", "")
        methodology.write(Context(rd, None, ed, {}, []), meth)
        opendata = next(str(p) for p in meth.paragraphs if "<strong>公开数据阶段（opendata）" in str(p) or "<strong>Opendata stage" in str(p))
        if lang == "zh":
            for r in t.rows:
                assert str(r[kind]) in {"结果", "输入"}
                for c in (method, desc):
                    assert "untranslated" not in str(r[c]) and not EN_RUN.search(str(r[c])), (r[0], r[c])
            assert "untranslated" not in opendata and not EN_RUN.search(_text(opendata)), opendata
        else:
            by_name = prov.set_index("table_name")
            named = [n for r in t.rows for n in _text(str(r[0])).split(",")]
            assert sorted(named) == sorted(prov["table_name"])
            for r in t.rows:
                for n in _text(str(r[0])).split(","):
                    assert str(r[desc]) == (by_name.loc[n, "description"] or "")
                    assert _text(str(r[method])) == by_name.loc[n, "method"]  # <wbr> after underscores
            assert _text(opendata).endswith(methodology.STAGE_TEXT["opendata"][1])

