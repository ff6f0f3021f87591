"""WeasyPrint copies a document's ``@font-face`` fonts (the 16 MB CJK face) into a ``weasyprint-*``
folder of the temporary directory and removes it only when its font configuration is
garbage-collected, which never happens in a PDF worker (pool workers leave with ``os._exit``): every
build left one behind. The report's PDF functions remove it when the PDF is written."""

from __future__ import annotations

import tempfile

import pytest


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
    assert list(tmp_path.glob("weasyprint-*"))  # what a worker's exit would leave


def test_pdf_bytes_and_the_early_layout_remove_their_font_folders(html, tmp_path, monkeypatch):
    from suanli.report.render import pdf_bytes, pdf_layout, pdf_write

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert pdf_bytes(html, str(tmp_path)).startswith(b"%PDF")
    assert not list(tmp_path.glob("weasyprint-*"))
    pdf_layout("font-folder-test", html, str(tmp_path), {})
    assert list(tmp_path.glob("weasyprint-*"))  # kept while the laid-out PDF waits for its figures
    data, early = pdf_write("font-folder-test")
    assert data.startswith(b"%PDF") and early
    assert not list(tmp_path.glob("weasyprint-*"))
