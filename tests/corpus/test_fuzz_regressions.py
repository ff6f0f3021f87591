"""Inputs found by ``fuzz/fuzz_loaders.py`` that once crashed a loader: each must now end in a
:class:`~suanli.errors.SuanliError` (a message naming the file) or a result, never another exception.

Files live in ``fuzz_regressions/<target>/``; the target names the loader (see ``fuzz/fuzz_loaders.py``).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fuzz"))
from fuzz_loaders import TARGETS  # noqa: E402
from loaders import LOADERS  # noqa: E402

from suanli.errors import SuanliError  # noqa: E402

HERE = Path(__file__).parent / "fuzz_regressions"
CASES = sorted(p for p in HERE.rglob("*") if p.is_file())


def test_there_are_regressions():
    assert CASES


@pytest.mark.parametrize("case", CASES, ids=[str(p.relative_to(HERE)) for p in CASES])
def test_fuzz_regression(case, tmp_path):
    target = case.parent.name
    loader_name, suffix, _ = TARGETS[target]
    path = tmp_path / f"input{suffix}"
    shutil.copyfile(case, path)
    try:
        LOADERS[loader_name](path)
    except SuanliError as exc:
        assert path.name in str(exc)
