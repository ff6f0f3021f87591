"""The ``energy:`` section of ``edition.yaml``: every parameter with its central value, its range
(sampled in the Monte Carlo) and its source.

A :class:`Param` is a triangular distribution (low, value, high). A :class:`YearlyParam` has a
central value per year (linear between the listed years, flat outside) times a multiplier drawn
from (scale_low, 1, scale_high); shares are clipped to [0, 1].
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Param(_M):
    """One uncertain scalar: triangular(low, value, high)."""

    value: float = Field(description="Central (most likely) value.")
    low: float = Field(description="Lower end of the range sampled in the Monte Carlo.")
    high: float = Field(description="Upper end of the range.")
    source: str = Field("", description="Where the value and range come from (or 'assumption: why').")
    source_zh: str = Field("", description="The source in Chinese, for the Chinese report (empty: the English one).")

    @model_validator(mode="after")
    def _ordered(self) -> Param:
        if not (self.low <= self.value <= self.high):
            raise ValueError(f"needs low <= value <= high, got {self.low}, {self.value}, {self.high}")
        return self

    @property
    def fixed(self) -> bool:
        return self.low == self.high


class YearlyParam(_M):
    """A central path by year times one uncertain multiplier."""

    by_year: dict[int, float] = Field(description="Central values by year (linear in between, flat outside).")
    scale_low: float = Field(1.0, gt=0, description="Lower multiplier of the path.")
    scale_high: float = Field(1.0, gt=0, description="Upper multiplier of the path.")
    source: str = ""
    source_zh: str = Field("", description="The source in Chinese, for the Chinese report (empty: the English one).")

    @model_validator(mode="after")
    def _check(self) -> YearlyParam:
        if not self.by_year:
            raise ValueError("by_year needs at least one year")
        if not self.scale_low <= 1.0 <= self.scale_high:
            raise ValueError("needs scale_low <= 1 <= scale_high")
        return self

    def path(self, years):  # noqa: ANN001, ANN201 - numpy arrays in and out
        """Central values for ``years`` (numpy array)."""
        import numpy as np

        ys = sorted(self.by_year)
        return np.interp(np.asarray(years, float), ys, [self.by_year[y] for y in ys])


class SystemOverhead(_M):
    """Rated server power = factor × (accelerator TDPs + host CPU TDPs), by form factor."""

    board: Param = Field(default_factory=lambda: Param(
        value=1.619, low=1.45, high=1.75,
        source="NVIDIA DGX H100: 10.2 kW max system power for 8 × 700 W H100 SXM + 2 × 350 W Xeon 8480C "
               "(10.2 / 6.3 = 1.619; Epoch AI's 1.82 is the same ratio over GPU TDP alone); range assumption", source_zh="NVIDIA DGX H100：8 × 700 W H100 SXM加2 × 350 W Xeon 8480C，整机最大功率10.2 kW（10.2 / 6.3 = 1.619；Epoch AI的1.82是同一比值，但只以GPU TDP为分母）；区间为假设"))
    pcie: Param = Field(default_factory=lambda: Param(
        value=1.35, low=1.2, high=1.5,
        source="assumption: PCIe boxes carry no NVSwitch/baseboard; energy-anchors §10 '1.3-1.6' over GPU TDP", source_zh="假设：PCIe机型没有NVSwitch和基板；docs/research/energy-anchors.md第10节给出相对GPU TDP为1.3–1.6"))
    cpu_only: Param = Field(default_factory=lambda: Param(
        value=1.7, low=1.4, high=2.0,
        source="assumption: 2-socket server maximum power ≈ 1.5-2 × CPU TDP (memory, disks, fans, PSU loss); "
               "LBNL 2024 uses maximum/typical operational wattage by server class", source_zh="假设：双路服务器最大功率约为CPU TDP的1.5–2倍（内存、硬盘、风扇、电源损耗）；LBNL 2024按服务器类别采用最大和典型运行功率"))


class FormFactorRules(_M):
    """Which catalog form-factor texts mean an 8-way board system vs a PCIe box."""

    board_keywords: list[str] = Field(
        default_factory=lambda: ["SXM", "OAM", "Mezzanine", "module", "Superchip", "HGX", "board", "APU"],
        description="Catalog form_factor words (case-insensitive) that mean a board/module system.")
    pcie_keywords: list[str] = Field(default_factory=lambda: ["PCIe"])
    overrides: dict[str, Literal["board", "pcie"]] = Field(
        default_factory=dict, description="Form-factor class by catalog model name (wins over the keywords).")
    default: Literal["board", "pcie"] = Field(
        "pcie", description="Class of a model whose form factor is unknown (flagged in energy_catalog).")


class TdpOverride(_M):
    tdp_w: float = Field(gt=0)
    source: str = Field(min_length=1)


class TdpConfig(_M):
    """Missing TDPs are imputed, never zero."""

    window_years: int = Field(1, ge=0, description="Same generation = release year within ± this many years.")
    min_donors: int = Field(3, ge=1, description="Widen the window until this many donors have a TDP.")
    imputed_scale: Param = Field(default_factory=lambda: Param(
        value=1.0, low=0.8, high=1.25,
        source="assumption: spread of W per TFLOPS within a generation (catalog: 0.44-2.7 W/TFLOPS)", source_zh="假设：同一代产品每TFLOPS功耗的离散程度（硬件目录：0.44–2.7 W/TFLOPS）"))
    overrides: dict[str, TdpOverride] = Field(default_factory=dict, description="Sourced TDPs by model name.")


class LoadConfig(_M):
    """Average draw as a share of rated system power, by workload state (kept separate)."""

    training: Param = Field(default_factory=lambda: Param(
        value=0.7, low=0.6, high=0.8,
        source="Newkirk et al. 2025 (arXiv:2506.14551): ~76% of 10.2 kW in compute-intensive training; "
               "Latif et al. 2024: max 8.4 kW = 82%", source_zh="Newkirk等，2025（arXiv:2506.14551）：计算密集的训练中约为10.2 kW的76%；Latif等，2024：最高8.4 kW，即82%"))
    inference: Param = Field(default_factory=lambda: Param(
        value=0.45, low=0.3, high=0.6,
        source="assumption; POLCA (Patel et al.): inference clusters draw well below rated power", source_zh="假设；POLCA（Patel等）：推理集群的实际功耗明显低于额定功率"))
    idle: Param = Field(default_factory=lambda: Param(
        value=0.25, low=0.15, high=0.35,
        source="assumption: powered but unallocated (energy-anchors §12.7: 15-35% of rated)", source_zh="假设：通电但未分配任务（docs/research/energy-anchors.md第12.7节：额定功率的15%–35%）"))
    general: Param = Field(default_factory=lambda: Param(
        value=0.5, low=0.35, high=0.65,
        source="assumption: CPU servers' typical operational vs maximum power (linear power model, "
               "Fan, Weber & Barroso 2007)", source_zh="假设：CPU服务器典型运行功率与最大功率之比（线性功耗模型，Fan、Weber与Barroso，2007）"))


class WorkloadConfig(_M):
    inference_share: YearlyParam = Field(default_factory=lambda: YearlyParam(
        by_year={2020: 0.5, 2023: 0.55, 2025: 0.65, 2028: 0.73}, scale_low=0.8, scale_high=1.15,
        source="IDC 2025 report: inference 73% of China AI-server workloads by 2028; Patterson et al. 2022 (Google): "
               "3/5 inference; earlier years an assumption", source_zh="原报告：2028年推理占中国人工智能服务器工作负载的73%；Patterson等，2022（Google）：推理占3/5；更早年份为假设"))
    idle_share: Param = Field(default_factory=lambda: Param(
        value=0.3, low=0.15, high=0.45,
        source="assumption: MIIT targets rack utilisation >= 60% (2021-23 plan); western DCs 30% -> 50% (2021)", source_zh="假设：工信部行动计划（2021–2023年）要求机架利用率不低于60%；西部数据中心利用率由30%升至50%（2021年）"))


class PueConfig(_M):
    """PUE by data-centre class × cooling, shares by year, a hub-node offset and a yearly trend."""

    liquid: Param = Field(default_factory=lambda: Param(
        value=1.12, low=1.05, high=1.2, source="cold-plate 1.10-1.2, immersion 1.05-1.1; IDC 2025 report '<1.1' (section 2.3)", source_zh="冷板式1.10–1.2，浸没式1.05–1.1；原报告第2.3节：“<1.1”"))
    air_hyperscale: Param = Field(default_factory=lambda: Param(
        value=1.28, low=1.2, high=1.4,
        source="LBNL 2024: hyperscale median ≈1.25 (2023); China policy 1.25-1.3 for new large DCs", source_zh="LBNL 2024：超大规模数据中心PUE中位数约1.25（2023年）；中国政策要求新建大型数据中心1.25–1.3"))
    enterprise: Param = Field(default_factory=lambda: Param(
        value=1.55, low=1.4, high=1.8,
        source="colocation/enterprise 1.5-1.6 (SemiAnalysis); China national average 1.49 (2021)", source_zh="托管和企业机房1.5–1.6（SemiAnalysis）；中国全国平均1.49（2021年）"))
    ai_liquid_share: YearlyParam = Field(default_factory=lambda: YearlyParam(
        by_year={2020: 0.02, 2023: 0.08, 2025: 0.2}, scale_low=0.5, scale_high=1.5,
        source="assumption: liquid cooling rising with 700 W+ parts; IDC 2025 report: China liquid-cooled server market "
               "CAGR 48.3% (2023-28)", source_zh="假设：液冷比例随700 W以上器件增加；原报告：中国液冷服务器市场2023–2028年复合增长率48.3%"))
    ai_enterprise_share: YearlyParam = Field(default_factory=lambda: YearlyParam(
        by_year={2020: 0.35, 2025: 0.2}, scale_low=0.5, scale_high=1.5,
        source="assumption: share of AI servers in enterprise rooms/small colocation", source_zh="假设：位于企业机房或小型托管机房的人工智能服务器比例"))
    general_liquid_share: YearlyParam = Field(default_factory=lambda: YearlyParam(
        by_year={2020: 0.0, 2025: 0.03}, scale_low=0.5, scale_high=1.5, source="assumption", source_zh="假设"))
    general_enterprise_share: YearlyParam = Field(default_factory=lambda: YearlyParam(
        by_year={2020: 0.55, 2025: 0.4}, scale_low=0.75, scale_high=1.25, source="assumption", source_zh="假设"))
    reference_year: int = Field(2025, description="Year the class values refer to.")
    overhead_decline: Param = Field(default_factory=lambda: Param(
        value=0.03, low=0.0, high=0.06,
        source="assumption: (PUE-1) falls 0-6%/yr (LBNL: US average 1.6 in 2014 -> 1.4 in 2023 ≈ 4%/yr)", source_zh="假设：（PUE−1）每年下降0–6%（LBNL：美国平均由2014年的1.6降至2023年的1.4，约每年4%）"))
    hub_offset: Param = Field(default_factory=lambda: Param(
        value=-0.05, low=-0.1, high=0.0,
        source="NDRC 2021: hub nodes < 1.25 vs new large DCs < 1.3 (0.05 apart)", source_zh="国家发展改革委（2021）：枢纽节点<1.25，新建大型数据中心<1.3（相差0.05）"))
    hub_provinces: list[str] = Field(
        default_factory=lambda: ["内蒙古", "贵州", "甘肃", "宁夏"],
        description="Western 东数西算 hub provinces (cold or mild climate; the eastern hubs share provinces "
                    "with ordinary DCs and get no offset).")


class PueTarget(_M):
    label_zh: str
    label_en: str
    value: float
    year: int
    scope: str
    source: str


class GridConfig(_M):
    emission_factors: str = Field("grid_emission_factors", description="Input name of the factor table.")
    green_share: YearlyParam = Field(default_factory=lambda: YearlyParam(
        by_year={2020: 0.05, 2023: 0.12, 2025: 0.2}, scale_low=0.5, scale_high=1.5,
        source="assumption: green certificates and direct green power of data centres; NDRC et al. 2024 plan: "
               "renewable utilisation +10%/yr, hub-node new DCs > 80% green power", source_zh="假设：数据中心的绿证和绿电直供；国家发展改革委等2024年行动方案：可再生能源利用率每年提高10%，枢纽节点新建数据中心绿电占比超过80%"))


class Published(_M):
    """A published total to set beside the estimate (never fitted)."""

    id: str
    label: str
    label_zh: str = Field("", description="The label in Chinese (Chinese report and dashboard; empty: the English).")
    year: int
    value_twh: float
    geography: Literal["global", "china", "us"]
    boundary: Literal["it", "facility"]
    workloads: Literal["ai", "all"]
    kind: Literal["stated", "derived"] = "stated"
    source: str
    source_kind: Literal["official_statistics", "government", "company", "press", "aggregator", "research"] = "company"


class EnergyConfig(_M):
    """Power, energy and carbon of the installed base."""

    draws: int = Field(10_000, ge=100, le=1_000_000, description="Monte Carlo draws.")
    seed: int = Field(2025, description="Seed of the Monte Carlo and Sobol designs.")
    interval: float = Field(0.9, gt=0, lt=1, description="Central probability of the *_lo/*_hi intervals.")
    sobol_base: int = Field(512, ge=16, description="Base points of the Saltelli design (rows = base × (k+2)).")
    sobol_year: int | None = Field(None, description="Year whose national outputs the Sobol indices explain (last).")
    system_overhead: SystemOverhead = Field(default_factory=SystemOverhead)
    form_factor: FormFactorRules = Field(default_factory=FormFactorRules)
    tdp: TdpConfig = Field(default_factory=TdpConfig)
    load: LoadConfig = Field(default_factory=LoadConfig)
    workload: WorkloadConfig = Field(default_factory=WorkloadConfig)
    storage_network: Param = Field(default_factory=lambda: Param(
        value=0.15, low=0.08, high=0.2,
        source="IEA Energy and AI 2025: storage ~5% + network ~5% vs servers ~60% of DC electricity (≈0.17)", source_zh="IEA《能源与人工智能》（2025）：存储约5%、网络约5%，服务器约60%的数据中心用电（≈0.17）"))
    host_cpu_w_per_accelerator: dict[str, float] = Field(
        default_factory=lambda: {"board": 87.5, "pcie": 100.0},
        description="Host-CPU TDP per accelerator when a system's CPUs are not given (accelerator-hours): "
                    "DGX H100 2 × 350 W / 8; a 4-card PCIe box with 2 × 200 W CPUs.")
    pue: PueConfig = Field(default_factory=PueConfig)
    pue_targets: list[PueTarget] = Field(default_factory=list)
    grid: GridConfig = Field(default_factory=GridConfig)
    published: list[Published] = Field(default_factory=list)
    facts_external: str | None = Field(
        None, description="Input name of extra energy facts (e.g. IDC's English release) for the claim checks.")
