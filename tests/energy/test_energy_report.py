"""The report's energy chapter on the energy build: figures, tables, and every printed number a claim
that evaluates back to the stored value it prints (the report's claims rule, applied to this chapter)."""

from __future__ import annotations

import html as h
import json
import re

import pytest

from suanli.report.claims import Claims, evaluate
from suanli.report.content import Section
from suanli.report.data import ReportData
from suanli.report.fmt import round_half_up
from suanli.report.sections import MODULES, Context, modules
from suanli.report.sections import energy as chapter
from suanli.report.tilemap import TILES
from suanli.tilegrid import PROVINCE_TILES

#: numbers the energy prose may print that are not data: the interval level
ALLOWED = {"90"}


@pytest.fixture(scope="module", params=["zh", "en"])
def written(request, built):
    ed, store, _ = built
    rd = ReportData(store, request.param)
    figs, missing = chapter.FIGURES.build(rd)
    sec = Section(chapter.ID, chapter.TITLE[0], figures=figs)
    ctx = Context(rd, Claims(rd.df, rd.lang), ed, {chapter.ID: sec}, figs)
    chapter.write(ctx, sec)
    return rd, sec, missing, ctx


def test_the_chapter_is_registered_in_print_order():
    assert "energy" in MODULES
    ids = [m.ID for m in modules()]
    assert "energy" in ids and ids.index("energy") < ids.index("recommendations")
    numbers = [m.NUMBER for m in modules() if m.NUMBER]  # the appendices are named by their titles
    assert len(numbers) == len(set(numbers))


def test_report_and_dashboard_share_one_tile_layout():
    assert {p: (r, c) for p, (c, r, _) in TILES.items()} == PROVINCE_TILES


def test_figures_tile_maps_intensity_and_pue_ladder(written):
    rd, sec, missing, _ = written
    assert missing == []
    figs = {f.id: f for f in sec.figures}
    assert {"energy_twh", "energy_mw", "energy_intensity", "energy_tiles_mw", "energy_tiles_co2",
            "energy_provinces", "energy_pue_ladder", "energy_origin", "energy_sobol"} <= set(figs)
    prov = rd.df("energy_by_province")
    last = prov[prov.year == prov.year.max()].set_index("province")
    for fid, col in (("energy_tiles_mw", "avg_it_mw"), ("energy_tiles_co2", "co2_mt")):
        f = figs[fid]
        assert f.kind == "tiles"
        d = f.data.set_index("name" if rd.lang == "zh" else "label")
        assert len(f.data) == len(TILES)
        # every province with energy has its value on its tile; the rest are grey (no data)
        for p, v in last[col].items():
            key = p if rd.lang == "zh" else TILES[p][2]
            assert d.loc[key, "value"] == pytest.approx(v)
        assert f.data["value"].notna().sum() == len(last)
    lad = figs["energy_pue_ladder"].data
    assert lad["series"].nunique() == 4                      # the modelled band + three targets
    band = lad.dropna(subset=["lo"])
    assert (band.lo <= band.value).all() and (band.value <= band.hi).all()
    for f in sec.figures:
        assert f.synthetic                                    # built on synthetic shipments
        assert (f.data["value_class"] == "synthetic").all(), f.id   # every plotted point carries its class


def test_every_number_in_the_prose_is_a_stored_value(written, built):
    rd, sec, _, _ = written
    _, store, _ = built
    paras = [str(p) for p in sec.paragraphs]
    assert len(paras) >= 6
    n = 0
    for p in paras:
        for m in re.finditer(r'<span class="num" data-claim="([^"]*)" data-ref="([^"]*)" '
                             r'data-value-class="([a-z]*)">([^<]*)</span>', p):
            payload = json.loads(h.unescape(m.group(2)))
            assert m.group(3) in ("stated", "derived", "modelled", "synthetic"), m.group(0)
            text = h.unescape(m.group(4))
            value = evaluate(payload["ref"], store.read_table)
            num = re.search(r"-?[\d,]+(?:\.\d+)?", text)
            assert num, text
            expected = round_half_up(value * payload["scale"], payload["decimals"])
            assert float(num.group(0).replace(",", "")) == pytest.approx(expected, abs=1e-9), (m.group(1), text)
            n += 1
        plain = h.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<span class="num".*?</span>', "", p)))
        for num in re.findall(r"(?<![A-Za-z\d.\-])\d+(?:,\d{3})*(?:\.\d+)?(?![A-Za-z\d])", plain):
            assert re.fullmatch(r"(19|20)\d\d", num) or num in ALLOWED, (num, plain[:200])
    assert n >= 30


def test_text_states_scopes_targets_and_the_seed_checks(written):
    rd, sec, _, ctx = written
    text = " ".join(h.unescape(re.sub(r"<[^>]+>", "", str(p))) for p in sec.paragraphs)
    if rd.lang == "zh":
        for word in ("设施", "位置法", "市场法", "全球", "两倍", "六倍", "新建大型及以上数据中心", "国家枢纽节点", "全国数据中心平均"):
            assert word in text, word
    else:
        for word in ("facility", "location-based", "market-based", "global", "not China", "hub nodes",
                     "national average"):
            assert word in text, word
    for v in ("1.25", "1.20", "1.50", "44.8%", "44.7%"):
        assert v in text, v
    assert ctx.key_findings and any(f.id == "energy_level" for f in ctx.notes)


def test_reconciliation_table_states_each_scope(written):
    rd, sec, _, _ = written
    rc = rd.df("energy_reconciliation")
    t = next(t for t in sec.tables if "TWh" in " ".join(t.columns) and len(t.rows) == len(rc))
    scope = t.columns.index(rd.zh_en("口径", "Scope"))
    words = ("地域", "边界", "负载") if rd.lang == "zh" else ("geography", "boundary", "workloads")
    for row in t.rows:
        if row[3] != "—":
            for word in words:
                assert word in row[scope]
    # the stage's text and the edition's labels in the report's language
    labels = [row[0] for row in t.rows]
    if rd.lang == "zh":
        assert all(re.search(r"[\u4e00-\u9fff]", str(x)) for x in labels), labels
        assert any("中国数据中心用电量" in str(x) for x in labels)
    else:
        assert any("China data-centre electricity" in str(x) for x in labels)
    checks = next(t for t in sec.tables if t.columns[0] == "id")
    assert len(checks.rows) == len(rd.df("energy_claim_checks"))
    shown = " ".join(str(c) for row in checks.rows for c in row)
    if rd.lang == "zh":  # the checker's restated-rate title and detail in Chinese
        assert "stated as" not in shown and "only touch" not in shown and "年复合增长率分别写作" in shown
    else:
        assert "stated as" in shown
