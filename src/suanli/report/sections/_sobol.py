"""Rows of a Sobol-index bar chart, one way for every chart of the report.

The energy chapter's chart and the methodology's two ranking charts show the same kind of result;
they used to differ in series order (so in colour: total-order blue in one, orange in the others),
in terms ("总效应 ST" against "总效应指数 ST"), in order of the inputs and in whether intervals were
drawn. Here every Sobol chart gets: the first-order index first and the total-order index second
(the same two colours everywhere), the names of the workbook's columns (``i18n`` ``S1``/``ST``), the
inputs largest total-order index first (top of the chart), and each index's interval: the stored
bootstrap bounds (``S1_lo``/``S1_hi``) or, where only SALib's half-width is stored
(``S1_conf``), the index ± that half-width.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..data import ReportData
from ..i18n import column_header

INDICES = ("S1", "ST")
#: the note under every Sobol chart: what its whiskers are
NOTE = ("须线为各指数的自助法（bootstrap）置信区间；一阶指数为该输入单独造成的方差份额，总效应指数另含它与其他输入的交互作用。",
        "Whiskers: bootstrap confidence interval of each index. First-order S1 is the share of the variance an "
        "input causes alone; total-order ST adds its interactions with the other inputs.")


def _bounds(d: pd.DataFrame, col: str) -> tuple[pd.Series, pd.Series]:
    v = d[col].astype(float)
    if f"{col}_lo" in d and f"{col}_hi" in d:
        return d[f"{col}_lo"].astype(float), d[f"{col}_hi"].astype(float)
    if f"{col}_conf" in d:
        half = d[f"{col}_conf"].astype(float)
        return v - half, v + half
    nan = pd.Series(np.nan, index=d.index)
    return nan, nan


def sobol_rows(rd: ReportData, d: pd.DataFrame, name: str, label: Callable[[str], str],
               top: int | None = None) -> pd.DataFrame:
    """Chart rows (``y``, ``series``, ``value``, ``lo``, ``hi``) of the inputs in column ``name`` of
    one Sobol table (one target, one year), ``label`` naming an input in the report's language;
    ``top`` keeps the inputs of the largest total-order indices."""
    if "ST" in d:
        d = d.sort_values(["ST", name], ascending=[False, True], kind="stable")
    if top is not None:
        d = d.head(top)
    rows = []
    for col in INDICES:
        if col not in d:
            continue
        lo, hi = _bounds(d, col)
        header = column_header(col, rd.lang)[0]  # 一阶指数 / First-order S1
        series = f"{header} {col}" if rd.lang == "zh" else header
        rows += [(label(str(n)), series, float(v), float(a), float(b))
                 for n, v, a, b in zip(d[name], d[col].astype(float), lo, hi, strict=True)]
    return pd.DataFrame(rows, columns=["y", "series", "value", "lo", "hi"])
