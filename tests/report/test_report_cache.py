"""The report cache's clean-up: a partial file a killed writer left is removed by the next build's
prune; a file another running writer is still writing, and every finished entry, stay."""

from __future__ import annotations

import os
import subprocess
import sys

from suanli.report.cache import Cache


def test_prune_removes_a_dead_writers_partial_file_and_keeps_the_rest(tmp_path):
    cache = Cache(tmp_path / "report")
    cache.put("fig", "abc", "png", b"finished")
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(done.stdout)  # that process has exited
    partial = cache.folder / "fig" / f"def.png.tmp{dead}"
    partial.write_bytes(b"half")
    writing = cache.folder / "fig" / f"ghi.png.tmp{os.getpid()}"  # a running writer (this process)
    writing.write_bytes(b"in progress")
    later = Cache(tmp_path / "report")  # the next build: it has used nothing yet
    assert later.prune() == 1
    assert not partial.exists() and writing.exists()
    assert later.get("fig", "abc", "png") == b"finished"
