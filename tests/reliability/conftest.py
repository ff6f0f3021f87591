"""Fixtures for the reliability tests: a reduced copy of the default edition, one build of it, and helpers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml


def _make_reduced_edition(folder: Path) -> None:
    from suanli.edition import default_edition_dir

    dst = folder / "2025"
    shutil.copytree(default_edition_dir(), dst)
    data = yaml.safe_load((dst / "edition.yaml").read_text(encoding="utf-8"))
    for us in (data.get("uncertainty") or {}).get("assessments", {}).values():
        us["samples"] = 200
        if us.get("sobol"):
            us["sobol_n"] = 16
    for section in ("energy", "demand"):
        if data.get(section, {}).get("draws"):
            data[section]["draws"] = 500
    if (data.get("capacity") or {}).get("uncertainty", {}).get("draws"):
        data["capacity"]["uncertainty"]["draws"] = 100
    if data.get("markets", {}).get("forecast"):
        data["markets"]["forecast"]["models"] = ["loglinear", "drift"]
    (dst / "edition.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="session")
def reduced_edition(shared_folder) -> Path:
    """The default edition with every stage and input, but fewer Monte Carlo samples and forecast models
    (the parts whose run time grows with the parameters, not with the code paths exercised).

    Made once per session for every xdist worker (one path, so builds of it on different workers
    record the same edition folder); read-only for tests."""
    return shared_folder("reduced-edition", _make_reduced_edition) / "2025"


@pytest.fixture(scope="session")
def reduced_build(reduced_edition, shared_folder) -> Path:
    """A folder holding ``out`` (``suanli build`` of :func:`reduced_edition`, as a user runs it: a
    subprocess) and ``.out.cache`` (its report cache beside it), built once per session for every
    xdist worker. Read-only for tests: copy both folders (``shutil.copytree``) into a test's own
    folder, which then holds what that build would have left there."""

    def make(folder: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("SUANLI_FAULT", "SUANLI_PAUSE", "SUANLI_PAUSE_MARKER")}
        r = subprocess.run([sys.executable, "-m", "suanli", "build", str(reduced_edition), "--out", str(folder / "out"),
                            "-q"], env=env, capture_output=True, text=True, timeout=1800)
        if r.returncode != 0:
            raise RuntimeError(f"the reduced build failed (exit {r.returncode}):\n{r.stdout}\n{r.stderr}")

    return shared_folder("reduced-build", make)
