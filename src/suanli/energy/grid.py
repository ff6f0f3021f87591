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
            problems.append(Problem(f"unknown {col} '{df[col].iloc[pos]}'", raw.path, int(df["_line"].iloc[pos]), col,
                                    f"use one of {', '.join(sorted(ok))}"))
    if not ((df.level == "national") & (df.factor_kind == "location")).any():
        problems.append(Problem("no national location-based factor", raw.path, None, "level",
                                "add the national average factor (全国电力平均二氧化碳排放因子) of at least one year"))
    if problems:
        raise InputError(problems=problems)
    from ..regions import canonical_province

    prov = df.level == "provincial"
    df.loc[prov, "region"] = df.loc[prov, "region"].map(canonical_province)
    return df


def _nearest(years_avail: list[int], y: int) -> int:
    earlier = [a for a in years_avail if a <= y]
    return max(earlier) if earlier else min(years_avail)


def factor_matrix(ef: pd.DataFrame, years: np.ndarray, provinces: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """(EF[Y, P] kgCO2/kWh, residual ratio [Y], table of the factor used per year and province)."""
    loc = ef[ef.factor_kind == "location"]
    cols = ["year", "kgco2_per_kwh", "source"] + (["source_kind"] if "source_kind" in ef else [])

    def records(df: pd.DataFrame) -> dict[int, dict]:
        return {int(r["year"]): r for r in df[cols].to_dict("records")}

    nat_rows = records(loc[loc.level == "national"])
    res = records(ef[(ef.factor_kind == "residual") & (ef.level == "national")])
    both = sorted(set(nat_rows) & set(res))
    pv = loc[loc.level == "provincial"]
    prov_rows = {p: records(g) for p, g in pv.groupby("region")}
    prov_years = {p: sorted(d) for p, d in prov_rows.items()}
    nat_years = sorted(nat_rows)
    out = np.zeros((len(years), len(provinces)))
    ratio = np.ones(len(years))
    rows = []
    for i, y in enumerate(years):
        y = int(y)
        if both:
            yb = _nearest(both, y)
            ratio[i] = float(res[yb]["kgco2_per_kwh"] / nat_rows[yb]["kgco2_per_kwh"])
        for j, p in enumerate(provinces):
            sub = prov_rows.get(p)
            if sub is not None:
                yp = _nearest(prov_years[p], y)
                r = sub[yp]
                basis = "published for this year" if yp == y else f"{yp} provincial factor carried to {y}"
                level = "provincial"
            else:
                yp = _nearest(nat_years, y)
                r = nat_rows[yp]
                basis = f"no provincial factor: national {yp} factor"
                level = "national"
            v = float(r["kgco2_per_kwh"])
            out[i, j] = v
            rows.append({"year": y, "province": p, "kgco2_per_kwh": v, "factor_year": int(yp),
                         "level": level, "basis": basis, "residual_ratio": ratio[i], "source": r["source"],
                         "source_kind": r.get("source_kind", ""),
                         # stated only when the province's own factor of that year is used
                         "value_class": "stated" if yp == y and level == "provincial" else "derived"})
    return out, ratio, pd.DataFrame(rows)
