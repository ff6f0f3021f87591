"""The methodology's parameter tables: labelled settings, steps, scenarios and uncertain parameters
(central value, range, distribution, basis), never the recorded keys dumped one per row."""

from __future__ import annotations

import re

import pytest

from suanli.report.sections import _params as P
from suanli.report.sections.methodology import parameter_tables

#: a recorded key path as the old appendix printed it: ``pue.air_hyperscale.value``, ``forecast.scenarios[2].label``
KEY_PATH = re.compile(r"^[a-z][a-z0-9_]*(\[\d+\])?(\.[a-z0-9_]+(\[\d+\])?)+$")


def test_an_uncertain_parameter_is_one_row_wherever_it_sits():
    p = {"draws": 100,
         "load": {"training": {"value": 0.7, "low": 0.6, "high": 0.8, "source": "Newkirk et al. 2025"}},
         "pue": {"hub_offset": {"value": -0.05, "low": -0.1, "high": 0.0, "source": "NDRC 2021"},
                 "ai_liquid_share": {"by_year": {2020: 0.02, 2025: 0.2}, "scale_low": 0.5, "scale_high": 1.5,
                                     "source": "assumption"}},
         "inference": {"mix": [{"name": "MoE (DeepSeek-V3 class)", "active_params": 3.7e10,
                                "share": {"dist": "triangular", "value": 0.4, "low": 0.2, "high": 0.6, "source": "a"}}],
                       "new_thing": {"value": 2.0, "low": 1.0, "high": 3.0, "dist": "uniform"}}}
    zh = P.assumption_rows("energy", p, "zh")
    assert zh[0] == ["训练负载功率（占额定功率）", "70%", "60%–80%", "三角分布", "Newkirk et al. 2025"]
    assert zh[1][1:3] == ["-0.05", "-0.1至0"]                       # a negative range is not written with a dash
    assert zh[2][1:3] == ["2020年 2%，2025年 20%", "×0.5–1.5"]        # a yearly path and its multiplier
    assert zh[3][0] == "推理模型构成占比：MoE (DeepSeek-V3 class)"      # a list item named by its name
    assert zh[4] == ["inference.new_thing", "2", "1–3", "均匀分布", "—"]  # unlabelled: shown under its key path
    en = P.assumption_rows("demand", p, "en")
    assert en[0][:4] == ["Training load (share of rated power)", "70%", "60%–80%", "—"]  # no default outside energy
    assert en[1][2] == "-0.1 to 0"
    assert en[2][1] == "2020: 2%; 2025: 20%"


def test_settings_translate_words_and_format_by_kind():
    p = {"precision": "fp16", "fp16_equivalent": ["fp16", "bf16"], "sparsity": "dense",
         "general_includes_accelerator_fp64": False, "years": [2020, 2025],
         "uncertainty": {"draws": 10000, "level": 0.9, "utilisation": [0.3, 0.55], "seed": 20250601}}
    zh = dict(P.setting_rows("capacity", p, "zh"))
    assert zh["智能算力口径"] == "FP16等效" and zh["计为FP16的精度（依次取第一个有值者）"] == "FP16、BF16"
    assert zh["峰值口径"] == "稠密（不计稀疏加速）" and zh["通用算力含加速卡FP64"] == "否"
    assert zh["输出年份"] == "2020–2025" and zh["蒙特卡洛抽样次数"] == "10,000" and zh["区间水平"] == "90%"
    assert zh["利用率区间"] == "30%–55%"
    assert zh["随机种子"] == "20250601"                                 # an identifier, not a quantity
    en = dict(P.setting_rows("capacity", p, "en"))
    assert en["General compute includes accelerators' FP64"] == "no"
    hubs = {"pue": {"hub_provinces": ["内蒙古", "贵州", "甘肃", "宁夏"]}}
    assert dict(P.setting_rows("energy", hubs, "en"))["Hub-node provinces"] == "Inner Mongolia, Guizhou, Gansu, Ningxia"
    assert dict(P.setting_rows("energy", hubs, "zh"))["枢纽节点省份"] == "内蒙古、贵州、甘肃、宁夏"


def test_scenarios_and_index_steps():
    p = {"survival_intelligent": {"life_years": 6}, "survival_general": {"life_years": 6},
         "forecast": {"scenarios": [
             {"name": "baseline", "label": "基准 Baseline", "intelligent_growth": 0.35, "general_growth": 0.1,
              "domestic_share": {"2030": 0.7}, "imported": "open"},
             {"name": "short_life", "label": "短寿命 Short life", "intelligent_growth": 0.35, "general_growth": 0.1,
              "domestic_share": {"2030": 0.7}, "imported": "open", "survival_intelligent": {"life_years": 4},
              "survival_general": {"life_years": 5}}]}}
    p["forecast"]["scenarios"].append({"name": "w", "label": "Weibull", "intelligent_growth": 0.3,
                                       "survival_intelligent": {"kind": "weibull", "scale": 6.5, "shape": 4}})
    assert P.scenario_rows(p, "zh") == [["基准", "35%", "10%", "2030年 70%", "不受限", "6年 / 6年"],
                                        ["短寿命", "35%", "10%", "2030年 70%", "不受限", "4年 / 5年"],
                                        ["Weibull", "30%", "—", "—", "—", "Weibull(6.5, 4) / 6年"]]
    assert P.scenario_rows(p, "en")[1][0] == "Short life"
    steps = {"method": [{"step": "treat", "method": "coinr", "params": {"winmax": 5, "per_indicator": {}}},
                        {"step": "aggregate", "method": "amean", "dat_thresh": 0.5, "params": {"weights": {"a": 1}}}]}
    assert P.step_rows(steps, "zh") == [["异常值处理", "按偏度与峰度缩尾（COINr规则）", "最多缩尾个数：5"],
                                           ["加总", "算术平均", "权重覆盖：1项，数据可用率下限：50%"]]


