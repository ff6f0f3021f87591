"""Reading tables the way analysts actually save them.

* CSV in UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text"), GBK/GB18030 (Excel on
  Chinese Windows); tab-separated files; ``.xlsx`` workbooks (cached values, never formulas).
* Headers are matched case- and width-insensitively against a schema with aliases
  (``型号`` = ``accelerator_model``), so a Chinese header row works.
* Cells go through :mod:`suanli.units`: "2.2万", full-width digits, "1,234", "—", "N/A".
* Every problem is reported as an :class:`~suanli.errors.InputError` naming file, row (the line
  number a spreadsheet shows, header = 1) and column, with what to do.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..limits import limit, over_limit_hint
from ..units import UnitError, is_missing, normalise_text, parse_number_series, parse_period
from .paths import sheet_of
from .textfiles import (
    DEFAULT_MAX_CELL_KB,
    DEFAULT_MAX_XLSX_UNCOMPRESSED_MB,
    _check_size,
    _env_mb,
    decode_bytes,
)


@dataclass
class RawTable:
    """A table read as text: every cell a string (``""`` for empty), plus where it came from."""

    #: where the table is, as messages name it: the file, and for a workbook also the worksheet
    #: (``data.xlsx, sheet 'Data'``), so every problem built from it names the sheet
    path: str
    frame: pd.DataFrame
    encoding: str = "utf-8"
    #: file line number of each data row (the line or row a spreadsheet shows)
    lines: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: the worksheet read (workbooks only)
    sheet: str | None = None
    #: line of the header row (below any title rows and blank lines)
    header_line: int = 1

    def line(self, pos: int) -> int:
        return int(self.lines[pos])


def _is_zip(p: Path) -> bool:
    with open(p, "rb") as f:
        return f.read(4) == b"PK\x03\x04"


def read_raw_table(path: str | Path, *, sheet: str | None = None) -> RawTable:
    """Read a CSV/TSV/XLSX file into a :class:`RawTable` of strings.

    A workbook is recognised by its content, whatever its name (an .xlsx saved as ``data.csv``).
    ``sheet`` names the worksheet; by default the first visible worksheet with content is read.
    Leading blank rows and title rows (one filled cell above a wider header) are skipped; row
    numbers stay the file's. A path from :func:`suanli.io.paths.with_sheet` (an edition input with
    ``sheet:``, a command's ``--sheet``) names the worksheet when ``sheet`` is not given.
    """
    if sheet is None:
        sheet = sheet_of(path)
    p = Path(path)
    _check_size(p)
    if p.suffix.lower() == ".xls" or _starts_with(p, b"\xd0\xcf\x11\xe0"):
        raise InputError("is an old binary .xls workbook", file=p, hint="save it as .xlsx or CSV UTF-8")
    if p.suffix.lower() in (".xlsx", ".xlsm") or _is_zip(p):
        if p.suffix.lower() not in (".xlsx", ".xlsm"):
            _check_size(p, xlsx=True)
        return _read_xlsx(p, sheet)
    if sheet:
        raise InputError(f"is a text table, not a workbook, so it has no worksheet '{sheet}'", file=p,
                         hint="remove the sheet choice (--sheet, or sheet: in edition.yaml) for CSV/TSV files")
    data = p.read_bytes()
    text, enc = decode_bytes(data, p)
    if "\x00" in text:
        ln = text[: text.index("\x00")].count("\n") + 1
        raise InputError("contains NUL bytes (a damaged or partly written file)", file=p, row=ln,
                         hint="export the table again; check the disk was not full when it was saved")
    if not text.strip():
        raise InputError("has no content", file=p, hint="export the table again with its header row")
    if text.count('"') % 2 == 1:
        ln = _unclosed_quote_line(text)
        raise InputError("has an unclosed quote (the file may be truncated)", file=p, row=ln,
                         hint="check for an unclosed quote; a truncated file often ends this way; export it again")
    first = next((ln for ln in text.split("\n") if ln.strip()), "")
    delim = "\t" if first.count("\t") > first.count(",") else ","
    max_cell = _env_mb("SUANLI_MAX_CELL_KB", DEFAULT_MAX_CELL_KB) // 1024
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    records: list[tuple[int, list[str]]] = []
    prev = 0
    try:
        for rec in reader:
            start_line = prev + 1
            prev = reader.line_num
            if not rec or all(not c.strip() for c in rec):
                continue
            for c, cell in enumerate(rec):
                if len(cell) > max_cell:
                    raise InputError(
                        f"cell {c + 1} is {len(cell) / 1024:,.0f} KB, over the {max_cell / 1024:,.0f} KB cell limit",
                        file=p, row=start_line, column=(records[0][1][c] if records and c < len(records[0][1])
                                                        else f"column {c + 1}"),
                        hint="a table cell holds a value, not a document; move long text elsewhere "
                             "(or raise SUANLI_MAX_CELL_KB)")
            records.append((start_line, rec))
    except csv.Error as exc:
        raise InputError(
            f"is not valid CSV ({exc})", file=p, row=prev + 1,
            hint="check the quoting on this line (a quote inside a value is written twice: \"\")",
        ) from None
    finally:
        csv.field_size_limit(old_limit)
    header_line, header, body = _split_header(records)
    return _frame_from_rows(p, header, [r for _, r in body], [ln for ln, _ in body], enc,
                            header_line=header_line)


def _starts_with(p: Path, magic: bytes) -> bool:
    with open(p, "rb") as f:
        return f.read(len(magic)) == magic


def _unclosed_quote_line(text: str) -> int:
    """Line of the quote that opens the unterminated quoted field."""
    inside = False
    opened = 0
    line = 1
    for ch in text:
        if ch == "\n":
            line += 1
        elif ch == '"':
            inside = not inside
            if inside:
                opened = line
    return opened or text[: text.rindex('"')].count("\n") + 1


def _filled(rec: Sequence[Any]) -> int:
    return sum(1 for v in rec if v is not None and str(v).strip() != "")


def _split_header(records: list[tuple[int, list[Any]]]) -> tuple[int, list[Any], list[tuple[int, list[Any]]]]:
    """Skip title rows (a single filled cell above a row with two or more) and return the header's
    line, the header and the rows below it. ``records`` hold only non-blank rows."""
    i = 0
    while i + 1 < len(records) and _filled(records[i][1]) == 1 and _filled(records[i + 1][1]) >= 2 \
            and i < 5:
        i += 1
    if not records:
        return 1, [], []
    return records[i][0], list(records[i][1]), records[i + 1:]


def _frame_from_rows(
    p: Path | str, header: list[Any], rows: list[list[Any]], lines: list[int], enc: str, *,
    header_line: int = 1, sheet: str | None = None,
) -> RawTable:
    where = _where(p, sheet)
    header = [normalise_text(h) for h in header]
    while header and header[-1] == "" and all(len(r) < len(header) or not str(r[len(header) - 1]).strip() for r in rows):
        header.pop()
    if not any(header):
        raise InputError("has no header row", file=where, row=header_line, hint="the first line must name the columns")
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        if h == "":
            raise InputError(f"column {i + 1} has an empty header", file=where, row=header_line, hint="name every column")
        if h in seen:
            raise InputError(
                f"column '{h}' appears twice (columns {seen[h] + 1} and {i + 1})",
                file=where, row=header_line, column=h, hint="rename or delete one of them",
            )
        seen[h] = i
    n = len(header)
    fixed = []
    for rec, ln in zip(rows, lines, strict=True):
        if len(rec) > n and any(str(c).strip() for c in rec[n:] if c is not None):
            raise InputError(
                f"has {len(rec)} cells but the header has {n} columns",
                file=where, row=ln, hint="check for an unquoted comma inside a value (use '1234' or \"1,234\")",
            )
        rec = [("" if c is None else str(c)) for c in rec[:n]] + [""] * max(0, n - len(rec))
        fixed.append(rec)
    frame = pd.DataFrame(fixed, columns=header, dtype=object)
    return RawTable(where, frame, enc, np.asarray(lines, dtype=np.int64), sheet, header_line)


def _where(p: Path | str, sheet: str | None) -> str:
    return f"{p}, sheet '{sheet}'" if sheet else str(p)


# --------------------------------------------------------------------------------------------
# Workbooks: checked by uncompressed size, then read in streaming (read-only) mode
# --------------------------------------------------------------------------------------------

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def check_workbook_expansion(p: Path) -> None:
    """Refuse a workbook whose parts expand beyond SUANLI_MAX_XLSX_UNCOMPRESSED_MB before parsing
    a byte of XML (sizes from the zip directory, checked again while streaming)."""
    import zipfile

    limit = _env_mb("SUANLI_MAX_XLSX_UNCOMPRESSED_MB", DEFAULT_MAX_XLSX_UNCOMPRESSED_MB)
    try:
        with zipfile.ZipFile(p) as z:
            total = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})", file=p,
                         hint="open and re-save it in Excel, or export the sheet as CSV UTF-8") from None
    if total > limit:
        raise InputError(
            f"expands to {total / 2**20:,.0f} MB of XML when unzipped ({p.stat().st_size / 2**20:,.1f} MB on disk), "
            f"over the {limit / 2**20:,.0f} MB limit for workbooks",
            file=p, hint="a workbook this large (or a decompression bomb) is not read; save the table as CSV "
                         "UTF-8, or raise SUANLI_MAX_XLSX_UNCOMPRESSED_MB if you have the memory")


@dataclass
class _SheetMarks:
    hidden_rows: set[int] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)   # min_row, min_col, max_row, max_col
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)     # (row, col) → formula


def _sheet_marks(p: Path, part: str) -> _SheetMarks:
    """Hidden rows, merged ranges and formulas without a saved value, from one streaming pass over
    the worksheet XML (openpyxl's read-only mode does not report them)."""
    import zipfile
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import column_index_from_string as col_idx
    from openpyxl.utils.cell import coordinate_from_string, range_boundaries

    marks = _SheetMarks()
    with zipfile.ZipFile(p) as z, z.open(part.lstrip("/")) as f:
        row_no = 0
        for _event, el in iterparse(f, events=("end",)):
            tag = el.tag
            if tag == f"{_NS}c":
                fel = el.find(f"{_NS}f")
                if fel is not None:
                    v = el.find(f"{_NS}v")
                    if v is None or not (v.text or "").strip():
                        ref = el.get("r")
                        if ref:
                            letters, r = coordinate_from_string(ref)
                            marks.uncached[(r, col_idx(letters))] = "=" + (fel.text or "")
                el.clear()
            elif tag == f"{_NS}row":
                row_no = int(el.get("r") or row_no + 1)
                if el.get("hidden") in ("1", "true"):
                    marks.hidden_rows.add(row_no)
                el.clear()
            elif tag == f"{_NS}mergeCell":
                ref = el.get("ref")
                if ref and ":" in ref:
                    c1, r1, c2, r2 = range_boundaries(ref)
                    marks.merges.append((r1, c1, r2, c2))
            elif tag == f"{_NS}sheetData":
                el.clear()
    return marks


def _read_xlsx(p: Path, sheet: str | None) -> RawTable:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover
        raise InputError("needs openpyxl to read .xlsx", file=p) from None
    check_workbook_expansion(p)
    fh = open(p, "rb")  # a file object: openpyxl then ignores the name (an .xlsx saved as .csv)
    try:
        try:
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for corrupt files
            raise InputError(
                f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                file=p, hint="open and re-save it in Excel, or export the sheet as CSV UTF-8",
            ) from None
        try:
            return _read_workbook(p, wb, sheet)
        finally:
            wb.close()
    finally:
        fh.close()


def _read_workbook(p: Path, wb: Any, sheet: str | None) -> RawTable:
    sheets = [ws for ws in wb.worksheets if hasattr(ws, "_worksheet_path")]
    if not sheets:
        raise InputError("has no worksheet with cells (only chart sheets or none)", file=p,
                         hint="put the table on an ordinary worksheet, or export it as CSV UTF-8")
    visible = [ws for ws in sheets if getattr(ws, "sheet_state", "visible") == "visible"]
    names = ", ".join(f"'{ws.title}'" + ("" if ws in visible else " (hidden)") for ws in sheets)
    if sheet is not None:
        hit = [ws for ws in sheets if ws.title == sheet] or \
              [ws for ws in sheets if normalise_text(ws.title).lower() == normalise_text(sheet).lower()]
        if not hit:
            import difflib

            close = difflib.get_close_matches(sheet, [ws.title for ws in sheets], n=1, cutoff=0.5)
            raise InputError(f"has no worksheet '{sheet}'" + (f" (did you mean '{close[0]}'?)" if close else ""),
                             file=p, hint=f"worksheets: {names}")
        table = _read_sheet(p, hit[0])
        if table is None:
            raise InputError("has no content", file=_where(p, hit[0].title),
                             hint=f"this worksheet is empty; worksheets: {names}")
        return table
    if not visible:
        raise InputError("has only hidden worksheets", file=p,
                         hint=f"unhide the worksheet with the table, or name it (--sheet NAME, or sheet: in "
                              f"edition.yaml); worksheets: {names}")
    # the first visible worksheet with content (a hidden sheet is an old or helper copy)
    for ws in visible:
        table = _read_sheet(p, ws)
        if table is not None:
            return table
    raise InputError("has no content", file=p,
                     hint=f"every visible worksheet is empty ({names}); the first non-empty row must be the header")


def _read_sheet(p: Path, ws: Any) -> RawTable | None:
    """One worksheet as a RawTable, or None if it has no filled cell."""
    where = _where(p, ws.title)
    try:
        marks = _sheet_marks(p, ws._worksheet_path)
    except Exception as exc:  # noqa: BLE001 - a damaged part: reported like an unreadable workbook
        raise InputError(f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})", file=where,
                         hint="open and re-save it in Excel, or export the sheet as CSV UTF-8") from None
    merged_values: dict[tuple[int, int], Any] = {}
    tops = {(r1, c1): (r1, c1, r2, c2) for r1, c1, r2, c2 in marks.merges}
    group_rows = {r1 for r1, c1, r2, c2 in marks.merges if r1 == r2 and c2 > c1}
    ws.reset_dimensions()
    records: list[tuple[int, list[Any]]] = []
    try:
        for r_idx, row in enumerate(ws.iter_rows(values_only=True), start=1):
            vals = list(row)
            for c, v in enumerate(vals, start=1):
                box = tops.get((r_idx, c))
                if box is not None:
                    for rr in range(box[0], box[2] + 1):
                        for cc in range(box[1], box[3] + 1):
                            merged_values[(rr, cc)] = v
            if merged_values:
                vals = [merged_values.get((r_idx, c + 1), v) if v is None else v for c, v in enumerate(vals)]
                width = max((cc for (rr, cc) in merged_values if rr == r_idx), default=0)
                vals += [merged_values.get((r_idx, c)) for c in range(len(vals) + 1, width + 1)]
            if r_idx in marks.hidden_rows:
                continue
            if _filled(vals) == 0:
                continue
            records.append((r_idx, vals))
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on damaged sheets
        raise InputError(f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})", file=where,
                         hint="open and re-save it in Excel, or export the sheet as CSV UTF-8") from None
    if not records:
        return None
    header_line, header, body = _split_header(records)
    header = ["" if v is None else str(v) for v in header]
    if header_line in group_rows and body:
        # a first row of merged group cells ("地区" over province and city): names come from the row below
        sub_line, sub = body[0]
        header = [str(v) if v is not None and str(v).strip() else h
                  for h, v in zip(header + [""] * (len(sub) - len(header)), sub, strict=False)]
        header_line, body = sub_line, body[1:]
    problems: list[Problem] = []
    for (r, c), f in sorted(marks.uncached.items()):
        if r <= header_line or r in marks.hidden_rows:
            continue
        from openpyxl.utils.cell import get_column_letter

        col = header[c - 1] if c - 1 < len(header) else None
        problems.append(Problem(
            f"cell {get_column_letter(c)}{r} holds the formula '{f}' without a saved value", where, r,
            normalise_text(col) or None,
            "open the workbook in Excel or LibreOffice and save it (that stores the formula results), "
            "or paste the values"))
    if problems:
        raise InputError(problems=problems[:50])
    return _frame_from_rows(p, header, [["" if v is None else v for v in r] for _, r in body],
                            [ln for ln, _ in body], "xlsx", header_line=header_line, sheet=ws.title)


