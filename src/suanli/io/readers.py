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
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..units import UnitError, is_missing, normalise_text, parse_number_series, parse_period

#: Inputs larger than this are refused (override with SUANLI_MAX_INPUT_MB).
DEFAULT_MAX_INPUT_MB = 512
#: Workbooks expand 10-50x in memory when parsed; larger ones are refused (SUANLI_MAX_XLSX_MB).
DEFAULT_MAX_XLSX_MB = 64

ENCODINGS = ("utf-8", "gb18030")


def max_input_bytes(xlsx: bool = False) -> int:
    var, default = ("SUANLI_MAX_XLSX_MB", DEFAULT_MAX_XLSX_MB) if xlsx else ("SUANLI_MAX_INPUT_MB", DEFAULT_MAX_INPUT_MB)
    try:
        return int(float(os.environ.get(var, default)) * 1024 * 1024)
    except ValueError:
        return default * 1024 * 1024


def decode_bytes(data: bytes, path: str | Path) -> tuple[str, str]:
    """Decode file bytes, returning (text, encoding). BOMs win; then UTF-8; then GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputError(
                f"starts with a UTF-8 byte-order mark but byte {exc.start + 3} is not UTF-8 ({exc.reason})",
                file=path, row=data[: exc.start + 3].count(b"\n") + 1,
                hint="the file mixes encodings or is damaged; re-save it from Excel as 'CSV UTF-8'",
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(
                f"starts with a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason})",
                file=path,
                hint="re-save it from Excel as 'CSV UTF-8'",
            ) from None
    # UTF-16 without BOM: many NUL bytes
    if data[:4000].count(b"\x00") > len(data[:4000]) // 4:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                continue
    for enc in ENCODINGS:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise InputError(
        "cannot be decoded as UTF-8, UTF-16 or GBK/GB18030",
        file=path,
        hint="re-save it from Excel as 'CSV UTF-8 (逗号分隔)'",
    )


def read_text_file(path: str | Path) -> str:
    """A small text file (YAML) in any encoding :func:`decode_bytes` knows, with the input size limit."""
    p = Path(path)
    _check_size(p, allow_empty=True)
    text, _ = decode_bytes(p.read_bytes(), p)
    return text


@dataclass
class RawTable:
    """A table read as text: every cell a string (``""`` for empty), plus where it came from."""

    path: str
    frame: pd.DataFrame
    encoding: str = "utf-8"
    #: file line number of each data row (header = line 1)
    lines: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def line(self, pos: int) -> int:
        return int(self.lines[pos])


def _check_size(path: Path, *, allow_empty: bool = False) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found", file=path, hint="check the path in edition.yaml or on the command line") from None
    xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    limit = max_input_bytes(xlsx)
    if size > limit:
        var = "SUANLI_MAX_XLSX_MB" if xlsx else "SUANLI_MAX_INPUT_MB"
        raise InputError(
            f"is {size / 1e6:,.0f} MB, over the {limit / 1e6:,.0f} MB input limit",
            file=path,
            hint=f"split the file, aggregate it first (or save a workbook as CSV), or raise {var} if you have the memory",
        )
    if size == 0 and not allow_empty:
        raise InputError("is empty", file=path, hint="export the table again with its header row")


def read_raw_table(path: str | Path, *, sheet: str | None = None) -> RawTable:
    """Read a CSV/TSV/XLSX file into a :class:`RawTable` of strings."""
    p = Path(path)
    _check_size(p)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(p, sheet)
    if p.suffix.lower() == ".xls":
        raise InputError("is an old binary .xls workbook", file=p, hint="save it as .xlsx or CSV UTF-8")
    data = p.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(p, sheet)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError("is an old binary .xls workbook", file=p, hint="save it as .xlsx or CSV UTF-8")
    text, enc = decode_bytes(data, p)
    if "\x00" in text:
        ln = text[: text.index("\x00")].count("\n") + 1
        raise InputError("contains NUL bytes (a damaged or partly written file)", file=p, row=ln,
                         hint="export the table again; check the disk was not full when it was saved")
    if not text.strip():
        raise InputError("has no content", file=p, hint="export the table again with its header row")
    if text.count('"') % 2 == 1:
        ln = text[: text.rindex('"')].count("\n") + 1
        raise InputError("has an unclosed quote (the file may be truncated)", file=p, row=ln,
                         hint="check for an unclosed quote; a truncated file often ends this way; export it again")
    first = text.split("\n", 1)[0]
    delim = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        header = next(reader)
        for rec in reader:
            if not rec or all(not c.strip() for c in rec):
                continue
            rows.append(rec)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise InputError(
            f"is not valid CSV ({exc})",
            file=p,
            row=reader.line_num,
            hint="check for an unclosed quote; a truncated file often ends this way",
        ) from None
    return _frame_from_rows(p, header, rows, lines, enc)


def _frame_from_rows(
    p: Path, header: list[str], rows: list[list[Any]], lines: list[int], enc: str
) -> RawTable:
    header = [normalise_text(h) for h in header]
    while header and header[-1] == "" and all(len(r) < len(header) or not str(r[len(header) - 1]).strip() for r in rows):
        header.pop()
    if not any(header):
        raise InputError("has no header row", file=p, row=1, hint="the first line must name the columns")
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        if h == "":
            raise InputError(f"column {i + 1} has an empty header", file=p, row=1, hint="name every column")
        if h in seen:
            raise InputError(
                f"column '{h}' appears twice (columns {seen[h] + 1} and {i + 1})",
                file=p, row=1, column=h, hint="rename or delete one of them",
            )
        seen[h] = i
    n = len(header)
    fixed = []
    for rec, ln in zip(rows, lines, strict=True):
        if len(rec) > n and any(str(c).strip() for c in rec[n:]):
            raise InputError(
                f"has {len(rec)} cells but the header has {n} columns",
                file=p, row=ln, hint="check for an unquoted comma inside a value (use '1234' or \"1,234\")",
            )
        rec = [("" if c is None else str(c)) for c in rec[:n]] + [""] * max(0, n - len(rec))
        fixed.append(rec)
    frame = pd.DataFrame(fixed, columns=header, dtype=object)
    return RawTable(str(p), frame, enc, np.asarray(lines, dtype=np.int64))


def _read_xlsx(p: Path, sheet: str | None) -> RawTable:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover
        raise InputError("needs openpyxl to read .xlsx", file=p) from None
    try:
        wb = openpyxl.load_workbook(p, read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise InputError(
            f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
            file=p, hint="open and re-save it in Excel, or export the sheet as CSV UTF-8",
        ) from None
    if sheet and sheet not in wb.sheetnames:
        raise InputError(f"has no worksheet '{sheet}'", file=p, hint=f"worksheets: {', '.join(wb.sheetnames)}")
    if not wb.worksheets:
        raise InputError("has no worksheet with cells (only chart sheets or none)", file=p,
                         hint="put the table on an ordinary worksheet, or export it as CSV UTF-8")
    ws = wb[sheet] if sheet else wb.worksheets[0]
    formulas = _uncached_formula_sheet(p, sheet)
    # merged header cells: fill every cell of a merged range with its top-left value
    merged_values = {}
    for rng in list(ws.merged_cells.ranges):
        top = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                merged_values[(r, c)] = top
    group_rows = {rng.min_row for rng in ws.merged_cells.ranges
                  if rng.min_row == rng.max_row and rng.max_col > rng.min_col}
    rows: list[list[Any]] = []
    lines: list[int] = []
    header: list[str] | None = None
    sub_header = False
    problems: list[Problem] = []
    for r_idx, row in enumerate(ws.iter_rows(values_only=True), start=1):
        vals = [merged_values.get((r_idx, c + 1), v) for c, v in enumerate(row)]
        if ws.row_dimensions[r_idx].hidden:
            continue
        if all(v is None or str(v).strip() == "" for v in vals):
            continue
        if header is None:
            header = ["" if v is None else str(v) for v in vals]
            # a first row of merged group cells ("地区" over province and city): names come from the row below
            sub_header = r_idx in group_rows
            continue
        if sub_header:
            header = [str(v) if v is not None and str(v).strip() else h
                      for h, v in zip(header + [""] * (len(vals) - len(header)), vals, strict=False)]
            sub_header = False
            continue
        if formulas is not None:
            for c, v in enumerate(vals):
                f = formulas.cell(r_idx, c + 1).value
                if v is None and isinstance(f, str) and f.startswith("="):
                    col = header[c] if c < len(header) else None
                    problems.append(Problem(
                        f"cell {formulas.cell(r_idx, c + 1).coordinate} holds the formula '{f}' without a saved value",
                        str(p), r_idx, col or None,
                        "open the workbook in Excel or LibreOffice and save it (that stores the formula results), "
                        "or paste the values"))
        rows.append(["" if v is None else v for v in vals])
        lines.append(r_idx)
    if problems:
        raise InputError(problems=problems[:50])
    if header is None:
        raise InputError("has no content", file=p, hint="the first non-empty row must be the header")
    return _frame_from_rows(p, header, rows, lines, "xlsx")


def _uncached_formula_sheet(p: Path, sheet: str | None) -> Any:
    """The worksheet with formulas as text when the workbook has a formula without a saved value, else None."""
    import zipfile

    try:
        with zipfile.ZipFile(p) as z:
            found = False
            for name in z.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = z.read(name)
                    if b"<f" in xml and re.search(rb"</f>\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>", xml):
                        found = True
                        break
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    if not found:
        return None
    import openpyxl

    try:
        wb = openpyxl.load_workbook(p, read_only=False, data_only=False)
        return wb[sheet] if sheet else wb.worksheets[0]
    except Exception:  # noqa: BLE001 - the values were readable; formula detection is best effort
        return None


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


def apply_schema(raw: RawTable, schema: Schema, *, max_problems: int = 50) -> pd.DataFrame:
    """Map headers through aliases, check required columns, coerce types, check ranges/keys.

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
                file=raw.path, row=1, column=h, hint="keep one of them",
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
            file=raw.path, row=1,
            hint=f"a {schema.name} table needs {aliases}; found: {', '.join(map(str, raw.frame.columns))}",
        )
    if schema.extra == "error":
        extra = [h for h in raw.frame.columns if h not in rename]
        if extra:
            raise InputError(
                f"unknown column(s): {', '.join(extra)}", file=raw.path, row=1, column=extra[0],
                hint=schema.describe() + " (a unit belongs in the cell, e.g. '0.5 PFLOPS', not in the header)",
            )
    df = raw.frame.rename(columns=rename)
    if len(df) < schema.min_rows:
        raise InputError("has a header but no data rows", file=raw.path, row=2,
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
