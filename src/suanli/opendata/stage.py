"""Build stage ``opendata``: provenance checks, sources and coverage tables, national anchors,
intelligent-computing centres and the comparison of the open city ranking with the seed's.

Runs after ``index`` and ``uncertainty`` (it reads their city tables). Its ``validate`` runs in
``suanli validate``: a stated value without a source, date, source kind or quote, a list whose
recorded members disagree with its stated total, or an indicator file that differs from what the
facts derive, each fails with the file, row and column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..edition import Edition
from ..errors import InputError
from ..stage import BuildContext, Stage

if TYPE_CHECKING:
    import pandas as pd



def _load(edition: Edition):
    from .derive import check_lists, read_anchors, read_area_totals, read_centres, read_cities, read_facts

    cfg = edition.opendata
    facts_path = edition.input_path(cfg.facts)
    facts = read_facts(facts_path)
    check_lists(facts, facts_path)
    area = read_area_totals(edition.input_path(cfg.area_totals)) if cfg.area_totals else None
    return (facts, read_cities(edition.input_path(cfg.cities)), read_centres(edition.input_path(cfg.centres)),
            read_anchors(edition.input_path(cfg.anchors)), area)


def _check_indicators(edition: Edition, cells: pd.DataFrame) -> None:
    """The bundled indicator file must be exactly what the facts derive (values and statuses)."""
    import numpy as np

    from ..io.readers import read_raw_table

    cfg = edition.opendata
    path = edition.input_path(cfg.indicators)
    raw = read_raw_table(path)
    df = raw.frame.assign(_line=raw.lines)  # the file line of each row, for the message
    key = ["unit_id", "indicator_id"]
    m = cells.merge(df, on=key, how="outer", suffixes=("", "_file"), indicator=True)
    if (m["_merge"] != "both").any():
        r = m[m["_merge"] != "both"].iloc[0]
        raise InputError(f"city {r['unit_id']} × indicator {r['indicator_id']} is "
                         f"{'missing from the file' if r['_merge'] == 'left_only' else 'not derived from the facts'}",
                         file=path, hint="regenerate it: python scripts/derive_open_data.py")
    a = m["value"].astype(float).to_numpy()
    b = pd_numeric(m["value_file"])
    bad = ~((np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=1e-12, atol=0)) | \
        (m["data_status"].astype(str) != m["data_status_file"].astype(str))
    if bad.any():
        r = m[bad].iloc[0]
        raise InputError(f"{r['unit_id']} × {r['indicator_id']}: file has {r['value_file']} "
                         f"({r['data_status_file']}), the facts derive {r['value']} ({r['data_status']})",
                         file=path, row=int(r["_line"]) if "_line" in m.columns and r["_line"] == r["_line"] else None,
                         column="value", hint="regenerate it: python scripts/derive_open_data.py")


def flag_imputed(edition: Edition, assessment: str, cells: pd.DataFrame) -> pd.DataFrame:
    """``cells`` with ``imputed`` (the cell is missing and the assessment's declared impute step
    filled it), ``imputed_value`` (what it put there), ``imputation`` (the declared method) and
    ``missing_indicators`` (how many of that city's indicators are missing)."""
    import numpy as np
    import pandas as pd

    from ..index.assess import run_assessment
    from ..index.stage import load_assessment

    out = cells.copy()
    out["imputed"] = False
    out["imputed_value"] = np.nan
    out["imputation"] = ""
    acfg = edition.assessments.root.get(assessment) if edition.assessments is not None else None
    if acfg is not None:
        fw, panel, spec = load_assessment(edition, assessment, acfg)
        step = next((st for st in spec.steps if st.step == "impute"), None)
        r = run_assessment(panel, spec).latest()
        if step is not None and "imputed" in r.data:
            d = r.data["imputed"]
            filled = pd.DataFrame(d.X, index=d.unit_ids, columns=fw.indicator_ids).stack(future_stack=True)
            key = pd.MultiIndex.from_frame(out[["unit_id", "indicator_id"]])
            val = filled.reindex(key).to_numpy(dtype=float)
            miss = out["value"].isna().to_numpy()
            out["imputed"] = miss & ~np.isnan(val)
            out["imputed_value"] = np.where(out["imputed"], val, np.nan)
            out["imputation"] = np.where(out["imputed"], f"{step.method} (declared impute step of {fw.id})", "")
    out["missing_indicators"] = out.groupby("unit_id")["value"].transform(lambda v: int(v.isna().sum())).astype(int)
    return out


def pd_numeric(s):
    import pandas as pd

    return pd.to_numeric(s, errors="coerce").astype(float).to_numpy()


def sources_table(edition: Edition, facts, centres, anchors, area_totals=None) -> pd.DataFrame:
    """One row per stated value: table, key, value, unit, source, source_kind, date, quote (+ url)."""
    import pandas as pd

    from ..io.readers import read_raw_table

    cols = ["table", "key", "value", "unit", "source", "source_kind", "date", "quote", "url"]
    parts = [facts.assign(source=facts["source"])[cols]]
    c = centres.assign(table="intelligent_computing_centres", unit="P", key=centres["id"],
                       value=centres["announced_pflops"],
                       source=centres["source_title"].where(centres["source_title"].astype(str).str.strip() != "",
                                                            centres["source_url"]),
                       url=centres["source_url"], date=centres["source_date"])
    parts.append(c[cols])
    if area_totals is not None and len(area_totals):
        t = area_totals.rename(columns={"id": "key", "capacity_p": "value"}).assign(table="compute_area_totals",
                                                                                   unit="P")
        parts.append(t[cols])
    a = anchors.rename(columns={"id": "key"}).assign(table="national_compute_anchors")
    parts.append(a[cols])
    for name in edition.opendata.extra_sources:
        df = read_raw_table(edition.input_path(name)).frame
        if "source_url" in df.columns:  # press-reported figures
            src, url = df["source_url"], df["source_url"]
            kind = "press"
            quote = df.get("source_quote", df.get("quote"))
            date = df["year"].where(df["year"].notna() & (df["year"].astype(str) != ""), df.get("edition"))
            date = date.astype(str).str.replace(r"\.0$", "", regex=True)
        else:  # the seed report's own figures, by source line
            src = "IDC/浪潮信息《中国人工智能计算力发展评估报告》2025, line " + df["source_line"].astype(str)
            url = ""
            kind = "company"
            quote = df["quote"]
            date = "2025"
        part = pd.DataFrame({"table": name, "key": df["id"], "value": df["value"], "unit": df.get("unit", ""),
                             "source": src, "source_kind": kind, "date": date, "quote": quote, "url": url})
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    out = out[out["value"].notna()].reset_index(drop=True)
    for k in ("source", "quote", "date", "source_kind"):
        empty = out[k].isna() | (out[k].astype(str).str.strip() == "")
        if empty.any():
            r = out[empty].iloc[0]
            raise InputError(f"stated value {r['table']}:{r['key']} = {r['value']} has no {k}",
                             file=edition.input_path(r["table"]) if r["table"] in edition.inputs else None,
                             column=k, hint="every stated value needs source, date, source_kind and the quote")
    out["value_class"] = "stated"
    return out


def seed_comparison(results: pd.DataFrame, seed: pd.DataFrame, cells: pd.DataFrame,
                    uncertainty: pd.DataFrame | None) -> pd.DataFrame:
    """Open rank vs the seed's published rank for every city the seed names or the open index puts in
    its top 10, with the dimension scores and the number of missing indicators (the 'why')."""
    import pandas as pd

    idx = results[results["node_id"] == "index"]
    year = idx["year"].max()
    idx = idx[idx["year"] == year].set_index("unit_id")
    dims = results[(results["year"] == year) & (results["node_id"].isin(
        ["investment_scale", "policy_support", "technology_maturity", "labour_supply"]))]
    dim = dims.pivot_table(index="unit_id", columns="node_id", values="score")
    names = cells.drop_duplicates("unit_id").set_index("unit_id")["unit_name"]
    by_name = {v: k for k, v in names.items()}
    miss = cells[cells["data_status"] == "missing"].groupby("unit_id").size()
    miss_ids = cells[cells["data_status"] == "missing"].groupby("unit_id")["indicator_id"].agg(", ".join)
    n_ind = cells["indicator_id"].nunique()
    seed_rank = {}
    for r in seed.itertuples():
        if r.name_zh in by_name:
            try:
                seed_rank[by_name[r.name_zh]] = int(float(r.rank))
            except (TypeError, ValueError):
                seed_rank[by_name[r.name_zh]] = None
    units = sorted(set(seed_rank) | set(idx[idx["rank"] <= 10].index), key=lambda u: idx.loc[u, "rank"])
    unc = None
    if uncertainty is not None and len(uncertainty) and "unit_id" in uncertainty.columns:
        u_ = uncertainty
        if "node_id" in u_.columns:
            u_ = u_[u_["node_id"] == "index"]
        if "year" in u_.columns:
            u_ = u_[u_["year"] == u_["year"].max()]
        unc = u_.drop_duplicates("unit_id").set_index("unit_id")
    rows = []
    for u in units:
        r = idx.loc[u]
        d = dim.loc[u] if u in dim.index else pd.Series(dtype=float)
        sr = seed_rank.get(u)
        strong = d.idxmax() if d.notna().any() else ""
        weak = d.idxmin() if d.notna().any() else ""
        open_rank = int(r["rank"])
        if sr is None:
            why = f"seed: outside its published top 10 or named without rank; open: {open_rank}"
        elif open_rank == sr:
            why = "same rank"
        else:
            k = int(miss.get(u, 0))
            gaps = ("no indicator missing" if k == 0
                    else f"{k} of {n_ind} indicators missing (imputed by the declared method)")
            why = (f"{'higher' if open_rank < sr else 'lower'} in the open index: strongest dimension "
                   f"{strong}, weakest {weak}; {gaps}")
        row = {"unit_id": u, "unit_name": names.get(u, u), "open_rank": open_rank,
               "open_score": float(r["score"]), "seed_rank": sr,
               "rank_difference": None if sr is None else open_rank - sr,
               "missing_indicators": int(miss.get(u, 0)), "imputed_indicators": miss_ids.get(u, ""),
               "strongest_dimension": strong,
               "weakest_dimension": weak, "why": why}
        for k, v in d.items():
            row[f"score_{k}"] = float(v)
        if unc is not None and u in unc.index:
            for c in ("median_rank", "q05", "q95", "p_top10"):
                if c in unc.columns:
                    row[f"mc_{c}"] = float(unc.loc[u, c])
        rows.append(row)
    out = pd.DataFrame(rows)
    out["value_class"] = "derived"
    return out


class OpenDataStage(Stage):
    name = "opendata"

    def applies(self, edition: Edition) -> bool:
        return getattr(edition, "opendata", None) is not None

    def validate(self, edition: Edition) -> list[str]:
        from .derive import coverage, derive_city_indicators

        facts, cities, centres, anchors, area = _load(edition)
        cells = derive_city_indicators(cities, facts, centres, edition.opendata.year, area)
        _check_indicators(edition, cells)
        src = sources_table(edition, facts, centres, anchors, area)
        cov = coverage(cells)
        overall = float(cov.loc[cov["indicator_id"] == "_overall", "coverage"].iloc[0])
        if overall < edition.opendata.min_coverage:
            raise InputError(f"only {overall:.1%} of city × indicator cells come from sources "
                             f"(min_coverage {edition.opendata.min_coverage:.0%})",
                             file=edition.input_path(edition.opendata.facts))
        return [f"opendata: {len(src)} stated values, each with a source; {len(cells)} city × indicator cells, "
                f"{overall:.1%} from sources; {len(centres)} centres "
                f"({int(centres['announced_pflops'].notna().sum())} with a capacity), {len(anchors)} national anchors"]

    def run(self, ctx: BuildContext) -> None:
        from .derive import coverage, derive_city_indicators

        ed = ctx.edition
        cfg = ed.opendata
        facts, cities, centres, anchors, area = _load(ed)
        cells = derive_city_indicators(cities, facts, centres, cfg.year, area)
        _check_indicators(ed, cells)
        inputs = [cfg.facts, cfg.cities, cfg.centres, cfg.anchors, cfg.indicators] + \
            ([cfg.area_totals] if cfg.area_totals else [])
        common = dict(stage="opendata", inputs=inputs, synthetic=False)
        src = sources_table(ed, facts, centres, anchors, area)
        ctx.store.write_table("open_data_sources", src, method="stated values with their sources",
                              params={"extra_sources": cfg.extra_sources}, **{**common, "inputs": inputs +
                                                                              list(cfg.extra_sources)},
                              description="One row per stated value: table, key, value, unit, source, "
                                          "source_kind, date, quote, url")
        cov = coverage(cells)
        cov["value_class"] = "derived"
        overall = float(cov.loc[cov["indicator_id"] == "_overall", "coverage"].iloc[0])
        if overall < cfg.min_coverage:
            raise InputError(f"only {overall:.1%} of city × indicator cells come from sources",
                             file=ed.input_path(cfg.facts))
        ctx.store.write_table("index_city_coverage", cov, method="count of sourced cells",
                              params={"min_coverage": cfg.min_coverage}, **common,
                              description="Per indicator: cells, cells filled from sources (stated or derived), "
                                          "coverage; '_overall' sums all indicators")
        import pandas as pd

        from .derive import INDICATORS

        fw = {}
        try:
            from ..index.framework import load_framework

            f = load_framework(ed.input_path(ed.assessments.root[cfg.assessment].framework))
            fw = {sp.id: sp for sp in f.specs[: f.n_ind]}
        except Exception:  # noqa: BLE001 - names are a convenience; the definitions stand alone
            fw = {}
        defs = pd.DataFrame([{"indicator_id": i.id, "name_zh": getattr(fw.get(i.id), "name_zh", i.id),
                              "name_en": getattr(fw.get(i.id), "name_en", i.id), "dimension": i.dimension,
                              "definition": i.definition, "unit": i.unit, "year": i.year, "direction": i.direction,
                              "why": i.why, "source_table": i.table, "rule": i.rule} for i in INDICATORS])
        defs = defs.merge(cov[["indicator_id", "coverage"]], on="indicator_id", how="left")
        defs["value_class"] = "derived"
        ctx.store.write_table("open_city_indicator_definitions", defs, method="indicator definitions", **common,
                              description="Definition, unit, year, direction and rationale of each public-data "
                                          "indicator, with its coverage")
        cl = flag_imputed(ed, cfg.assessment, cells)
        # a gap cell holds no sourced number; what the declared imputation puts in its place is
        # arithmetic on the stated values of the other cities (derived), flagged by 'imputed'
        cl["value_class"] = cl["data_status"].map({"stated": "stated", "derived": "derived"}).fillna("derived")
        ctx.store.write_table("open_city_indicator_cells", cl, method="derive_city_indicators", **common,
                              description="Every city × indicator cell: value, stated/derived/missing, the "
                                          "source reference and URL")
        cen = centres.drop(columns=[c for c in ("_line",) if c in centres.columns]).copy()
        unit = dict(zip(cities["unit_name"], cities["unit_id"], strict=False))
        cen.insert(cen.columns.get_loc("city") + 1, "unit_id", cen["city"].map(unit).fillna(""))
        cen["value_class"] = "stated"
        ctx.store.write_table("intelligent_computing_centres", cen, method="read", **common,
                              description="Announced intelligent-computing centres, one row per project: place, "
                                          "operator, capacity in P where printed (precision basis), status, year, "
                                          "source, date, quote, kind of source")
        if area is not None and len(area):
            at = area.drop(columns=[c for c in ("_line",) if c in area.columns]).copy()
            at["value_class"] = "stated"
            ctx.store.write_table("compute_area_totals", at, method="read", **common,
                                  description="City and cluster compute totals a source states (not projects; "
                                              "cluster totals cross city borders and are never assigned to a city)")
        withcap = centres[centres["announced_pflops"].notna()]
        op = withcap[withcap["capacity_kind"] == "in operation"]
        prov = (centres.groupby("province", sort=True).agg(projects=("id", "size")).join(
            withcap.groupby("province").agg(with_capacity=("id", "size"), capacity_p=("announced_pflops", "sum")))
                .join(op.groupby("province").agg(in_operation_p=("announced_pflops", "sum"))).reset_index())
        prov[["with_capacity"]] = prov[["with_capacity"]].fillna(0).astype(int)
        prov[["capacity_p", "in_operation_p"]] = prov[["capacity_p", "in_operation_p"]].fillna(0.0)
        prov["value_class"] = "derived"
        ctx.store.write_table("intelligent_computing_centres_by_province", prov, method="count and sum by province",
                              **common, description="Recorded projects by province, how many print a capacity, "
                                                    "the sum of printed capacities (built or planned) and of those "
                                                    "in operation (lower bounds: only the projects found are "
                                                    "recorded)")
        anc = anchors.drop(columns=[c for c in ("_line",) if c in anchors.columns]).copy()
        anc["value_class"] = "stated"
        ctx.store.write_table("national_compute_anchors", anc, method="read", **common,
                              description="National compute totals by date and definition (precision, scope)")
        name = cfg.assessment
        tables = set(ctx.store.tables()) if hasattr(ctx.store, "tables") else set()
        res_name = f"index_{name}_results"
        try:
            results = ctx.store.read_table(res_name)
        except Exception:  # noqa: BLE001 - the assessment may be switched off
            results = None
        if results is not None and cfg.seed_ranking:
            from ..io.readers import read_raw_table

            seed = read_raw_table(ed.input_path(cfg.seed_ranking)).frame
            seed = seed[seed["ranking"] == "city_ai_compute_development"]
            unc = None
            for t in (f"index_{name}_rank_intervals",):
                if not tables or t in tables:
                    try:
                        unc = ctx.store.read_table(t)
                        break
                    except Exception:  # noqa: BLE001
                        unc = None
            cmp_ = seed_comparison(results, seed, cells, unc)
            ctx.store.write_table("open_city_rank_vs_seed", cmp_, method="rank comparison",
                                  **{**common, "inputs": inputs + [cfg.seed_ranking]},
                                  description="Open-data city rank against the original report's published rank, "
                                              "with dimension scores, missing indicators and the reason")
        ctx.log(f"opendata: {len(src)} stated values with sources; coverage {overall:.1%}; "
                f"{len(centres)} centres ({len(withcap)} with a capacity)")


STAGE = OpenDataStage()
