"""Stated facts of the edition (``input_market_facts``) as claims, and vendored reference facts."""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

from ..claims import Claim, Claims, V
from ..data import ReportData

FACTS = "input_market_facts"


def has_fact(rd: ReportData, fid: str) -> bool:
    if not rd.has(FACTS):
        return False
    f = rd.df(FACTS)
    return bool((f["id"] == fid).sum() == 1) and pd.notna(f.loc[f["id"] == fid, "value"]).all()


def fact(rd: ReportData, fid: str) -> pd.Series:
    f = rd.df(FACTS)
    return f[f["id"] == fid].iloc[0]


def fact_claim(rd: ReportData, cl: Claims, fid: str, decimals: int = 0, unit: str = "",
               scale: float = 1.0) -> Claim:
    """A stated fact as a claim (``scale`` divides the stored value, e.g. 1e8 for 亿)."""
    ref = V(FACTS, "value", id=fid)
    key = f"fact_{fid}" + (f"_{scale:g}" if scale != 1 else "")
    if fact(rd, fid)["unit"] == "calendar year":
        return cl.year(key, ref)
    if scale == 1.0:
        return cl.number(key, ref, decimals, unit)
    return cl.scaled(key, ref, scale, decimals, unit)


@cache
def reference_facts() -> pd.DataFrame:
    """Vendored reference facts (``data/report/model_facts.csv``) used to check the seed's model claims."""
    p = resources.files("suanli") / "data" / "report" / "model_facts.csv"
    with resources.as_file(p) as f:
        return pd.read_csv(f, dtype={"id": str, "checks": str}, keep_default_na=False)
