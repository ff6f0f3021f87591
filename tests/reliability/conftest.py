"""Fixtures for the reliability tests: a reduced copy of the default edition and helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml


@pytest.fixture(scope="session")
def reduced_edition(tmp_path_factory) -> Path:
    """The default edition with every stage and input, but fewer Monte Carlo samples and forecast models
    (the parts whose run time grows with the parameters, not with the code paths exercised)."""
    from suanli.edition import default_edition_dir

    dst = tmp_path_factory.mktemp("reduced") / "2025"
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
    return dst
