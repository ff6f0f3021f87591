"""suanli build: tables, store, lineage, determinism and crash safety (injected failures here; SIGKILL at
``before-capacity``, ``after-capacity``, ``before-swap`` and 17 other points of the default edition's
build in ``tests/reliability/test_crash_safety.py``, Ctrl-C and SIGKILL debris in
``tests/reliability/test_exit_paths.py``)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest
from build_helpers import stage_runs

from suanli.builder import build
from suanli.edition import load_edition
from suanli.errors import BuildError

PUBLISHED = {2024: (725.3, 71.5), 2025: (1037.3, 85.8)}


def tree_hashes(folder: Path, sub: str = "tables") -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((folder / sub).glob("*.csv"))}


@pytest.fixture(scope="module")
def capacity_only_edition(tmp_path_factory):
    """The default edition restricted to its capacity section (fast; other stages test themselves)."""
    import shutil

    import yaml

    from suanli.edition import default_edition_dir

    src = default_edition_dir()
    dst = tmp_path_factory.mktemp("ed") / "2025"
    shutil.copytree(src, dst)
    data = yaml.safe_load((dst / "edition.yaml").read_text(encoding="utf-8"))
    keep = {"schema_version", "id", "year", "title", "publisher", "synthetic", "notes", "inputs", "capacity", "outputs"}
    data = {k: v for k, v in data.items() if k in keep}
    data["inputs"] = {"shipments": data["inputs"]["shipments"]}
    data["outputs"] = {"report": False}
    (dst / "edition.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return dst


@pytest.fixture(scope="module")
def built(capacity_only_edition, tmp_path_factory):
    out = tmp_path_factory.mktemp("b") / "out"
    build(load_edition(capacity_only_edition), out)
    return out


def test_national_series_matches_seed(built):
    import pandas as pd

    nat = pd.read_csv(built / "tables" / "capacity_national.csv")
    assert list(nat.columns[:4]) == ["year", "intelligent_eflops", "general_eflops", "basis"]
    assert nat["year"].tolist() == list(range(2020, 2026))
    assert (nat["value_class"] == "synthetic").all()
    n = nat.set_index("year")
    for year, (ic, gc) in PUBLISHED.items():
        assert abs(n.loc[year, "intelligent_eflops"] / ic - 1) < 0.01
        assert abs(n.loc[year, "general_eflops"] / gc - 1) < 0.01


def test_store_has_inputs_results_runs_and_provenance(built):
    con = duckdb.connect(str(built / "suanli.duckdb"), read_only=True)
    tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    assert {"input_shipments", "capacity_national", "capacity_by_province", "runs", "provenance"} <= tables
    run = con.execute("select edition, code_version, input_hashes, parameters, started, finished from runs").fetchall()
    assert len(run) == 1 and run[0][0] == "cn-2025" and run[0][4] <= run[0][5]
    hashes = json.loads(run[0][2])
    assert set(hashes) >= {"edition.yaml", "shipments"} and all(len(h) == 64 for h in hashes.values())
    prov = con.execute("select synthetic, method from provenance where table_name = 'capacity_national'").fetchone()
    assert prov[0] is True and "vintage" in prov[1]
    n_in = con.execute("select count(*) from input_shipments").fetchone()[0]
    assert n_in > 5000
    con.close()
    lineage = json.loads((built / "lineage.json").read_text(encoding="utf-8"))
    assert lineage["parameters"]["capacity"]["survival_intelligent"]["life_years"] == 6
    assert lineage["tables"]["capacity_national"]["synthetic"] is True


def test_every_result_table_has_a_csv(built):
    con = duckdb.connect(str(built / "suanli.duckdb"), read_only=True)
    results = {r[0] for r in con.execute("select table_name from provenance where kind = 'result'").fetchall()}
    con.close()
    assert results == {p.stem for p in (built / "tables").glob("*.csv")}


def test_capacity_page(built):
    html = (built / "capacity.html").read_text(encoding="utf-8")
    assert "中国智能算力和通用算力规模" in html and "合成数据" in html
    from html.parser import HTMLParser

    urls: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            urls.extend(v for k, v in attrs if k in ("src", "href") and v)

    Collect().feed(html)
    assert not [u for u in urls if u.startswith(("http:", "https:", "//"))], urls


def test_determinism(capacity_only_edition, built, tmp_path):
    out2 = tmp_path / "again"
    build(load_edition(capacity_only_edition), out2)
    assert tree_hashes(built) == tree_hashes(out2)


def test_failed_build_leaves_previous_output(capacity_only_edition, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(load_edition(capacity_only_edition), out)
    before = tree_hashes(out)
    db_before = hashlib.sha256((out / "suanli.duckdb").read_bytes()).hexdigest()
    for point in ("start", "before-capacity", "after-capacity", "before-swap"):
        monkeypatch.setenv("SUANLI_FAULT", point)
        with pytest.raises(BuildError):
            build(load_edition(capacity_only_edition), out)
        assert tree_hashes(out) == before
        assert hashlib.sha256((out / "suanli.duckdb").read_bytes()).hexdigest() == db_before
    assert not [p for p in tmp_path.glob(".out.*") if ".building-" in p.name or ".old-" in p.name]


def test_incremental_build_reuses_unchanged_stages(capacity_only_edition, tmp_path):
    out = tmp_path / "out"
    build(load_edition(capacity_only_edition), out)
    cold = tree_hashes(out)
    cold_page = (out / "capacity.html").read_bytes()
    assert stage_runs(out) == {"capacity": False}
    build(load_edition(capacity_only_edition), out)
    assert stage_runs(out) == {"capacity": True}
    assert tree_hashes(out) == cold and (out / "capacity.html").read_bytes() == cold_page
    con = duckdb.connect(str(out / "suanli.duckdb"), read_only=True)
    assert con.execute("select count(*) from provenance where table_name = 'capacity_national'").fetchone()[0] == 1
    assert con.execute("select count(*) from input_shipments").fetchone()[0] > 5000
    con.close()
    # --force recomputes, with identical results
    build(load_edition(capacity_only_edition), out, options={"force": True})
    assert stage_runs(out) == {"capacity": False} and tree_hashes(out) == cold


def test_changed_input_invalidates_the_stage(capacity_only_edition, tmp_path):
    import shutil

    ed_dir = tmp_path / "ed"
    shutil.copytree(capacity_only_edition, ed_dir)
    out = tmp_path / "out"
    build(load_edition(ed_dir), out)
    p = ed_dir / "data" / "shipments.csv"
    lines = p.read_text(encoding="utf-8").splitlines()
    head, row = lines[0].split(","), lines[-1].split(",")
    i = head.index("servers")
    row[i] = str(int(row[i]) + 1000)
    lines[-1] = ",".join(row)
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    build(load_edition(ed_dir), out)
    assert stage_runs(out) == {"capacity": False}
