"""Shared fixtures."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"  # data the tests need, each folder with its source and licence


@pytest.fixture
def suanli_cmd() -> list[str]:
    """Command prefix running the CLI in a subprocess with this interpreter."""
    return [sys.executable, "-m", "suanli"]


@pytest.fixture
def env_no_faults() -> dict[str, str]:
    env = dict(os.environ)
    for k in ("SUANLI_FAULT", "SUANLI_PAUSE", "SUANLI_PAUSE_MARKER"):
        env.pop(k, None)
    return env


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (``--dist loadgroup``), keep each test folder on one worker: folders share
    expensive session fixtures (a built edition, a rendered report), built once per worker."""
    for item in items:
        folder = Path(str(item.fspath)).resolve().relative_to(ROOT / "tests").parts[0]
        item.add_marker(pytest.mark.xdist_group(folder))
