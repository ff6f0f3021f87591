"""Names in Chinese and English for everything the dashboard shows: places, industries, vendors,
region groups, market series, units of measure, value classes, checker verdicts, survey strata,
method names and the method steps of an assessment (as sentences, never raw JSON).

Places come from the one region catalogue (:mod:`suanli.regions`, through :mod:`suanli.tilegrid`),
market metrics from the market registry (:mod:`suanli.markets.registry`), value classes from
:mod:`suanli.store.value_class`, industries, server and accelerator vendors from the report's labels,
and column headers from the report's column dictionary, so a name reads the same in the report and
here.
"""

from __future__ import annotations

from typing import Any

#: city-assessment region groups (华北 …) and survey regions
REGION_GROUPS = {"华北": "North China", "华东": "East China", "华南": "South China", "华中": "Central China",
                 "西南": "Southwest China", "西北": "Northwest China", "东北": "Northeast China"}
#: origin of an accelerator (capacity tables)
ORIGINS = {"domestic": ("国产", "domestic"), "imported": ("进口", "imported"),
           "(none)": ("无加速卡（仅 CPU）", "none (CPU only)")}
MARKET_REGIONS = {"china": ("中国", "China"), "global": ("全球", "Global"), "usa": ("美国", "USA"),
                  "japan": ("日本", "Japan"), "eu": ("欧盟", "EU"), "uk": ("英国", "UK"),
                  "singapore": ("新加坡", "Singapore")}
SEGMENTS = {"total": ("合计", "total"), "genai": ("生成式人工智能", "GenAI"), "non_genai": ("非生成式人工智能", "non-GenAI"),
            "genai_iaas": ("生成式人工智能 IaaS", "GenAI IaaS"), "non_genai_iaas": ("非生成式人工智能 IaaS", "non-GenAI IaaS"),
            "integration": ("智算集成服务", "integration services"), "inference": ("推理", "inference"),
            "training": ("训练", "training"), "unallocated": ("未分配", "unallocated")}
#: units of measure as the tables print them → (zh, en)
UNITS = {"亿元": ("亿元", "100 million yuan"), "亿美元": ("亿美元", "100 million USD"), "太瓦时": ("太瓦时", "TWh"),
         "USD": ("美元", "USD"), "EFLOPS": ("EFLOPS", "EFLOPS"), "PFLOPS": ("PFLOPS", "PFLOPS"), "TWh": ("太瓦时", "TWh"),
         "ZB": ("ZB", "ZB"), "%": ("%", "%"), "0-100": ("0–100 分", "score 0–100"), "个": ("个", "count"),
         "件": ("件", "items"), "家": ("家", "organisations"), "所": ("所", "institutions"), "款": ("款", "products"),
         "项": ("项", "projects"), "fraction": ("比例", "fraction"), "": ("", ""),
         "pp": ("个百分点", "pp"), "mismatches": ("处不一致", "mismatches"), "entries fixed": ("条已修正", "entries fixed"),
         "x": ("倍", "×"), "kW": ("kW", "kW"), "PUE": ("PUE", "PUE")}
#: how a market value was obtained (market_series.method) → (zh, en)
MARKET_METHODS = {
    "stated": ("公布值", "stated"), "interpolate_geometric": ("几何插值", "geometric interpolation"),
    "backcast_constant_growth": ("按不变增速回推", "back-cast at constant growth"),
    "implied_start_from_rate": ("由增速反推起点", "start implied by the growth rate"),
    "residual_total_minus_segments": ("合计减各细分", "total minus segments"),
    "unallocated_total_minus_segments": ("合计中未分配部分", "unallocated part of the total"),
    "total_x_share": ("合计 × 占比", "total × share"), "previous_edition_actual": ("上一版本实际值", "previous edition's actual"),
    "scaled_to_total": ("按合计缩放", "scaled to the total"),
}
VERDICTS = {"PASS": ("通过", "pass"), "APPROX": ("近似一致", "approximately consistent"), "WARN": ("警告", "warning"),
            "FAIL": ("不一致", "fail"), "INFO": ("信息", "information")}


