"""Helpers of the build tests."""

from __future__ import annotations

from pathlib import Path

import duckdb


def stage_runs(out: Path) -> dict[str, bool]:
    """Stage name → whether the build in ``out`` reused it from the previous build (its store's
    ``stage_runs`` table, read-only)."""
    con = duckdb.connect(str(out / "suanli.duckdb"), read_only=True)
    try:
        return dict(con.execute("select stage, reused from stage_runs").fetchall())
    finally:
        con.close()
