"""Indicator data: ``X[unit, indicator]`` (NaN = missing) plus unit ids, names, groups,
denominators and a per-value data-status label, one :class:`Dataset` per year.

Tables may be wide (one row per unit and year, one column per indicator; COINr's ``iData``
layout with ``uCode, uName, Time``) or long (``unit_id, indicator_id, value`` [+ ``year``,
``data_status``]). :func:`read_data` detects the layout and returns a :class:`Panel`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from .framework import Framework

UNIT_ID = ("unit_id", "uCode", "unit", "code")
UNIT_NAME = ("unit_name", "uName", "name", "name_zh")
YEAR = ("year", "Time", "time")
IND_ID = ("indicator_id", "iCode", "indicator")
VALUE = ("value", "Value")
STATUS = ("data_status", "status")
META_COLS = {"aliases", "name_en", "synthetic", "source", "notes"}


@dataclass
class Dataset:
    """One cross-section: ``X[unit, indicator]`` in ``framework.indicator_ids`` order."""

    framework: Framework
    unit_ids: np.ndarray
    X: np.ndarray
    unit_names: np.ndarray | None = None
    year: int | None = None
    groups: dict[str, np.ndarray] = field(default_factory=dict)
    denominators: dict[str, np.ndarray] = field(default_factory=dict)
    status: np.ndarray | None = None  # [unit, indicator] of "real" / "synthetic" / "target" / ""
    source: str | None = None

    def __repr__(self) -> str:
        from .display import dataset_text

        return dataset_text(self)

    def _repr_html_(self) -> str:
        from .display import dataset_text, html_box

        return html_box(dataset_text(self))

    def __post_init__(self) -> None:
        self.unit_ids = np.asarray(self.unit_ids).astype(str).astype(object)
        self.X = np.asarray(self.X, dtype=float)
        if self.unit_names is None:
            self.unit_names = self.unit_ids.copy()
        n_u, n_i = len(self.unit_ids), self.framework.n_ind
        if self.X.shape != (n_u, n_i):
            raise InputError(f"data matrix has shape {self.X.shape}, expected ({n_u}, {n_i}) "
                             f"(units × indicators of framework '{self.framework.id}')")
        dup = pd.Index(self.unit_ids)[pd.Index(self.unit_ids).duplicated()]
        if len(dup):
            raise InputError(f"duplicate unit ids: {', '.join(map(str, dup[:10]))}", file=self.source,
                             hint="each unit must appear once per year")
        if np.isinf(self.X).any():
            r, c = np.argwhere(np.isinf(self.X))[0]
            raise InputError(f"infinite value for unit '{self.unit_ids[r]}'", file=self.source,
                             column=self.framework.ids[c])

    @property
    def n_units(self) -> int:
        return len(self.unit_ids)

    def subset(self, keep: np.ndarray) -> Dataset:
        keep = np.asarray(keep)
        return replace(self, unit_ids=self.unit_ids[keep], X=self.X[keep],
                       unit_names=self.unit_names[keep] if self.unit_names is not None else None,
                       groups={k: v[keep] for k, v in self.groups.items()},
                       denominators={k: v[keep] for k, v in self.denominators.items()},
                       status=self.status[keep] if self.status is not None else None)

    def permute(self, order: np.ndarray) -> Dataset:
        return self.subset(np.asarray(order))

    def with_X(self, X: np.ndarray) -> Dataset:
        return replace(self, X=np.asarray(X, dtype=float))

    def frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.X, columns=self.framework.indicator_ids)
        df.insert(0, "unit_name", self.unit_names)
        df.insert(0, "unit_id", self.unit_ids)
        return df

    def availability(self) -> pd.DataFrame:
        """Data availability per unit (share of non-missing indicators, share of non-zero)."""
        have = ~np.isnan(self.X)
        return pd.DataFrame({
            "unit_id": self.unit_ids, "unit_name": self.unit_names,
            "n_missing": (~have).sum(1), "n_zero": (self.X == 0).sum(1),
            "dat_avail": have.mean(1), "non_zero": np.where(have, self.X != 0, False).sum(1) / self.X.shape[1],
        })

    def indicator_availability(self) -> pd.DataFrame:
        have = ~np.isnan(self.X)
        return pd.DataFrame({"indicator_id": self.framework.indicator_ids, "n_available": have.sum(0),
                             "availability": have.mean(0)})


@dataclass
class Panel:
    """Datasets by year (key ``None`` for a single cross-section without a year column)."""

    framework: Framework
    years: dict[int | None, Dataset]

    def __repr__(self) -> str:
        from .display import panel_text

        return panel_text(self)

    def _repr_html_(self) -> str:
        from .display import html_box, panel_text

        return html_box(panel_text(self))

    def __getitem__(self, year: int | None) -> Dataset:
        if year not in self.years:
            raise InputError(f"no data for year {year}", hint=f"years in the data: {self.year_list()}")
        return self.years[year]

    def year_list(self) -> list[int | None]:
        return sorted(self.years, key=lambda y: -1 if y is None else y)

    def latest(self) -> Dataset:
        return self.years[self.year_list()[-1]]

    def previous(self, year: int | None) -> Dataset | None:
        ys = [y for y in self.year_list() if y is not None and year is not None and y < year]
        return self.years[ys[-1]] if ys else None


def _pick(cols: list[str], names: tuple[str, ...]) -> str | None:
    low = {c.lower(): c for c in cols}
    for n in names:
        if n.lower() in low:
            return low[n.lower()]
    return None


def read_data(source: str | Path | pd.DataFrame, framework: Framework, *, sheet: str | None = None) -> Panel:
    """Read a wide or long indicator table (CSV/TSV/XLSX path or a DataFrame) into a :class:`Panel`;
    ``sheet`` names the worksheet of a workbook (default: the first visible one with content)."""
    if isinstance(source, pd.DataFrame):
        df, src = source.copy(), None
        lines = np.arange(len(df)) + 2
    else:
        from ..io.readers import read_raw_table

        raw = read_raw_table(source, sheet=sheet)
        df, src = raw.frame.copy(), raw.path
        lines = np.asarray(raw.lines, dtype=np.int64)
        df = df.replace({"": np.nan})
        if df.empty:
            raise InputError("has a header but no data rows", file=src, row=raw.header_line + 1,
                             hint="add one row per unit (wide) or per unit and indicator (long)")
    df.columns = [str(c).strip() for c in df.columns]
    cols = list(df.columns)
    if _pick(cols, IND_ID) and _pick(cols, VALUE):
        return _read_long(df, framework, src, lines)
    return _read_wide(df, framework, src, lines)


def _numbers(values: pd.Series, src: str | None, col: str, lines: np.ndarray, problems: list[Problem]) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(values):
        return values.to_numpy(dtype=float)
    from ..units import parse_number_series

    arr, bad = parse_number_series(values.astype(object).where(values.notna(), ""))
    for i, text in bad[:20]:
        problems.append(Problem(text, src, int(lines[i]), col,
                                "write plain numbers; leave the cell empty when missing"))
    return np.asarray(arr, dtype=float)


def _read_wide(df: pd.DataFrame, fw: Framework, src: str | None, lines: np.ndarray) -> Panel:
    cols = list(df.columns)
    uid = _pick(cols, UNIT_ID)
    if uid is None:
        raise InputError("no unit id column", file=src, hint=f"name it one of: {', '.join(UNIT_ID)}")
    uname, year = _pick(cols, UNIT_NAME), _pick(cols, YEAR)
    status_col = _pick(cols, STATUS)
    groups = [c for c in cols if c in fw.groups or c.endswith("_group")]
    denoms = [c for c in cols if c in fw.denominators]
    inds = set(fw.indicator_ids)
    known = {uid, uname, year, status_col, *groups, *denoms} | META_COLS
    status_cols = {c for c in cols if c.startswith("status_") and c[7:] in inds}
    unknown = [c for c in cols if c not in known and c not in inds and c not in status_cols
               and not c.startswith("Unnamed")]
    problems: list[Problem] = []
    if unknown:
        problems.append(Problem(f"column(s) not in the framework: {', '.join(unknown[:15])}", src, 1, None,
                                "indicator columns must be framework ids; declare group/denominator columns "
                                "in the framework's 'groups:'/'denominators:'"))
    missing = [i for i in fw.indicator_ids if i not in cols]
    if missing:
        problems.append(Problem(f"indicator(s) of the framework missing from the data: {', '.join(missing[:15])}",
                                src, 1, None, "add the columns (empty cells for missing values)"))
    if problems:
        raise InputError(problems=problems)
    X = np.column_stack([_numbers(df[c], src, c, lines, problems) for c in fw.indicator_ids]) \
        if fw.indicator_ids else np.zeros((len(df), 0))
    den = {c: _numbers(df[c], src, c, lines, problems) for c in denoms}
    if problems:
        raise InputError(problems=problems)
    if df[uid].isna().any():
        r = int(np.flatnonzero(df[uid].isna().to_numpy())[0])
        raise InputError("empty unit id", file=src, row=int(lines[r]), column=uid)
    years = _years(df, year, src, lines)
    status = None
    if status_cols or status_col:
        status = np.full(X.shape, "", dtype=object)
        if status_col:
            status[:] = df[status_col].fillna("").astype(str).to_numpy()[:, None]
        for j, c in enumerate(fw.indicator_ids):
            if f"status_{c}" in df.columns:
                s = df[f"status_{c}"].fillna("").astype(str).to_numpy()
                status[:, j] = np.where(s != "", s, status[:, j])
    out: dict[int | None, Dataset] = {}
    for y in sorted(set(years), key=lambda v: -1 if v is None else v):
        m = years == y if y is not None else np.ones(len(df), bool)
        ids = df[uid].astype(str).str.strip().to_numpy()[m]
        dup = pd.Index(ids)[pd.Index(ids).duplicated()]
        if len(dup):
            r = int(np.flatnonzero(m)[np.flatnonzero(pd.Index(ids).duplicated())[0]])
            raise InputError(f"unit '{dup[0]}' appears twice" + (f" in {y}" if y is not None else ""),
                             file=src, row=int(lines[r]), column=uid)
        _check_same_place(ids, df[uname].fillna("").astype(str).to_numpy()[m] if uname else None, lines[m], src,
                          uid, y)
        out[y] = Dataset(fw, ids, X[m], unit_names=(df[uname].fillna("").astype(str).to_numpy()[m]
                                                     if uname else None),
                         year=y, groups={g: df[g].astype(str).to_numpy()[m] for g in groups},
                         denominators={d: v[m] for d, v in den.items()},
                         status=status[m] if status is not None else None, source=src)
    return Panel(fw, out)


def _check_same_place(ids: np.ndarray, names: np.ndarray | None, unit_lines: np.ndarray, src: str | None,
                      col: str, year: int | None) -> None:
    """Refuse two unit ids that name one place (北京 / 北京市 / Beijing): they would be ranked twice."""
    from ..regions import region_key

    seen: dict[str, tuple[str, str]] = {}
    for k, u in enumerate(ids):
        label = str(names[k]) if names is not None and str(names[k]).strip() else str(u)
        key = region_key(label)
        if not key:
            continue
        if key in seen and seen[key][0] != u:
            other, other_label = seen[key]
            raise InputError(
                f"units '{other}' ({other_label}) and '{u}' ({label}) are the same place"
                + (f" in {year}" if year is not None else ""),
                file=src, row=int(unit_lines[k]), column=col,
                hint="use one unit id per place; 北京, 北京市 and Beijing are one unit")
        seen.setdefault(key, (str(u), label))


def _years(df: pd.DataFrame, col: str | None, src: str | None, lines: np.ndarray) -> np.ndarray:
    if col is None:
        return np.array([None] * len(df), dtype=object)
    from ..units import normalise_text

    v = pd.to_numeric(df[col].map(lambda x: normalise_text(x) if isinstance(x, str) else x), errors="coerce")
    if v.isna().any():
        r = int(np.flatnonzero(v.isna().to_numpy())[0])
        raise InputError(f"year '{df[col].iloc[r]}' is not a whole number", file=src, row=int(lines[r]), column=col)
    return v.astype(int).to_numpy().astype(object)


def _read_long(df: pd.DataFrame, fw: Framework, src: str | None, lines: np.ndarray) -> Panel:
    cols = list(df.columns)
    uid, iid, val = _pick(cols, UNIT_ID), _pick(cols, IND_ID), _pick(cols, VALUE)
    if uid is None:
        raise InputError("no unit id column", file=src, hint=f"name it one of: {', '.join(UNIT_ID)}")
    uname, year, st = _pick(cols, UNIT_NAME), _pick(cols, YEAR), _pick(cols, STATUS)
    problems: list[Problem] = []
    df[iid] = df[iid].astype(str).str.strip()
    df[uid] = df[uid].astype(str).str.strip()
    known = set(fw.indicator_ids) | set(fw.groups) | set(fw.denominators)
    bad = ~df[iid].isin(known)
    for r in np.flatnonzero(bad.to_numpy())[:20]:
        problems.append(Problem(f"unknown indicator id '{df[iid].iloc[r]}'", src, int(lines[r]), iid,
                                "use an indicator id from the framework"))
    values = _numbers(df[val], src, val, lines, problems)
    if problems:
        raise InputError(problems=problems)
    df["_v"] = values
    df["_line"] = lines
    df["_y"] = _years(df, year, src, lines)
    key = ["_y", uid, iid]
    d = df[df.duplicated(key, keep=False)]
    if len(d):
        r = d.iloc[1]
        raise InputError(f"unit '{r[uid]}' has two values for '{r[iid]}'", file=src, row=int(r["_line"]),
                         column=iid)
    out: dict[int | None, Dataset] = {}
    ind_pos = {k: i for i, k in enumerate(fw.indicator_ids)}
    for y, g in df.groupby("_y", dropna=False, sort=True):
        y = None if y is None or (isinstance(y, float) and np.isnan(y)) else int(y)
        units = list(dict.fromkeys(g[uid]))
        upos = {u: i for i, u in enumerate(units)}
        X = np.full((len(units), fw.n_ind), np.nan)
        status = np.full(X.shape, "", dtype=object)
        den = {c: np.full(len(units), np.nan) for c in fw.denominators}
        grp = {c: np.full(len(units), "", dtype=object) for c in fw.groups}
        names = {}
        for r in g.to_dict("records"):
            u, k = upos[r[uid]], r[iid]
            if k in ind_pos:
                X[u, ind_pos[k]] = r["_v"]
                if st and isinstance(r.get(st), str):
                    status[u, ind_pos[k]] = r[st]
            elif k in den:
                den[k][u] = r["_v"]
            if uname and isinstance(r.get(uname), str):
                names[r[uid]] = r[uname]
        for c in fw.groups:  # groups in long form come as extra columns
            if c in g.columns:
                grp[c] = g.drop_duplicates(uid).set_index(uid).loc[units, c].astype(str).to_numpy()
        first_line = g.drop_duplicates(uid).set_index(uid).loc[units, "_line"].to_numpy()
        _check_same_place(np.array(units, dtype=object), np.array([names.get(u, u) for u in units], dtype=object),
                          first_line, src, uid, y)
        out[y] = Dataset(fw, np.array(units, dtype=object), X,
                         unit_names=np.array([names.get(u, u) for u in units], dtype=object), year=y,
                         groups=grp, denominators=den, status=status if st else None, source=src)
    return Panel(fw, out)
