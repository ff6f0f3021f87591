"""Names in Chinese and English for everything the dashboard shows: places, industries, vendors,
region groups, market series, units of measure, value classes, checker verdicts, survey strata,
method names and the method steps of an assessment (as sentences, never raw JSON).

Places come from the one region catalogue (:mod:`suanli.regions`, through :mod:`suanli.tilegrid`),
market metrics from the market registry (:mod:`suanli.markets.registry`), value classes from
:mod:`suanli.store.value_class`, industries and server vendors from the report's labels, and column
headers from the report's column dictionary, so a name reads the same in the report and here.
"""

from __future__ import annotations

from typing import Any

#: city-assessment region groups (华北 …) and survey regions
REGION_GROUPS = {"华北": "North China", "华东": "East China", "华南": "South China", "华中": "Central China",
                 "西南": "Southwest China", "西北": "Northwest China", "东北": "Northeast China"}
#: origin of an accelerator (capacity tables)
ORIGINS = {"domestic": ("国产", "domestic"), "imported": ("进口", "imported"),
           "(none)": ("无加速卡（仅 CPU）", "none (CPU only)")}
ACCEL_VENDOR_ZH = {"Cambricon": "寒武纪", "Huawei": "华为", "Hygon": "海光", "Iluvatar CoreX": "天数智芯",
                   "Kunlunxin (Baidu)": "昆仑芯（百度）", "MetaX": "沐曦", "Moore Threads": "摩尔线程",
                   "NVIDIA": "英伟达", "AMD": "AMD", "Intel": "英特尔", "Enflame": "燧原", "Biren": "壁仞",
                   "(none)": "无加速卡"}
MARKET_REGIONS = {"china": ("中国", "China"), "global": ("全球", "Global"), "usa": ("美国", "USA"),
                  "japan": ("日本", "Japan"), "eu": ("欧盟", "EU"), "uk": ("英国", "UK"),
                  "singapore": ("新加坡", "Singapore")}
SEGMENTS = {"total": ("合计", "total"), "genai": ("生成式人工智能", "GenAI"), "non_genai": ("非生成式人工智能", "non-GenAI"),
            "genai_iaas": ("生成式人工智能 IaaS", "GenAI IaaS"), "non_genai_iaas": ("非生成式人工智能 IaaS", "non-GenAI IaaS"),
            "integration": ("智算集成服务", "integration services"), "inference": ("推理", "inference"),
            "training": ("训练", "training")}
#: units of measure as the tables print them → (zh, en)
UNITS = {"亿元": ("亿元", "100 million yuan"), "亿美元": ("亿美元", "100 million USD"), "太瓦时": ("太瓦时", "TWh"),
         "USD": ("美元", "USD"), "EFLOPS": ("EFLOPS", "EFLOPS"), "PFLOPS": ("PFLOPS", "PFLOPS"), "TWh": ("太瓦时", "TWh"),
         "ZB": ("ZB", "ZB"), "%": ("%", "%"), "0-100": ("0–100 分", "score 0–100"), "个": ("个", "count"),
         "件": ("件", "items"), "家": ("家", "organisations"), "所": ("所", "institutions"), "款": ("款", "products"),
         "项": ("项", "projects"), "fraction": ("比例", "fraction"), "": ("", "")}
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
}
FORECAST_MODELS = {"drift": ("漂移模型", "drift"), "loglinear": ("对数线性趋势", "log-linear trend"),
                   "arima": ("ARIMA", "ARIMA"), "ets": ("指数平滑", "exponential smoothing"),
                   "logistic": ("逻辑斯蒂曲线", "logistic curve"), "theta": ("Theta 模型", "Theta")}
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
    from ..regions import PROVINCES
    from ..report.data import INDUSTRY_EN, VENDOR_EN
    from ..report.i18n import COLUMNS
    from ..store.value_class import LABELS, MEANING
    from ..tilegrid import CITY_PROVINCE, city_en

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
        "metric": {m.id: both(m.zh, m.en) for m in METRICS.values()},
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
        "column": {k: both(v[0], v[1]) for k, v in COLUMNS.items()},
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
                "en": "without normalisation indicators in different units would be added (PFLOPS to 亿元), "
                      "which means nothing; not offered."}
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
