"""The report: bilingual HTML, PDF, Excel workbook and figures, generated from the build store."""

from __future__ import annotations

__all__ = ["write_report"]


def write_report(*args, **kwargs):
    from .render import write_report as _w

    return _w(*args, **kwargs)
