"""Formula safety: the one place that decides how a value is written to a CSV or an Excel cell.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or a
carriage return) as a formula, so data such as ``=HYPERLINK("http://x","y")`` could act when a
reader opens the file. Every CSV the project writes passes text through :func:`csv_text` (a
leading apostrophe, the OWASP convention; numbers written as text such as ``-5`` are left alone),
and every workbook cell is written by :func:`put_cell`, which stores strings as text cells
(``data_type = "s"``), so nothing ever becomes a formula whatever it starts with; formula-like
text also gets Excel's quote prefix, so it stays text when a reader edits the cell. Pandas' missing
value is an empty cell (never the text ``<NA>``).
"""

from __future__ import annotations

import math
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(v: Any) -> bool:
    """True for text a spreadsheet would run as a formula (a plain number such as ``-5`` is not)."""
    if not isinstance(v, str) or not v.startswith(FORMULA_START):
        return False
    try:
        float(v)
    except ValueError:
        return True
    return False


def csv_text(v: Any) -> Any:
    """``v`` made safe for a CSV cell: formula-like text gets a leading apostrophe."""
    return "'" + v if formula_like(v) else v


def put_cell(ws: Any, row: int, col: int, value: Any, number_format: str | None = None) -> Any:
    """Write one openpyxl cell: numbers as numbers (with ``number_format``), every string as a
    text cell (never a formula), missing and non-finite values as empty cells."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        return cell
    kind = type(value).__module__
    if kind.startswith("pandas") and type(value).__name__ in ("NAType", "NaTType"):
        return cell  # pandas' missing value: an empty cell, not the text "<NA>"
    if kind == "numpy":
        value = value.item()
    elif kind.startswith("pandas") and hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, float) and not math.isfinite(value):
        return cell
    if not isinstance(value, (bool, int, float, str)) and not hasattr(value, "isoformat"):
        value = str(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if formula_like(value):
            # shown with Excel's quote prefix, so that editing the cell and pressing Enter keeps it
            # text ("+2.2 pp" would otherwise become a formula then)
            cell.quotePrefix = True
    elif number_format and not isinstance(value, bool):
        cell.number_format = number_format
    return cell


__all__ = ["FORMULA_START", "csv_text", "formula_like", "put_cell"]
