"""Derive the open-data city indicators from sourced statements (no I/O besides reading the inputs).

Every indicator cell is one of:

* ``stated``: the value (or a city's membership of a published list) is printed in a source;
  the cell points at the row of ``open_facts.csv`` holding the quote;
* ``derived``: arithmetic on stated values: the sum of the announced capacities of a city's
  intelligent-computing centres, or a 0 for a city absent from a published list that is complete
  (its ``_total`` row states how many members the list has, and the build checks the count);
* ``missing``: nothing was found; the cell stays empty and the index engine's declared handling
  of missing data applies (and is flagged as ``missing`` in every output).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem

SOURCE_KINDS = ("official_statistics", "government", "company", "press", "aggregator")
FACT_COLUMNS = ("table", "key", "name", "value", "unit", "year", "date", "source", "url", "source_kind", "quote")
#: columns of the one intelligent-computing-centres dataset (src/suanli/data/capacity/), which the
#: capacity anchors read too; one row per announced project
CENTRE_COLUMNS = ("id", "name", "province", "city", "operator", "announced_pflops", "precision", "capacity_kind",
                  "year", "status", "source_title", "source_url", "source_date", "quote", "source_kind", "note")
PRECISIONS = ("FP16", "FP32", "FP64", "INT8", "unspecified")
CAPACITY_KINDS = ("in operation", "planned total", "planned first phase", "planned part", "not stated")
STATUSES = ("operating", "under_construction", "planned")
#: city and cluster totals a source states (not projects): the edition's own file
AREA_COLUMNS = ("id", "name", "province", "city", "unit_id", "capacity_p", "basis", "status", "year", "date",
                "source", "url", "source_kind", "quote", "kind")
ANCHOR_COLUMNS = ("id", "metric", "value", "unit", "precision", "scope", "as_of", "date", "source", "url",
                  "source_kind", "quote")
CITY_COLUMNS = ("unit_id", "unit_name", "province", "region")

#: national computing hub nodes (东数西算) → the province-level regions they cover
HUB_PROVINCES: dict[str, tuple[str, ...]] = {
    "jingjinji": ("北京", "天津", "河北"), "yrd": ("上海", "江苏", "浙江", "安徽"), "gba": ("广东",),
    "chengyu": ("四川", "重庆"), "neimenggu": ("内蒙古",), "guizhou": ("贵州",), "gansu": ("甘肃",),
    "ningxia": ("宁夏",),
}


@dataclass(frozen=True)
class Indicator:
    """How one city indicator is derived from the statements, and what it means.

    ``rule``: ``member`` (1 if the city is on the list, else 0 when the list is complete),
    ``count`` (number of list entries in the city, else 0), ``value_or_zero`` (the stated value,
    0 for a city absent from a complete list), ``value`` (the stated value, else missing),
    ``centres_sum`` (sum of the city's announced centre capacities, else missing), ``hub``
    (1 if the city's province lies in a national computing hub node).
    """

    id: str
    table: str
    rule: str
    unit: str
    year: int
    dimension: str
    definition: str
    why: str
    direction: int = 1


INDICATORS: tuple[Indicator, ...] = (
    Indicator("intelligent_compute_announced_p", "intelligent_computing_centres", "centres_sum", "P", 2025,
              "investment_scale", "The larger of the sum of the announced capacities (P as announced, precision "
              "mostly unstated) of the intelligent-computing projects recorded in the city, built or planned, and a "
              "city total a source states (cluster totals excluded); missing when no capacity was printed.",
              "Capacity a city has built or committed to is the most direct public trace of AI compute investment."),
    Indicator("national_supercomputing_centres", "national_supercomputing_centre", "count", "centres", 2023,
              "investment_scale", "National supercomputing centres approved by MOST located in the city "
              "(list of 14 as of 2023-08; 昆山 counted under 苏州).",
              "State-funded HPC centres are long-lived public compute investments and host AI compute services."),
    Indicator("national_dc_cluster", "national_dc_cluster", "member", "0/1", 2022,
              "investment_scale", "1 if one of the 10 national data-centre clusters of 东数西算 is in or named "
              "after the city (天府 → 成都, 贵安 → 贵阳, 和林格尔 → 呼和浩特).",
              "Cluster status channels planned national data-centre investment to the city (future investment)."),
    Indicator("national_compute_hub_region", "national_compute_hub", "hub", "0/1", 2022,
              "investment_scale", "1 if the city's province lies in one of the 8 national computing hub node "
              "regions (京津冀, 长三角, 粤港澳大湾区, 成渝, 内蒙古, 贵州, 甘肃, 宁夏).",
              "Hub regions receive the planned compute build-out of the national integrated computing network."),
    Indicator("ai_pilot_zone", "ai_pilot_zone", "member", "0/1", 2021,
              "policy_support", "1 if MOST supports the city as a 国家新一代人工智能创新发展试验区 (18 zones: "
              "17 cities and 德清县, approved 2019-2021).",
              "Pilot-zone status commits a city to AI policy experiments with national backing."),
    Indicator("ai_application_pilot_zone", "ai_application_pilot_zone", "member", "0/1", 2021,
              "policy_support", "1 if MIIT supports the city as a 国家人工智能创新应用先导区 (8 zones, 9 cities; "
              "济南-青岛 counts for both).",
              "MIIT's application pilot zones carry dedicated AI application and industry policies."),
    Indicator("vehicle_road_cloud_pilot", "vehicle_road_cloud_pilot", "member", "0/1", 2024,
              "policy_support", "1 if the city (or its consortium) is one of the 20 智能网联汽车“车路云一体化” "
              "pilot cities named by MIIT and four ministries in 2024.",
              "A funded, nationally supervised AI deployment programme: policy turned into projects."),
    Indicator("connected_vehicle_pilot_zone", "connected_vehicle_pilot_zone", "member", "0/1", 2023,
              "policy_support", "1 if the city hosts one of the 7 国家级车联网先导区 (MIIT, 2019-2023).",
              "Earlier MIIT AI-application pilots: evidence of policy implementation over several years."),
    Indicator("software_city_stars", "software_city_stars", "value_or_zero", "stars", 2023,
              "technology_maturity", "Stars in MIIT's 2023 evaluation of the 14 中国软件名城 (3 or 2; 0 for a "
              "city not designated).",
              "Software and IT-service strength is the platform ('third platform') on which AI is applied."),
    Indicator("ai_firm_top5", "ai_firm_share", "member", "0/1", 2020,
              "technology_maturity", "1 if the city is one of the five cities with the largest share of China's "
              "2205 AI firms counted by 中国新一代人工智能发展战略研究院 (end 2020).",
              "The concentration of AI firms measures how far AI technology is applied commercially."),
    Indicator("higher_ed_students", "higher_ed_students", "value", "10k persons", 2024,
              "labour_supply", "Students in regular and vocational undergraduate/junior-college programmes at "
              "the end of 2024 (普通、职业本专科在校生), from the city's statistical bulletin as reported.",
              "The future talent reserve a city trains; missing for cities whose figure was not found."),
    Indicator("postgraduate_students", "postgraduate_students", "value", "10k persons", 2022,
              "labour_supply", "Postgraduate students at the end of 2022 (在校研究生), statistical bulletins as "
              "reported; only the five largest cities are printed.",
              "Postgraduates are the pool for AI research and engineering staff."),
)


def _read(path: Path, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    """The table as text, with ``_line``: the file line of every row (blank lines and title rows
    above the header do not shift it)."""
    from ..io.readers import read_raw_table

    raw = read_raw_table(path)
    df = raw.frame.copy()
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(f"{what} lacks column(s) {', '.join(missing)}", file=raw.path, row=raw.header_line,
                         hint=f"the columns are: {', '.join(columns)}")
    df["_line"] = raw.lines
    return df


#: quantities that cannot be negative (a capacity, a head count, a count of things)
_NON_NEGATIVE = frozenset({"compute_eflops", "persons", "count"})


def _numbers(df: pd.DataFrame, path: Path, column: str, *, key: str | None = None,
             unit_column: str | None = None) -> list[Problem]:
    """Read ``column`` as numbers in place (2.4万 and full-width digits accepted, an empty cell stays
    missing) and check each against its plausibility limit (:mod:`suanli.limits`): ``key`` for a
    column in one unit, else ``open_data.<quantity>`` from the row's ``unit_column`` (P and 万P as
    EFLOPS, 亿元 and 100m CNY as CNY, 10k persons as persons, %, any other unit as a count). Returns
    the problems, each naming file, row and column; a text that is not a number is one of them,
    never a silent gap."""
    from ..limits import LIMITS, check_limit, fmt
    from ..units import UnitError, parse_number, statement_quantity

    problems: list[Problem] = []
    values: list[float] = []
    units = df[unit_column] if unit_column else None
    for pos, (cell, line) in enumerate(zip(df[column], df["_line"], strict=True)):
        try:
            v = parse_number(cell, allow_percent=False)
        except UnitError as exc:
            problems.append(Problem(str(exc), str(path), int(line), column,
                                    "write the figure as a number; its unit goes in the unit column"))
            values.append(float("nan"))
            continue
        values.append(float("nan") if v is None else v)
        if v is None:
            continue
        if key is not None:
            k, factor, base = key, 1.0, LIMITS[key].unit
            unit_text, quantity = "", ""
        else:
            unit_text = "" if units is None or pd.isna(units.iloc[pos]) else str(units.iloc[pos]).strip()
            quantity, factor = statement_quantity(unit_text)
            k, base = f"open_data.{quantity}", LIMITS[f"open_data.{quantity}"].unit
        if v < 0 and (key is not None or quantity in _NON_NEGATIVE):
            problems.append(Problem(f"{cell} {unit_text}".rstrip() + " is negative", str(path), int(line), column,
                                    "a capacity, a head count or a count cannot be below 0"))
            continue
        what = f"{cell} {unit_text}".rstrip() + (f" ({fmt(v * factor)} {base})" if factor != 1.0 else "")
        p = check_limit(v * factor, k, what=what, file=str(path), row=int(line), column=column)
        if p is not None:
            problems.append(p)
    df[column] = values
    return problems


def _need_source(df: pd.DataFrame, path: Path, value_col: str, cols: tuple[str, ...]) -> None:
    """A stated value without a source, date, quote or a known source kind is an error."""
    problems: list[Problem] = []
    for i, r in df.iterrows():
        line = int(r["_line"]) if "_line" in df.columns else int(i) + 2
        if pd.isna(r[value_col]) or str(r[value_col]).strip() == "":
            problems.append(Problem(f"no {value_col}", str(path), line, value_col))
            continue
        for c in cols:
            if pd.isna(r[c]) or not str(r[c]).strip():
                problems.append(Problem(f"stated value {r[value_col]} has no {c}", str(path), line, c))
        kind = str(r["source_kind"]).strip()
        if kind and kind not in SOURCE_KINDS:
            problems.append(Problem(f"source_kind '{kind}' is not one of {', '.join(SOURCE_KINDS)}",
                                    str(path), line, "source_kind"))
        if not str(r["quote"]).strip() or str(r[value_col]).strip() == "":
            continue
    if problems:
        raise InputError(problems=problems, hint="every stated value needs source (title or URL), date, "
                                                 "source_kind and the quoted figure")


def read_facts(path: Path) -> pd.DataFrame:
    df = _read(path, FACT_COLUMNS, "the open-data facts table")
    _need_source(df, path, "value", ("source", "date", "source_kind", "quote"))
    problems = _numbers(df, path, "value", unit_column="unit")
    if problems:
        raise InputError(problems=problems)
    return df


def read_centres(path: Path) -> pd.DataFrame:
    """The announced intelligent-computing centres: one row per project, each with its source.

    A row states that the project was announced (name, place, status, year) and, where the source
    prints one, its capacity in P; a capacity not printed stays empty. Every row needs a source
    title or URL, the source's date, its kind and the quoted text; ids and names are unique (one row
    per project) and precision, capacity kind and status use fixed words."""
    df = _read(path, CENTRE_COLUMNS, "the intelligent-computing centres table")
    problems: list[Problem] = []
    for i, r in df.iterrows():
        line = int(r["_line"]) if "_line" in df.columns else int(i) + 2

        def blank(c: str, r=r) -> bool:
            return pd.isna(r[c]) or not str(r[c]).strip()

        if blank("source_title") and blank("source_url"):
            problems.append(Problem(f"centre {r['name']} has no source (title or URL)", str(path), line, "source_url"))
        for c in ("source_date", "source_kind", "quote", "name", "province", "city", "status", "year", "precision",
                  "capacity_kind"):
            if blank(c):
                what = f"stated value {r['announced_pflops']} P of" if not blank("announced_pflops") else "centre"
                problems.append(Problem(f"{what} {r['name']} has no {c}", str(path), line, c))
        for c, words in (("source_kind", SOURCE_KINDS), ("precision", PRECISIONS),
                         ("capacity_kind", CAPACITY_KINDS), ("status", STATUSES)):
            v = "" if blank(c) else str(r[c]).strip()
            if v and v not in words:
                problems.append(Problem(f"{c} '{v}' is not one of {', '.join(words)}", str(path), line, c))
    for col in ("id", "name"):
        dup = df[df[col].duplicated(keep=False) & df[col].notna()]
        if len(dup):
            line = int(dup["_line"].iloc[1]) if "_line" in dup.columns else None
            problems.append(Problem(f"{col} '{dup[col].iloc[0]}' appears {len(dup)} times (one row per project)",
                                    str(path), line, col))
    problems += _numbers(df, path, "announced_pflops", key="intelligent_computing_centres.announced_pflops")
    if problems:
        raise InputError(problems=problems, hint="every project needs a source (title or URL), its date, kind and "
                                                 "the quoted text; a capacity is filled only where the source prints it")
    return df


def read_area_totals(path: Path) -> pd.DataFrame:
    """City and cluster totals stated by a source (kind ``city_total`` / ``cluster_aggregate``)."""
    df = _read(path, AREA_COLUMNS, "the compute area totals table")
    _need_source(df, path, "capacity_p", ("source", "date", "source_kind", "quote"))
    problems = _numbers(df, path, "capacity_p", key="compute_area_totals.capacity_p")
    if problems:
        raise InputError(problems=problems)
    return df


def centre_frame(centres: pd.DataFrame, cities: pd.DataFrame, area_totals: pd.DataFrame | None = None
                 ) -> pd.DataFrame:
    """The projects (kind ``centre``, located by city name in the city list) and the area totals in
    one frame: id, name, province, city, unit_id, capacity_p, status, year, url, kind."""
    unit = dict(zip(cities["unit_name"], cities["unit_id"], strict=False))
    c = pd.DataFrame({"id": centres["id"], "name": centres["name"], "province": centres["province"],
                      "city": centres["city"], "unit_id": centres["city"].map(unit).fillna(""),
                      "capacity_p": centres["announced_pflops"], "status": centres["status"],
                      "year": centres["year"], "url": centres["source_url"], "kind": "centre"})
    if area_totals is None or not len(area_totals):
        return c
    a = area_totals[["id", "name", "province", "city", "unit_id", "capacity_p", "status", "year", "url", "kind"]]
    return pd.concat([c, a], ignore_index=True)

def read_anchors(path: Path) -> pd.DataFrame:
    df = _read(path, ANCHOR_COLUMNS, "the national compute anchors table")
    _need_source(df, path, "value", ("source", "date", "source_kind", "quote"))
    problems = _numbers(df, path, "value", unit_column="unit")
    if problems:
        raise InputError(problems=problems)
    return df


def read_cities(path: Path) -> pd.DataFrame:
    return _read(path, CITY_COLUMNS, "the city list")


def check_lists(facts: pd.DataFrame, path: Path | None = None) -> None:
    """A list with a ``_total`` row must have exactly that many member rows."""
    problems = []
    for table, g in facts.groupby("table", sort=True):
        tot = g[g["key"] == "_total"]
        members = g[~g["key"].astype(str).str.startswith("_")]
        if len(tot) and members["key"].nunique() != int(tot["value"].iloc[0]):
            problems.append(Problem(f"list '{table}' states {int(tot['value'].iloc[0])} members but "
                                    f"{members['key'].nunique()} are recorded", str(path) if path else None,
                                    None, "key"))
    if problems:
        raise InputError(problems=problems, hint="record every member of a complete list, or drop its _total row")


def derive_city_indicators(cities: pd.DataFrame, facts: pd.DataFrame, centres: pd.DataFrame,
                           year: int, area_totals: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per city × indicator: value, data_status (stated/derived/missing), source reference.

    ``centres`` is the intelligent-computing-centres dataset (:func:`read_centres`); a project counts
    for the city whose name it gives; ``area_totals`` adds the city totals a source states."""
    check_lists(facts)
    centres = centre_frame(centres, cities, area_totals)
    rows = []
    for ind in INDICATORS:
        g = facts[facts["table"] == ind.table]
        members = g[~g["key"].astype(str).str.startswith("_")]
        complete = bool((g["key"] == "_total").any()) or ind.rule in ("member", "count", "value_or_zero")
        by_key = {k: grp for k, grp in members.groupby("key", sort=False)}
        for c in cities.itertuples(index=False):
            val: float | None = None
            status, ref, url = "missing", "", ""
            if ind.rule == "centres_sum":
                mine = centres[(centres["unit_id"] == c.unit_id) & (centres["kind"] == "centre")
                               & centres["capacity_p"].notna()]
                city = centres[(centres["unit_id"] == c.unit_id) & (centres["kind"] == "city_total")]
                if len(mine) or len(city):
                    s_ = float(mine["capacity_p"].sum()) if len(mine) else 0.0
                    t_ = float(city["capacity_p"].max()) if len(city) else 0.0
                    val, status = max(s_, t_), "derived"
                    if t_ >= s_:
                        r0 = city.loc[city["capacity_p"].idxmax()]
                        ref = f"city total {r0['id']} ({t_:g} P) >= sum of recorded centres ({s_:g} P)"
                        url = r0["url"]
                    else:
                        ref = "sum of intelligent_computing_centres " + " + ".join(
                            f"{r.id} ({r.capacity_p:g} P)" for r in mine.itertuples())
                        url = mine["url"].iloc[0]
            elif ind.rule == "hub":
                hubs = [h for h, provs in HUB_PROVINCES.items() if c.province in provs]
                stated = set(members["key"])
                val = 1.0 if any(h in stated for h in hubs) else 0.0
                status = "derived"
                ref = (f"national_compute_hub:{hubs[0]} covers {c.province}" if hubs else
                       f"{c.province} lies in none of the 8 national_compute_hub regions")
                url = members["url"].iloc[0] if len(members) else ""
            else:
                hit = by_key.get(c.unit_id)
                if hit is not None:
                    r = hit.iloc[0]
                    val = float(len(hit)) if ind.rule == "count" else (
                        1.0 if ind.rule == "member" else float(r["value"]))
                    status, ref, url = "stated", f"open_facts:{ind.table}:{c.unit_id}", r["url"]
                elif complete and ind.rule != "value":
                    val, status = 0.0, "derived"
                    ref = f"not among the {members['key'].nunique()} entries of {ind.table}"
                    url = members["url"].iloc[0] if len(members) else ""
            rows.append({"year": year, "unit_id": c.unit_id, "unit_name": c.unit_name, "indicator_id": ind.id,
                         "value": val, "data_status": status, "source": ref, "region": c.region,
                         "url": url if isinstance(url, str) else ""})
    return pd.DataFrame(rows)


