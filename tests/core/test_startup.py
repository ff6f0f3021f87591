"""The CLI starts without the heavy numerical and plotting libraries: help is instant."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ["pandas", "numpy", "scipy", "plotly", "dask", "distributed", "matplotlib", "duckdb", "statsmodels",
         "SALib", "weasyprint", "fastapi", "openpyxl"]

PROBE = """
import json, sys
sys.argv = ["suanli", *json.loads(sys.argv[1])]
from suanli.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)
"""


def groups() -> list[list[str]]:
    import typer

    from suanli.cli import app

    root = typer.main.get_command(app)
    out = [[]]
    for name in root.list_commands(None):  # type: ignore[arg-type]
        out.append([name])
        sub = root.get_command(None, name)  # type: ignore[arg-type]
        for child in getattr(sub, "commands", {}):
            out.append([name, child])
    return out


def test_every_group_is_probed():
    names = {tuple(g) for g in groups()}
    assert {("capacity",), ("index",), ("markets",), ("survey",), ("serve",), ("build",),
            ("index", "uncertainty")} <= names


@pytest.mark.parametrize("argv", groups(), ids=lambda a: " ".join(a) or "root")
def test_help_imports_nothing_heavy(argv):
    r = subprocess.run([sys.executable, "-c", PROBE, json.dumps([*argv, "--help"])],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Usage" in r.stdout
    loaded = set(json.loads(r.stderr.strip().splitlines()[-1]))
    assert not loaded & set(HEAVY), f"'suanli {' '.join(argv)} --help' imported {sorted(loaded & set(HEAVY))}"


#: what a build that reuses every stage of the previous output must not import (it copies tables
#: with DuckDB and files with shutil; the engines are imported where a stage runs)
ENGINES = ["pandas", "numpy", "scipy", "plotly", "matplotlib", "statsmodels", "SALib", "weasyprint", "openpyxl"]


def test_a_build_that_reuses_every_stage_imports_no_engine(default_build, tmp_path):
    """``suanli build`` again with nothing changed: every stage is reused and none of the numerical
    or rendering libraries is imported (about 1 s instead of 1.65-2 s when the stage modules and
    the store imported pandas at the top)."""
    import shutil

    from build_helpers import stage_runs

    out = tmp_path / "out"
    shutil.copytree(default_build, out)
    r = subprocess.run([sys.executable, "-c", PROBE, json.dumps(["build", "--lang", "zh,en", "--out", str(out), "-q"])],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    runs = stage_runs(out)
    assert runs and all(runs.values()), runs
    loaded = set(json.loads(r.stderr.strip().splitlines()[-1]))
    assert not loaded & set(ENGINES), sorted(loaded & set(ENGINES))
