"""``tables.xlsx``: every result table of the store as one sheet, plus contents, provenance,
native Excel charts of the key series and the static figures.

Each sheet has two frozen header rows (Chinese, English; units in the headers) and per-column
number formats. Every string from data is written as a text cell (``data_type = "s"``), so a
value such as ``=HYPERLINK("http://x","y")`` stays inert text and never becomes a formula.

The workbook is written in openpyxl's write-only mode: every cell is a ``WriteOnlyCell`` made by
:func:`suanli.io.cells.put_cell` (through :class:`_Cells`/:class:`_Grid`) and streamed to the sheet
row by row (the table sheets keep no cell table); column widths, frozen rows, tab colours and the
used range are set before a sheet's first row. The zip has fixed entry times and fixed document
dates, so the same inputs give the same bytes.
"""

from __future__ import annotations

import io
import json
import re
from copy import copy
from datetime import datetime
from pathlib import Path
from types import MethodType
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import NumDataSource, NumRef
from openpyxl.chart.error_bar import ErrorBars
from openpyxl.drawing.image import Image as XLImage
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.writer.excel import ExcelWriter

from ..io.cells import put_cell
from ..store import Store
from .cache import Cache, sha
from .document import Document
from .i18n import S, column_header

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
SUB_FILL = PatternFill("solid", fgColor="EEF2F7")
WARN_FILL = PatternFill("solid", fgColor="FFF3CD")
BOLD = Font(bold=True)
LINK = Font(color="0563C1", underline="single")  # a link, as Excel styles one
#: cell style of each value class (the value_class cell of every row, and the legend on Contents)
CLASS_FILL = {"stated": PatternFill("solid", fgColor="FFFFFF"), "derived": PatternFill("lightUp", fgColor="BFBFBF"),
              "modelled": PatternFill("solid", fgColor="E4DFEC"), "synthetic": PatternFill("solid", fgColor="FCE4D6")}
CLASS_FONT = {"stated": Font(color="0B3A7E"), "derived": Font(italic=True, color="595959"),
              "modelled": Font(color="6A3D9A"), "synthetic": Font(bold=True, color="B45F06")}


put = put_cell  # strings always text cells, never formulas (suanli.io.cells)


def _cells_to_row(self, values, row_idx: int):
    """``WriteOnlyWorksheet._values_to_row`` for rows made only of cells (or ``None``): each cell gets
    its row and column and is written as it is. openpyxl's own version first tries every item as a
    value (for a cell that raises and formats a ValueError) and makes a new scratch cell after every
    styled one: about a quarter of the workbook's time. A raw value cannot reach the sheet this way:
    it has no ``.row`` to set, so only :func:`put_cell`'s cells are ever written. (Should openpyxl
    rename the method, its own version takes these cells too: same output, only slower.)"""
    for col_idx, cell in enumerate(values, 1):
        if cell is None:
            continue
        cell.column = col_idx
        cell.row = row_idx
        if cell.hyperlink is not None:  # as openpyxl's own version does: a link refers to its cell
            cell.hyperlink.ref = cell.coordinate
        yield cell


class _Cells:
    """What :func:`put_cell` writes into on a write-only sheet: ``cell()`` gives a new ``WriteOnlyCell``;
    its row and column are its place in the list passed to ``ws.append`` (which then takes cells only)."""

    def __init__(self, ws) -> None:
        self.ws = ws
        ws._values_to_row = MethodType(_cells_to_row, ws)

    def cell(self, row: int, column: int):
        return WriteOnlyCell(self.ws)

    def size(self, first: tuple[int, int], last: tuple[int, int]) -> None:
        """Give the sheet its used range (``<dimension>``: the first and last (row, column) written), as
        a normal sheet computes it from its cells; call before the first row."""
        ref = f"{get_column_letter(first[1])}{first[0]}:{get_column_letter(last[1])}{last[0]}"
        self.ws.calculate_dimension = lambda: ref


