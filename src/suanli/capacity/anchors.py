"""Real public anchors beside the synthetic shipments, and the definitions bridge.

Three sourced tables ship in ``data/capacity/`` (each row with its source title, URL, date, the
figure as quoted and the kind of source):

* ``intelligent_computing_centres.csv``: announced public intelligent-computing centres (智算中心),
  with the capacity in P as announced (precision where stated) and whether it is in operation or
  planned; ``name_en``, ``operator_en``: English renderings of ``name`` and ``operator`` by the
  suanli maintainers (not from the source), which the English report prints (optional: a file
  without them, or an empty cell, falls back to the Chinese);
* ``national_hubs.csv``: the 8 national hub nodes and 10 data-centre clusters of 东数西算, with a
  published compute figure where one was found;
* ``definitions_bridge.csv``: how IDC, MIIT/CAICT and CAICT define and measure compute, with their
  published figures side by side.

:func:`province_check` puts the synthetic installed base by province next to the announced real
capacity and flags provinces where the synthetic stock is below what is announced as in operation:
the synthetic distribution must not contradict public facts it could be checked against.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem

CENTRE_COLUMNS = ["name", "province", "city", "operator", "announced_pflops", "precision", "capacity_kind", "year",
                  "status", "source_title", "source_url", "source_date", "quote", "source_kind"]
#: optional centre columns: English renderings of ``name`` and ``operator`` by the suanli maintainers
#: (not from the source); a file without them still loads (they are added empty) and an empty one
#: shows the Chinese in the English report
CENTRE_OPTIONAL_COLUMNS = ["name_en", "operator_en"]
SOURCE_KINDS = {"official_statistics", "government", "company", "press", "aggregator"}
STATUSES = {"operating", "under_construction", "planned"}


def _data(name: str) -> Path:
    return Path(str(resources.files("suanli") / "data" / "capacity" / name))


def _read(name: str | Path, required: list[str]) -> pd.DataFrame:
    """A bundled file by its name in ``data/capacity/``, or any file by its path."""
    path = name if isinstance(name, Path) else _data(name)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(f"{path.name} lacks columns {missing}", file=path)
    problems = []
    for i, r in df.iterrows():
        if not (r.get("source_url") or r.get("source_title")):
            problems.append(Problem("row has no source URL or title", str(path), i + 2, "source_url",
                                    "every figure keeps its source"))
        if r.get("source_kind") and r["source_kind"] not in SOURCE_KINDS:
            problems.append(Problem(f"source_kind '{r['source_kind']}' is not one of {sorted(SOURCE_KINDS)}",
                                    str(path), i + 2, "source_kind"))
    if problems:
        raise InputError(problems=problems)
    return df


def centres(path: str | Path | None = None) -> pd.DataFrame:
    """The announced intelligent-computing centres, typed; value_class 'stated' (as announced).

    ``path``: another file with the same columns (default: the bundled dataset). The optional
    English columns (:data:`CENTRE_OPTIONAL_COLUMNS`) are added empty when the file lacks them.
    """
    from ..regions import canonical_province

    path = _data("intelligent_computing_centres.csv") if path is None else Path(path)
    df = _read(path, CENTRE_COLUMNS)
    bad = sorted(set(df["status"]) - STATUSES)
    if bad:
        raise InputError(f"{path.name}: unknown status {bad}", file=path)
    for c in CENTRE_OPTIONAL_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df["province"] = df["province"].map(canonical_province)
    df["announced_pflops"] = pd.to_numeric(df["announced_pflops"].mask(df["announced_pflops"] == ""))
    _plausible_capacities(df["announced_pflops"], path)
    df["year"] = pd.to_numeric(df["year"].mask(df["year"] == "")).astype("Int64")
    df["value_class"] = "stated"
    return df


def centre_text(row, col: str, lang: str) -> str:
    """A centre's ``name`` or ``operator`` (``col``; ``row`` from ``itertuples``) in the report's
    language. The Chinese report prints the stored Chinese; the English one prints the English
    rendering (``name_en``/``operator_en``, by the suanli maintainers, not from the source) and falls
    back to the Chinese where there is none (a user's file without the columns, an empty cell). A
    missing value is an empty string."""

    def text(c: str) -> str:
        v = getattr(row, c, None)
        return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)

    if lang != "zh" and text(col + "_en").strip():
        return text(col + "_en").strip()
    return text(col)


def _plausible_capacities(values: pd.Series, path: Path) -> None:
    """The plausibility limit of a project's capacity (suanli.limits), as the open edition checks it."""
    from ..limits import check_limit

    key = "intelligent_computing_centres.announced_pflops"
    problems = [Problem(f"{v:g} P is negative", str(path), i + 2, "announced_pflops") if v < 0 else
                check_limit(float(v), key, what=f"{v:g} P", file=str(path), row=i + 2, column="announced_pflops")
                for i, v in enumerate(values.to_numpy(dtype=float)) if v == v]
    problems = [p for p in problems if p is not None]
    if problems:
        raise InputError(problems=problems)


def hubs() -> pd.DataFrame:
    from ..regions import canonical_province

    df = _read("national_hubs.csv", ["hub", "cluster", "province", "value", "source_url", "quote", "source_kind"])
    df["province"] = df["province"].map(canonical_province)
    df["value"] = pd.to_numeric(df["value"].mask(df["value"] == ""))
    df["value_class"] = "stated"
    return df


def province_statistics() -> pd.DataFrame:
    """Province-level published compute figures (official or press-reported), PFLOPS."""
    from ..regions import canonical_province

    df = _read("province_statistics.csv", ["province", "metric", "value", "unit", "as_of", "compute_kind",
                                           "source_url", "quote", "source_kind"])
    df["province"] = df["province"].map(canonical_province)
    df["value"] = pd.to_numeric(df["value"])
    df["value_class"] = "stated"
    return df


def definitions() -> pd.DataFrame:
    df = _read("definitions_bridge.csv", ["publisher", "series", "precision_basis", "what_is_counted",
                                          "in_use_or_shipped", "time_point", "year", "value", "unit",
                                          "source_url", "quote", "source_kind"])
    df["value"] = pd.to_numeric(df["value"])
    df["value_class"] = "stated"
    return df


def definitions_bridge(defs: pd.DataFrame) -> pd.DataFrame:
    """Why MIIT's 788 EFLOPS (mid-2025, in use) and IDC's 1,037.3 (end-2025) differ, step by step.

    Both are FP16, so no precision factor applies (a documented factor of 1). The time point is
    bridged by interpolating IDC's end-2024 and end-2025 values geometrically to mid-2025 (constant
    growth within the year); what remains is scope: devices in computing centres in use versus all
    accelerators shipped and still installed (enterprise, on-premises and edge included), plus
    retirement conventions. That remainder is reported, not explained away.
    """
    idc = defs[(defs["publisher"].str.startswith("IDC")) & defs["series"].str.contains("intelligent")]
    v24 = float(idc.loc[idc["year"].astype(str) == "2024", "value"].iloc[0])
    v25 = float(idc.loc[idc["year"].astype(str) == "2025", "value"].iloc[0])
    miit = float(defs.loc[defs["publisher"].str.startswith("MIIT") & defs["series"].str.contains("intelligent"),
                          "value"].iloc[0])
    mid = float(np.sqrt(v24 * v25))
    # (step, its Chinese, value, unit, value class, note, its Chinese)
    rows = [
        ("IDC intelligent compute, end of 2024 (FP16)", "IDC 智能算力，2024 年底（FP16）", v24, "EFLOPS", "stated",
         "IDC/Inspur 2025 report", "IDC/浪潮 2025 年报告"),
        ("IDC intelligent compute, end of 2025 (FP16, forecast)", "IDC 智能算力，2025 年底（FP16，预测）", v25, "EFLOPS",
         "stated", "IDC/Inspur 2025 report", "IDC/浪潮 2025 年报告"),
        ("precision factor MIIT -> IDC (both FP16 as published)", "精度系数 工信部 → IDC（公布时均为 FP16）", 1.0, "ratio",
         "stated", "the MIIT/CAICT release says FP16; IDC says FP16", "工信部/中国信通院的发布注明 FP16；IDC 注明 FP16"),
        (f"IDC interpolated to end of June 2025 (geometric: √({v24:g} × {v25:g}))",
         f"IDC 插值到 2025 年 6 月底（几何插值：√({v24:g} × {v25:g})）", mid, "EFLOPS", "derived",
         "constant growth within 2025 assumed", "假设 2025 年内增速不变"),
        ("MIIT/CAICT intelligent compute in use, end of June 2025 (FP16)",
         "工信部/中国信通院在用智能算力，2025 年 6 月底（FP16）", miit, "EFLOPS", "stated",
         "2025 China Computing Power Conference", "2025 中国算力大会"),
        ("time-point gap: IDC end-2025 minus IDC mid-2025", "时间点差距：IDC 2025 年底减 IDC 2025 年年中", v25 - mid,
         "EFLOPS", "derived", "growth in H2 2025", "2025 年下半年的增长"),
        ("scope gap: IDC mid-2025 minus MIIT mid-2025", "口径差距：IDC 2025 年年中减工信部 2025 年年中", mid - miit,
         "EFLOPS", "derived",
         "in-use in computing centres vs all installed accelerators; retirement conventions; not decomposed "
         "further (no documented factor)",
         "算力中心在用与全部已装机加速卡之别；退役约定；不再进一步拆分（没有有据可查的系数）"),
        ("MIIT as a share of IDC at the same time point", "同一时间点工信部数值占 IDC 数值的比例", miit / mid, "ratio",
         "derived", "", ""),
    ]
    return pd.DataFrame(rows, columns=["step", "step_zh", "value", "unit", "value_class", "note", "note_zh"])


def province_check(by_province: pd.DataFrame, centres_df: pd.DataFrame, year: int,
                   value_class: str, stats: pd.DataFrame | None = None) -> pd.DataFrame:
    """Synthetic intelligent installed base (PFLOPS) by province vs announced real capacity.

    ``announced_operating_pflops`` sums centres announced as in operation; ``announced_all_pflops``
    adds planned and under-construction figures. ``below_operating`` flags provinces where the
    synthetic stock is below the operating capacity announced there; ``province_intelligent_pflops``
    is a province-level published intelligent-compute figure where one exists, and
    ``below_province_stat`` flags a synthetic stock below it. Announced P figures rarely
    state their precision (most are FP16 or unstated, a few INT8-based "inference" figures), so
    the comparison is indicative, not exact.
    """
    syn = (by_province[by_province["year"] == year].groupby("province")["intelligent_eflops"].sum() * 1e3)
    c = centres_df.dropna(subset=["announced_pflops"])
    op = c[(c["status"] == "operating") & (c["capacity_kind"] == "in operation")].groupby("province")[
        "announced_pflops"].sum()
    allp = c.groupby("province")["announced_pflops"].sum()
    n = c.groupby("province").size()
    provs = sorted(set(syn.index) | set(allp.index))
    out = pd.DataFrame({"province": provs})
    out["year"] = year
    out["synthetic_intelligent_pflops"] = out["province"].map(syn).fillna(0.0)
    out["announced_operating_pflops"] = out["province"].map(op).fillna(0.0)
    out["announced_all_pflops"] = out["province"].map(allp).fillna(0.0)
    out["centres_with_figure"] = out["province"].map(n).fillna(0).astype(int)
    out["below_operating"] = out["synthetic_intelligent_pflops"] < out["announced_operating_pflops"]
    out["ratio_synthetic_to_operating"] = np.where(out["announced_operating_pflops"] > 0,
                                                   out["synthetic_intelligent_pflops"]
                                                   / out["announced_operating_pflops"].where(
                                                       out["announced_operating_pflops"] > 0), np.nan)
    if stats is not None and len(stats):
        st = stats[stats["compute_kind"] == "intelligent"].groupby("province")["value"].max()
        out["province_intelligent_pflops"] = out["province"].map(st)
    else:
        out["province_intelligent_pflops"] = np.nan
    out["below_province_stat"] = (out["synthetic_intelligent_pflops"] < out["province_intelligent_pflops"]).fillna(
        False).astype(bool)
    out["value_class"] = value_class
    return out
