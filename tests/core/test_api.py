"""The Python API for notebooks: open_build (read-only), load_edition, build; short reprs."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import suanli
from suanli.errors import ConfigError
from suanli.store.view import BuildView


def tree_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(default_build: Path) -> Path:
    """The session's shared default build: what a reader has after ``./dev build``."""
    return default_build


def test_build_returns_a_read_only_view(tmp_path):
    """``suanli.build`` runs the stages of an edition (here its capacity and markets sections only)
    and returns the same view as ``open_build``."""
    ed = suanli.load_edition()
    keep = {"schema_version", "id", "year", "title", "publisher", "synthetic", "notes", "inputs", "outputs",
            "capacity", "markets"}
    sub = ed.model_copy(update={k: None for k in type(ed).model_fields if k not in keep})
    sub.outputs = sub.outputs.model_copy(update={"report": False, "capacity_page": False})
    sub._root, sub._file = ed.root, ed.file
    out = tmp_path / "out"
    view = suanli.build(sub, out=out)
    assert isinstance(view, BuildView) and view.path == out.resolve()
    assert {"capacity_national", "market_series"} <= set(view.tables)
    assert "index_city_results" not in view.tables  # only the stages the edition declares ran


def test_open_build_reads_without_writing(built):
    before = tree_hashes(built)
    b = suanli.open_build(built)
    assert "capacity_national" in b.tables and "input_shipments" in b.tables
    df = b.table("capacity_national")
    assert isinstance(df, pd.DataFrame) and {"year", "intelligent_eflops"} <= set(df.columns)
    assert df.attrs["units"]["intelligent_eflops"] == "EFLOPS"
    assert df.attrs["provenance"]["stage"] == "capacity" and df.attrs["provenance"]["synthetic"] is True
    assert b.provenance("capacity_national")["inputs"]
    assert b.lineage["edition"] == "cn-2025" and b.synthetic
    fig = b.figure("capacity_national")
    assert len(fig.data) >= 1
    assert b.figure(1).layout.title is not None
    assert len(repr(b)) < 2000 and "SYNTHETIC" in repr(b)
    assert "SYNTHETIC" in b._repr_html_() and "<script" not in b._repr_html_()
    assert tree_hashes(built) == before  # nothing written, nothing added (no WAL, no lock file)


def test_open_build_while_another_reader_holds_the_store(built):
    """A dashboard (or a second notebook) with the store open read-only does not block a view."""
    code = textwrap.dedent(f"""
        import duckdb, sys, time
        con = duckdb.connect({str(built / "suanli.duckdb")!r}, read_only=True)
        con.execute("SELECT count(*) FROM capacity_national").fetchone()
        print("open", flush=True)
        sys.stdin.readline()
    """)
    holder = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        assert len(suanli.open_build(built).table("capacity_national")) > 0
    finally:
        holder.communicate("\n", timeout=60)


def test_errors_name_what_to_do(built, tmp_path):
    with pytest.raises(ConfigError, match="not a finished build folder"):
        suanli.open_build(tmp_path)
    with pytest.raises(ConfigError, match="capacity_national"):
        suanli.open_build(built).table("capacity_nationa")
    with pytest.raises(ConfigError, match="no figure"):
        suanli.open_build(built).figure("no_such_figure")


def test_fresh_process_acceptance(built):
    code = textwrap.dedent(f"""
        import suanli
        b = suanli.open_build({str(built)!r})
        df = b.table("capacity_national")
        assert type(df).__name__ == "DataFrame", type(df)
        assert len(repr(b)) < 2000
        print("ok", len(df))
    """)
    before = tree_hashes(built)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ok")
    assert tree_hashes(built) == before


def test_load_edition_and_import_is_light():
    ed = suanli.load_edition()
    assert ed.id == "cn-2025"
    r = subprocess.run([sys.executable, "-c", "import suanli, sys; print(sorted(m for m in ('pandas','numpy','duckdb') "
                        "if m in sys.modules))"], capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == "[]", r.stdout + r.stderr