def verdict_name(code: str, lang: str) -> str:
    """A checker verdict (``PASS``, ``APPROX``, ...) in words of ``lang`` (zh or en); an unknown code as it is."""
    names = VERDICTS.get(str(code))
    return (names[0] if lang == "zh" else names[1]) if names else str(code)


CHECK_RULES = {
    "city_vs_national": ("城市合计不超过全国", "cities within the national total"),
    "cross_route": ("两条推算路径一致", "two routes agree"),
    "edition_level_revision": ("相对上一版本的水平修订", "level revised since the previous edition"),
    "edition_rate_change": ("相对上一版本的增速变化", "growth rate changed since the previous edition"),
    "edition_window": ("两版本的增速窗口", "growth windows of the two editions"),
    "implied_level": ("由增速推出的水平", "level implied by a growth rate"),
    "path_vs_interpolation": ("路径与插值比较", "path against interpolation"),
    "path_vs_rate": ("路径与增速比较", "path against the stated rate"),
    "price_ratio": ("价格比", "price ratio"), "rate_vs_levels": ("增速与两端水平一致", "rate agrees with its end levels"),
    "repeated_claims": ("重复出现的数值一致", "repeated figures agree"),
    "segment_feasibility": ("细分之和不超过合计", "segments fit in the total"),
    "shares_sum": ("占比之和", "shares add up"), "stated_multiple": ("公布的倍数", "stated multiple"),
    "sub_window_rate": ("子区间增速", "rate over a sub-window"), "verbal_multiple": ("文字表述的倍数", "multiple stated in words"),
    "verbal_multiple_alt_reading": ("文字倍数的另一种读法", "alternative reading of a verbal multiple"),
    "rank_moves": ("排名变化可行", "rank moves are feasible"), "event_date": ("事件日期", "event date"),
    "list_consistency": ("列表前后一致", "lists agree"), "metric_names": ("指标名称一致", "metric names agree"),
    "figure_order": ("图中排序", "order in a figure"), "product_limit": ("产品规格上限", "product limit"),
    "claim_ranges": ("表述的取值范围", "range of a claim"), "product_name": ("产品名称", "product name"),
}
FORECAST_MODELS = {"drift": ("漂移模型", "drift"), "loglinear": ("对数线性趋势", "log-linear trend"),
                   "arima": ("ARIMA", "ARIMA"), "ets": ("指数平滑", "exponential smoothing"),
                   "logistic": ("逻辑斯蒂曲线", "logistic curve"), "theta": ("Theta 模型", "Theta")}
#: survey weighting steps (survey_weighting.step)
WEIGHTING_STEPS = {"design": ("设计权重", "design"), "raked": ("迭代加权（raking）", "raked"), "trimmed": ("截尾", "trimmed"),
                   "final": ("最终权重", "final")}
#: uncertainty input kinds (index_*_uncertainty_inputs.kind)
INPUT_KINDS = {"weights": ("权重", "weights"), "normalise": ("标准化", "normalisation"), "aggregate": ("汇总方法", "aggregation"),
               "treat": ("异常值处理", "outlier treatment"), "impute": ("缺失值插补", "imputation"),
               "noise": ("测量误差", "measurement noise"), "exclude": ("指标剔除", "indicator left out")}
#: column headers the report's column dictionary does not have
WEB_COLUMNS = {"step": ("步骤", "Step"), "sum_w": ("权重之和", "Sum of weights"), "min_w": ("最小权重", "Smallest weight"),
               "max_w": ("最大权重", "Largest weight"), "max_over_mean": ("最大/平均", "Max / mean"),
               "cv": ("变异系数", "Coefficient of variation"), "kish_n_eff": ("Kish 有效样本量", "Kish effective n"),
               "kish_deff": ("Kish 设计效应", "Kish design effect"), "iterations": ("迭代次数", "Iterations"),
               "converged": ("已收敛", "Converged"), "max_margin_error": ("最大边际误差", "Largest margin error"),
               "dims": ("维数", "Dimensions"), "choices": ("选项（引擎原文）", "Choices")}
