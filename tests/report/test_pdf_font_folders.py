"""WeasyPrint copies a document's ``@font-face`` fonts (the 16 MB CJK face) into a ``weasyprint-*``
folder of the temporary directory and removes it only when its font configuration is
garbage-collected, which never happens in a PDF worker (pool workers leave with ``os._exit``): every
build left one behind. The report's PDF functions make that folder themselves, named after their
process, and remove it when the PDF is written; a build removes the folders of PDF workers that were
killed before they could."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import pytest

from suanli.report.render import FONT_FOLDER_PREFIX


@pytest.fixture
def html() -> str:
    from suanli.report.render import _font_css

    css = _font_css()
    assert "@font-face" in css  # the font copy happens only with a font face
    return f"<style>{css}</style><p style='font-family: \"Noto Sans CJK SC\"'>中国人工智能计算力 AI compute</p>"


def test_weasyprint_leaves_its_font_folder_behind_without_us(html, tmp_path, monkeypatch):
    from weasyprint import HTML

    from suanli.report.render import _font_config

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    fonts = _font_config()
    HTML(string=html, base_url=str(tmp_path)).write_pdf(font_config=fonts)
    left = list(tmp_path.glob(f"{FONT_FOLDER_PREFIX}*"))
    assert left and left[0].name.startswith(f"{FONT_FOLDER_PREFIX}{os.getpid()}-")  # what a worker's exit would leave


def test_pdf_bytes_and_the_early_layout_remove_their_font_folders(html, tmp_path, monkeypatch):
    from suanli.report.render import pdf_bytes, pdf_layout, pdf_write

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert pdf_bytes(html, str(tmp_path)).startswith(b"%PDF")
    assert not list(tmp_path.glob(f"{FONT_FOLDER_PREFIX}*"))
    pdf_layout("font-folder-test", html, str(tmp_path), {})
    assert list(tmp_path.glob(f"{FONT_FOLDER_PREFIX}*"))  # kept while the laid-out PDF waits for its figures
    data, early = pdf_write("font-folder-test")
    assert data.startswith(b"%PDF") and early
    assert not list(tmp_path.glob(f"{FONT_FOLDER_PREFIX}*"))


def test_a_build_removes_the_font_folders_of_killed_workers(tmp_path, monkeypatch):
    from suanli.report.render import sweep_font_folders

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    dead = tmp_path / f"{FONT_FOLDER_PREFIX}{gone}-abc"
    live = tmp_path / f"{FONT_FOLDER_PREFIX}{os.getpid()}-def"
    other = tmp_path / "weasyprint-xyz"  # not ours: whose it is cannot be told
    for d in (dead, live, other):
        d.mkdir()
        (d / "font.otf").write_bytes(b"x" * 10)
    assert sweep_font_folders() == 1
    assert not dead.exists() and live.exists() and other.exists()
