"""Metric registry: stable ids, zh/en names, aliases, units and segment trees of market series.

A fact row is mapped to a metric by its id (prefix rules below) or, for city compute figures,
by pattern. Aliases record every name the report uses for the same series (T03: the text says
人工智能算力市场, Figure 7 says 人工智能服务器市场).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Metric:
    id: str
    zh: str
    en: str
    unit: str  # base unit: USD, EFLOPS, TWh, ZB
    scaled_unit: str  # how the report prints it: 亿美元, EFLOPS, 太瓦时, ZB
    scale: float  # base units per printed unit (1e8 for 亿美元)
    aliases: tuple[str, ...] = ()
    segments: tuple[str, ...] = ("total",)  # segment tree: children of 'total'
    money: bool = False
    definition: str = ""


METRICS: dict[str, Metric] = {m.id: m for m in [
    Metric("ai_server_market", "人工智能服务器市场规模", "AI server market", "USD", "亿美元", 1e8,
           ("人工智能算力市场规模", "人工智能服务器市场", "中国人工智能算力市场", "AI compute (server) market"),
           ("total", "genai", "non_genai"), True,
           "Spending on AI (accelerated) servers; GenAI/non-GenAI split from the GenAI server share."),
    Metric("ai_compute_services", "智算服务市场规模", "AI compute services (智算服务) market", "USD", "亿美元", 1e8,
           ("中国智算服务市场整体规模", "智算服务市场"), ("total", "integration", "genai_iaas", "non_genai_iaas"),
           True, "智算集成服务 + GenAI IaaS + Non-GenAI IaaS."),
    Metric("liquid_cooled_server_market", "液冷服务器市场规模", "Liquid-cooled server market", "USD", "亿美元", 1e8,
           ("中国液冷服务器市场",), money=True),
    Metric("ai_storage_spend", "人工智能存储支出", "AI storage spending", "USD", "亿美元", 1e8,
           ("全球企业人工智能存储支出",), money=True),
    Metric("genai_spend", "生成式人工智能支出", "GenAI spending", "USD", "亿美元", 1e8,
           ("全球企业生成式人工智能支出",), money=True),
    Metric("ai_spend", "人工智能市场（支出）", "AI market (spending)", "USD", "亿美元", 1e8,
           ("人工智能市场整体",), money=True),
    Metric("aidc_it_energy", "人工智能数据中心IT能耗", "AI data-centre IT energy", "TWh", "太瓦时", 1.0,
           ("人工智能数据中心能耗",), definition="IT load: servers, storage, network."),
    Metric("data_volume", "全球数据量", "Data created", "ZB", "ZB", 1.0, ("全球产生的总数据量", "DataSphere")),
    Metric("intelligent_compute", "智能算力规模", "Intelligent (AI) compute", "EFLOPS", "EFLOPS", 1.0,
           ("中国智能算力规模", "智能算力"), definition="FP16-equivalent peak."),
    Metric("general_compute", "通用算力规模", "General-purpose compute", "EFLOPS", "EFLOPS", 1.0,
           ("中国通用算力规模", "通用算力"), definition="FP64 peak of CPUs."),
    Metric("ai_server_workload", "人工智能服务器工作负载", "AI server workload split", "%", "%", 1.0,
           ("推理工作负载占比",), ("total", "inference", "training")),
]}

#: fact-id prefix → (metric, segment); longest prefix wins.
PREFIXES: dict[str, tuple[str, str]] = {
    "cn_intelligent_compute": ("intelligent_compute", "total"),
    "prev_cn_intelligent_compute": ("intelligent_compute", "total"),
    "cn_general_compute": ("general_compute", "total"),
    "prev_cn_general_compute": ("general_compute", "total"),
    "global_ai_server_market": ("ai_server_market", "total"),
    "cn_ai_server_market": ("ai_server_market", "total"),
    "global_genai_server_share": ("ai_server_market", "genai"),
    "cn_ai_compute_service": ("ai_compute_services", "total"),
    "cn_ai_integration_service": ("ai_compute_services", "integration"),
    "cn_genai_iaas": ("ai_compute_services", "genai_iaas"),
    "cn_liquid_cooled_server": ("liquid_cooled_server_market", "total"),
    "global_ai_storage_spend": ("ai_storage_spend", "total"),
    "global_aidc_it_energy": ("aidc_it_energy", "total"),
    "global_genai_spend": ("genai_spend", "total"),
    "global_ai_market_cagr": ("ai_spend", "total"),
    "global_data_volume": ("data_volume", "total"),
    "cn_ai_server_inference_workload_share": ("ai_server_workload", "inference"),
}

_CITY_COMPUTE = re.compile(r"intelligent_compute")
NATIONAL_REGIONS = {"china", "global", "usa", "japan", "eu", "uk", "singapore"}


def classify(fact_id: str, region: str = "") -> tuple[str, str] | None:
    """(metric, segment) of a fact id, or None when it is not a market series."""
    fid = fact_id.split("__", 1)[0]
    best = None
    for prefix, target in PREFIXES.items():
        if fid.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, target)
    if best:
        return best[1]
    if region and region not in NATIONAL_REGIONS and _CITY_COMPUTE.search(fid):
        return ("intelligent_compute", "total")
    return None


def lookup(name: str) -> Metric | None:
    """Find a metric by id, zh/en name or alias."""
    key = name.strip().lower()
    for m in METRICS.values():
        if key in {m.id, m.zh.lower(), m.en.lower(), *(a.lower() for a in m.aliases)}:
            return m
    return None


def is_previous_edition_claim(fact_id: str, metric_en: str = "", metric_zh: str = "") -> bool:
    """A rate of the previous edition quoted in the current report (上一版本…预期值)."""
    return "prev_edition" in fact_id or "previous edition" in metric_en.lower() or "上一版本" in metric_zh


@dataclass
class SeriesKey:
    metric: str
    region: str
    segment: str = "total"
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.metric}:{self.region}:{self.segment}"