SURVEY_BY = {"industry": ("行业", "industry"), "region": ("地区", "region"), "size": ("企业规模", "size")}
SOBOL_INPUTS = {"weights": ("权重", "weights"), "normalisation": ("标准化", "normalisation"),
                "aggregation": ("汇总方法", "aggregation"), "outlier treatment": ("异常值处理", "outlier treatment"),
                "noise": ("测量误差", "measurement noise"), "imputation": ("缺失值插补", "imputation"),
                "indicator": ("指标剔除", "indicator left out"), "leave-one-out": ("剔除一个指标", "one indicator left out"),
                "measurement noise": ("测量误差", "measurement noise"), "exclude one indicator": ("剔除一个指标", "one indicator left out"),
                "weights L2+3": ("权重（第2、3层）", "weights (levels 2 and 3)")}
SOBOL_TARGETS = {"mean_abs_rank_shift": ("平均排名变动", "mean absolute rank shift"), "rank": ("单位排名", "rank of a unit")}

NORM_NAMES = {"minmax": ("最小-最大", "min-max"), "zscore": ("Z 分数", "z-score"), "rank": ("排名", "rank"),
              "borda": ("Borda 计分", "Borda"), "goalposts": ("目标值", "goalposts"),
              "prank": ("百分位排名", "percentile rank"), "dist2max": ("距最大值", "distance to max"),
              "dist2ref": ("距参照值", "distance to reference"), "dist2targ": ("距目标值", "distance to target"),
              "fracmax": ("占最大值比例", "fraction of max"), "scaled": ("线性缩放", "scaled"),
              "custom": ("自定义", "custom"), "none": ("不标准化", "none")}
AGG_NAMES = {"amean": ("加权算术平均", "weighted arithmetic mean"), "gmean": ("加权几何平均", "weighted geometric mean"),
             "hmean": ("加权调和平均", "weighted harmonic mean"), "genmean": ("广义平均", "generalised mean"),
             "topsis": ("TOPSIS（逼近理想解）", "TOPSIS"), "vikor": ("VIKOR（折衷排序）", "VIKOR"),
             "gra": ("灰色关联分析", "grey relational analysis"), "mpi": ("Mazziotta-Pareto 指数", "Mazziotta-Pareto index"),
             "bod": ("“有利假设”法（BoD，数据包络）", "benefit of the doubt (BoD, DEA)"),
             "copeland": ("Copeland 两两比较", "Copeland pairwise")}
TREAT_NAMES = {"coinr": ("COINr 异常值规则", "COINr outlier rule"), "winsorise": ("缩尾", "winsorising"),
               "boxcox": ("Box-Cox 变换", "Box-Cox transform"), "none": ("不处理", "none"), "log": ("取对数", "log")}
IMPUTE_NAMES = {"mean": ("均值插补", "mean"), "median": ("中位数插补", "median"), "group_mean": ("组内均值插补", "group mean"),
                "group_median": ("组内中位数插补", "group median"), "carry_forward": ("沿用上年值", "carry forward"),
                "em": ("EM 算法插补", "EM"), "none": ("不插补（汇总时跳过缺失）", "none (gaps skipped by the aggregation)")}
STEP_NAMES = {"denominate": ("分母化", "denominate"), "screen": ("筛选单位", "screen units"), "impute": ("缺失值插补", "impute"),
              "treat": ("异常值处理", "outlier treatment"), "normalise": ("标准化", "normalise"),
              "weight": ("权重", "weights"), "aggregate": ("汇总", "aggregate")}