class _Grid(_Cells):
    """A small write-only sheet written in any order: cells are kept at their place and ``flush()``
    appends the rows top to bottom (rows in between are written empty). Set column widths and frozen
    rows before ``flush()``."""

    def __init__(self, ws) -> None:
        super().__init__(ws)
        self.rows: dict[int, dict[int, object]] = {}

    def cell(self, row: int, column: int):
        c = WriteOnlyCell(self.ws)
        self.rows.setdefault(row, {})[column] = c
        return c

    def flush(self) -> None:
        if self.rows:
            self.size((min(self.rows), min(min(r) for r in self.rows.values())),
                      (max(self.rows), max(max(r) for r in self.rows.values())))
        else:
            self.size((1, 1), (1, 1))
        for r in range(1, max(self.rows, default=0) + 1):
            row = self.rows.get(r, {})
            self.ws.append([row.get(j) for j in range(1, max(row, default=0) + 1)])
        self.rows = {}


#: entry time of every zip member and the workbook's created/modified dates (the zip format's epoch):
#: fixed, so the same inputs give byte-identical workbooks
FIXED_TIME = datetime(1980, 1, 1)


class _FixedTimeZip(ZipFile):
    """A zip whose members all carry :data:`FIXED_TIME` (openpyxl writes parts with ``writestr`` and
    the worksheets from temporary files with ``write``; both would stamp the current time)."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, ZipInfo):
            zinfo_or_arcname = ZipInfo(zinfo_or_arcname, date_time=FIXED_TIME.timetuple()[:6])
            zinfo_or_arcname.compress_type = self.compression
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as f:
            self.writestr(arcname or Path(filename).name, f.read(), compress_type, compresslevel)


def _save(wb: Workbook) -> bytes:
    """The workbook's bytes, deterministic: fixed document dates and zip entry times."""
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    with _FixedTimeZip(buf, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    return buf.getvalue()


#: words shortened, in this order, in a table name longer than a sheet name may be (31 characters),
#: so that the name stays readable instead of being cut mid-word (index_industry_rank_probabiliti)
SHEET_ABBREVIATIONS = (("probabilities", "prob"), ("uncertainty", "unc"), ("intervals", "int"),
                       ("method_only", "method"), ("industry", "ind"))


def _sheet_name(name: str, used: set[str]) -> str:
    for word, short in SHEET_ABBREVIATIONS:
        if len(name) <= 31:
            break
        name = name.replace(word, short)
    base = name[:31]
    n, s = 1, base
    while s.lower() in used:
        n += 1
        s = f"{base[:28]}~{n}"
    used.add(s.lower())
    return s


#: a column of years (year, start_year, seed_claim_year): printed 2028, never 2,028
_YEAR_COLUMN = re.compile(r"(^|_)year($|_)")
#: from this magnitude a number is printed in scientific notation (FLOP, tokens, parameters): in a
#: fixed format it was wider than its column and Excel showed ####
SCIENTIFIC_FROM = 1e12


def _numfmt(col: str, series: pd.Series, nf: str) -> str | None:
    """A column's number format: the header catalogue's (``nf``) where it fits the values, else one
    from the values themselves. A format the values contradict gives way: an integer format over
    fractions (a 0.9 interval level printed 1, shares 0.35 printed 0) becomes a percentage for
    values within ±1 and two decimals otherwise; years never get a thousands separator; magnitudes
    from :data:`SCIENTIFIC_FROM` are scientific."""
    numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    s = series.dropna().astype(float) if numeric else pd.Series(dtype=float)
    if not len(s):  # text, or numbers all missing: the catalogue's format, if any
        return nf if nf and nf != "@" else None
    whole = bool((s == s.round()).all())
    within_one = bool((s.abs() <= 1).all())
    if _YEAR_COLUMN.search(col) and whole and s.between(1900, 2200).all():
        return "0"
    if s.abs().max() >= SCIENTIFIC_FROM and (not nf or nf == "@" or nf.startswith("#,##0")):
        return "0.00E+00"
    if nf and nf != "@":
        if nf in ("0", "#,##0") and not whole:
            return "0.0%" if within_one else "#,##0.00"
        return _enough_decimals(nf, s)
    if pd.api.types.is_integer_dtype(series):
        return "#,##0"
    if within_one and col.endswith(("share", "_pct", "rate", "cagr")):
        return "0.0%"
    return "#,##0" if whole and col.startswith("n_") else _enough_decimals("#,##0.00", s)


def _enough_decimals(nf: str, s: pd.Series) -> str:
    """``nf`` (``#,##0.0``, ``#,##0.00``...) with decimals added, up to four, until at most a quarter
    of the non-zero values print as zero: 0.03 EFLOPS of a province and vendor printed 0.0 in 998 of
    1,470 rows."""
    m = re.fullmatch(r"#,##0(?:\.(0+))?", nf)
    nonzero = s[s != 0].abs()
    if m is None or not len(nonzero):
        return nf
    decimals = len(m.group(1) or "")
    while decimals < 4 and (nonzero < 0.5 * 10.0 ** -decimals).mean() > 0.25:
        decimals += 1
    return "#,##0." + "0" * decimals if decimals else "#,##0"


#: Interval columns take the number format of the value they bound.
INTERVAL_BASE = {"lo": ("value", "mean", "share", "estimate"), "hi": ("value", "mean", "share", "estimate"),
                 "ci_low": ("share", "estimate", "value", "mean_rank"), "ci_high": ("share", "estimate", "value", "mean_rank"),
                 "ci_lo": ("share", "value"), "ci_hi": ("share", "value")}
#: money as the report prints it, the unit said in both languages (an English reader does not know 亿)
MONEY = {"USD": (1e8, "亿美元 (100 million USD)"), "CNY": (1e8, "亿元 (100 million CNY)")}


def money_in_report_units(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Money as the report prints it: value, lo, hi (and mean) of USD/CNY rows divided by 1e8, unit 亿美元/亿元.

    The CSV tables and the store keep base units; the workbook is for reading, like the report.
    Tables without a unit column get it from ``market_series`` through their ``series`` column, or
    through their ``metric`` column (``market_reconciliation``).
    """
    units = metric_units = None
    if "market_series" in frames and {"series", "unit"} <= set(frames["market_series"].columns):
        units = frames["market_series"].drop_duplicates("series").set_index("series")["unit"]
        if "metric" in frames["market_series"].columns:
            metric_units = frames["market_series"].drop_duplicates("metric").set_index("metric")["unit"]
    out = {}
    for name, df in frames.items():
        cols = [c for c in ("value", "lo", "hi", "mean", "bottom_up", "top_down_total", "bottom_up_total", "gap",
                            "reconciled") if c in df.columns]
        unit = df["unit"] if "unit" in df.columns else (df["series"].map(units) if units is not None and "series" in df
                                                       and cols else None)
        if unit is None and metric_units is not None and "metric" in df and cols:  # market_reconciliation
            unit = df["metric"].map(metric_units)
        if unit is None or not cols or not unit.isin(list(MONEY)).any():
            out[name] = df
            continue
        df = df.copy()
        for code, (div, label) in MONEY.items():
            m = unit == code
            for c in cols:
                df.loc[m, c] = pd.to_numeric(df.loc[m, c], errors="coerce") / div
            unit = unit.mask(m, label)
        df["unit"] = unit
        out[name] = df
    return out


def _formats(df: pd.DataFrame) -> dict[str, str | None]:
    fmts: dict[str, str | None] = {}
    for c in df.columns:
        fmts[c] = _numfmt(c, df[c], column_header(c, "zh")[2])
    for c in df.columns:
        base = INTERVAL_BASE.get(c)
        if base is None and c.endswith(("_lo", "_hi")) and c[:-3] in df.columns:
            base = (c[:-3],)
        if base is None and c.endswith("_conf") and c[:-5] in df.columns:  # a half-width (S1_conf) reads like S1
            base = (c[:-5],)
        if base is None and c in ("lower", "upper", "stated") and "recomputed" in df.columns:  # a check's figures
            base = ("recomputed",)
        if base:
            b = next((x for x in base if x in df.columns), None)
            if b is not None:
                fmts[c] = fmts[b]
    return fmts


#: a sheet of more columns than this also keeps its first column in view
WIDE_SHEET = 12


def write_table_sheet(ws, df: pd.DataFrame, synthetic: bool = False) -> None:
    """Write ``df`` to the (empty) write-only sheet ``ws``: Chinese and English header rows, frozen,
    then one row per record, each column in its number format and value-class cells styled by class."""
    cols = list(df.columns)
    fmts = _formats(df)
    columns = [df[c].tolist() for c in cols]
    heads = [(column_header(c, "zh")[0], column_header(c, "en")[0]) for c in cols]
    # a write-only sheet writes widths, frozen rows and tab colour with its first row: set them first
    for j, ((zh, en), values) in enumerate(zip(heads, columns, strict=True), start=1):
        width = max([len(str(zh)) * 2, len(str(en))] + [len(str(v)) for v in values[:200]] + [6])
        ws.column_dimensions[get_column_letter(j)].width = min(60, width + 2)
    # the two header rows stay in view, and on a wide sheet the first column too (what each row is);
    # a filter on the English header row sorts and filters the data
    ws.freeze_panes = "B3" if len(cols) > WIDE_SHEET else "A3"
    if cols and len(df):
        ws.auto_filter.ref = f"A2:{get_column_letter(len(cols))}{len(df) + 2}"
    if synthetic:
        ws.sheet_properties.tabColor = "E0A800"
    cells = _Cells(ws)
    cells.size((1, 1), (len(df) + 2, len(cols)) if cols else (1, 1))
    row1, row2 = [], []
    for j, (zh, en) in enumerate(heads, start=1):
        h1 = put(cells, 1, j, zh)
        h2 = put(cells, 2, j, en)
        h1.font = BOLD
        h1.fill = HEADER_FILL
        h2.fill = SUB_FILL
        h2.font = Font(italic=True, size=9)
        row1.append(h1)
        row2.append(h2)
    ws.append(row1)
    ws.append(row2)
    fmt_list = [fmts[c] for c in cols]
    vc = cols.index("value_class") if "value_class" in cols else None
    # the style of each class, registered once and copied: setting cell.font/.fill hashes the style
    # object each time, and one cell in every row is styled so
    class_style = {}
    for k in CLASS_FILL:
        styled = WriteOnlyCell(ws)
        styled.fill, styled.font = CLASS_FILL[k], CLASS_FONT[k]
        class_style[k] = styled._style
    for i, values in enumerate(zip(*columns, strict=True), start=3):
        row = [put(cells, i, j, v, f) for j, (v, f) in enumerate(zip(values, fmt_list, strict=True), start=1)]
        if vc is not None and values[vc] in class_style:
            cell = row[vc]
            if cell._style is None:  # a text cell (no number format): its whole style is the class's
                cell._style = copy(class_style[values[vc]])
            else:
                cell.fill, cell.font = CLASS_FILL[values[vc]], CLASS_FONT[values[vc]]
        ws.append(row)


def _chart_title(fig) -> str:
    """A chart's title, with the synthetic-data label in it when the figure rests on synthetic data:
    the label must travel with the chart when a reader copies it out of the workbook."""
    return f"{fig.title}（合成数据 SYNTHETIC）" if getattr(fig, "synthetic", False) else fig.title


def _series_name(fig, name: object) -> str:
    """The legend name of a data column: its series, or what the figure measures where the series
    has no name (a single unnamed series read "Series1" or "value" in the legend)."""
    text = str(name).strip()
    if text and text != "value":
        return text
    return fig.y_label or fig.x_label or ("数值" if fig.lang == "zh" else "Value")


def _title(fig) -> str:
    return f"{S[fig.lang]['figure']}{fig.number} {fig.title}"


#: the other language's title and column names of a chart block, as the table sheets' English row
OTHER_FONT = Font(italic=True, size=9)


def _heading(ws: _Grid, fig, other, top: int) -> int:
    """A chart block's title, the same figure's title in the other language (``other``: that
    figure, or None) and its source, from row ``top``; returns the next row."""
    put(ws, top, 1, _title(fig)).font = BOLD
    row = top + 1
    if other is not None:
        put(ws, row, 1, _title(other)).font = OTHER_FONT
        row += 1
    put(ws, row, 1, fig.source)
    return row + 1


def _other_names(ws: _Grid, row: int, names: list[str] | None, others: list[str] | None) -> int:
    """The other language's column names (``others``) in row ``row``, above the chart's own header
    row (whose names the chart's series take, so it stays next to the data); nothing when the
    other figure's columns do not match these (``names``) one for one. Returns the header's row."""
    if names is None or others is None or len(others) != len(names):
        return row
    for j, name in enumerate(others, start=1):
        put(ws, row, j, name).font = OTHER_FONT
    return row + 1


def _chart_columns(fig) -> tuple[pd.DataFrame, list[tuple[str, pd.Series]], list[str]] | None:
    """(values by category and series, interval columns, column names) of a bar/line figure's
    block; None when it has no bar or line values."""
    d = fig.data
    xcol = "x" if "x" in d else "y"
    wide = d.pivot_table(index=xcol, columns="series", values="value", aggfunc="sum", sort=False) \
        if "series" in d else d.set_index(xcol)[["value"]]
    wide = wide.reindex(list(dict.fromkeys(d[xcol].tolist())))
    lines = set(fig.opts.get("line_series", []))
    bar_cols = [c for c in wide.columns if c not in lines]
    wide = wide[bar_cols]
    if wide.empty:
        return None
    # the interval of each value, where the figure has one: a line chart draws its bounds as dashed
    # lines, a bar chart as error bars (from the columns of plus and minus beside the data); a stacked
    # chart has none (a bound of a stacked segment is not a bound of the bar)
    stacked = bool(fig.opts.get("stacked")) or fig.kind == "stacked100"
    lo, hi = (None, None) if stacked else (_bound(d, xcol, wide, "lo"), _bound(d, xcol, wide, "hi"))
    zh = fig.lang == "zh"
    extra: list[tuple[str, pd.Series]] = []
    if lo is not None and hi is not None:
        for c in wide.columns:
            name = _series_name(fig, c)
            if fig.kind == "line":
                extra += [(f"{name} {'下限' if zh else 'lower'}", lo[c]), (f"{name} {'上限' if zh else 'upper'}", hi[c])]
            else:
                extra += [(f"{name} +", hi[c] - wide[c]), (f"{name} −", wide[c] - lo[c])]
    names = [fig.x_label or ("类别" if zh else "Category"), *(_series_name(fig, c) for c in wide.columns),
             *(name for name, _ in extra)]
    return wide, extra, names


def _chart_block(ws: _Grid, fig, top: int, other=None) -> int:
    """Write the wide data of a bar/line figure at row ``top`` and add a native chart; ``other``: the
    same figure in the other language, whose title and column names go above the data. Returns the
    next free row."""
    cols = _chart_columns(fig)
    if cols is None:
        return top
    wide, extra, names = cols
    theirs = _chart_columns(other) if other is not None else None
    hdr = _other_names(ws, _heading(ws, fig, other, top), names, theirs[2] if theirs is not None else None)
    k = len(wide.columns)
    for j, name in enumerate(names, start=1):
        put(ws, hdr, j, name).font = BOLD
    for i, key in enumerate(wide.index, start=hdr + 1):
        put(ws, i, 1, str(key))
        for j, v in enumerate([*wide.loc[key].tolist(), *(col.loc[key] for _, col in extra)], start=2):
            put(ws, i, j, None if pd.isna(v) else float(v), "#,##0.00")
    last = hdr + len(wide)
    if fig.kind == "line":
        ch = LineChart()
    else:
        ch = BarChart()
        ch.type = "bar" if fig.kind == "hbar" else "col"
        if fig.opts.get("stacked"):
            ch.grouping = "stacked"
            ch.overlap = 100
        if fig.kind == "stacked100":
            ch.grouping = "percentStacked"
            ch.overlap = 100
    ch.title = _chart_title(fig)
    ch.y_axis.title = fig.y_label or fig.x_label
    ch.height, ch.width = 7.5, 16
    lines = k + (len(extra) if fig.kind == "line" else 0)  # a line chart's bounds are series too
    data = Reference(ws.ws, min_col=2, max_col=1 + lines, min_row=hdr, max_row=last)
    cats = Reference(ws.ws, min_col=1, min_row=hdr + 1, max_row=last)
    ch.add_data(data, titles_from_data=True)
    ch.set_categories(cats)
    if extra and fig.kind == "line":
        for series in ch.series[k:]:
            series.graphicalProperties.line.dashStyle = "dash"
    elif extra:
        for i, series in enumerate(ch.series[:k]):
            plus, minus = (Reference(ws.ws, min_col=2 + k + 2 * i + m, min_row=hdr + 1, max_row=last) for m in (0, 1))
            series.errBars = _ErrorBars(errDir="y", errBarType="both",  # "y" along the values, as Office writes it
                                        errValType="cust", plus=NumDataSource(NumRef(f=str(plus))),
                                        minus=NumDataSource(NumRef(f=str(minus))))
    if fig.kind != "hbar" and fig.y_label:
        ch.x_axis.title = fig.x_label or None
    ch.x_axis.delete = False
    ch.y_axis.delete = False
    ch.y_axis.scaling.min = 0
    if fig.kind == "hbar":
        ch.x_axis.scaling.orientation = "maxMin"
    ws.ws.add_chart(ch, f"{get_column_letter(k + len(extra) + 3)}{top}")
    return max(last + 2, top + 17)


class _ErrorBars(ErrorBars):
    """openpyxl's error bars with their elements in the schema's order (CT_ErrBars: ``plus`` before
    ``minus``; openpyxl 3.1 writes ``minus`` first, which a strict reader may refuse)."""

    __elements__ = ("errDir", "errBarType", "errValType", "noEndCap", "plus", "minus", "val", "spPr")
    __nested__ = ErrorBars.__nested__  # the serialiser reads these from the class itself


def _bound(d: pd.DataFrame, xcol: str, wide: pd.DataFrame, col: str) -> pd.DataFrame | None:
    """The ``lo`` or ``hi`` column of a figure's long data laid out as ``wide`` (categories by
    series), or None when the figure has no such bound."""
    if col not in d or d[col].isna().all():
        return None
    if "series" in d:
        b = d.pivot_table(index=xcol, columns="series", values=col, aggfunc="first", sort=False, dropna=False)
    else:
        b = d.set_index(xcol)[[col]].rename(columns={col: "value"})
        b = b[~b.index.duplicated()]
    return b.reindex(index=wide.index, columns=wide.columns)


def _pie_names(fig) -> list[str]:
    return ["选项", "占比"] if fig.lang == "zh" else ["Option", "Share"]


def _pie_block(ws: _Grid, fig, top: int, other=None) -> int:
    from openpyxl.chart import PieChart

    d = fig.data
    hdr = _other_names(ws, _heading(ws, fig, other, top), _pie_names(fig),
                       _pie_names(other) if other is not None else None)
    for j, name in enumerate(_pie_names(fig), start=1):
        put(ws, hdr, j, name).font = BOLD
    tot = float(d["value"].sum()) or 1.0
    for i, r in enumerate(d.itertuples(), start=hdr + 1):
        put(ws, i, 1, str(r.label))
        put(ws, i, 2, float(r.value) / tot, "0.0%")
    last = hdr + len(d)
    ch = PieChart()
    ch.title = _chart_title(fig)
    ch.height, ch.width = 7.5, 12
    ch.add_data(Reference(ws.ws, min_col=2, min_row=hdr, max_row=last), titles_from_data=True)
    ch.set_categories(Reference(ws.ws, min_col=1, min_row=hdr + 1, max_row=last))
    ws.ws.add_chart(ch, f"D{top}")
    return max(last + 2, top + 17)


def _rank_columns(fig) -> pd.DataFrame:
    """A ranking figure's values by unit: its rank in each period (slope), or its rank, 5 % and 95 %
    ranks and the interval's width (rank intervals)."""
    d = fig.data
    if fig.kind == "slope":
        return d.pivot_table(index="label", columns="x", values="value", sort=False)
    wide = d.set_index("label")[["value", "lo", "hi"]].astype(float)
    # a floating bar from the 5% to the 95% rank (an invisible bar up to the 5% rank, then the
    # width): a bar as long as the rank drew the worse ranks as the longer bars
    wide["width"] = wide["hi"] - wide["lo"]
    wide.columns = (["排名", "5%", "95%", "区间宽度"] if fig.lang == "zh" else ["Rank", "5%", "95%", "Interval width"])
    return wide


def _rank_block(ws: _Grid, fig, top: int, other=None) -> int:
    """Rankings: rank intervals as floating bars from the 5% to the 95% rank; slope charts as one line
    per unit across the periods, rank 1 at the top. ``other``: as for :func:`_chart_block`."""
    wide = _rank_columns(fig)
    names = ["", *(str(c) for c in wide.columns)]
    theirs = ["", *(str(c) for c in _rank_columns(other).columns)] if other is not None else None
    hdr = _other_names(ws, _heading(ws, fig, other, top), names, theirs)
    for j, name in enumerate(names, start=1):
        put(ws, hdr, j, name).font = BOLD
    for i, (k, row) in enumerate(wide.iterrows(), start=hdr + 1):
        put(ws, i, 1, str(k))
        for j, v in enumerate(row.tolist(), start=2):
            put(ws, i, j, None if pd.isna(v) else float(v), "0")
    last = hdr + len(wide)
    if fig.kind == "slope":
        # a slope chart: one line per unit from its rank in one period to the next, rank 1 at the
        # top (as bars, a worse rank drew a longer bar)
        ch = LineChart()
        ch.title = _chart_title(fig)
        ch.height, ch.width = 12, 16
        ch.add_data(Reference(ws.ws, min_col=1, max_col=1 + len(wide.columns), min_row=hdr + 1, max_row=last),
                    from_rows=True, titles_from_data=True)
        ch.set_categories(Reference(ws.ws, min_col=2, max_col=1 + len(wide.columns), min_row=hdr, max_row=hdr))
        for series in ch.series:
            series.marker.symbol = "circle"
        ch.y_axis.scaling.orientation = "maxMin"
        ch.y_axis.title = "排名" if fig.lang == "zh" else "Rank"
    else:
        # rank intervals: the 5% rank (no fill) and the interval's width stacked on it
        ch = BarChart()
        ch.type = "bar"
        ch.grouping = "stacked"
        ch.overlap = 100
        ch.title = _chart_title(fig)
        ch.height, ch.width = 9, 16
        for col in (3, 5):
            ch.add_data(Reference(ws.ws, min_col=col, max_col=col, min_row=hdr, max_row=last), titles_from_data=True)
        ch.series[0].graphicalProperties.noFill = True
        ch.series[0].graphicalProperties.line.noFill = True
        ch.y_axis.title = "排名（5%–95%）" if fig.lang == "zh" else "Rank (5%-95%)"
        ch.set_categories(Reference(ws.ws, min_col=1, min_row=hdr + 1, max_row=last))
        ch.x_axis.scaling.orientation = "maxMin"
    ch.x_axis.delete = False
    ch.y_axis.delete = False
    ws.ws.add_chart(ch, f"{get_column_letter(len(wide.columns) + 3)}{top}")
    return max(last + 2, top + 24)


def workbook_key(store: Store, doc: Document, salt: str,
                 other: list | None = None) -> tuple[str, dict[str, pd.DataFrame], pd.DataFrame]:
    """(cache key, result tables, provenance) for the workbook (``other``: as for :func:`workbook_bytes`)."""
    prov = store.read_table("provenance")
    res = prov[prov["kind"] == "result"].sort_values("table_name")
    frames = {t: store.read_table(t) for t in res["table_name"]}
    key_parts = [salt, doc.lang, doc.title, prov.to_csv(index=False)]
    for t, df in frames.items():
        key_parts += [t, str(int(pd.util.hash_pandas_object(df, index=False).sum())), ",".join(df.columns)]
    key_parts += [f.content_hash(salt) for f in doc.figures]
    key_parts += ["other", *(f"{f.number}:{f.content_hash(salt)}" for f in other or [])]
    return sha(*key_parts), frames, prov


def write_workbook(store: Store, path: Path, doc: Document, fig_dir: Path, cch: Cache, salt: str,
                   other: list | None = None) -> None:
    """Write ``tables.xlsx`` (reused from the cache when tables and figures are unchanged)."""
    key, frames, prov = workbook_key(store, doc, salt, other)
    cached = cch.get("xlsx", key, "xlsx")
    if cached is None:
        cached = workbook_bytes(frames, prov, doc.title, doc.synthetic, doc.synthetic_banner(),
                                doc.t("figure"), doc.figures, fig_dir, other)
        cch.put("xlsx", key, "xlsx", cached)
    path.write_bytes(cached)


def workbook_bytes(frames: dict[str, pd.DataFrame], prov: pd.DataFrame, title: str, synthetic: bool, banner: str,
                   fig_word: str, figures: list, fig_dir: Path, other: list | None = None) -> bytes:
    """The workbook as bytes (pure: runs in a worker process; the same arguments give the same bytes).
    ``other``: the report's figures in the other language, whose titles and column names the charts
    sheet prints beside the figures' own (matched by figure id)."""
    res = prov[prov["kind"] == "result"].sort_values("table_name")
    wb = Workbook(write_only=True)
    used: set[str] = set()
    tws = wb.create_sheet(_sheet_name("目录 Contents", used))
    toc = _Grid(tws)
    put(toc, 1, 1, title).font = Font(bold=True, size=13)
    if synthetic:
        c = put(toc, 2, 1, "⚠ 合成数据 SYNTHETIC: " + banner)
        c.fill = WARN_FILL
    from ..store.value_class import LABELS, MEANING, VALUE_CLASSES

    # legend of the value classes (column H of the contents sheet; every sheet's value_class cells use these styles)
    put(toc, 4, 8, "数值类别 Value class").font = BOLD
    for k, vc in enumerate(VALUE_CLASSES, start=5):
        cell = put(toc, k, 8, f"{vc} · {LABELS['zh'][vc]}")
        cell.fill, cell.font = CLASS_FILL[vc], CLASS_FONT[vc]
        put(toc, k, 9, f"{MEANING['zh'][vc]}；{MEANING['en'][vc]}")
    tws.column_dimensions["H"].width = 22
    tws.column_dimensions["I"].width = 90
    heads = ["工作表 Sheet", "数据表 Table", "阶段 Stage", "方法 Method", "数值类别 Value classes", "说明 Description"]
    for j, h in enumerate(heads, start=1):
        put(toc, 4, j, h).font = BOLD
    sheets = {}
    for r in res.itertuples():
        sheets[r.table_name] = _sheet_name(r.table_name, used)
    for i, r in enumerate(res.itertuples(), start=5):
        for j, v in enumerate([sheets[r.table_name], r.table_name, r.stage, r.method,
                               str(getattr(r, "value_classes", "") or ("synthetic" if r.synthetic else "")),
                               r.description], start=1):
            cell = put(toc, i, j, v)
            if j == 1:  # the sheet's name opens the sheet (a link inside the workbook: no target file)
                sheet = sheets[r.table_name].replace("'", "''")
                cell.hyperlink = Hyperlink(ref="", location=f"'{sheet}'!A1")
                cell.font = LINK
    tws.freeze_panes = "A5"
    for j, w in enumerate([30, 30, 12, 40, 16, 80], start=1):
        tws.column_dimensions[get_column_letter(j)].width = w
    toc.flush()

    pws = wb.create_sheet(_sheet_name("provenance", used))
    p = prov.copy()
    p["params"] = p["params"].map(lambda s: json.dumps(json.loads(s), ensure_ascii=False) if isinstance(s, str) else s)
    write_table_sheet(pws, p)

    # native charts of the key series
    cws = _Grid(wb.create_sheet(_sheet_name("图表 Charts", used)))
    row = 1
    n = 0
    theirs = {f.id: f for f in other or []}
    for f in figures:
        o = theirs.get(f.id)
        if o is not None and o.kind != f.kind:
            o = None
        if f.kind in ("bar", "line", "stacked100", "hbar"):
            row = _chart_block(cws, f, row, o)
            n += 1
        elif f.kind == "pie":
            row = _pie_block(cws, f, row, o)
            n += 1
        elif f.kind in ("rank_interval", "slope"):
            row = _rank_block(cws, f, row, o)
            n += 1
    cws.ws.column_dimensions["A"].width = 22
    cws.flush()

    # static figures (matplotlib PNGs)
    iws = _Grid(wb.create_sheet(_sheet_name("静态图 Figures", used)))
    r = 1
    for f in figures:
        png = fig_dir / f"fig{f.number:02d}_{f.id}.png"
        if not png.exists():
            continue
        put(iws, r, 1, f"{fig_word}{f.number} {f.title}").font = BOLD
        put(iws, r + 1, 1, f.source)
        img = XLImage(io.BytesIO(png.read_bytes()))
        scale = 640 / img.width
        img.width, img.height = int(img.width * scale), int(img.height * scale)
        iws.ws.add_image(img, f"A{r + 2}")
        r += 4 + int(img.height / 20)
    iws.flush()

    for t, df in money_in_report_units(frames).items():
        ws = wb.create_sheet(sheets[t])
        syn = bool(res.loc[res["table_name"] == t, "synthetic"].iloc[0])
        write_table_sheet(ws, df, syn)
    return _save(wb)