def test_a_stage_with_nothing_to_show_gets_no_table():
    assert parameter_tables("capacity", {}, ["t"], "zh") == []
    assert parameter_tables("opendata", {"source": "x", "sheet": "y"}, ["t"], "en") == []


@pytest.mark.parametrize("fname", ["report.html", "report.en.html"])
def test_default_report_methodology_has_labelled_tables_and_no_key_dump(report_out, fname):
    """Every parameter row of the default report's methodology is labelled (no recorded key path such
    as ``pue.air_hyperscale.value``, as the appendix once printed 770 of), and the uncertain
    parameters carry a range and a distribution."""
    html = (report_out / fname).read_text(encoding="utf-8")
    sec = re.search(r'<section id="sec-methodology".*?</section>', html, flags=re.S).group(0)
    first_cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<tr><td[^>]*>(.*?)</td>", sec, flags=re.S)]
    assert len(first_cells) > 60
    assert [c for c in first_cells if KEY_PATH.match(c.strip())] == []
    caption = "阶段（energy）不确定参数" if fname == "report.html" else "Energy stage uncertain parameters"
    assert sec.count(caption) == 1
    caption = "）不确定参数（" if fname == "report.html" else "stage uncertain parameters"
    assert sec.count(caption) == 2                                   # energy and demand
    assert ("三角分布" if fname == "report.html" else "triangular") in sec


def test_every_uncertain_parameter_of_the_default_edition_is_labelled(report_out):
    import duckdb

    from suanli.report.sections.methodology import _params

    con = duckdb.connect(str(report_out / "suanli.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT DISTINCT stage, params FROM provenance WHERE kind = 'result'").fetchall()
    finally:
        con.close()
    found = {path for _, p in rows for path, _, _ in P.walk_uncertain(_params(p))}
    assert len(found) >= 30
    assert found - set(P.LABELS) == set()
    # and the Chinese report gives each its basis in Chinese (the English one only where a parameter has none)
    english = [(stage, r[0], r[4]) for stage, p in rows for r in P.assumption_rows(stage, _params(p), "zh")
               if r[4] != "—" and not re.search(r"[\u4e00-\u9fff]", r[4])]
    assert english == []


def test_the_chinese_basis_of_a_parameter_is_printed_in_the_chinese_report():
    p = {"load": {"idle": {"value": 0.25, "low": 0.15, "high": 0.35, "source": "assumption: powered but unallocated",
                           "source_zh": "假设：通电但未分配任务"},
                  "training": {"value": 0.7, "low": 0.6, "high": 0.8, "source": "Newkirk et al. 2025"}}}
    assert [r[4] for r in P.assumption_rows("energy", p, "zh")] == ["假设：通电但未分配任务", "Newkirk et al. 2025"]
    assert [r[4] for r in P.assumption_rows("energy", p, "en")] == ["assumption: powered but unallocated",
                                                                    "Newkirk et al. 2025"]


def test_every_checker_rule_has_a_reason_in_both_languages():
    """The report's sentence on the checker's warnings says why each warns, in words; a rule without
    words would print its id (``event_date``) in the Chinese text."""
    from suanli.report.sections.capacity import WARN_RULES
    from suanli.web.names import CHECK_RULES

    missing = sorted(set(CHECK_RULES) - set(WARN_RULES))
    assert not missing, missing
    assert all(zh and en and zh != en for zh, en in WARN_RULES.values())


def test_uncertainty_choices_in_words():
    from suanli.report.sections.methodology import _choices

    names = {"ai_vc_funding_yi": "人工智能创投融资额"}
    assert _choices("zh", "exclude", "none | -ai_vc_funding_yi", names) == "无 | 不含 人工智能创投融资额"
    assert _choices("zh", "aggregate", "amean | gmean", {}) == "算术平均 | 几何平均"
    assert _choices("en", "aggregate", "amean | gmean", {}) == "arithmetic mean | geometric mean"
    assert _choices("zh", "weights", "20 node weights", {}) == "20 个节点权重"
    assert "测量误差" in _choices("zh", "noise", "", {}) and "measurement error" in _choices("en", "noise", None, {})