PARAM_NAMES = {"winmax": ("最多缩尾点数", "at most winsorised points"), "skew_thresh": ("偏度阈值", "skew threshold"),
               "kurt_thresh": ("峰度阈值", "kurtosis threshold"), "l_u": ("区间", "range"), "m_sd": ("均值±标准差", "mean ± sd"),
               "dat_thresh": ("最低数据可得率", "minimum data availability"), "p": ("幂次", "power"),
               "lower": ("权重下限", "lower weight bound"), "penalty": ("惩罚方向", "penalty"), "variant": ("变体", "variant")}


def _no_cjk(en: str) -> str:
    """An English name without the Chinese term some registry names add in brackets
    ("AI compute services (智算服务) market" → "AI compute services market")."""
    import re

    return re.sub(r"\s*[（(][^)）]*[\u3400-\u9fff][^)）]*[)）]", "", en).strip() or en


def _pair(d: dict[str, tuple[str, str]], key: str) -> dict[str, str]:
    zh, en = d.get(key, (key, key))
    return {"zh": zh, "en": en}


def _params_text(params: dict[str, Any], lang: str) -> str:
    out = []
    for k, v in params.items():
        name = PARAM_NAMES.get(k, (k, k))[0 if lang == "zh" else 1]
        if isinstance(v, (list, tuple)) and len(v) == 2 and k == "l_u":
            val = f"{v[0]:g}–{v[1]:g}"
        elif isinstance(v, (list, tuple)) and len(v) == 2 and k == "m_sd":
            val = f"{v[0]:g}±{v[1]:g}"
        elif isinstance(v, float) and k == "dat_thresh":
            val = f"{v:.0%}"
        else:
            val = ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)
        out.append(f"{name} {val}")
    return ("，" if lang == "zh" else ", ").join(out)


