"""docs/tutorial.ipynb executes headless from top to bottom (nbclient), as a reader would run it."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "tutorial.ipynb"


def test_tutorial_notebook_executes(tmp_path, default_build):
    """Run where a reader runs it after ``./dev build``: beside a finished ``out/`` (the session's
    shared default build, linked in), which the notebook opens read-only instead of building."""
    (tmp_path / "out").symlink_to(default_build, target_is_directory=True)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(("中文" in c.source or "：" in c.source) and any(ch.isascii() and ch.isalpha() for ch in c.source)
               for c in nb.cells if c.cell_type == "markdown"), "every markdown cell is in Chinese and English"
    env_before = dict(os.environ)
    client = NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    assert dict(os.environ) == env_before
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    text = "\n".join(o.get("text", "") or str(o.get("data", {}).get("text/plain", ""))
                     for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "EFLOPS" in text and "synthetic" in text.lower()
    assert "spearman" in text and "PASS" in text
    assert not (tmp_path / "tutorial-out").exists(), "the notebook built instead of opening out/"
