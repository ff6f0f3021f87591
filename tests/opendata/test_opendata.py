"""The open-data edition: provenance of every stated value, computed coverage, checks that fail,
and an end-to-end build with no synthetic value anywhere."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from suanli.edition import bundled_editions, load_edition
from suanli.errors import InputError
from suanli.opendata.derive import (
    INDICATORS,
    SOURCE_KINDS,
    coverage,
    load_and_derive,
    read_centres,
)
from suanli.opendata.stage import STAGE, sources_table

ROOT = Path(__file__).resolve().parents[2]
OPEN = ROOT / "src/suanli/data/editions/open-2025"


def _derive(ed):
    return load_and_derive(ed)


@pytest.fixture
def open_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "open"
    shutil.copytree(OPEN, dst)
    return dst


def _edit_csv(path: Path, row: int, column: str, value: str) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[row][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def test_short_name_loads_the_bundled_edition():
    assert "open-2025" in bundled_editions()
    ed = load_edition("open-2025")
    assert ed.id == "cn-2025-open" and ed.synthetic is False
    assert not any(i.synthetic for i in ed.inputs.values())


def test_every_row_of_the_sources_table_has_a_source():
    ed = load_edition(OPEN)
    from suanli.opendata.stage import _load

    facts, _, centres, anchors, area = _load(ed)
    src = sources_table(ed, facts, centres, anchors, area)
    assert list(src.columns[:8]) == ["table", "key", "value", "unit", "source", "source_kind", "date", "quote"]
    assert len(src) >= 400
    for col in ("source", "source_kind", "date", "quote"):
        blank = src[col].isna() | (src[col].astype(str).str.strip() == "")
        assert not blank.any(), src[blank].head()
    assert set(src["source_kind"]) <= set(SOURCE_KINDS)
    assert src["value"].notna().all()
    # the open-data rows themselves (not the seed report's figures) are most of the city evidence
    own = src[~src["table"].isin(ed.opendata.extra_sources)]
    assert len(own) >= 180
    assert own["url"].astype(str).str.startswith("http").mean() > 0.9


def test_coverage_is_computed_from_the_cells():
    ed = load_edition(OPEN)
    cells = _derive(ed)
    cov = coverage(cells).set_index("indicator_id")
    assert len(cov) == len(INDICATORS) + 1 >= 13
    n_cities = cells["unit_id"].nunique()
    assert n_cities >= 40
    for ind in INDICATORS:
        mine = cells[cells["indicator_id"] == ind.id]
        assert cov.loc[ind.id, "cells"] == n_cities
        assert cov.loc[ind.id, "sourced"] == int(mine["data_status"].isin(["stated", "derived"]).sum())
        assert cov.loc[ind.id, "sourced"] == int(mine["value"].notna().sum())
    overall = cov.loc["_overall"]
    assert overall["cells"] == n_cities * len(INDICATORS)
    assert overall["coverage"] == pytest.approx(overall["sourced"] / overall["cells"])
    assert overall["coverage"] >= 0.7


def test_coverage_follows_the_facts(open_copy: Path):
    """Dropping one stated student figure lowers that indicator's coverage by exactly one cell."""
    ed = load_edition(open_copy)
    before = coverage(_derive(ed)).set_index("indicator_id")
    facts = open_copy / "data/open_facts.csv"
    df = pd.read_csv(facts)
    df = df.drop(df.index[(df["table"] == "higher_ed_students")][0])
    df.to_csv(facts, index=False, lineterminator="\n")
    after = coverage(_derive(load_edition(open_copy))).set_index("indicator_id")
    assert after.loc["higher_ed_students", "sourced"] == before.loc["higher_ed_students", "sourced"] - 1
    assert after.loc["_overall", "sourced"] == before.loc["_overall", "sourced"] - 1


def test_member_of_a_list_is_stated_and_a_non_member_is_derived():
    cells = _derive(load_edition(OPEN)).set_index(["unit_id", "indicator_id"])
    assert cells.loc[("hefei", "ai_pilot_zone"), "data_status"] == "stated"
    assert cells.loc[("hefei", "ai_pilot_zone"), "value"] == 1
    assert cells.loc[("yinchuan", "ai_pilot_zone"), "data_status"] == "derived"
    assert cells.loc[("yinchuan", "ai_pilot_zone"), "value"] == 0
    assert cells.loc[("shenzhen", "software_city_stars"), "value"] == 3
    # a value that was not found stays missing: never a typed or estimated number
    miss = cells[cells["data_status"] == "missing"]
    assert len(miss) and miss["value"].isna().all()