def indicator_table(cells: pd.DataFrame) -> pd.DataFrame:
    """The file the assessment reads (no URL column; the cells table keeps it)."""
    return cells[["year", "unit_id", "unit_name", "indicator_id", "value", "data_status", "source", "region"]]


def coverage(cells: pd.DataFrame) -> pd.DataFrame:
    """Per indicator and overall: cells, cells filled from sources (stated or derived), share."""
    g = cells.assign(sourced=cells["data_status"].isin(["stated", "derived"]))
    out = g.groupby("indicator_id", sort=False).agg(cells=("sourced", "size"), sourced=("sourced", "sum"),
                                                    stated=("data_status", lambda s: int((s == "stated").sum())),
                                                    derived=("data_status", lambda s: int((s == "derived").sum())))
    out = out.reset_index()
    total = pd.DataFrame([{"indicator_id": "_overall", "cells": int(out["cells"].sum()),
                           "sourced": int(out["sourced"].sum()), "stated": int(out["stated"].sum()),
                           "derived": int(out["derived"].sum())}])
    out = pd.concat([out, total], ignore_index=True)
    out["coverage"] = out["sourced"] / out["cells"]
    out["sourced"] = out["sourced"].astype(int)
    return out


def load_and_derive(edition) -> pd.DataFrame:
    """Derive the cells of an open-data edition from its input files (scripts and tests)."""
    cfg = edition.opendata
    f = read_facts(edition.input_path(cfg.facts))
    check_lists(f, edition.input_path(cfg.facts))
    area = read_area_totals(edition.input_path(cfg.area_totals)) if cfg.area_totals else None
    return derive_city_indicators(read_cities(edition.input_path(cfg.cities)), f,
                                  read_centres(edition.input_path(cfg.centres)), cfg.year, area)
