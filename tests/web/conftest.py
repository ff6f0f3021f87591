"""Fixtures for the dashboard tests: a small edition (the bundled city and industry assessments,
with two hostile unit names), a build-like folder around it, and a live uvicorn server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from web_helpers import FORMULA, FORMULA_UNIT, XSS, XSS_UNIT

from suanli.edition import default_edition_dir


@pytest.fixture(scope="session")
def web_edition(tmp_path_factory) -> Path:
    """The default edition's assessments only, with two units renamed to hostile strings."""
    src = default_edition_dir()
    ed = yaml.safe_load((src / "edition.yaml").read_text(encoding="utf-8"))
    root = tmp_path_factory.mktemp("web-edition")
    (root / "data").mkdir()
    keep = {}
    for name, inp in ed["inputs"].items():
        if name.startswith("index_") or name == "survey_margins":     # margins: the survey strata's names
            keep[name] = inp
            shutil.copyfile(src / inp["path"], root / inp["path"])
    city = root / keep["index_city_indicators"]["path"]
    df = pd.read_csv(city, dtype=str, keep_default_na=False)
    df.loc[df["unit_id"] == XSS_UNIT, "unit_name"] = XSS
    df.loc[df["unit_id"] == FORMULA_UNIT, "unit_name"] = FORMULA
    df.to_csv(city, index=False)
    out = {k: ed[k] for k in ("schema_version", "id", "year", "title", "publisher", "synthetic")}
    out.update(inputs=keep, assessments=ed["assessments"])
    if ed.get("uncertainty"):       # the parameterised method variants the dashboard offers come from here
        out["uncertainty"] = ed["uncertainty"]
    (root / "edition.yaml").write_text(yaml.safe_dump(out, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def web_build(web_edition, tmp_path_factory) -> Path:
    """A folder shaped like 'suanli build' output (lineage.json + tables/*.csv) for the edition,
    with a capacity table and a rank-interval table (the uncertainty stage's columns)."""
    out = tmp_path_factory.mktemp("web-build")
    (out / "tables").mkdir()
    pd.DataFrame({"year": [2023, 2024, 2025], "intelligent_eflops": [416.6, 725.3, 1037.3],
                  "general_eflops": [59.3, 71.5, 85.8], "intelligent_eflops_lo": [380.0, 650.0, 900.0],
                  "intelligent_eflops_hi": [440.0, 770.0, 1080.0], "value_class": "synthetic"}).to_csv(
        out / "tables" / "capacity_national.csv", index=False)
    pd.DataFrame({"unit_id": ["beijing", "shanghai"], "node_id": ["index", "index"], "nominal_rank": [1, 3],
                  "median_rank": [1.0, 3.5], "q05": [1, 2], "q95": [2, 6], "p_top10": [1.0, 0.97]}).to_csv(
        out / "tables" / "index_city_rank_intervals.csv", index=False)
    stage_tables(out / "tables")
    lineage = {"edition": "cn-2025", "edition_folder": str(web_edition), "code_version": "test",
               "finished": "2025-01-01T00:00:00", "input_hashes": {},
               "tables": {"capacity_national": {"description": "national capacity", "stage": "capacity",
                                                "synthetic": True},
                          "index_city_rank_intervals": {"description": "rank intervals", "stage": "uncertainty",
                                                        "synthetic": True}}}
    (out / "lineage.json").write_text(json.dumps(lineage), encoding="utf-8")
    return out


def stage_tables(tdir: Path) -> None:
    """Small tables with the columns the capacity, markets, survey and uncertainty stages write
    (a few rows each, enough for every stage page to draw each of its parts)."""
    from suanli.energy.reconcile import _scope_zh

    def put(name: str, df: pd.DataFrame) -> None:
        df.to_csv(tdir / f"{name}.csv", index=False)

    syn = "synthetic"
    model, pub = ("suanli 模型（合成出货）", "suanli model, synthetic shipments"), ("IDC（公布及推算）", "IDC (published, with derived years)")
    put("national_compute_series", pd.DataFrame({
        "year": [2020, 2020, 2025, 2025], "quantity": "intelligent", "route": ["model", "published"] * 2,
        "name_zh": [model[0], pub[0]] * 2, "name_en": [model[1], pub[1]] * 2, "value": [75.0, 101.2, 1037.3, 1037.3],
        "lo": [66.0, 101.2, 896.0, 1037.3], "hi": [80.0, 101.2, 1084.0, 1037.3], "method": ["capacity model", "backcast"] * 2,
        "value_class": [syn, "derived", syn, "stated"], "gap": [-0.259, None, 0.0, None]}))
    put("capacity_by_province", pd.DataFrame({
        "year": [2024, 2024, 2025, 2025, 2025], "province": ["北京", "广东", "北京", "广东", "内蒙古"],
        "intelligent_eflops": [90.0, 120.0, 130.0, 160.0, 40.0], "general_eflops": [9.0, 12.0, 10.0, 13.0, 2.0],
        "accelerators_installed": [1e5, 2e5, 1.4e5, 2.6e5, 5e4], "value_class": syn}))
    put("capacity_by_city", pd.DataFrame({
        "year": [2025, 2025, 2025], "city": ["北京", "深圳", "广州"], "intelligent_eflops": [130.0, 90.0, 50.0],
        "general_eflops": [10.0, 6.0, 5.0], "value_class": syn}))
    put("capacity_by_vendor", pd.DataFrame({
        "year": [2024, 2024, 2025, 2025], "vendor": ["浪潮", "华为", "浪潮", "华为"],
        "intelligent_eflops": [500.0, 225.3, 700.0, 337.3], "general_eflops": [40.0, 31.5, 50.0, 35.8], "value_class": syn}))
    put("capacity_by_origin", pd.DataFrame({
        "year": [2025, 2025], "origin": ["domestic", "imported"], "intelligent_eflops": [400.0, 637.3],
        "general_eflops": [0.0, 85.8], "value_class": syn}))
    put("capacity_device_mix", pd.DataFrame({
        "year": [2025, 2025], "accelerator_model": ["Ascend 910B", "H20"], "vendor": ["Huawei", "NVIDIA"],
        "origin": ["domestic", "imported"], "accelerators_shipped": [180000.0, 400000.0],
        "intelligent_added_eflops": [50.0, 60.0], "value_class": syn}))
    sid = "ai_server_market:china:total"
    put("market_series", pd.DataFrame({
        "series": sid, "metric": "ai_server_market", "region": "china", "segment": "total",
        "year": [2023, 2024, 2025], "value": [1.0e10, 1.9e10, 2.59e10], "lo": [0.99e10, 1.895e10, 2.585e10],
        "hi": [1.01e10, 1.905e10, 2.595e10], "unit": "USD", "scaled_value": [100.0, 190.0, 259.0],
        "scaled_unit": "亿美元", "method": ["implied_start_from_rate", "stated", "stated"],
        "value_class": ["derived", "stated", "stated"], "published_as": [None, "actual", "forecast"]}))
    put("market_forecasts", pd.DataFrame({
        "series": sid, "year": [2026, 2027], "model": "loglinear", "mean": [3.3e10, 4.3e10], "lo": [3.0e10, 3.8e10],
        "hi": [3.6e10, 4.9e10], "level": 80, "selected": True, "override": False, "method": "model:loglinear",
        "note": "", "value_class": "modelled"}))
    # checks and back-test notes as the markets stage writes them (English from its templates; the
    # Chinese page shows them in Chinese): a title the edition wrote itself (claim ranges) stays the
    # English original, marked; a source a detail cites stays as cited
    put("market_checks", pd.DataFrame({
        "check_id": ["CR01", "EW01", "IL01", "SW01", "PN01", "CL01"],
        "rule": ["cross_route", "edition_window", "implied_level", "sub_window_rate", "product_name", "claim_ranges"],
        "verdict": ["PASS", "WARN", "INFO", "APPROX", "WARN", "PASS"],
        "title": [f"{sid} 2023: two routes to the unpublished level",
                  f"{sid}: edition comparison 46.2% (2023-2028) vs 33.9% (2022-2027)",
                  f"{sid}: implied 2023 value from 190 / (1 + 86.9%)^1",
                  f"{sid}: CAGR 2024-2025 (190 -> 259)",
                  "Product name '微软360 Copilot'",
                  "Attainable data-centre PUE with liquid cooling (§1.2 vs §2.3)"],
        "series": [sid, sid, sid, sid, "", ""], "stated": [59.2, 33.9, None, 36.2, None, None],
        "recomputed": [59.3, 46.2, 101.6, 36.3, None, None], "lo": None, "hi": None,
        "unit": ["EFLOPS", "%", "亿美元", "%", "", ""], "rel_error": [0.001, 0.3, None, 0.01, None, None], "formula": "",
        "detail": ["relative difference +0.14% (tolerance 1.0%)",
                   "the comparison mixes CAGR windows; compare levels in the same year (edition_level_revision) or "
                   "rates over the same window instead",
                   "lower bound; range from rounding [101.4, 102]; not stated in the source",
                   "2024-2025 CAGR 36.32% vs stated 2023-2028 CAGR 26.7%: faster by 9.6 pp; a 2023-2028 rate must "
                   "not be extrapolated from 2024",
                   "printed '微软360 Copilot', the product is 'Microsoft 365 Copilot（微软365 Copilot）' (Microsoft's "
                   "product name (microsoft.com/microsoft-365/copilot; company)); an editorial error",
                   "the claims agree"],
        "value_class": "derived"}))
    put("market_backtests", pd.DataFrame({
        "series": ["(all series)", sid, sid], "model": ["drift", "loglinear", "arima"], "n_origins": [10, 3, 0],
        "mape": [10.9, 8.2, None], "smape": [9.8, 7.9, None], "mase": [0.84, 0.7, None], "coverage": [0.8, 0.67, None],
        "interval_scale": [0.104, 0.09, None], "selected": [False, True, False], "n_points": [71, 3, 3],
        "n_stated": [26, 2, 2], "level": 80, "value_class": "modelled",
        "note": ["nominal 80% interval; coverage out of sample over 10 backtest forecasts", "",
                 "arima needs 5 stated points in consecutive years"]}))
    put("index_city_uncertainty_inputs", pd.DataFrame({
        "input": ["weights L2+3", "normalisation", "imputation", "exclude one indicator"],
        "kind": ["weights", "normalise", "impute", "exclude"], "dims": [20, 1, 1, 1],
        "choices": ["20 node weights", "min-max 1-100 | z-score 10±2", "none (gaps skipped) | median | region median",
                    "none | -investment_scale | -ai_vc_funding_yi"], "value_class": "synthetic"}))
    # the capacity-anchors page's tables: the bundled centres, hubs and definitions (package data), the
    # province check on this build's province stock, and two scenarios against IDC's forecast
    from suanli.capacity.anchors import centres, definitions, definitions_bridge, hubs, province_check

    cen, defs = centres(), definitions()
    put("capacity_centres", cen)
    put("capacity_hubs", hubs())
    put("capacity_definitions", defs)
    put("capacity_definitions_bridge", definitions_bridge(defs))
    put("capacity_province_check", province_check(pd.read_csv(tdir / "capacity_by_province.csv"), cen, 2025, syn))
    put("capacity_scenarios", pd.DataFrame([
        {"scenario": sc, "label": lab, "year": y, "metric": m, "value": v * k, "lo": v * k * 0.9, "hi": v * k * 1.1,
         "forecast": y > 2025, "published": 1037.3 if (y, m, sc) == (2025, "intelligent_eflops", "baseline") else None,
         "published_source": "IDC 2025 edition forecast (核心观点)", "value_class": syn}
        for sc, lab, k in (("baseline", "基准 Baseline", 1.0), ("short_life", "短寿命 Short life", 0.9))
        for m, base in (("intelligent_eflops", 1037.3), ("general_eflops", 85.8))
        for y, v in ((2024, base * 0.7), (2025, base), (2026, base * 1.4))]))
    # the demand stage's tables, computed by the stage itself from the default edition's runs and
    # anchors on this build's national capacity (64 draws: enough to draw the /demand page)
    from suanli.demand.stage import compute
    from suanli.edition import load_edition

    cap = pd.read_csv(tdir / "capacity_national.csv")
    for name, df in compute(load_edition(default_edition_dir()), cap, n=64).items():
        put(name, df)
    q = {"question_id": "ai_challenges", "figure": "图6", "question_zh": "面临的挑战", "question_en": "Challenges",
         "type": "multi", "horizon": "now", "horizon_zh": "目前", "horizon_en": "now", "statistic": "share",
         "n": 1600, "n_eff": 950.0, "deff": 1.7, "value_class": syn}
    put("survey_estimates", pd.DataFrame([
        {**q, "option_id": "data", "option_zh": "数据", "option_en": "Data", "position": 1, "share": 0.6,
         "ci_low": 0.56, "ci_high": 0.63, "share_unweighted": 0.67, "published_value": None, "order": 2},
        {**q, "option_id": "compute", "option_zh": "算力", "option_en": "Compute", "position": 2, "share": 0.64,
         "ci_low": 0.61, "ci_high": 0.67, "share_unweighted": 0.72, "published_value": 0.7, "order": 1}]))
    put("survey_estimates_by_stratum", pd.DataFrame([
        {"by": "size", "stratum": s, **q, "option_id": "data", "share": v, "ci_low": v - 0.05, "ci_high": v + 0.05,
         "n": 400} for s, v in (("small", 0.5), ("large", 0.7))]))
    put("index_city_sobol", pd.DataFrame({
        "target": "mean_abs_rank_shift", "node_id": "index", "unit_id": None, "input": ["weights L2+3", "normalisation"],
        "S1": [0.09, 0.03], "S1_lo": [0.0, -0.1], "S1_hi": [0.17, 0.2], "ST": [0.19, 0.66], "ST_lo": [0.16, 0.56],
        "ST_hi": [0.23, 0.77], "n_base": 256, "n_runs": 1536, "year": 2025, "value_class": syn}))
    # the energy stage's tables (national with 90% intervals, provinces on the tile grid, the reconciliation)
    ny = [2024, 2025]
    put("energy_national", pd.DataFrame({
        "year": ny, "rated_it_mw": [2300.0, 3100.0], "avg_it_mw": [900.0, 1300.0], "it_twh": [7.9, 11.4],
        "it_twh_lo": [6.8, 9.8], "it_twh_hi": [9.0, 13.0], "facility_twh": [11.3, 16.1], "facility_twh_lo": [9.7, 13.9],
        "facility_twh_hi": [13.2, 18.8], "co2_mt": [6.1, 8.6], "co2_mt_lo": [5.2, 7.4], "co2_mt_hi": [7.1, 10.1],
        "pue": [1.43, 1.41], "value_class": syn}))
    put("energy_by_province", pd.DataFrame({
        "year": 2025, "province": ["北京", "广东", "内蒙古"], "rated_it_mw": [400.0, 500.0, 120.0],
        "avg_it_mw": [170.0, 210.0, 50.0], "facility_twh": [2.1, 2.6, 0.6], "facility_twh_lo": [1.8, 2.2, 0.5],
        "facility_twh_hi": [2.4, 3.0, 0.7], "co2_mt": [1.2, 1.4, 0.5], "co2_mt_lo": [1.0, 1.2, 0.4],
        "co2_mt_hi": [1.4, 1.6, 0.6], "kgco2_per_kwh": [0.58, 0.52, 0.78], "pue": [1.4, 1.4, 1.3], "value_class": syn}))
    put("energy_reconciliation", pd.DataFrame({
        "published_label": ["IDC: global AI data-centre IT energy (servers, storage, network)"], "published_year": [2024],
        "published_twh": [55.1], "estimate_twh": [8.3], "estimate_lo": [7.1], "estimate_hi": [9.5],
        "scope": ["geography differs (global vs China); boundary same (IT vs IT); workloads same (AI vs AI)"],
        "implied_parameter": ["China share of the global figure (estimate / published)"], "implied_value": [0.15],
        "scope_zh": [_scope_zh("global", "it", "ai", "china", "it", "ai")],
        "implied_parameter_zh": ["中国占全球数字的份额（估计值 / 公布值）"], "value_class": syn}))
    put("index_city_rank_probabilities", pd.DataFrame({
        "node_id": "index", "unit_id": ["beijing", "beijing", "shanghai", "shanghai"], "rank": [1, 2, 3, 4],
        "probability": [0.9, 0.1, 0.6, 0.4], "year": 2025, "value_class": syn}))


@pytest.fixture(scope="module")
def server(web_build):
    """The dashboard of the test build on a loopback port, for the browser tests of one module."""
    from web_helpers import LiveServer

    from suanli.web.app import create_app

    with LiveServer(create_app(web_build)) as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless, for the browser tests of one module."""
    from playwright.sync_api import sync_playwright
    from web_helpers import ARGS, CHROMIUM

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()