@pytest.mark.parametrize("column", ["source", "quote", "date", "source_kind"])
def test_validate_fails_on_a_stated_value_without_a_source(open_copy: Path, column: str):
    _edit_csv(open_copy / "data/open_facts.csv", 3, column, "")
    with pytest.raises(InputError) as e:
        STAGE.validate(load_edition(open_copy))
    text = str(e.value)
    assert "open_facts.csv" in text and column in text


def test_validate_fails_on_an_unknown_source_kind(open_copy: Path):
    _edit_csv(open_copy / "data/national_compute_anchors.csv", 0, "source_kind", "blog")
    with pytest.raises(InputError, match="source_kind"):
        STAGE.validate(load_edition(open_copy))


def test_cli_validate_exits_non_zero_without_a_source(open_copy: Path):
    _edit_csv(open_copy / "data/intelligent_computing_centres.csv", 0, "source_title", "")
    _edit_csv(open_copy / "data/intelligent_computing_centres.csv", 0, "source_url", "")
    r = subprocess.run([sys.executable, "-m", "suanli", "validate", str(open_copy)], capture_output=True, text=True,
                       env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert r.returncode != 0
    assert "intelligent_computing_centres.csv" in (r.stdout + r.stderr)


def test_an_indicator_file_that_differs_from_the_facts_is_refused(open_copy: Path):
    path = open_copy / "data/index_city_indicators.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    i = next(k for k, r in enumerate(rows) if r["data_status"] == "derived" and r["value"] == "0")
    _edit_csv(path, i, "value", "1")
    with pytest.raises(InputError, match="derive_open_data"):
        STAGE.validate(load_edition(open_copy))


def test_a_list_missing_a_member_is_refused(open_copy: Path):
    facts = open_copy / "data/open_facts.csv"
    df = pd.read_csv(facts)
    df = df.drop(df.index[(df["table"] == "software_city_stars") & (df["key"] == "wuxi")])
    df.to_csv(facts, index=False, lineterminator="\n")
    with pytest.raises(InputError, match="software_city_stars"):
        STAGE.validate(load_edition(open_copy))


def test_the_script_re_derives_the_bundled_indicator_file():
    r = subprocess.run([sys.executable, str(ROOT / "scripts/derive_open_data.py"), "--check"], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "up to date" in r.stdout


CANONICAL_CENTRES = ROOT / "src/suanli/data/capacity/intelligent_computing_centres.csv"


def test_one_centres_dataset_shared_by_the_capacity_anchors_and_the_edition():
    """The edition's centres file is a byte-identical copy of the package's dataset (the script writes it)."""
    assert (OPEN / "data/intelligent_computing_centres.csv").read_bytes() == CANONICAL_CENTRES.read_bytes()
    from suanli.capacity import anchors

    c = read_centres(CANONICAL_CENTRES)
    a = anchors.centres()
    assert list(c["id"]) == list(a["id"]) and len(c) == len(a)
    assert c["announced_pflops"].fillna(-1).tolist() == a["announced_pflops"].fillna(-1).tolist()


def test_centres_dataset_has_100_sourced_projects_one_row_each():
    c = read_centres(CANONICAL_CENTRES)
    assert len(c) >= 100
    assert c["id"].is_unique and c["name"].is_unique
    assert c["province"].nunique() >= 20
    withcap = c[c["announced_pflops"].notna()]
    assert len(withcap) >= 40 and (withcap["announced_pflops"] > 0).all()
    for col in ("source_date", "source_kind", "quote", "status", "year"):
        assert (c[col].astype(str).str.strip() != "").all(), col
    assert ((c["source_url"].astype(str).str.startswith("http")) | (c["source_title"].str.len() > 10)).all()
    assert set(c["precision"]) <= {"FP16", "FP32", "FP64", "INT8", "unspecified"}
    # a capacity is filled only where the quote prints a figure (no value typed from elsewhere)
    digits = withcap["quote"].str.contains(r"\d")
    assert digits.all(), withcap.loc[~digits, "name"].tolist()


@pytest.mark.parametrize(("column", "value", "message"), [
    ("name", "DUP", "appears 2 times"), ("precision", "FP8ish", "precision"), ("status", "rumoured", "status"),
    ("source_date", "", "source_date")])
def test_validate_refuses_a_bad_centre_row(open_copy: Path, column: str, value: str, message: str):
    path = open_copy / "data/intelligent_computing_centres.csv"
    _edit_csv(path, 0, column, value)
    if value == "DUP":
        _edit_csv(path, 1, column, value)
    with pytest.raises(InputError, match=message) as e:
        STAGE.validate(load_edition(open_copy))
    assert "intelligent_computing_centres.csv" in str(e.value)


def test_script_check_fails_when_the_edition_copy_drifts(open_copy: Path):
    (open_copy / "data/intelligent_computing_centres.csv").write_text(
        CANONICAL_CENTRES.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    r = subprocess.run([sys.executable, str(ROOT / "scripts/derive_open_data.py"), str(open_copy), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 1 and "DIFFERS" in r.stdout


# ------------------------------------------------------------------------------------------------
@pytest.fixture
def built(open_built: Path) -> Path:
    return open_built


@pytest.mark.slow
def test_open_edition_builds_with_sources_coverage_and_no_synthetic_value(built: Path):
    t = built / "tables"
    src = pd.read_csv(t / "open_data_sources.csv")
    assert len(src) >= 400
    for col in ("source", "source_kind", "date", "quote"):
        assert src[col].notna().all() and (src[col].astype(str).str.strip() != "").all()
    cov = pd.read_csv(t / "index_city_coverage.csv")
    assert {"indicator_id", "cells", "sourced", "coverage"} <= set(cov.columns)
    assert cov.set_index("indicator_id").loc["_overall", "coverage"] >= 0.7
    lineage = json.loads((built / "lineage.json").read_text(encoding="utf-8"))
    assert lineage["synthetic"] is False
    assert not any(v["synthetic"] for v in lineage["tables"].values())
    n_classes = 0
    for f in sorted(t.glob("*.csv")):
        df = pd.read_csv(f, low_memory=False)
        if "value_class" in df.columns:
            n_classes += 1
            assert not (df["value_class"].astype(str) == "synthetic").any(), f.name
        for col in ("data_status", "synthetic"):
            if col in df.columns:
                assert not (df[col].astype(str).str.lower().isin(["synthetic", "true"])).any(), (f.name, col)
    assert n_classes >= 7
    cmp_ = pd.read_csv(t / "open_city_rank_vs_seed.csv")
    assert {"open_rank", "seed_rank", "why", "mc_q05", "mc_q95"} <= set(cmp_.columns)
    assert set(cmp_.loc[cmp_["seed_rank"].notna(), "unit_id"]) >= {"beijing", "hangzhou", "shanghai", "shenzhen"}
    cells = pd.read_csv(t / "open_city_indicator_cells.csv")
    assert (cells["data_status"] == "missing").any() and cells.loc[cells["data_status"] == "missing", "value"].isna().all()
    avail = pd.read_csv(t / "index_city_availability.csv")  # the index output counts each city's gaps
    assert (avail["n_missing"] > 0).any()
    html = (built / "report.html").read_text(encoding="utf-8")
    assert "本报告仅由公开数据构建" in html
    assert html.count('<a href="http') >= 300  # sources beside the numbers
    # key findings carry their value class; none is synthetic
    assert 'data-value-class="synthetic"' not in html and 'data-value-class="stated"' in html
    # coverage per indicator, the comparison with the seed's ranking, its uncertainty and sensitivity
    assert "各指标数据覆盖率" in html and "公开数据排名与原报告排名对比" in html
    assert "index_city_rank_intervals" in html and "index_city_sobol" in html
    # the national anchors by their Chinese names, units and scopes (every row carries them)
    anc = pd.read_csv(t / "national_compute_anchors.csv")
    assert anc.metric_zh.notna().all() and anc.unit_zh.notna().all()
    assert anc.loc[anc.scope.notna(), "scope_zh"].notna().all()
    assert "八大国家枢纽节点算力总规模" in html and "Eight national hub nodes total compute" not in html
    # the reasons of that comparison are written in the report's language, dimensions by name
    assert "in the open index" not in html and "最弱维度" in html and "weakest_dimension" not in html
    # the workbook holds the same tables: no sheet has a synthetic row
    from openpyxl import load_workbook

    wb = load_workbook(built / "tables.xlsx", read_only=True)
    n_sheets = 0
    for ws in wb.worksheets:  # data sheets: a Chinese and an English header row, then the rows
        rows = ws.iter_rows(values_only=True)
        next(rows, None)
        header = next(rows, None)
        if header and "Value class" in header:
            n_sheets += 1
            j = header.index("Value class")
            assert all(r[j] != "synthetic" for r in rows), ws.title
    assert n_sheets >= 7


@pytest.mark.slow
def test_dashboard_serves_the_open_build(built: Path):
    from fastapi.testclient import TestClient

    from suanli.web.app import create_app

    c = TestClient(create_app(built))
    assert c.get("/api/meta").status_code == 200
    names = {t["name"] for t in c.get("/api/tables").json()}
    assert {"open_data_sources", "index_city_coverage", "open_city_rank_vs_seed"} <= names
    t = c.get("/api/tables/open_data_sources").json()
    i = t["columns"].index("source")
    assert t["rows"] and all(r[i] for r in t["rows"])
    assert c.get("/api/assessments/city").status_code == 200
    assert c.get("/api/overview").status_code == 200


@pytest.mark.slow
def test_every_imputed_cell_is_flagged_in_tables_report_workbook_and_dashboard(built: Path):
    t = built / "tables"
    cells = pd.read_csv(t / "open_city_indicator_cells.csv")
    miss = cells["value"].isna()
    # the declared imputation fills every gap, and only gaps; each filled cell says so and by what
    assert miss.any() and (cells["imputed"] == miss).all()
    assert cells.loc[miss, "imputed_value"].notna().all() and cells.loc[~miss, "imputed_value"].isna().all()
    assert cells.loc[miss, "imputation"].str.startswith("min").all()
    # imputed by min: the smallest value printed for the indicator, never above it
    lo = cells[~miss].groupby("indicator_id")["value"].min()
    assert (cells.loc[miss, "imputed_value"].to_numpy() == cells.loc[miss, "indicator_id"].map(lo).to_numpy()).all()
    res = pd.read_csv(t / "index_city_results.csv")
    assert {"missing_indicators", "imputed"} <= set(res.columns)
    n_miss = cells[miss].groupby("unit_id").size()
    idx = res[res["node_id"] == "index"].set_index("unit_id")
    assert (idx["missing_indicators"] == idx.index.map(n_miss).fillna(0).astype(int)).all()
    assert (idx["imputed"] == (idx["missing_indicators"] > 0)).all()
    ind = res[res["level"] == 1].merge(cells[["unit_id", "indicator_id", "imputed"]],
                                        left_on=["unit_id", "node_id"], right_on=["unit_id", "indicator_id"])
    assert (ind["imputed_x"] == ind["imputed_y"]).all()
    cmp_ = pd.read_csv(t / "open_city_rank_vs_seed.csv")
    assert (cmp_["imputed_indicators"].fillna("").str.len() > 0).sum() == (cmp_["missing_indicators"] > 0).sum()
    html = (built / "report.html").read_text(encoding="utf-8")
    n_flagged = int(idx["imputed"].sum())
    assert "全部城市；标注依赖补值的得分" in html and html.count("（补值）") >= n_flagged
    assert "项补值）" in html  # the ranking figure's labels
    from openpyxl import load_workbook

    wb = load_workbook(built / "tables.xlsx", read_only=True)
    english = {}
    for ws in wb.worksheets:
        head = list(ws.iter_rows(values_only=True, max_row=2))
        english[ws.title] = list(head[-1]) if head else []
    assert "Imputed" in english["index_city_results"] and "Missing indicators" in english["index_city_results"]
    assert "Imputed value" in english["open_city_indicator_cells"]
    from fastapi.testclient import TestClient

    from suanli.web.app import create_app

    c = TestClient(create_app(built))
    for name in ("index_city_results", "open_city_indicator_cells"):
        cols = c.get(f"/api/tables/{name}").json()["columns"]
        assert "imputed" in cols, (name, cols)
