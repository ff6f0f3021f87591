"""The report stage in incremental builds: reused (files copied) when nothing it reads changed,
rendered again when its output is incomplete; its key follows the code version it prints."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from build_helpers import stage_runs

import suanli
from suanli.builder import build
from suanli.edition import load_edition
from suanli.report.formats import FORMATS

#: the options `suanli build --lang zh,en` passes (the shared default build was made so)
OPTIONS = {"lang": ["zh", "en"], "report_formats": FORMATS, "force": False}


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def copy_of_default_build(default_build, tmp_path) -> Path:
    """A copy of the shared default build and of its report cache beside it (so renders are warm)."""
    out = tmp_path / "out"
    shutil.copytree(default_build, out)
    shutil.copytree(default_build.parent / ".out.cache", tmp_path / ".out.cache")
    return out


def test_report_reused_then_rendered_when_a_file_is_gone(copy_of_default_build):
    out = copy_of_default_build
    pages = {n: _digest(out / n) for n in ("report.html", "report.en.html", "report.pdf", "tables.xlsx")}
    build(load_edition(), out, options=OPTIONS)
    runs = stage_runs(out)
    assert runs["report"] is True and all(runs.values()), runs
    assert {n: _digest(out / n) for n in pages} == pages

    # a report file deleted from the previous output: the report is rendered again, not left out
    (out / "report.pdf").unlink()
    build(load_edition(), out, options=OPTIONS)
    assert stage_runs(out)["report"] is False
    assert {n: _digest(out / n) for n in pages} == pages  # the same files, rendered from the report cache


def test_report_key_follows_the_printed_code_version_and_render_libraries(monkeypatch):
    """The pages print the code version and their bytes depend on the rendering libraries, neither of
    which the edition or the package source capture (a commit that changes only docs changes the
    version): both enter the report stage's key."""
    from suanli.report.stage import RENDER_DEPENDENCIES, STAGE

    before = STAGE.key_extra()
    assert set(before["render"]) == set(RENDER_DEPENDENCIES) and "missing" not in before["render"].values()
    monkeypatch.setattr(suanli, "code_version", lambda: "9.9.9+test")
    after = STAGE.key_extra()
    assert after["code_version"] == "9.9.9+test" and after != before
