"""Declared dependencies are exactly what the code imports; optional extras fail with a clear message."""

from __future__ import annotations

import ast
import sys
import tomllib
from functools import cache
from importlib.metadata import packages_distributions as _packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from suanli import extras
from suanli.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "suanli"


def imported_modules(files) -> set[str]:
    mods: set[str] = set()
    for p in files:
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                mods |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods.add(node.module.split(".")[0])
    return {m for m in mods if m not in sys.stdlib_module_names and m not in ("suanli", "__future__")}


@cache
def packages_distributions() -> dict[str, list[str]]:
    return _packages_distributions()


def norm(name: str) -> str:
    return name.lower().replace("_", "-")


def declared() -> dict[str, set[str]]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    out = {"core": {norm(Requirement(r).name) for r in meta["dependencies"]}}
    for extra, reqs in meta["optional-dependencies"].items():
        out[extra] = {norm(Requirement(r).name) for r in reqs if not r.startswith("suanli")}
    return out


def dists_of(module: str) -> set[str]:
    return {norm(d) for d in packages_distributions().get(module, [])}


def test_runtime_dependencies_are_exactly_what_src_imports():
    dec = declared()
    runtime = dec["core"] | dec["web"] | dec["dask"]
    mods = imported_modules(SRC.rglob("*.py"))
    undeclared = {m for m in mods if not dists_of(m) & runtime}
    assert not undeclared, f"imported but not declared: {sorted(undeclared)}"
    used = set().union(*(dists_of(m) for m in mods))
    unused = runtime - used
    assert not unused, f"declared but never imported: {sorted(unused)}"


def test_extras_are_imported_only_where_they_are_optional():
    dec = declared()
    for extra in ("web", "dask"):
        mods = {m for m, ds in packages_distributions().items() if {norm(d) for d in ds} & dec[extra]}
        where = {"web": [SRC / "web"], "dask": [SRC / "index" / "uncertainty" / "dask.py"]}[extra]
        outside = [p for p in SRC.rglob("*.py") if not any(p == w or w in p.parents for w in where)]
        leaked = imported_modules(outside) & mods
        assert not leaked, f"{extra} modules imported outside {where}: {sorted(leaked)}"
        assert set(extras.EXTRAS[extra][0]) <= mods


def test_missing_extra_names_it(monkeypatch):
    real = extras.find_spec
    monkeypatch.setattr(extras, "find_spec", lambda m: None if m == "fastapi" else real(m))
    with pytest.raises(ConfigError, match=r"pip install 'suanli\[web\]'") as e:
        extras.require("web")
    assert "fastapi" in str(e.value)
    extras.require("dask")  # installed here


def test_serve_without_the_web_extra_is_a_clear_error(monkeypatch):
    from typer.testing import CliRunner

    from suanli.cli import app

    real = extras.find_spec
    monkeypatch.setattr(extras, "find_spec", lambda m: None if m == "uvicorn" else real(m))
    r = CliRunner().invoke(app, ["serve", "--port", "0"])
    assert isinstance(r.exception, ConfigError) and "suanli[web]" in str(r.exception)


def test_every_package_file_is_declared_package_data():
    """A wheel (``pip install .``) carries only the ``.py`` files and what ``package-data`` names: a data
    file, template or vendored script outside those patterns would be missing from an installed copy
    although every editable checkout has it."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["suanli"]
    pkg = ROOT / "src" / "suanli"
    declared = {p for pat in patterns for p in pkg.glob(pat) if p.is_file()}
    undeclared = sorted(p.relative_to(pkg).as_posix() for p in pkg.rglob("*")
                        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
                        and p not in declared)
    assert not undeclared, f"add these to [tool.setuptools.package-data] in pyproject.toml: {undeclared}"
