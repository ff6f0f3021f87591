"""Chinese for the lineage the stages record in English (the ``provenance`` table).

Every table a stage writes carries a ``kind`` (result/input), a ``method`` and a ``description``
in English; the Chinese report's Appendix B (data and provenance) and the methodology chapter's
fallback for a stage without its own text show them in Chinese through this module:

* :data:`KINDS`: the table kinds;
* :data:`METHODS`: each method as the stages write it (a full match of the English);
* :data:`DESCRIPTIONS`: each table's description, keyed by table name (``*`` stands for the
  assessment name of the index and uncertainty tables) and then by the English text, since an
  edition may describe the same table differently (its inputs' ``source`` lines);
* two composed descriptions: the capacity stage's basis line (built from its settings) and the
  index results line (the assessment's title, translated with the edition's ``title_zh``).

Every lookup returns ``None`` when there is no Chinese (a table or method added later, or an
edition's own input description): the page then shows the English as stored, marked
``<span lang="en" class="untranslated">``, and :func:`untranslated` lists it for the tests.
Ids, units and code names (table names, FP16, EFLOPS, PASS/WARN) stay as they are.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

#: table kinds
KINDS = {"result": "结果", "input": "输入"}

#: methods, by the English text the stages write
METHODS = {
    # capacity
    "catalog": "硬件目录",
    "vintage installed-base model (shipments × catalog peaks)": "保有量（vintage）模型（出货量 × 硬件目录峰值算力）",
    "sourced reference data (data/capacity)": "有来源的参考数据（data/capacity）",
    "bridge: time point (geometric interpolation) then scope": "口径桥接，先对齐时间点（几何插值），再对齐统计范围",
    "installed base by province vs announced operating capacity": "分省装机存量与已公布的在运营算力对比",
    # markets (the method is the table's own routine)
    "market_observations": "市场观测值整理（market_observations）",
    "market_series": "年度市场序列重建（market_series）",
    "market_checks": "一致性检查（market_checks）",
    "market_forecasts": "模型预测（market_forecasts）",
    "market_backtests": "滚动起点回测（market_backtests）",
    "market_reconciliation": "总量与分项对账（market_reconciliation）",
    "edition_comparison": "版本对比（edition_comparison）",
    "side by side: market_series (published route) and capacity_national (model route, synthetic)":
        "并列对照 market_series（公布途径）与 capacity_national（模型途径，合成数据）",
    # energy
    "bottom-up installed base × TDP × overhead × load × PUE × grid factor; Monte Carlo over parameter ranges":
        "按装机存量 × 热设计功耗 TDP × 系统功率系数 × 负载率 × 电能利用效率 PUE × 电网排放因子自下而上测算；"
        "在参数取值范围内做蒙特卡洛模拟",
    # demand
    "demand identities (6·N·D, 2·N per token, MFU) + Monte Carlo":
        "需求恒等式（训练 6·N·D、推理每 Token 2·N、模型算力利用率 MFU）+ 蒙特卡洛模拟",
    # survey
    "survey": "调研加权估计",
    # index
    "composite index": "综合指数",
    "weights": "权重",
    "audit": "指标审计",
    "availability": "数据可得性统计",
    # uncertainty
    "Monte Carlo rank intervals": "蒙特卡洛排名区间",
    "Monte Carlo rank distribution": "蒙特卡洛排名分布",
    "Sobol indices (Saltelli first order, Jansen total)": "敏感性 Sobol 指数（一阶效应用 Saltelli 估计量，总效应用 Jansen 估计量）",
    "uncertainty inputs": "不确定性输入",
    # inputs and the open-data edition
    "read": "读取",
    "stated values with their sources": "公布数值及其来源",
    "count of sourced cells": "统计有来源的单元格",
    "indicator definitions": "指标定义",
    "derive_city_indicators": "由来源数值推导城市指标（derive_city_indicators）",
    "count and sum by province": "按省计数与求和",
    "rank comparison": "排名对比",
}

_RANK_INTERVALS = ("nominal and median rank, 5–95% interval and P(top 10) of every unit under uncertain method "
                   "choices (rank-interval chart data)")
_SOBOL = ("first-order and total Sobol indices of each uncertain input on every unit's rank and on the mean absolute "
          "rank shift, with bootstrap intervals (Sobol bar chart data)")

#: descriptions: table name (``*`` = an assessment's name) → {English as written: Chinese}
DESCRIPTIONS: dict[str, dict[str, str]] = {
    # -- capacity (the model tables' description is the basis line, see capacity_basis_zh)
    "catalog_accelerators": {
        "accelerator catalog with the FP16-equivalent used (real, sourced specs)":
            "加速卡硬件目录及所采用的 FP16 等效峰值（真实规格，均有来源）"},
    "catalog_cpus": {
        "server CPU catalog, FP64 peak at base clock (real, sourced specs; the peak is cores × clock × FLOPs per "
        "cycle; rows derived from names say so in source)":
            "服务器 CPU 目录，基础频率下的 FP64 峰值（真实规格，均有来源；峰值 = 核数 × 频率 × 每周期浮点运算次数；"
            "由型号名称推算的行在 source 列中注明）"},
    "capacity_centres": {
        "announced public intelligent-computing centres (智算中心), capacity as announced, each with source URL, "
        "date and quote":
            "已宣布的公共智算中心，算力规模按公布口径，每条附来源网址、日期和原文引述"},
    "capacity_hubs": {
        "东数西算 national hub nodes and data-centre clusters with published figures where found":
            "“东数西算”国家枢纽节点与数据中心集群，附已查到的公布数字"},
    "capacity_province_stats": {
        "province-level published compute figures with sources": "各省公布的算力数字及其来源"},
    "capacity_definitions": {
        "how IDC, MIIT/CAICT and CAICT define and measure compute, published figures side by side":
            "IDC、工信部/中国信通院与中国信通院对算力的定义和测算口径，并列给出各自公布的数字"},
    "capacity_definitions_bridge": {
        "why MIIT's 788 EFLOPS (mid-2025, in use) and IDC's 1,037.3 (end-2025) differ":
            "工信部的 788 EFLOPS（2025年年中，在用口径）与 IDC 的 1,037.3（2025年年末）为何不同"},
    "capacity_province_check": {
        "provinces where the synthetic stock is below announced real capacity are flagged (below_operating)":
            "合成存量低于已公布真实算力的省份加以标记（below_operating）"},
    # -- markets
    "market_observations": {
        "Stated market facts and values derived from them (kind, method, inputs).":
            "公布的市场数据及由其推导的数值（类型、方法、输入）。"},
    "market_series": {
        "Yearly market series: stated, derived, interpolated, back-cast and model-forecast cells.":
            "年度市场序列：公布值、推导值、插值、回推值和模型预测值。"},
    "market_checks": {
        "Consistency findings (PASS/APPROX/INFO/WARN/FAIL) with figures, formula, rel. error.":
            "一致性检查结果（PASS/APPROX/INFO/WARN/FAIL），附相关数字、计算公式和相对误差。"},
    "market_forecasts": {
        "Model forecasts with prediction intervals; analyst overrides labelled.":
            "模型预测及预测区间；分析师人工调整的数值有标注。"},
    "market_backtests": {
        "Rolling-origin backtest scores (MAPE, sMAPE, MASE) per series and model.":
            "滚动起点回测得分（MAPE、sMAPE、MASE），按序列和模型分列。"},
    "market_reconciliation": {
        "Top-down total vs bottom-up sum of segments, segments scaled to the total.":
            "自上而下的总量与自下而上的分项合计对比，分项按总量等比例调整。"},
    "edition_comparison": {
        "Previous vs this edition, same series and years (levels) and like-for-like rates.":
            "上一版与本版对比：相同序列和年份的水平值，以及口径一致的增长率。"},
    "national_compute_series": {
        "China intelligent and general compute per year by both routes, side by side: IDC's published series "
        "(stated, derived between stated years, modelled after) and suanli's capacity model (synthetic shipments "
        "calibrated to the published totals); gap = model / published - 1.":
            "按两条途径并列给出中国各年的智能算力与通用算力：IDC 公布的序列（公布值、公布年份之间的推导值、"
            "其后的模型值）与 suanli 的算力规模模型（按公布总量校准的合成出货数据）；差距 = 模型值 / 公布值 - 1。"},
    # -- energy
    "energy_national": {
        "power, IT and facility energy and CO2 of China's AI servers by year, 90% Monte Carlo intervals":
            "中国人工智能服务器各年的功率、IT 能耗、设施能耗和 CO2 排放，附 90% 蒙特卡洛区间"},
    "energy_by_province": {
        "the same by province (location-based CO2 with the province's grid factor)":
            "同上，按省份分列（CO2 按所在地计算，采用该省的电网排放因子）"},
    "energy_by_vendor": {"the same by server vendor": "同上，按服务器厂商分列"},
    "energy_by_origin": {"the same by accelerator origin (domestic/imported)": "同上，按加速卡来源（国产/进口）分列"},
    "energy_general_national": {
        "CPU-only servers (general compute), for all-workload comparisons":
            "仅含 CPU 的服务器（通用算力），用于与全部负载口径的数字比较"},
    "energy_parameters": {
        "every uncertain parameter: range, central value, source": "每个不确定参数的取值范围、中心值和来源"},
    "energy_sobol": {
        "Sobol indices: which parameter drives the spread of the national outputs":
            "敏感性 Sobol 指数：哪些参数决定全国结果的不确定范围"},
    "energy_grid_factors": {
        "grid emission factor used per year and province": "各年、各省采用的电网排放因子"},
    "energy_catalog_accelerators": {
        "accelerator TDPs used (catalog or imputed, flagged) and form-factor class":
            "所用的加速卡热设计功耗 TDP（取自硬件目录或插补，插补值有标记）及形态类别"},
    "energy_catalog_cpus": {
        "CPU TDPs used (catalog or imputed, flagged)": "所用的 CPU 热设计功耗 TDP（取自硬件目录或插补，插补值有标记）"},
    "energy_reconciliation": {
        "estimate beside published totals with explicit scopes; implied parameters":
            "估计值与公布总量并列，明示统计口径；并给出隐含参数"},
    "energy_pue_ladder": {
        "China's PUE policy targets against the modelled average PUE": "中国电能利用效率 PUE 的政策目标与模型测算的平均 PUE 对比"},
    "energy_claim_checks": {
        "the original report's energy claims through the markets consistency checker": "用市场一致性检查器核对原报告关于能耗的说法"},
    # -- demand
    "demand_supply": {
        "compute demand (LLM training + token inference) against installed FP16-equivalent supply, medians and 90% "
        "Monte Carlo intervals":
            "算力需求（大模型训练 + Token 推理）与已装机的 FP16 等效算力供给对比，给出中位数和 90% 蒙特卡洛区间"},
    "demand_runs": {
        "sourced catalogue of notable training runs with derived compute, hours, MFU and energy":
            "有来源的重要训练任务目录，附推算的计算量、时长、模型算力利用率 MFU 和能耗"},
    "demand_run_values": {
        "every catalogue value with source, date, quote, kind of source, confidence and status":
            "目录中的每个数值及其来源、日期、原文引述、来源类型、可信度和状态"},
    "demand_anchors": {
        "token volumes, production figures and architectures with their sources":
            "Token 调用量、生产运行数据和模型架构及其来源"},
    "demand_training": {
        "national training compute per year: catalogued runs, trend, national estimate":
            "全国每年的训练算力：目录收录的训练任务、趋势与全国估计"},
    "demand_tokens": {
        "token volume per day by year and FLOPs per token of the model mix":
            "各年日均 Token 量及模型组合的每 Token 浮点运算量（FLOPs）"},
    "demand_inference_methods": {
        "inference demand by FLOPs/MFU and by measured tokens per accelerator-day":
            "推理需求的两种算法：按 FLOPs/MFU 计算，以及按实测的每卡每日 Token 量计算"},
    "demand_inference_share": {
        "inference share of compute demand next to the original report's claim": "推理在算力需求中的占比，与原报告的说法并列"},
    "demand_central": {
        "the central scenario (all parameters at their central values)": "中心情景（所有参数取中心值）"},
    "demand_parameters": {
        "the uncertain parameters: central value, range, distribution, source": "不确定参数：中心值、取值范围、分布和来源"},
    "demand_sensitivity": {
        "which parameter moves implied utilisation most (rank correlation, decile swing)":
            "哪个参数对隐含利用率影响最大（秩相关系数、十分位摆幅）"},
    "demand_checks": {
        "the original report's demand-side claims recomputed on each basis, with verdicts": "按各口径重新计算原报告关于需求侧的说法，并给出结论"},
    # -- survey
    "survey_questions": {
        "Questionnaire: questions × options (zh/en), type, horizons, chart statistic":
            "问卷：题目 × 选项（中/英文）、题型、时间范围和图表统计量"},
    "survey_estimates": {
        "Weighted shares with design-based intervals (Wilson on effective n), unweighted Wilson, published value and "
        "whether the interval contains it":
            "加权占比及基于抽样设计的区间（按有效样本量计算的 Wilson 区间）、未加权 Wilson 区间、公布值及区间是否包含公布值"},
    "survey_estimates_by_stratum": {
        "Weighted shares with intervals within each industry / size / region": "各行业、规模和地区内的加权占比及区间"},
    "survey_ranked": {
        "Ranked questions: weighted mean rank (linearised interval), top-1 and top-k shares":
            "排序题：加权平均名次（线性化区间）、排名第一和前 k 名的占比"},
    "survey_checks": {
        "Published values and orderings of the report vs the estimates (PASS/FAIL)":
            "原报告公布的数值和排序与估计结果对照（PASS/FAIL）"},
    "survey_weighting": {
        "Weight diagnostics per step (design, raked, trimmed): Kish n_eff, deff, convergence":
            "各步骤（设计权重、迭代比例拟合、截尾）的权重诊断：Kish 有效样本量 n_eff、设计效应 deff、收敛情况"},
    "survey_margins_fit": {
        "Known margins vs unweighted, design-weighted and final-weighted sample shares":
            "已知总体边际分布与未加权、设计加权和最终加权的样本占比对比"},
    "survey_weights": {
        "Respondent weights: design, raked, final (trimmed)": "受访者权重：设计权重、迭代比例拟合权重、最终权重（截尾后）"},
    # -- index and uncertainty (index_<assessment>_…; the results line is composed, see results_zh)
    "index_*_weights": {"declared and effective weight of every node": "每个节点的声明权重与有效权重"},
    "index_*_audit": {"indicator statistics and flags by year": "各年的指标统计量与标记"},
    "index_*_availability": {"data availability per unit and year": "各评估对象各年的数据可得性"},
    "index_*_rank_intervals": {
        _RANK_INTERVALS: "方法选择不确定时，每个评估对象的名义排名、排名中位数、5–95% 排名区间和进入前10名的概率"
                         " P(top 10)（排名区间图数据）"},
    "index_*_rank_probabilities": {
        "probability of each rank for every unit": "每个评估对象取得各名次的概率"},
    "index_*_sobol": {
        _SOBOL: "每项不确定输入对各评估对象排名及平均绝对排名变动的一阶和总效应敏感性 Sobol 指数，"
                "附自助法（bootstrap）区间（Sobol 条形图数据）"},
    "index_*_uncertainty_inputs": {"the uncertain inputs and their choices": "不确定输入及其可选取值"},
    # -- inputs (the edition's source line of each input; both bundled editions)
    "input_shipments": {
        "suanli.capacity.synthetic (random seed 2025), calibrated to IDC 2025 published national totals":
            "由 suanli.capacity.synthetic 生成（随机种子 2025），按 IDC 2025 公布的全国总量校准"},
    "input_market_facts": {
        "IDC 2025 report text (seed-facts extraction, data/FACTS-PROVENANCE.md): every quantitative claim of the "
        "IDC 2025 report text (202 rows, verbatim quotes, source lines)":
            "IDC 2025 报告正文（原报告事实摘录，见 data/FACTS-PROVENANCE.md）：IDC 2025 报告正文中的每个定量说法"
            "（202行，附原文引述和出处行）",
        "The 2025 edition's data/facts.csv (see its FACTS-PROVENANCE.md): every quantitative claim of the IDC 2025 "
        "report text (verbatim quotes, source lines)":
            "2025 版的 data/facts.csv（见该版的 FACTS-PROVENANCE.md）：IDC 2025 报告正文中的每个定量说法"
            "（附原文引述和出处行）"},
    "input_market_facts_external": {
        "Seed-facts extraction (data/FACTS-PROVENANCE.md): press-reported figure data of this edition and "
        "previous-edition values, each with its source URL":
            "原报告事实摘录（data/FACTS-PROVENANCE.md）：媒体报道的本版图表数据和上一版数值，每条附来源网址",
        "The 2025 edition's data/facts_external.csv: press-reported figure data with source URLs":
            "2025 版的 data/facts_external.csv：媒体报道的图表数据，附来源网址"},
    "input_report_reference_facts": {
        "model developers' technical reports (see the source column)": "模型开发者的技术报告（见 source 列）"},
    "input_grid_emission_factors": {
        "生态环境部/国家统计局 electricity CO2 factors (2021-2023 national, 2022 regional and provincial), each row "
        "with its source, date, quote and source kind":
            "生态环境部/国家统计局发布的电力 CO2 排放因子（2021-2023年全国，2022年区域和省级），每行附来源、日期、"
            "原文引述和来源类型"},
    "input_demand_anchors": {
        "Token volumes (国家数据局 via 国新办 press conferences), DeepSeek's production day (open-infra-index), model "
        "architectures (config.json), each row with its source and quote":
            "Token 调用量（国家数据局，经国新办新闻发布会公布）、DeepSeek 的生产运行日数据（open-infra-index）、"
            "模型架构（config.json），每行附来源和原文引述"},
    "input_demand_runs": {
        "suanli's sourced catalogue of notable training runs: one row per value with source, date, quote, kind of "
        "source, confidence and status (stated/derived/disputed); papers, model cards, Reuters/Nature, Epoch AI":
            "suanli 整理的有来源的重要训练任务目录：每个数值一行，附来源、日期、原文引述、来源类型、可信度和状态"
            "（公布/推导/有争议）；来源包括论文、模型卡、Reuters/Nature 和 Epoch AI"},
    "input_survey_margins": {
        "SYNTHETIC assumptions: population shares of the sampling frame by industry, size and region (documented in "
        "docs/survey.md)":
            "合成假设（SYNTHETIC）：抽样框按行业、规模和地区划分的总体占比（说明见 docs/survey.md）"},
    "input_survey_published": {
        "IDC 2025 report text: published survey shares and orderings (data/facts.csv, data/rankings.csv)":
            "IDC 2025 报告正文：公布的调研占比和排序（data/facts.csv、data/rankings.csv）"},
    "input_survey_questionnaire": {
        "Questions and options reconstructed from the figure titles and text of the IDC 2025 report (Figs 3, 4, 6, "
        "10, 12-16, 18); options not named in the report are assumptions":
            "根据 IDC 2025 报告的图表标题和正文重建的题目和选项（图3、4、6、10、12-16、18）；报告中未列出的选项为假设"},
    "input_survey_respondents": {
        "SYNTHETIC: suanli.survey.synthetic (random seed 2025, n 1600; `suanli survey generate`), calibrated to the "
        "report's published survey shares and orderings":
            "合成数据（SYNTHETIC）：由 suanli.survey.synthetic 生成（随机种子 2025，n 1600；`suanli survey generate`），"
            "按报告公布的调研占比和排序校准"},
    # -- open-data edition
    "open_data_sources": {
        "One row per stated value: table, key, value, unit, source, source_kind, date, quote, url":
            "每个公布数值一行：表、键、数值、单位、来源、来源类型（source_kind）、日期、原文引述和网址"},
    "index_city_coverage": {
        "Per indicator: cells, cells filled from sources (stated or derived), coverage; '_overall' sums all "
        "indicators":
            "按指标统计：单元格数、由来源填充的单元格数（公布或推导）和覆盖率；'_overall' 为全部指标合计"},
    "open_city_indicator_definitions": {
        "Definition, unit, year, direction and rationale of each public-data indicator, with its coverage":
            "每个公开数据指标的定义、单位、年份、方向和设立理由，附覆盖率"},
    "open_city_indicator_cells": {
        "Every city × indicator cell: value, stated/derived/missing, the source reference and URL":
            "每个城市 × 指标单元格：数值、公布/推导/缺失状态、来源引用和网址"},
    "intelligent_computing_centres": {
        "Announced intelligent-computing centres, one row per project: place, operator, capacity in P where printed "
        "(precision basis), status, year, source, date, quote, kind of source":
            "已宣布的智算中心，每个项目一行：地点、运营方、公布的算力规模（P，注明精度口径）、状态、年份、来源、日期、"
            "原文引述和来源类型"},
    "compute_area_totals": {
        "City and cluster compute totals a source states (not projects; cluster totals cross city borders and are "
        "never assigned to a city)":
            "来源中公布的城市和集群算力总量（不是单个项目；集群总量跨越城市边界，不分配给任何城市）"},
    "intelligent_computing_centres_by_province": {
        "Recorded projects by province, how many print a capacity, the sum of printed capacities (built or planned) "
        "and of those in operation (lower bounds: only the projects found are recorded)":
            "按省统计已收录的项目：项目数、公布算力规模的项目数、公布算力规模之和（已建或规划）及其中在运营项目之和"
            "（均为下限：只收录了已查到的项目）"},
    "national_compute_anchors": {
        "National compute totals by date and definition (precision, scope)": "按日期和口径（精度、统计范围）列出的全国算力总量"},
    "open_city_rank_vs_seed": {
        "Open-data city rank against the original report's published rank, with dimension scores, missing indicators "
        "and the reason":
            "公开数据版城市排名与原报告公布排名的对比，附各维度得分、缺失指标和差异原因"},
}

#: index assessment titles of the bundled editions (English → Chinese); an edition's own titles
#: (``assessments.<name>.title_en``/``title_zh``) are added by :func:`titles`
TITLES = {
    "China AI compute development assessment - cities": "中国人工智能计算力发展评估——城市排行",
    "China AI compute development assessment - cities (public data)": "中国人工智能计算力发展评估——城市排行（公开数据版）",
    "AI application penetration by industry": "中国人工智能行业应用渗透度",
}

_RESULTS = re.compile(r"(?P<title>.+): score, rank and rank change of every unit and node by year \(long form\)")

_BASIS = re.compile(
    r"installed base at (?P<at>year end|mid year), (?P<life>fixed (?P<n>[\d.]+)-year life|no retirement|"
    r"Weibull\((?P<w>scale=[^,()]+, shape=[^,()]+)\)); intelligent = (?P<p>[A-Z0-9]+)-equivalent "
    r"(?P<sp>dense|sparse) peak \((?P<rule>[^()]*)\); general = CPU FP64 peak at base clock \(vector; CPUs have no "
    r"FP64 matrix units\)(?: \+ accelerator FP64 \((?P<acc>vector|matrix)\))?")
_BASIS_WORDS = {"year end": "年末", "mid year": "年中", "dense": "稠密", "sparse": "稀疏", "vector": "向量",
                "matrix": "矩阵"}


def kind_zh(kind: object) -> str | None:
    return KINDS.get(str(kind))


def method_zh(method: object) -> str | None:
    """The Chinese of a method as a stage writes it, or ``None``."""
    return METHODS.get(str(method))


def capacity_basis_zh(text: str) -> str | None:
    """The capacity stage's basis line (``installed base at year end, fixed 6-year life; …``) in Chinese."""
    m = _BASIS.fullmatch(text)
    if m is None:
        return None
    g = m.groupdict()
    life = (f"固定服役期 {g['n']} 年" if g["n"] else "不退役" if g["life"] == "no retirement"
            else f"按 Weibull 服役曲线退役（{g['w'].replace(', ', '，')}）")
    out = (f"{_BASIS_WORDS[g['at']]}的装机存量，{life}；智能算力 = {g['p']} 等效{_BASIS_WORDS[g['sp']]}峰值"
           f"（{g['rule']}）；通用算力 = CPU 在基础频率下的 FP64 峰值（向量口径；CPU 没有 FP64 矩阵单元）")
    if g["acc"]:
        out += f" + 加速卡 FP64（{_BASIS_WORDS[g['acc']]}口径）"
    return out


