"""Grid emission factors by province and year (生态环境部/国家统计局, location-based).

The table lists published factors (national, regional, provincial; location, residual, fossil
calibers) with their sources. A province's factor for a year is the provincial factor published
for that year, else the nearest published year (latest earlier year first), flagged in ``basis``;
a province with no provincial factor takes the national factor of that year (flagged). The
market-based variant scales the location factor by the national residual-mix ratio (factor
excluding market-traded non-fossil electricity ÷ average factor) and by (1 − green-power share).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..io.readers import Column, Schema, apply_schema, read_raw_table

EF_SCHEMA = Schema(
    "grid_emission_factors",
    [
        Column("year", "int", allow_missing=False, min=1990, max=2100),
        Column("region", "str", allow_missing=False, aliases=("province", "地区", "省份")),
        Column("level", "str", allow_missing=False, help="national, regional or provincial"),
        Column("factor_kind", "str", allow_missing=False, help="location, residual or fossil"),
        Column("kgco2_per_kwh", "float", allow_missing=False, min=0, max=2, allow_percent=False),
        Column("published", "str", required=False),
        Column("source", "str", allow_missing=False),
        Column("quote", "str", required=False),
        Column("source_kind", "str", required=False),
        Column("note", "str", required=False),
    ],
    key=("year", "region", "level", "factor_kind"),
    min_rows=1,
)


def read_emission_factors(path: str | Path) -> pd.DataFrame:
    raw = read_raw_table(path)
    df = apply_schema(raw, EF_SCHEMA)
    problems = []
    for col, ok in (("level", {"national", "regional", "provincial"}), ("factor_kind", {"location", "residual", "fossil"})):
        for pos in np.flatnonzero(~df[col].isin(ok).to_numpy()):
            problems.append(Problem(f"unknown {col} '{df[col].iloc[pos]}'", str(path), int(df["_line"].iloc[pos]), col,
                                    f"use one of {', '.join(sorted(ok))}"))
    if not ((df.level == "national") & (df.factor_kind == "location")).any():
        problems.append(Problem("no national location-based factor", str(path), None, "level",
                                "add the national average factor (全国电力平均二氧化碳排放因子) of at least one year"))
    if problems:
        raise InputError(problems=problems)
    from ..regions import canonical_province

    prov = df.level == "provincial"
    df.loc[prov, "region"] = df.loc[prov, "region"].map(canonical_province)
    return df


def _nearest(years_avail: np.ndarray, y: int) -> int:
    earlier = years_avail[years_avail <= y]
    return int(earlier.max()) if len(earlier) else int(years_avail.min())


def factor_matrix(ef: pd.DataFrame, years: np.ndarray, provinces: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """(EF[Y, P] kgCO2/kWh, residual ratio [Y], table of the factor used per year and province)."""
    loc = ef[ef.factor_kind == "location"]
    nat = loc[loc.level == "national"].set_index("year")["kgco2_per_kwh"]
    res = ef[(ef.factor_kind == "residual") & (ef.level == "national")].set_index("year")["kgco2_per_kwh"]
    both = np.array(sorted(set(nat.index) & set(res.index)))
    pv = loc[loc.level == "provincial"]
    prov_rows = {p: g.set_index("year") for p, g in pv.groupby("region")}
    nat_rows = loc[loc.level == "national"].set_index("year")
    out = np.zeros((len(years), len(provinces)))
    ratio = np.ones(len(years))
    rows = []
    nat_years = np.array(sorted(nat.index))
    for i, y in enumerate(years):
        y = int(y)
        if len(both):
            yb = _nearest(both, y)
            ratio[i] = float(res[yb] / nat[yb])
        for j, p in enumerate(provinces):
            sub = prov_rows.get(p)
            if sub is not None:
                yp = _nearest(np.array(sorted(sub.index)), y)
                r = sub.loc[yp]
                basis = "published for this year" if yp == y else f"{yp} provincial factor carried to {y}"
                level = "provincial"
            else:
                yp = _nearest(nat_years, y)
                r = nat_rows.loc[yp]
                basis = f"no provincial factor: national {yp} factor"
                level = "national"
            out[i, j] = float(r.kgco2_per_kwh)
            rows.append({"year": y, "province": p, "kgco2_per_kwh": float(r.kgco2_per_kwh), "factor_year": int(yp),
                         "level": level, "basis": basis, "residual_ratio": ratio[i], "source": r.source,
                         "source_kind": r.get("source_kind", ""),
                         "value_class": "stated" if yp == y else "derived"})
    return out, ratio, pd.DataFrame(rows)
