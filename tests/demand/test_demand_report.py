"""The report's demand chapter, assembled from a build that has only the capacity and demand stages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from suanli.edition import load_edition
from suanli.report.claims import evaluate
from suanli.report.data import ReportData
from suanli.report.document import build_document
from suanli.store import Store


@pytest.fixture(scope="module")
def docs(demand_edition: Path, demand_out: Path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("demand-report") / "out"
    shutil.copytree(demand_out, folder)
    store = Store(folder)
    ed = load_edition(demand_edition)
    out = {lang: build_document(ReportData(store, lang), ed) for lang in ("zh", "en")}
    yield out, store
    store.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_demand_chapter(docs, lang):
    out, store = docs
    doc = out[lang]
    sec = next(s for s in doc.sections if s.id == "demand")
    ids = {f.id for f in sec.figures}
    assert {"demand_vs_supply", "demand_utilisation", "demand_split", "demand_sensitivity"} <= ids
    band = next(f for f in sec.figures if f.id == "demand_vs_supply").data
    assert {"lo", "hi"} <= set(band.columns) and (band.lo <= band.value).all() and (band.value <= band.hi).all()
    text = " ".join(str(p) for p in sec.paragraphs)
    assert len(sec.paragraphs) >= 4
    assert ("73%" in text) and (("推理" in text) if lang == "zh" else ("Inference" in text))
    assert len(sec.tables) == 2  # run catalogue, claims
    claims = " ".join(str(c) for row in sec.tables[1].rows for c in row)
    if lang == "zh":  # claims and bases in Chinese, in the table and in the sentence citing them
        assert "MLA 把 KV 缓存降低 50 倍" in claims and "multi-head attention" not in claims + text
    else:
        assert "MLA cuts the KV cache 50×" in claims and "multi-head attention" in claims
    # the first paragraph is also a key finding
    assert any(str(sec.paragraphs[0]) in str(f) for f in doc.findings)  # findings carry a value-class badge
    # the sentence on the claims gives one reading each and says how the others come out: a consistent
    # reading printed alone hid the readings that disagree (three of DeepSeek-R1's five)
    ch = store.read_table("demand_checks")
    for claim, g in ch.groupby("claim"):
        others = g[~g.primary.astype(bool)]
        fails = int((others.verdict == "FAIL").sum())
        if len(others) > 2 and 0 < fails < len(others):
            assert (f"其余{len(others)}种口径中{fails}种不一致" if lang == "zh"
                    else f"{fails} of the {len(others)} other readings disagree") in text, claim


def test_every_demand_claim_parses_back(docs):
    out, store = docs
    for doc in out.values():
        keys = [k for k in doc.claims.items if k.startswith("demand_")]
        assert len(keys) >= 12
        for k in keys:
            c = doc.claims.items[k]
            assert evaluate(c.ref, store.read_table) == pytest.approx(c.value)
            assert round(c.value * c.scale, c.decimals) == pytest.approx(
                float(c.text.replace(",", "").replace("%", "").split()[0].replace("万亿", "").replace("EFLOPS", "")))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_run_catalogue_keeps_its_words_whole_in_the_pdf(docs, lang):
    """Eleven columns in the PDF's text column: every column gets at least its longest unbreakable run
    (the compute basis is written in words: "6·N_active·D" was one long run that squeezed the
    columns below their longest words, Qwen2.5-72|B and 6·N_active·|D)."""
    from suanli.report.margins import text_width
    from suanli.report.render import PDF_COLUMN, PDF_FONT, _table_metrics, table_columns, unbreakable_runs

    out, _ = docs
    sec = next(s for s in out[lang].sections if s.id == "demand")
    t = sec.tables[0]
    cells = [[str(r[j]) for r in t.rows] for j in range(len(t.columns))]
    assert not any("N_active" in c for col in cells for c in col)
    size, _, _, side = _table_metrics(t.wide, PDF_FONT)
    widths = table_columns(t.columns, t.rows, t.wide, t.numeric, PDF_COLUMN, PDF_FONT, break_words=False)
    for j, col in enumerate(cells):
        longest = max(text_width(w, size) for c in col for w in unbreakable_runs(c))
        assert widths[j] - side >= longest - 1e-6, (t.columns[j], widths[j] - side, longest)
