"""Resolve every name of an inventory or shipments table at once, and report all that fail.

One unknown model must not hide the others: :func:`resolve_column` looks up each distinct name
once and returns, besides the catalog names, one record per unresolved *row* (file, row, column,
name, problem, closest known names). Callers either raise :class:`UnresolvedError` (which prints
every unresolved name with all its rows) or, with ``--skip-unknown``, drop those rows and write
the records to ``unresolved.csv``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from .catalog import Catalog, Resolution

UNRESOLVED_COLUMNS = ["file", "row", "column", "name", "problem", "closest"]


class UnresolvedError(InputError):
    """Names that did not resolve; unlike other input errors every one is printed."""

    def __str__(self) -> str:
        if not self.problems:
            return "invalid input"
        lines = [f"{len(self.problems)} name(s) could not be used (all listed; --skip-unknown computes the "
                 "rest and writes them to unresolved.csv):"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


def row_ranges(rows: Sequence[int]) -> str:
    """[2, 3, 4, 9] -> '2-4, 9'."""
    rs = sorted(set(int(r) for r in rows))
    out: list[str] = []
    i = 0
    while i < len(rs):
        j = i
        while j + 1 < len(rs) and rs[j + 1] == rs[j] + 1:
            j += 1
        out.append(str(rs[i]) if i == j else f"{rs[i]}-{rs[j]}")
        i = j + 1
    return ", ".join(out)


@dataclass
class ColumnResolution:
    models: np.ndarray  # catalog model per row ('' = empty cell or unresolved)
    bad: np.ndarray  # bool per row: a name was given and did not resolve
    records: list[dict] = field(default_factory=list)  # one per unresolved row
    resolutions: dict[str, Resolution] = field(default_factory=dict)  # given name -> resolution


def resolve_column(catalog: Catalog, names: Sequence[object], kind: str, *, file: str, column: str,
                   lines: Sequence[int] | None = None) -> ColumnResolution:
    """Resolve a column of names; each distinct name is looked up once."""
    ser = names if isinstance(names, pd.Series) else pd.Series(np.asarray(names, dtype=object))
    codes, uniq = pd.factorize(ser, sort=False)  # missing cells get code -1
    uniq = [normalise_cell(u) for u in np.asarray(uniq, dtype=object)]
    resolved = np.empty(len(uniq) + 1, dtype=object)
    resolved[-1] = ""  # index -1: missing cell
    failed: dict[int, tuple[str, list[str]]] = {}
    resolutions: dict[str, Resolution] = {}
    for i, nm in enumerate(uniq):
        if nm == "":
            resolved[i] = ""
            continue
        try:
            r = catalog.lookup(nm, kind)
            resolved[i] = r.model
            resolutions[nm] = r
        except LookupError as exc:
            resolved[i] = ""
            failed[i] = (str(exc), catalog.closest(nm, kind))
    models = resolved[codes]
    bad = np.isin(codes, np.fromiter(failed, dtype=np.int64)) if failed else np.zeros(len(codes), dtype=bool)
    line_arr = np.asarray(lines) if lines is not None else np.arange(2, len(codes) + 2)
    records = [{"file": file, "row": int(line_arr[pos]), "column": column, "name": uniq[codes[pos]],
                "problem": failed[codes[pos]][0], "closest": "; ".join(failed[codes[pos]][1])}
               for pos in np.flatnonzero(bad)]
    return ColumnResolution(models.astype(object), bad, records, resolutions)


def normalise_cell(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    return str(v).strip()


def problems_from_records(records: list[dict], hint: str) -> list[Problem]:
    """One problem per distinct (column, name, problem), listing all its rows."""
    if not records:
        return []
    df = pd.DataFrame(records).sort_values(["row", "column"], kind="mergesort")
    out = []
    for (col, _name, problem), g in df.groupby(["column", "name", "problem"], sort=False):
        rows = g["row"].tolist()
        msg = f"{problem} (rows {row_ranges(rows)})" if len(rows) > 1 else problem
        out.append(Problem(msg, g["file"].iloc[0], int(min(rows)), col, hint))
    return out


def unresolved_table(records: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(records, columns=UNRESOLVED_COLUMNS)
    return df.sort_values(["row", "column"], kind="mergesort").reset_index(drop=True)
