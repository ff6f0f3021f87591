"""The report tests read the session's shared default build (zh + en, every format)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest


@pytest.fixture(scope="session")
def report_out(default_build: Path) -> Path:
    """The session's shared default build (zh and en, every format); read-only."""
    return default_build


@pytest.fixture(scope="session")
def report_html(report_out: Path) -> str:
    return (report_out / "report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def tables(report_out: Path):
    """``get(name) -> DataFrame`` from the built store (read-only, cached)."""
    cache: dict = {}
    con = duckdb.connect(str(report_out / "suanli.duckdb"), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        for n in names:
            cache[n] = con.execute(f'SELECT * FROM "{n}"').df()
    finally:
        con.close()
    return lambda name: cache[name].copy()