def describe_steps(spec: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Each method step as one sentence in Chinese and in English (the methodology page prints these
    instead of the pipeline's JSON)."""
    out = []
    for i, st in enumerate(spec, 1):
        step = str(st.get("step", "?"))
        method = str(st.get("method") or "")
        params = dict(st.get("params") or {})
        if "dat_thresh" in st:
            params["dat_thresh"] = st["dat_thresh"]
        table = {"normalise": NORM_NAMES, "aggregate": AGG_NAMES, "treat": TREAT_NAMES, "impute": IMPUTE_NAMES}.get(step, {})
        sname = STEP_NAMES.get(step, (step, step))
        mname = table.get(method, (method, method)) if method else ("", "")
        row = {}
        for k, lang in ((0, "zh"), (1, "en")):
            text = f"{i}. {sname[k]}" + (f"：{mname[k]}" if lang == "zh" and method else f": {mname[k]}" if method else "")
            ptxt = _params_text(params, lang)
            if ptxt:
                text += f"（{ptxt}）" if lang == "zh" else f" ({ptxt})"
            extra = [kk for kk in ("weights", "by_level", "by_node", "per_indicator") if st.get(kk)]
            if extra:
                text += ("；另有按节点的设置：" if lang == "zh" else "; per-node settings: ") + ", ".join(extra)
            row[lang] = text
        row["method"] = method
        row["step"] = step
        out.append(row)
    return out


def method_label(kind: str, method: str) -> dict[str, str]:
    """Name of a normalisation or aggregation method in both languages."""
    return _pair(NORM_NAMES if kind == "normalise" else AGG_NAMES, method)


def catalogue(src: Any = None) -> dict[str, Any]:
    """Every name map the page needs, ``{kind: {key: {"zh": …, "en": …}}}`` (``GET /api/names``)."""
    from ..markets.registry import METRICS
    from ..regions import PROVINCES, city_en
    from ..report.data import ACCEL_VENDOR_ZH, INDUSTRY_EN, VENDOR_EN
    from ..report.i18n import COLUMNS
    from ..store.value_class import LABELS, MEANING
    from ..tilegrid import CITY_PROVINCE

    def both(zh: str, en: str) -> dict[str, str]:
        return {"zh": zh, "en": en}

    cities = {c: both(c, city_en(c)) for c in CITY_PROVINCE}
    out: dict[str, Any] = {
        "province": {p: both(p, en) for p, (_full, en) in PROVINCES.items()},
        "city": cities,
        "industry": {k: both(k, v) for k, v in INDUSTRY_EN.items()},
        "vendor": {k: both(k, v) for k, v in VENDOR_EN.items()},
        "accelerator_vendor": {k: both(v, k) for k, v in ACCEL_VENDOR_ZH.items()},
        "origin": {k: both(*v) for k, v in ORIGINS.items()},
        "group": {k: both(k, v) for k, v in REGION_GROUPS.items()},
        "metric": {m.id: both(m.zh, _no_cjk(m.en)) for m in METRICS.values()},
        "market_region": {k: both(*v) for k, v in MARKET_REGIONS.items()},
        "segment": {k: both(*v) for k, v in SEGMENTS.items()},
        "unit": {k: both(*v) for k, v in UNITS.items()},
        "market_method": {k: both(*v) for k, v in MARKET_METHODS.items()},
        "verdict": {k: both(*v) for k, v in VERDICTS.items()},
        "rule": {k: both(*v) for k, v in CHECK_RULES.items()},
        "model": {k: both(*v) for k, v in FORECAST_MODELS.items()},
        "survey_by": {k: both(*v) for k, v in SURVEY_BY.items()},
        "sobol_input": {k: both(*v) for k, v in SOBOL_INPUTS.items()},
        "sobol_target": {k: both(*v) for k, v in SOBOL_TARGETS.items()},
        "value_class": {k: both(LABELS["zh"][k], LABELS["en"][k]) for k in LABELS["en"]},
        "value_class_meaning": {k: both(MEANING["zh"][k], MEANING["en"][k]) for k in MEANING["en"]},
        "normalisation": {k: both(*v) for k, v in NORM_NAMES.items()},
        "aggregation": {k: both(*v) for k, v in AGG_NAMES.items()},
        "column": {**{k: both(*v) for k, v in WEB_COLUMNS.items()}, **{k: both(v[0], v[1]) for k, v in COLUMNS.items()}},
        "weighting_step": {k: both(*v) for k, v in WEIGHTING_STEPS.items()},
        "input_kind": {k: both(*v) for k, v in INPUT_KINDS.items()},
        "stratum": {},
    }
    if src is not None:
        out["stratum"] = survey_strata(src)
        for v in getattr(src, "assessments", {}).values():
            # groups of any assessment that are places or known region groups
            for g in set(map(str, v.group_of())):
                if g and g not in out["group"]:
                    en = REGION_GROUPS.get(g) or INDUSTRY_EN.get(g) or PROVINCES.get(g, ("", ""))[1]
                    if en:
                        out["group"][g] = both(g, en)
    return out


def survey_strata(src: Any) -> dict[str, dict[str, str]]:
    """Survey stratum labels (``industry:internet`` → 互联网 / Internet) from the edition's margins file."""
    from ..errors import SuanliError
    from ..io.readers import read_raw_table

    ed = getattr(src, "edition", None)
    out: dict[str, dict[str, str]] = {}
    inputs = getattr(ed, "inputs", None) or {}
    for name in inputs:
        if "margins" not in name:
            continue
        try:  # the edition's reader: any encoding, workbooks, the input's sheet, paths inside the edition
            df = read_raw_table(ed.input_path(name)).frame
        except (SuanliError, AttributeError):
            continue
        if {"variable", "level", "label_zh", "label_en"} <= set(df.columns):
            for r in df.itertuples(index=False):
                out[str(r.level)] = {"zh": str(r.label_zh), "en": str(r.label_en)}
    return out


def hidden_reason(method: str, raw: str, n_units: int) -> dict[str, str]:
    """Why the page does not offer a method, in both languages (the probe's own text is kept in
    English after the explanation, so nothing of the engine's reason is lost)."""
    if method == "none":
        return {"zh": "不标准化就会把不同单位的指标直接相加（如 PFLOPS 与 亿元），结果没有意义，因此不提供。",
                "en": "without normalisation indicators in different units would be added (PFLOPS to 100 million "
                      "yuan), which means nothing; not offered."}
    if method == "bod":
        return {"zh": f"“有利假设”法（BoD）为每个单位自行选择对它最有利的权重：滑块上的权重对它不起作用，"
                      f"它也不是一种重新加权。它对每个单位、每个分组各求解一次线性规划（本评估 {n_units} 个单位），"
                      "无法随滑块即时重算。需要 BoD 排名时，用 suanli index build --method 运行（方法文件中 "
                      "aggregate 的 method: bod）。",
                "en": f"benefit of the doubt (BoD) lets every unit choose the weights most favourable to it: the "
                      f"weight sliders have no effect on it, so it is not a re-weighting. It solves one linear "
                      f"programme per unit and group ({n_units} units here), too slow to follow a slider. For a BoD "
                      "ranking run suanli index build --method with method: bod in the aggregate step."}
    needs = {"dist2ref": ("每个指标的参照值", "a reference value for each indicator"),
             "dist2targ": ("每个指标的目标值", "a target for each indicator"),
             "goalposts": ("每个指标的目标区间（goalposts）", "goalposts for each indicator")}
    if method in needs:
        zh, en = needs[method]
        return {"zh": f"需要{zh}，本框架没有声明，因此不提供。", "en": f"needs {en}, which this framework does not declare; not offered."}
    return {"zh": f"无法对本数据计分，不提供（引擎原因：{raw}）", "en": f"cannot score this data; not offered (engine: {raw})"}


#: what each build table holds, in Chinese (the stages describe their tables in English in the
#: build's lineage; the Chinese page shows these). Tables of an assessment are matched by suffix.
_CAP = "年末装机存量，固定 6 年寿命；智能算力 = FP16 等效稠密峰值，通用算力 = CPU 基频 FP64 峰值"
TABLE_ZH = {
    "capacity_national": f"全国智能与通用算力（{_CAP}），含蒙特卡洛区间",
    "capacity_by_province": f"各省算力（{_CAP}）", "capacity_by_city": f"各城市算力（{_CAP}）",
    "capacity_by_vendor": f"按服务器厂商的算力（{_CAP}）", "capacity_by_accelerator_vendor": f"按加速卡厂商的算力（{_CAP}）",
    "capacity_by_accelerator_model": f"按加速卡型号的算力（{_CAP}）", "capacity_by_origin": f"国产与进口加速卡的算力（{_CAP}）",
    "capacity_by_industry": f"按行业的算力（{_CAP}）", "capacity_by_province_origin": f"各省国产与进口算力（{_CAP}）",
    "capacity_by_province_vendor": f"各省按服务器厂商的算力（{_CAP}）", "capacity_device_mix": f"各型号加速卡出货与新增算力（{_CAP}）",
    "capacity_effective": f"有效算力（按利用率折算的装机，{_CAP}）", "capacity_flow_national": f"全国每年新增与退役算力（{_CAP}）",
    "capacity_intervals": f"算力的蒙特卡洛区间（{_CAP}）", "capacity_scenarios": f"算力情景（{_CAP}）",
    "capacity_vs_published": "计算的全国算力与公布数值对比",
    "capacity_centres": "已宣布的公共智算中心，容量按公告，每行附来源链接、日期与原文",
    "capacity_definitions": "IDC、工信部/中国信通院与中国信通院对算力的定义与口径，公布数值并列",
    "capacity_definitions_bridge": "工信部 788 EFLOPS（2025 年年中，在用）与 IDC 1,037.3 EFLOPS（2025 年年末）为何不同",
    "capacity_hubs": "“东数西算”国家枢纽节点与数据中心集群，附找到的公布数值",
    "capacity_province_check": "合成存量低于已宣布真实容量的省份（标记 below_operating）",
    "capacity_province_stats": "各省公布的算力数值及来源",
    "catalog_accelerators": "加速卡目录及所用 FP16 等效算力（真实、有出处的规格）",
    "catalog_cpus": "服务器 CPU 目录，基频 FP64 峰值（真实、有出处的规格；峰值 = 核数 × 频率 × 每周期浮点运算数）",
    "national_compute_series": "全国智能与通用算力的两条口径并列：IDC 公布序列（公布值及推算年份）与 suanli 容量模型（合成出货）",
    "demand_anchors": "Token 调用量、生产数据与模型架构及其来源", "demand_central": "中心情景（所有参数取中心值）",
    "demand_checks": "原报告需求侧表述按各口径重新计算的结果与结论",
    "demand_inference_methods": "按 FLOPs/MFU 与按实测每卡每日 Token 两种方法估计的推理需求",
    "demand_inference_share": "推理占算力需求的比例，与原报告 73% 的表述并列",
    "demand_parameters": "不确定参数：中心值、范围、分布与来源",
    "demand_run_values": "目录中每个数值的来源、日期、原文、来源类型、可信度与状态",
    "demand_runs": "有出处的重要训练任务目录，含推算的算力、时长、MFU 与能耗",
    "demand_sensitivity": "对隐含利用率影响最大的参数（秩相关、十分位摆幅）",
    "demand_supply": "算力需求（大模型训练 + Token 推理）与装机 FP16 等效供给对比，中位数及 90% 蒙特卡洛区间",
    "demand_tokens": "各年每日 Token 量及模型组合的每 Token 浮点运算数",
    "demand_training": "全国各年训练算力：目录中的训练任务、趋势与全国估计",
    "edition_comparison": "上一版本与本版本对比：相同序列与年份的水平及同口径增速",
    "energy_national": "中国人工智能服务器各年的功率、IT 与设施能耗及二氧化碳排放，90% 蒙特卡洛区间",
    "energy_by_origin": "同上，按加速卡来源（国产/进口）", "energy_by_province": "同上，按省份（位置法二氧化碳，用各省电网排放因子）",
    "energy_by_vendor": "同上，按服务器厂商", "energy_catalog_accelerators": "所用加速卡 TDP（目录值或插补并标记）及外形类别",
    "energy_catalog_cpus": "所用 CPU TDP（目录值或插补并标记）", "energy_claim_checks": "原报告能耗表述经市场一致性检查的结果",
    "energy_general_national": "仅 CPU 服务器（通用算力），用于全部负载的比较", "energy_grid_factors": "各年各省所用电网排放因子",
    "energy_parameters": "每个不确定参数：范围、中心值与来源", "energy_pue_ladder": "中国 PUE 政策目标与模型平均 PUE 对比",
    "energy_reconciliation": "估计值与公布总量并列，口径明确；推出的隐含参数",
    "energy_sobol": "Sobol 指数：哪个参数决定全国结果的离散程度",
    "market_backtests": "滚动起点回测得分（MAPE、sMAPE、MASE），按序列与模型",
    "market_checks": "一致性检查结论（通过/近似一致/信息/警告/不一致），附数值、公式与相对误差",
    "market_forecasts": "模型预测及预测区间；分析师调整另有标注", "market_observations": "公布的市场数据及由其推算的数值（类型、方法、输入）",
    "market_reconciliation": "自上而下的合计与自下而上各细分之和对比，各细分按合计缩放",
    "market_series": "各年市场序列：公布、推算、插值、回推与模型预测值",
    "survey_checks": "原报告公布的数值与排序和估计值对比（通过/不通过）",
    "survey_estimates": "加权占比及基于设计的区间（按有效样本量的 Wilson 区间）、未加权 Wilson 区间、公布值及区间是否包含它",
    "survey_estimates_by_stratum": "各行业、规模与地区内的加权占比及区间", "survey_margins_fit": "已知边际与未加权、设计加权和最终加权样本占比对比",
    "survey_questions": "问卷：问题 × 选项（中英文）、题型、时间范围与图表统计量",
    "survey_ranked": "排序题：加权平均排名（线性化区间）、第一位与前 k 位占比", "survey_weighting": "各加权步骤的诊断（设计、迭代加权、截尾）：Kish 有效样本量、设计效应、收敛",
    "survey_weights": "受访者权重：设计权重、迭代加权、最终（截尾）",
    "input_demand_anchors": "输入：Token 调用量（国家数据局，经国新办发布会）、生产数据与模型架构，各有来源",
    "input_demand_runs": "输入：suanli 有出处的重要训练任务目录，每个数值一行，附来源、日期与原文",
    "input_grid_emission_factors": "输入：生态环境部/国家统计局电力二氧化碳排放因子，每行附来源",
    "input_market_facts": "输入：IDC 2025 报告原文中的每个定量表述（种子数据提取）",
    "input_market_facts_external": "输入：本版本与上一版本经媒体报道的数值（种子数据提取）",
    "input_report_reference_facts": "输入：模型开发者技术报告中的数值（见来源列）",
    "input_shipments": "输入：合成出货数据（suanli.capacity.synthetic，种子 2025），按 IDC 2025 公布的全国总量校准",
    "input_survey_margins": "输入（合成假设）：抽样框按行业、规模与地区的总体占比",
    "input_survey_published": "输入：IDC 2025 报告公布的调查占比与排序",
    "input_survey_questionnaire": "输入：依据 IDC 2025 报告图表标题与正文重建的问题与选项",
    "input_survey_respondents": "输入（合成数据）：suanli.survey.synthetic 生成的受访者（种子 2025，n 1600），按报告公布的占比校准",
}
#: tables of one assessment (index_<name>_<suffix>, also uncertainty variants such as city_method_only)
INDEX_TABLE_ZH = {
    "results": "每个单位和节点各年的得分、排名与排名变化（长表）", "audit": "各年指标统计与标记", "availability": "各单位各年的数据可得率",
    "weights": "每个节点的声明权重与有效权重", "rank_intervals": "在不确定的方法选择下每个单位的名义排名、中位排名、5%–95% 区间与进入前十概率",
    "rank_probabilities": "每个单位取得每个名次的概率", "uncertainty_inputs": "不确定性输入及其选项",
    "sobol": "每个不确定输入对每个单位排名和平均绝对排名变动的一阶与总效应 Sobol 指数，附自助法区间",
}


#: English descriptions that replace a stage's own where it writes a Chinese term into its English text
TABLE_EN = {
    "capacity_centres": "announced public intelligent-computing centres, capacity as announced, each with source URL, "
                        "date and quote",
    "capacity_hubs": "national hub nodes and data-centre clusters of the 'Eastern Data, Western Computing' programme, "
                     "with published figures where found",
}


def table_description_zh(name: str, assessments: dict[str, str] | None = None) -> str:
    """The Chinese description of a build table ('' when none is known: the page then shows the
    English one, labelled as English)."""
    if name in TABLE_ZH:
        return TABLE_ZH[name]
    if name.startswith("index_"):
        for suffix, text in INDEX_TABLE_ZH.items():
            if name.endswith("_" + suffix):
                run = name[len("index_"):-len(suffix) - 1]
                base = next((a for a in sorted(assessments or {}, key=len, reverse=True)
                             if run == a or run.startswith(a + "_")), None)
                title = (assessments or {}).get(base or "", run)
                variant = f"（对照方案 {run}）" if base and run != base else ""
                return f"{title}{variant}：{text}"
    return ""
