"""One build of the open-data edition per test session, shared by every test that reads outputs."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def open_built(tmp_path_factory) -> Path:
    """The bundled ``open-2025`` edition built end to end (zh HTML report and workbook)."""
    from suanli.builder import build
    from suanli.edition import load_edition

    out = tmp_path_factory.mktemp("open") / "out"
    build(load_edition("open-2025"), out, options={"lang": ["zh"], "report_formats": ("html", "xlsx")})
    return out
