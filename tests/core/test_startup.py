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