def titles(edition: Any) -> dict[str, str]:
    """Assessment titles (English as the index stage writes it → Chinese): the bundled ones and the edition's."""
    out = dict(TITLES)
    for name, cfg in (getattr(getattr(edition, "assessments", None), "root", None) or {}).items():
        if getattr(cfg, "title_zh", ""):
            out[getattr(cfg, "title_en", "") or name] = cfg.title_zh
    return out


def description_zh(table: str, text: object, names: Mapping[str, str] | None = None) -> str | None:
    """The Chinese of ``table``'s description ``text``, or ``None``.

    ``names`` maps assessment titles (English → Chinese; :func:`titles`) for the index results line."""
    text = "" if text is None else str(text)
    if not text:
        return ""
    found = DESCRIPTIONS.get(table, {}).get(text)
    if found is None:
        found = next((d[text] for k, d in DESCRIPTIONS.items() if "*" in k and text in d
                      and fnmatch.fnmatchcase(table, k)), None)
    if found is None:
        found = capacity_basis_zh(text)
    if found is None and (m := _RESULTS.fullmatch(text)) and table.startswith("index_"):
        title = {**TITLES, **(names or {})}.get(m.group("title"))
        if title:
            found = f"{title}：各年每个评估对象和每个节点的得分、排名及排名变化（长表）"
    return found


def untranslated(rows: Iterable[Any], names: Mapping[str, str] | None = None) -> list[str]:
    """What has no Chinese among provenance ``rows`` (records with table_name, kind, method and
    description): ``"<table>: <field> '<English>'"`` per gap, empty when everything is covered."""
    out = []
    for r in rows:
        get = r.get if isinstance(r, Mapping) else lambda k, r=r: getattr(r, k, None)
        t = str(get("table_name"))
        if kind_zh(get("kind")) is None:
            out.append(f"{t}: kind {get('kind')!r}")
        if method_zh(get("method")) is None:
            out.append(f"{t}: method {get('method')!r}")
        if description_zh(t, get("description"), names) is None:
            out.append(f"{t}: description {get('description')!r}")
    return out


def shown(en: object, zh: str | None, lang: str) -> Any:
    """What a page in ``lang`` prints: the English on an English page; on a Chinese page the Chinese,
    or the English marked ``<span lang="en" class="untranslated">`` when there is none."""
    en = "" if en is None else str(en)
    if lang != "zh":
        return en
    if zh is not None:
        return zh
    return Markup('<span lang="en" class="untranslated">{}</span>').format(escape(en)) if en else ""
