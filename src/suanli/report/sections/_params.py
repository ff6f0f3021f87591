"""The methodology's parameter tables: what a reader needs to judge each stage, labelled in Chinese
and English with units, instead of every key the stage recorded.

Four kinds of table per stage (pure functions of the stage's recorded parameters):

* **assumptions**: every uncertain parameter, wherever it sits in the parameters, recorded as
  ``{value, low, high[, dist], source}`` (a central value and the range it is drawn from) or as a
  yearly path ``{by_year, scale_low, scale_high, source}``: one row each with its central value,
  range, distribution and basis. Found by shape, so a new one shows without code (under its key
  path until :data:`LABELS` names it);
* **settings**: the scalar choices named in :data:`SETTINGS` (precision, service lives, sample
  sizes, tolerances...), with values translated where they are words (``dense`` → 稠密);
* **scenarios**: the capacity forecast's scenarios, one row each;
* **steps**: the index build's steps (treatment, normalisation, aggregation) with their thresholds.

Everything else that was recorded (published anchors and text-check lists, which their chapters
show; input names; options left unset) is left to the workbook's provenance sheet and
``lineage.json``, where every parameter is kept as recorded; the appendix's first paragraph says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...notes_zh import one_language
from ...web.names import FORECAST_MODELS
from .. import fmt


@dataclass(frozen=True)
class Label:
    zh: str
    en: str
    pct: bool = False  # a share or rate: shown as a percentage

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


L = Label

#: Uncertain parameters by key path (list items as ``[]``; the item's name is added to the label).
LABELS: dict[str, Label] = {
    # energy
    "load.training": L("训练负载功率（占额定功率）", "Training load (share of rated power)", True),
    "load.inference": L("推理负载功率（占额定功率）", "Inference load (share of rated power)", True),
    "load.general": L("通用服务器典型功率（占最大功率）", "General-purpose servers' typical power (share of maximum)", True),
    "load.idle": L("空闲（通电未分配）功率（占额定功率）", "Idle, powered but unallocated (share of rated power)", True),
    "pue.air_hyperscale": L("风冷大型数据中心PUE", "PUE, air-cooled hyperscale"),
    "pue.enterprise": L("企业机房与托管PUE", "PUE, enterprise rooms and colocation"),
    "pue.liquid": L("液冷PUE", "PUE, liquid-cooled"),
    "pue.hub_offset": L("枢纽节点PUE差值", "PUE offset of hub-node provinces"),
    "pue.overhead_decline": L("（PUE−1）年降幅", "Yearly decline of (PUE − 1)", True),
    "pue.ai_enterprise_share": L("AI服务器位于企业机房的比例", "Share of AI servers in enterprise rooms", True),
    "pue.ai_liquid_share": L("AI服务器液冷比例", "Share of AI servers liquid-cooled", True),
    "pue.general_enterprise_share": L("通用服务器位于企业机房的比例", "Share of general-purpose servers in enterprise rooms", True),
    "pue.general_liquid_share": L("通用服务器液冷比例", "Share of general-purpose servers liquid-cooled", True),
    "grid.green_share": L("数据中心绿电比例", "Green-power share of data centres", True),
    "storage_network": L("存储与网络用电（占服务器用电）", "Storage and network electricity (share of servers')", True),
    "system_overhead.board": L("整机功率÷加速卡TDP（模组形态，倍）", "System power ÷ accelerator TDP, board parts (×)"),
    "system_overhead.pcie": L("整机功率÷加速卡TDP（PCIe形态，倍）", "System power ÷ accelerator TDP, PCIe parts (×)"),
    "system_overhead.cpu_only": L("通用服务器整机功率÷CPU TDP（倍）", "General-purpose server power ÷ CPU TDP (×)"),
    "tdp.imputed_scale": L("推算TDP的缩放（倍）", "Scale of imputed TDPs (×)"),
    "workload.idle_share": L("空闲算力占比", "Idle share of installed compute", True),
    "workload.inference_share": L("推理占工作负载比例", "Inference share of workloads", True),
    # demand
    "training.availability": L("训练有效时间占比", "Training availability (effective time)", True),
    "training.backcast_growth": L("首个锚点之前训练算力的年增长（倍）", "Training compute growth before the first anchor (× a year)"),
    "training.coverage": L("目录外训练算力倍数（覆盖修正）", "Coverage multiplier: training outside the run catalogue (×)"),
    "training.experiments_multiplier": L("实验与未发布运行倍数", "Experiments and unpublished runs multiplier (×)"),
    "training.mfu": L("训练模型算力利用率（MFU）", "Training model-FLOPs utilisation (MFU)", True),
    "inference.availability": L("推理集群可用率", "Inference availability", True),
    "inference.backcast_growth": L("首个锚点之前推理量的年增长（倍）", "Inference volume growth before the first anchor (× a year)"),
    "inference.cached_share": L("命中KV缓存的输入占比", "Share of input tokens served from the KV cache", True),
    "inference.empirical_scale": L("其他运营方吞吐相对DeepSeek的倍数", "Other operators' throughput relative to DeepSeek (×)"),
    "inference.mfu_decode": L("解码阶段算力利用率", "Decode utilisation", True),
    "inference.mfu_prefill": L("预填充阶段算力利用率", "Prefill utilisation", True),
    "inference.output_share": L("输出token占比", "Output share of tokens", True),
    "inference.peak_to_average": L("峰均比（倍）", "Peak-to-average ratio (×)"),
    "inference.token_scale": L("token口径修正（倍）", "Token-count scale (×)"),
    "inference.mix[].share": L("推理模型构成占比", "Inference model mix share", True),
}

#: Scalar settings per stage: (key path, label, kind). Kinds: "pct" (0.9 → 90%), "pp" (0.01 → 1, percentage
#: points), "year" / "year_range" (2030, no separator), "range" / "range_pct"
#: (a two-number list as low–high), "num", "text" (translated through WORDS), "list".
SETTINGS: dict[str, list[tuple[str, Label, str]]] = {
    "capacity": [
        ("years", L("输出年份", "Years of the output series"), "year_range"),
        ("precision", L("智能算力口径", "Basis of intelligent compute"), "text"),
        ("fp16_equivalent", L("计为FP16的精度（依次取第一个有值者）", "Precisions counted as FP16 (first available)"), "upper"),
        ("sparsity", L("峰值口径", "Peak basis"), "text"),
        ("fp64_basis", L("加速卡FP64口径", "Accelerators' FP64 basis"), "text"),
        ("general_includes_accelerator_fp64", L("通用算力含加速卡FP64", "General compute includes accelerators' FP64"), "text"),
        ("stock_at", L("保有量时点", "Installed base measured at"), "text"),
        ("timing", L("出货计入时点", "Shipments placed at"), "text"),
        ("survival_intelligent.life_years", L("加速服务器服役年限（年）", "Service life, accelerated servers (years)"), "num"),
        ("survival_general.life_years", L("通用服务器服役年限（年）", "Service life, general-purpose servers (years)"), "num"),
        ("utilisation.availability", L("可用率（有效算力）", "Availability (effective compute)"), "pct"),
        ("utilisation.utilisation", L("模型算力利用率（有效算力）", "Model-FLOPs utilisation (effective compute)"), "pct"),
        ("uncertainty.draws", L("蒙特卡洛抽样次数", "Monte Carlo draws"), "num"),
        ("uncertainty.level", L("区间水平", "Interval level"), "pct"),
        ("uncertainty.shipment_sigma", L("出货量误差（标准差）", "Shipment error (standard deviation)"), "pct"),
        ("uncertainty.spec_sigma_stated", L("公布峰值误差", "Error of stated peaks"), "pct"),
        ("uncertainty.spec_sigma_derived", L("推算峰值误差", "Error of derived peaks"), "pct"),
        ("uncertainty.life_mean_intelligent", L("加速服务器平均寿命区间（年）", "Mean life range, accelerated servers (years)"), "range"),
        ("uncertainty.life_mean_general", L("通用服务器平均寿命区间（年）", "Mean life range, general-purpose servers (years)"), "range"),
        ("uncertainty.weibull_shape", L("韦布尔形状参数区间", "Weibull shape range"), "range"),
        ("uncertainty.availability", L("可用率区间", "Availability range"), "range_pct"),
        ("uncertainty.utilisation", L("利用率区间", "Utilisation range"), "range_pct"),
        ("uncertainty.seed", L("随机种子", "Random seed"), "text"),
        ("forecast.to_year", L("情景预测至", "Scenarios run to"), "year"),
    ],
    "markets": [
        ("years", L("序列年份", "Years of the series"), "year_range"),
        ("forecast.models", L("候选预测模型", "Candidate forecast models"), "list"),
        ("forecast.select_by", L("模型选择依据（回测）", "Model selected by (backtest)"), "text"),
        ("forecast.backtest_horizon", L("回测步长（年）", "Backtest horizon (years)"), "num"),
        ("forecast.min_train", L("最少训练年数", "Fewest training years"), "num"),
        ("forecast.level", L("预测区间水平（%）", "Forecast interval level (%)"), "num"),
        ("forecast.horizon_to", L("预测至", "Forecast to"), "year"),
        ("forecast.share_models", L("份额模型", "Share models"), "list"),
        ("tolerances.cross_route", L("两条计算路径一致的容差", "Two routes agree within"), "pct"),
        ("tolerances.cross_route_warn", L("两条路径差异的警告上限", "Two routes: warning up to"), "pct"),
        ("tolerances.approx_qualifier", L("“约”的容差", "Band of “about”"), "pct"),
        ("tolerances.near_qualifier", L("“近/接近”的容差", "Band of “nearly”"), "pct"),
        ("tolerances.window_rate_pp", L("子窗口增速容差（百分点）", "Sub-window CAGR tolerance (percentage points)"), "pp"),
        ("verbal.approx_band", L("文字数量的近似带", "Verbal quantities: approximate within"), "pct"),
        ("verbal.warn_band", L("文字数量的警告带", "Verbal quantities: warning within"), "pct"),
        ("verbal.growth_reading", L("“增长X倍”的读法", "Reading of “grew X times”"), "text"),
    ],
    "energy": [
        ("draws", L("蒙特卡洛抽样次数", "Monte Carlo draws"), "num"),
        ("interval", L("区间水平", "Interval level"), "pct"),
        ("host_cpu_w_per_accelerator.board", L("每张模组加速卡的主机CPU功率（W）", "Host CPU power per board accelerator (W)"), "num"),
        ("host_cpu_w_per_accelerator.pcie", L("每张PCIe加速卡的主机CPU功率（W）", "Host CPU power per PCIe accelerator (W)"), "num"),
        ("pue.reference_year", L("PUE参考年份", "PUE reference year"), "year"),
        ("pue.hub_provinces", L("枢纽节点省份", "Hub-node provinces"), "provinces"),
        ("tdp.min_donors", L("推算TDP的最少同代参照数", "Fewest same-generation donors for an imputed TDP"), "num"),
        ("tdp.window_years", L("同代窗口（年）", "Generation window (years)"), "num"),
        ("sobol_base", L("Sobol基样本数", "Sobol base sample"), "num"),
        ("seed", L("随机种子", "Random seed"), "text"),
    ],
    "demand": [
        ("draws", L("蒙特卡洛抽样次数", "Monte Carlo draws"), "num"),
        ("supply_basis", L("供给口径", "Supply basis"), "text"),
        ("inference.method", L("推理需求算法", "Inference demand method"), "text"),
        ("training.series", L("训练序列", "Training series"), "text"),
        ("seed", L("随机种子", "Random seed"), "text"),
    ],
    "survey": [
        ("confidence", L("置信水平", "Confidence level"), "pct"),
        ("weighted_method", L("加权区间方法", "Weighted interval method"), "text"),
        ("weighting.rake_on", L("迭代加权（raking）维度", "Raked on"), "list"),
        ("weighting.trim.min_ratio", L("权重下限（平均权重的倍数）", "Smallest weight (× mean weight)"), "num"),
        ("weighting.trim.max_ratio", L("权重上限（平均权重的倍数）", "Largest weight (× mean weight)"), "num"),
        ("weighting.max_iter", L("最多迭代次数", "Most raking sweeps"), "num"),
        ("variance_strata", L("方差分层", "Variance strata"), "list"),
        ("by", L("分组估计维度", "Estimates by"), "list"),
        ("top_k", L("排序题的前k项", "k of ranked questions' top k"), "num"),
    ],
    "uncertainty": [
        ("uncertainty.samples", L("蒙特卡洛样本数", "Monte Carlo samples"), "num"),
        ("uncertainty.sobol_n", L("Sobol基样本数", "Sobol base sample"), "num"),
        ("uncertainty.bootstrap", L("Sobol指数自助法次数", "Bootstrap rounds of the Sobol indices"), "num"),
        ("uncertainty.conf_level", L("Sobol指数置信水平", "Confidence level of the Sobol indices"), "pct"),
        ("uncertainty.top_k", L("进入前k名的概率：k", "Probability of the top k: k"), "num"),
        ("uncertainty.seed", L("随机种子", "Random seed"), "text"),
        ("year", L("评估年份", "Assessment year"), "year"),
    ],
}

#: Words recorded as values, in Chinese (English shown as recorded otherwise).
WORDS: dict[str, tuple[str, str]] = {
    "fp16": ("FP16等效", "FP16-equivalent"), "fp8": ("FP8等效", "FP8-equivalent"), "int8": ("INT8等效", "INT8-equivalent"),
    "dense": ("稠密（不计稀疏加速）", "dense (no sparsity factor)"), "sparse": ("稀疏", "sparse"),
    "vector": ("向量（非张量核）", "vector (non-tensor)"), "matrix": ("矩阵（张量核）", "matrix (tensor cores)"),
    "year_end": ("年末", "year end"), "mid_year": ("年中", "mid-year"),
    "midpoint": ("半年中点", "half-year midpoints"), "start": ("期初", "start of period"), "end": ("期末", "end of period"),
    "mase": ("平均绝对比例误差（MASE）", "MASE"), "both": ("两种读法都检查", "both readings checked"),
    "to": ("增长到X倍", "grew to X times"), "by": ("增长了X倍", "grew by X times"),
    "linearised": ("线性化方差（Taylor）", "linearised (Taylor) variance"), "kish": ("Kish设计效应", "Kish design effect"),
    "year_average": ("年平均保有量", "year-average installed base"), "year_end_stock": ("年末保有量", "year-end stock"),
    "flops": ("按FLOPs计算", "FLOPs"), "trend": ("趋势", "trend"),
    "open": ("不受限", "open"), "restricted": ("受限（仅中国特供型号）", "restricted (China-market parts)"),
    "true": ("是", "yes"), "false": ("否", "no"),
    "industry": ("行业", "industry"), "size": ("规模", "size"), "region": ("地区", "region"),
    # forecast and share models (markets.forecast), named as the dashboard names them
    **FORECAST_MODELS, "bass": ("Bass 扩散模型", "Bass diffusion"),
}

DIST: dict[str, tuple[str, str]] = {
    "triangular": ("三角分布", "triangular"), "uniform": ("均匀分布", "uniform"),
    "loguniform": ("对数均匀分布", "log-uniform"), "normal": ("正态分布", "normal"),
}

#: The distribution of a stage's uncertain parameters where they do not record one (energy: every
#: parameter triangular(low, value, high); a yearly path times a triangular(scale_low, 1, scale_high)).
DEFAULT_DIST = {"energy": "triangular"}


def _word(v: Any, lang: str) -> str:
    key = str(v).lower() if isinstance(v, bool) else str(v)
    w = WORDS.get(key)
    return (w[0] if lang == "zh" else w[1]) if w else str(v)


def _num(v: Any, pct: bool = False) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool) or not isinstance(v, int | float):
        return str(v)
    if pct:
        return fmt.number(v * 100, 1).rstrip("0").rstrip(".") + "%"
    if isinstance(v, int) or float(v).is_integer():
        return f"{int(v):,}"  # 4,000 draws as the text prints them (years are kind "year")
    return fmt.number(v, 4).rstrip("0").rstrip(".")


def _range(lo: Any, hi: Any, pct: bool, lang: str) -> str:
    """``lo–hi``; with a negative end ``lo 至 hi`` / ``lo to hi`` (a dash would read as a minus)."""
    a, b = _num(lo, pct), _num(hi, pct)
    if any(isinstance(x, int | float) and x < 0 for x in (lo, hi)):
        return f"{a}至{b}" if lang == "zh" else f"{a} to {b}"
    return f"{a}–{b}"


def _get(p: Any, path: str) -> Any:
    for k in path.split("."):
        if not isinstance(p, dict) or k not in p:
            return None
        p = p[k]
    return p


def _year(v: Any) -> str:
    return str(int(v)) if isinstance(v, int | float) and float(v).is_integer() else str(v)


def _setting(v: Any, kind: str, lang: str) -> str | None:
    if v is None or v == []:
        return None
    if kind in ("range", "range_pct") and isinstance(v, list | tuple) and len(v) == 2:
        return f"{_num(v[0], kind == 'range_pct')}–{_num(v[1], kind == 'range_pct')}"
    if kind == "upper" and isinstance(v, list | tuple):
        return ("、" if lang == "zh" else ", ").join(str(x).upper() for x in v)
    if kind == "provinces" and isinstance(v, list | tuple):  # English names in the English report
        from ...regions import PROVINCES, canonical_province

        names = [PROVINCES.get(canonical_province(x), (str(x), str(x)))[1] if lang == "en" else str(x) for x in v]
        return ("、" if lang == "zh" else ", ").join(names)
    if kind == "list" and isinstance(v, list | tuple):
        return ("、" if lang == "zh" else ", ").join(_word(x, lang) for x in v)
    if kind == "pct":
        return _num(v, True)
    if kind == "year":
        return _year(v)
    if kind == "year_range" and isinstance(v, list | tuple) and len(v) == 2:
        return f"{_year(v[0])}–{_year(v[1])}"
    if kind == "pp":  # a difference of two rates (0.01 → 1), its label naming the unit: not "1%" of a rate
        return _num(float(v) * 100)
    if kind == "text":
        return _word(v, lang)
    return _num(v)


def _uncertain(d: dict) -> bool:
    return {"value", "low", "high"} <= set(d) or ("by_year" in d and isinstance(d["by_year"], dict))


def walk_uncertain(p: Any, path: str = "", item: str = "") -> list[tuple[str, str, dict]]:
    """(key path with list items as ``[]``, the item's name or "", the parameter) of every uncertain
    parameter in ``p``, in the recorded order."""
    out: list[tuple[str, str, dict]] = []
    if isinstance(p, dict):
        if path and _uncertain(p):
            return [(path, item, p)]
        for k, v in p.items():
            out += walk_uncertain(v, f"{path}.{k}" if path else str(k), item)
    elif isinstance(p, list):
        for x in p:
            name = str(x.get("name") or x.get("label") or x.get("id") or "") if isinstance(x, dict) else ""
            out += walk_uncertain(x, f"{path}[]", name or item)
    return out


def assumption_rows(stage: str, p: Any, lang: str) -> list[list[str]]:
    """Rows (parameter, central value, range, distribution, basis) of every uncertain parameter."""
    rows = []
    default = DEFAULT_DIST.get(stage)
    for path, item, d in walk_uncertain(p):
        lab = LABELS.get(path)
        name = lab.text(lang) if lab else path
        if item and "[]" in path:
            name += ("：" if lang == "zh" else ": ") + item
        pct = bool(lab and lab.pct)
        if "by_year" in d:
            sep = "，" if lang == "zh" else "; "
            central = sep.join((f"{y}年 " if lang == "zh" else f"{y}: ") + _num(v, pct)
                               for y, v in sorted(d["by_year"].items(), key=lambda kv: str(kv[0])))
            rng = f"×{_num(d.get('scale_low'))}–{_num(d.get('scale_high'))}"
        else:
            central = _num(d.get("value"), pct)
            rng = _range(d.get("low"), d.get("high"), pct, lang)
        dist = d.get("dist") or default
        dist_txt = (DIST[dist][0 if lang == "zh" else 1] if dist in DIST else str(dist)) if dist else "—"
        # the Chinese report prints the Chinese source where the parameter has one
        src = (d.get("source_zh") if lang == "zh" else None) or d.get("source")
        rows.append([name, central, rng, dist_txt, str(src or "—")])
    return rows


def setting_rows(stage: str, p: Any, lang: str) -> list[list[str]]:
    """Rows (setting, value) of the stage's named settings present in ``p``."""
    rows = []
    for path, lab, kind in SETTINGS.get(stage, []):
        txt = _setting(_get(p, path), kind, lang)
        if txt is not None:
            rows.append([lab.text(lang), txt])
    return rows


SCENARIO_COLUMNS = [("情景", "Scenario"), ("新增智能算力年增速", "Intelligent compute added, growth a year"),
                    ("通用算力年增速", "General compute, growth a year"), ("国产占比目标", "Domestic share target"),
                    ("进口加速卡", "Imported accelerators"), ("服役年限（加速/通用）", "Lives (accelerated / general)")]


def _life(surv: Any, lang: str) -> str:
    """A survival setting in words: its life in years, a Weibull curve, or no retirement."""
    if not isinstance(surv, dict):
        return "—"
    if surv.get("life_years") is not None:
        return _num(surv["life_years"]) + ("年" if lang == "zh" else " years")
    if surv.get("kind") == "weibull":
        return f"Weibull({_num(surv.get('scale'))}, {_num(surv.get('shape'))})"
    if surv.get("kind") == "none":
        return "不退役" if lang == "zh" else "never retired"
    return str(surv.get("kind") or "—")


def scenario_rows(p: Any, lang: str) -> list[list[str]]:
    """One row per capacity forecast scenario (a scenario without its own survival curve uses the
    stage's)."""
    rows = []
    for s in _get(p, "forecast.scenarios") or []:
        if not isinstance(s, dict):
            continue
        share = s.get("domestic_share") or {}
        target = ("，" if lang == "zh" else "; ").join(
            (f"{y}年 " if lang == "zh" else f"{y}: ") + _num(v, True) for y, v in sorted(share.items(), key=lambda kv: str(kv[0])))
        lives = " / ".join(_life(s.get(f"survival_{k}") or _get(p, f"survival_{k}"), lang) for k in ("intelligent", "general"))
        rows.append([one_language(s.get("label") or s.get("name") or "", lang),
                     _num(s.get("intelligent_growth"), True), _num(s.get("general_growth"), True), target or "—",
                     _word(s.get("imported", "—"), lang), lives])
    return rows


STEP_WORDS: dict[str, tuple[str, str]] = {
    "treat": ("异常值处理", "outlier treatment"), "normalise": ("归一化", "normalisation"),
    "aggregate": ("加总", "aggregation"), "impute": ("缺失值插补", "imputation"), "weight": ("赋权", "weighting"),
    "coinr": ("按偏度与峰度缩尾（COINr规则）", "winsorising by skew and kurtosis (COINr's rule)"),
    "minmax": ("最小-最大", "min-max"), "zscore": ("Z分数", "z-score"), "rank": ("排名", "rank"),
    "amean": ("算术平均", "arithmetic mean"), "gmean": ("几何平均", "geometric mean"),
    "hmean": ("调和平均", "harmonic mean"), "median": ("中位数", "median"), "none": ("无", "none"),
}
STEP_PARAMS: dict[str, tuple[str, str]] = {
    "kurt_thresh": ("峰度阈值", "kurtosis threshold"), "skew_thresh": ("偏度阈值", "skew threshold"),
    "winmax": ("最多缩尾个数", "most points winsorised"), "l_u": ("区间", "range"),
    "m_sd": ("均值与标准差", "mean and SD"), "dat_thresh": ("数据可用率下限", "least data availability"),
    "per_indicator": ("逐指标设置", "per-indicator settings"), "by_level": ("逐层设置", "per-level settings"),
    "weights": ("权重覆盖", "weight overrides"),
}
STEP_COLUMNS = [("步骤", "Step"), ("方法", "Method"), ("参数", "Parameters")]


def step_rows(p: Any, lang: str) -> list[list[str]]:
    """The index build's steps (treatment, normalisation, aggregation...) with their parameters."""
    rows = []
    for st in _get(p, "method") or []:
        if not isinstance(st, dict):
            continue
        pars = dict(st.get("params") or {})
        pars.update({k: v for k, v in st.items() if k not in ("step", "method", "params")})
        # unset options (null, {} or []) say nothing; per-indicator or per-level overrides are counted
        pars = {k: (f"{len(v)}" + ("项" if lang == "zh" else " set")) if isinstance(v, dict) else v
                for k, v in pars.items() if v not in (None, {}, [])}
        sep = "，" if lang == "zh" else ", "
        eq = "：" if lang == "zh" else " "
        txt = sep.join(
            (STEP_PARAMS[k][0 if lang == "zh" else 1] if k in STEP_PARAMS else k) + eq
            + ("–".join(_num(x) for x in v) if isinstance(v, list | tuple) else _num(v, k == "dat_thresh"))
            for k, v in pars.items())
        rows.append([_step_word(st.get("step"), lang), _step_word(st.get("method"), lang), txt or "—"])
    return rows


def _step_word(v: Any, lang: str) -> str:
    w = STEP_WORDS.get(str(v))
    return (w[0] if lang == "zh" else w[1]) if w else str(v)
