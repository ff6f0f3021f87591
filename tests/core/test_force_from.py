"""``suanli build --force-from STAGE``: that stage and every later one recompute, earlier ones are
reused from the previous build; the tables are the same as before."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from build_helpers import stage_runs

from suanli.builder import build, stages
from suanli.edition import load_edition


def _tables(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((out / "tables").glob("*.csv"))}


def test_force_from_recomputes_that_stage_and_the_later_ones(default_build, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(default_build, out)
    shutil.copytree(default_build.parent / ".out.cache", tmp_path / ".out.cache")
    before = _tables(out)
    ed = load_edition()
    names = [s.name for s in stages() if s.applies(ed)]
    assert stage_runs(out) == dict.fromkeys(names, False)                     # the shared build computed all
    build(ed, out, options={"lang": ["zh"], "report_formats": ("html", "pdf", "xlsx"), "force_from": "index"})
    at = names.index("index")
    assert stage_runs(out) == {n: i < at for i, n in enumerate(names)}, stage_runs(out)
    assert _tables(out) == before


def test_force_from_an_unknown_stage_names_the_stages(tmp_path, suanli_cmd, env_no_faults):
    r = subprocess.run([*suanli_cmd, "build", "--out", str(tmp_path / "out"),
                        "--force-from", "indx"], env=env_no_faults, capture_output=True, text=True)
    assert r.returncode == 2
    assert "unknown stage 'indx'" in r.stderr and "capacity, markets" in r.stderr and "uncertainty" in r.stderr
    assert not (tmp_path / "out").exists()