# --------------------------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------------------------


def header_key(name: str) -> str:
    """Header matching key: NFKC, lower-case, no spaces/underscores/hyphens/brackets."""
    s = normalise_text(name).lower()
    return re.sub(r"[\s_\-()（）\[\]【】/]+", "", s)


@dataclass
class Column:
    """One column of an input schema."""

    name: str
    kind: str = "str"  # str | float | int | period | year
    required: bool = True
    aliases: Sequence[str] = ()
    min: float | None = None
    max: float | None = None
    default: Any = None
    allow_missing: bool = True
    help: str = ""
    #: accept "46.2%" (→ 0.462); False for counts and other quantities a percentage cannot express
    allow_percent: bool = True
    #: plausibility limit: a value above it is possible in principle but almost certainly a wrong
    #: magnitude or unit (3.2亿 servers in one row); overridable per edition under
    #: ``limits: {"<schema>.<column>": value}`` (see docs/reliability.md)
    plausible_max: float | None = None


@dataclass
class Schema:
    name: str
    columns: list[Column]
    #: columns whose combined values must be unique (None = no check)
    key: Sequence[str] | None = None
    extra: str = "keep"  # keep | error
    #: fewer data rows than this is an error (1: a header without rows is refused)
    min_rows: int = 0

    def describe(self) -> str:
        req = ", ".join(c.name for c in self.columns if c.required)
        opt = ", ".join(c.name for c in self.columns if not c.required)
        return f"required columns: {req}" + (f"; optional: {opt}" if opt else "")


