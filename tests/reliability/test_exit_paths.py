"""Exit paths of the command line: the status a command asks for is the process's status, Ctrl-C
unwinds a build (status 130, no staging folder), and a SIGKILL's debris is removed by the next build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from suanli.edition import default_edition_dir

ROOT = Path(__file__).resolve().parents[2]
ASEM = ROOT / "tests" / "data" / "coinr_asem"
ENV = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}


def test_markets_check_fail_on_sets_the_exit_status(tmp_path):
    """`--fail-on WARN` with warnings exits 1 (typer returns that status without standalone mode;
    it used to be dropped and the process exited 0)."""
    facts = default_edition_dir() / "data" / "facts.csv"
    base = [sys.executable, "-m", "suanli", "markets", "check", str(facts), "-o", str(tmp_path / "o")]
    r = subprocess.run([*base, "--fail-on", "WARN"], capture_output=True, text=True, env=ENV)
    assert "WARN 0" not in r.stdout, r.stdout  # the default facts carry warnings
    assert r.returncode == 1, (r.stdout, r.stderr)
    r = subprocess.run([*base, "--fail-on", "none"], capture_output=True, text=True, env=ENV)
    assert r.returncode == 0, r.stderr


def _small_edition(tmp_path: Path) -> Path:
    ed = tmp_path / "ed"
    ed.mkdir()
    (ed / "meta.csv").write_bytes((ASEM / "ASEM_iMeta.csv").read_bytes())
    (ed / "data.csv").write_bytes((ASEM / "ASEM_iData.csv").read_bytes())
    (ed / "edition.yaml").write_text(
        "schema_version: 1\nid: t\nyear: 2025\ntitle: {zh: t, en: t}\nsynthetic: false\n"
        "outputs: {report: false, capacity_page: false}\n"
        "inputs:\n  meta: {path: meta.csv, kind: framework, synthetic: false}\n"
        "  data: {path: data.csv, kind: indicators, synthetic: false}\n"
        "assessments:\n  asem: {framework: meta, data: data}\n", encoding="utf-8")
    return ed


def _paused_build(tmp_path: Path, ed: Path) -> subprocess.Popen:
    marker = tmp_path / "paused"
    marker.unlink(missing_ok=True)
    env = {**ENV, "SUANLI_PAUSE": "after-index", "SUANLI_PAUSE_MARKER": str(marker)}
    p = subprocess.Popen([sys.executable, "-m", "suanli", "build", str(ed), "--out", str(tmp_path / "out"), "-q"],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         # a background job may inherit an ignored SIGINT: give the build the default
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 300
    while not marker.exists() and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert marker.exists(), p.communicate()[1]
    assert list(tmp_path.glob(".out.building-*"))  # under way in its staging folder
    return p


def test_ctrl_c_during_a_build_exits_130_and_leaves_no_debris(tmp_path):
    ed = _small_edition(tmp_path)
    p = _paused_build(tmp_path, ed)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 130 and b"interrupted" in err and b"Traceback" not in err, err
    assert not list(tmp_path.glob(".out.building-*")) and not (tmp_path / "out").exists()


def test_the_next_build_removes_what_a_sigkill_left(tmp_path):
    ed = _small_edition(tmp_path)
    p = _paused_build(tmp_path, ed)
    os.kill(p.pid, signal.SIGKILL)
    p.communicate(timeout=60)
    assert p.returncode == -signal.SIGKILL
    assert len(list(tmp_path.glob(".out.building-*"))) == 1  # SIGKILL cannot be caught
    r = subprocess.run([sys.executable, "-m", "suanli", "build", str(ed), "--out", str(tmp_path / "out"), "-q"],
                       capture_output=True, text=True, env=ENV)
    assert r.returncode == 0, r.stderr
    assert not list(tmp_path.glob(".out.building-*")) and (tmp_path / "out" / "tables").is_dir()