def apply_schema(raw: RawTable, schema: Schema, *, max_problems: int = 50,
                 limits: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Map headers through aliases, check required columns, coerce types, check ranges/keys.

    ``limits`` overrides plausibility limits by ``"<schema>.<column>"`` (edition.yaml ``limits:``).

    Returns a typed DataFrame with the schema's canonical column names (extra columns kept as
    text) and a ``_line`` column with the source line of every row. Raises one
    :class:`InputError` listing every problem found (up to ``max_problems``).
    """
    lookup: dict[str, Column] = {}
    for col in schema.columns:
        for alias in (col.name, *col.aliases):
            lookup[header_key(alias)] = col
    rename: dict[str, str] = {}
    found: dict[str, str] = {}
    for h in raw.frame.columns:
        col = lookup.get(header_key(h))
        if col is None:
            continue
        if col.name in found:
            raise InputError(
                f"columns '{found[col.name]}' and '{h}' both mean '{col.name}'",
                file=raw.path, row=raw.header_line, column=h, hint="keep one of them",
            )
        found[col.name] = h
        rename[h] = col.name
    missing = [c.name for c in schema.columns if c.required and c.name not in found]
    if missing:
        aliases = "; ".join(
            f"{c.name} (or {', '.join(c.aliases)})" if c.aliases else c.name
            for c in schema.columns if c.name in missing
        )
        raise InputError(
            f"missing required column(s): {', '.join(missing)}",
            file=raw.path, row=raw.header_line,
            hint=f"a {schema.name} table needs {aliases}; found: {', '.join(map(str, raw.frame.columns))}",
        )
    if schema.extra == "error":
        extra = [h for h in raw.frame.columns if h not in rename]
        if extra:
            raise InputError(
                f"unknown column(s): {', '.join(extra)}", file=raw.path, row=raw.header_line, column=extra[0],
                hint=schema.describe() + " (a unit belongs in the cell, e.g. '0.5 PFLOPS', not in the header)",
            )
    df = raw.frame.rename(columns=rename)
    if len(df) < schema.min_rows:
        raise InputError("has a header but no data rows", file=raw.path, row=raw.header_line + 1,
                         hint=f"a {schema.name} table needs at least {schema.min_rows} row(s) under the header")
    problems: list[Problem] = []
    out: dict[str, Any] = {}

    def add(pos: int, column: str, msg: str, hint: str | None = None) -> None:
        if len(problems) < max_problems:
            problems.append(Problem(msg, raw.path, raw.line(pos), column, hint))

    for col in schema.columns:
        if col.name not in df.columns:
            if col.kind == "str":
                out[col.name] = pd.Series(["" if col.default is None else col.default] * len(df), dtype=object)
            else:
                fill = np.nan if col.default is None else float(col.default)
                out[col.name] = np.full(len(df), fill, dtype=float)
            continue
        header = found[col.name]
        s = df[col.name]
        if col.kind == "str":
            vals = s.map(lambda v: "" if is_missing(v) else normalise_text(v))
            if not col.allow_missing:
                for pos in np.flatnonzero((vals == "").to_numpy()):
                    add(int(pos), header, "is empty", col.help or f"fill in {col.name}")
            out[col.name] = vals.astype(object)
        elif col.kind in ("float", "int", "year"):
            arr, errs = parse_number_series(s)
            if not col.allow_percent and s.dtype == object:
                pct = s.map(lambda v: isinstance(v, str) and normalise_text(v).endswith("%")).to_numpy(dtype=bool)
                err_pos = {pos for pos, _ in errs}
                for pos in np.flatnonzero(pct):
                    if int(pos) not in err_pos:
                        errs.append((int(pos), f"'{s.iloc[pos]}' is a percentage where a {col.name} figure is expected"))
                errs.sort()
            for pos, msg in errs:
                add(pos, header, msg)
            bad = np.zeros(len(arr), dtype=bool)
            for pos, _ in errs:
                bad[pos] = True
            if not col.allow_missing:
                for pos in np.flatnonzero(np.isnan(arr) & ~bad):
                    add(int(pos), header, "is missing", col.help or f"give a value for {col.name}")
            if col.kind in ("int", "year"):
                frac = ~np.isnan(arr) & (np.abs(arr - np.round(arr)) > 1e-9)
                for pos in np.flatnonzero(frac):
                    add(int(pos), header, f"'{s.iloc[pos]}' is not a whole number", col.help or None)
            if col.min is not None:
                for pos in np.flatnonzero(arr < col.min):
                    add(int(pos), header, f"{s.iloc[pos]} is below the minimum {col.min:g}",
                        col.help or "negative counts or values are not allowed")
            if col.max is not None:
                for pos in np.flatnonzero(arr > col.max):
                    add(int(pos), header, f"{s.iloc[pos]} is above the maximum {col.max:g}",
                        col.help or "check the unit or magnitude")
            key = f"{schema.name}.{col.name}"
            # explicit limits, else the edition's limits in force (a build), else the column's default
            lim = (limits or {}).get(key) or limit(key, col.plausible_max)
            if lim is not None:
                for pos in np.flatnonzero(arr > lim):
                    add(int(pos), header, f"{s.iloc[pos]} ({arr[pos]:,.0f}) is above the plausible maximum {lim:,.0f} "
                        f"for {col.name} in one row", over_limit_hint(key, arr[pos]))
            if col.default is not None:
                arr = np.where(np.isnan(arr), float(col.default), arr)
            out[col.name] = arr
        elif col.kind == "period":
            labels = np.empty(len(s), dtype=object)
            years = np.zeros(len(s), dtype=np.int64)
            halves = np.zeros(len(s), dtype=np.int64)
            cache: dict[str, Any] = {}
            for pos, v in enumerate(s.to_numpy()):
                key = str(v)
                if key not in cache:
                    try:
                        cache[key] = parse_period(v)
                    except UnitError as exc:
                        cache[key] = exc
                res = cache[key]
                if isinstance(res, UnitError):
                    add(pos, header, str(res))
                    continue
                labels[pos], years[pos], halves[pos] = res.label, res.year, res.half
            out[col.name] = labels
            out[f"{col.name}_year"] = years
            out[f"{col.name}_half"] = halves
        else:  # pragma: no cover - schema bug
            raise ValueError(f"unknown column kind {col.kind}")
    if problems:
        raise InputError(problems=problems)
    typed = pd.DataFrame(out)
    for h in df.columns:
        if h not in typed.columns and h not in rename.values():
            typed[h] = df[h].to_numpy()
    typed["_line"] = raw.lines
    if schema.key:
        keys = [k for k in schema.key if k in typed.columns]
        dup = typed.duplicated(subset=keys, keep=False)
        if dup.any():
            groups = typed[dup].groupby(keys, sort=False, dropna=False)["_line"].apply(list)
            for key_vals, ls in list(groups.items())[:max_problems]:
                kv = key_vals if isinstance(key_vals, tuple) else (key_vals,)
                desc = ", ".join(f"{k}={v}" for k, v in zip(keys, kv, strict=True))
                problems.append(
                    Problem(
                        f"duplicate rows for {desc} (lines {', '.join(map(str, ls))})",
                        raw.path, int(ls[1]), None,
                        "delete the repeated row, or merge the rows by adding their counts",
                    )
                )
            raise InputError(problems=problems)
    return typed


def read_table(
    path: str | Path,
    schema: Schema,
    *,
    sheet: str | None = None,
    validate: Callable[[pd.DataFrame, RawTable], list[Problem]] | None = None,
) -> pd.DataFrame:
    """Read and type a table in one call; ``validate`` adds table-specific row checks."""
    raw = read_raw_table(path, sheet=sheet)
    df = apply_schema(raw, schema)
    if validate is not None:
        problems = validate(df, raw)
        if problems:
            raise InputError(problems=problems)
    return df
