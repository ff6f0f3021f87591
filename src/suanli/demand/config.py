"""The ``demand:`` section of edition.yaml: training runs and token volumes set against supply.

Every uncertain parameter is a :class:`Uncertain` value (central value, 90% range, distribution,
source). The Monte Carlo draws each of them once per draw, so a draw is one coherent world
(the same MFU in every year); the point estimates use the central values.

Peaks and MFU share one basis: the dense FP16-equivalent peak the capacity stage counts
(BF16 where a part has no FP16 figure). An MFU measured against an FP8 peak must be doubled
before it is entered here (DeepSeek-V3's 17% against FP8 is 35% against BF16).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Uncertain(BaseModel):
    """A parameter with a central value and a range that holds 90% of its plausible values."""

    model_config = ConfigDict(extra="forbid")
    value: float = Field(description="Central value (mode of a triangular, geometric centre of a log-uniform).")
    low: float = Field(description="Lower end of the range.")
    high: float = Field(description="Upper end of the range.")
    dist: Literal["triangular", "uniform", "loguniform", "fixed"] = Field(
        "triangular", description="How draws are spread over [low, high]; fixed = always the central value.")
    source: str = Field("", description="Where the value and range come from (a citation, or 'assumption: …').")
    source_zh: str = Field("", description="The source in Chinese, for the Chinese report (empty: the English one).")

    @model_validator(mode="after")
    def _ordered(self) -> Uncertain:
        if not (self.low <= self.value <= self.high):
            raise ValueError(f"needs low ≤ value ≤ high (got {self.low}, {self.value}, {self.high})")
        if self.dist == "loguniform" and self.low <= 0:
            raise ValueError("a loguniform range needs low > 0")
        return self


def U(value: float, low: float, high: float, dist: str = "triangular", source: str = "", source_zh: str = "") -> Uncertain:
    """Shorthand for the defaults below."""
    return Uncertain(value=value, low=low, high=high, dist=dist, source=source,  # type: ignore[arg-type]
                     source_zh=source_zh)


class ModelClass(BaseModel):
    """One class of served models: what a token costs to compute."""

    model_config = ConfigDict(extra="forbid")
    name: str
    active_params: float = Field(gt=0, description="Parameters used per token (all of them for a dense model).")
    layers: int = Field(gt=0, description="Transformer layers (for the attention term).")
    d_attn: int = Field(gt=0, description="Attention width n_heads × d_head (for the attention term).")
    context: float = Field(ge=0, description="Average number of earlier tokens each token attends to.")
    share: Uncertain = Field(description="Share of served tokens (the draws are renormalised to sum to 1).")
    source: str = ""


def _default_mix() -> list[ModelClass]:
    return [
        ModelClass(name="small dense (Qwen2.5-7B class)", active_params=7.6e9, layers=28, d_attn=3584,
                   context=2000, share=U(0.45, 0.25, 0.65, source="assumption: most API and app traffic is "
                                                                   "served by small models", source_zh="假设：大部分API和应用流量由小模型承担"),
                   source="Qwen/Qwen2.5-7B config.json: 28 layers, hidden 3584; 7.6B parameters"),
        ModelClass(name="MoE (DeepSeek-V3 class)", active_params=37e9, layers=61, d_attn=16384,
                   context=4000, share=U(0.40, 0.2, 0.6, source="assumption: DeepSeek-V3/R1, Qwen3-235B, Kimi K2 "
                                                                 "class MoE models", source_zh="假设：DeepSeek-V3/R1、Qwen3-235B、Kimi K2一类的MoE模型"),
                   source="deepseek-ai/DeepSeek-V3 config.json: 61 layers, 128 heads × 128; 37B active"),
        ModelClass(name="large dense (Qwen2.5-72B class)", active_params=72.7e9, layers=80, d_attn=8192,
                   context=2000, share=U(0.15, 0.05, 0.3, source="assumption", source_zh="假设"),
                   source="Qwen/Qwen2.5-72B config.json: 80 layers, hidden 8192; 72.7B parameters"),
    ]


class TrainingConfig(BaseModel):
    """National training compute = trend of catalogued runs × coverage × experiments multiplier."""

    model_config = ConfigDict(extra="forbid")
    countries: list[str] = Field(["CN"], description="Runs of these countries make the national series.")
    series: Literal["trend", "catalogue"] = Field(
        "trend", description="trend: log-linear least-squares trend of the catalogued runs' compute by year "
        "(smooths the lumpiness of a short catalogue); catalogue: the catalogued sum per year, interpolated "
        "log-linearly where a year has none.")
    mfu: Uncertain = Field(default_factory=lambda: U(
        0.35, 0.20, 0.55, source="Epoch AI hardware-utilisation column: median 0.34 (n=41), 2022+ median 0.40, "
        "range 0.17-0.57; Llama 3.1 405B 38-43% (BF16); DeepSeek-V3 ≈35% vs BF16 peak", source_zh="Epoch AI的硬件利用率数据：中位数0.34（n=41），2022年起中位数0.40，范围0.17–0.57；Llama 3.1 405B为38%–43%（BF16）；DeepSeek-V3相对BF16峰值约35%"))
    availability: Uncertain = Field(default_factory=lambda: U(
        0.90, 0.80, 0.95, source="Llama 3 405B: >90% effective training time despite 419 interruptions in 54 days", source_zh="Llama 3 405B：54天内中断419次，有效训练时间仍超过90%"))
    experiments_multiplier: Uncertain = Field(default_factory=lambda: U(
        2.5, 1.5, 4.0, source="assumption: ablations, failed and smaller runs = 0.5-3× the final runs "
        "(total compute ÷ final-run compute)", source_zh="假设：消融实验、失败的和较小规模的训练相当于最终训练的0.5–3倍（总计算量÷最终训练计算量）"))
    coverage: Uncertain = Field(default_factory=lambda: U(
        8.0, 3.0, 25.0, "loguniform", source="assumption: the catalogue holds the runs with published tokens; "
        "ByteDance, Baidu, Tencent, Zhipu, MiniMax, StepFun and others train comparable models without "
        "publishing them (national ÷ catalogued)", source_zh="假设：目录只收录公开了训练Token数的训练；字节跳动、百度、腾讯、智谱、MiniMax、阶跃星辰等也训练了规模相当但未公开的模型（全国÷目录）"))
    backcast_growth: Uncertain = Field(default_factory=lambda: U(
        4.5, 4.0, 5.0, "uniform", source="Epoch AI: training compute of notable models grew 4-5×/yr 2010-2024", source_zh="Epoch AI：2010–2024年重要模型的训练计算量每年增长4–5倍"))


class InferenceConfig(BaseModel):
    """Inference demand from token volumes per day."""

    model_config = ConfigDict(extra="forbid")
    method: Literal["flops", "empirical"] = Field(
        "flops", description="flops: tokens × FLOPs per token ÷ (peak × MFU); empirical: tokens ÷ measured "
        "tokens per accelerator-day. Both are always computed; this picks the one in demand_supply.")
    tokens_subject: str = Field("china", description="Subject of the tokens_per_day anchors used.")
    token_scale: Uncertain = Field(default_factory=lambda: U(
        1.0, 0.6, 1.4, source="assumption: the official figures do not say whether cached, reasoning or "
        "multimodal tokens are counted", source_zh="假设：官方数字未说明是否计入缓存命中、推理（思考）或多模态Token"))
    backcast_growth: Uncertain = Field(default_factory=lambda: U(
        20.0, 5.0, 60.0, "loguniform", source="assumption: growth per year before the first anchor (early 2024); "
        "China's volume grew ~300× in the following 18 months", source_zh="假设：第一个锚点（2024年初）之前的年增长倍数；此后18个月中国的Token量增长约300倍"))
    output_share: Uncertain = Field(default_factory=lambda: U(
        0.22, 0.10, 0.40, source="DeepSeek production day 2025-02-28: 168B output of 776B tokens = 21.6%", source_zh="DeepSeek 2025年2月28日的生产数据：7,760亿Token中输出1,680亿，占21.6%"))
    cached_share: Uncertain = Field(default_factory=lambda: U(
        0.40, 0.10, 0.60, source="DeepSeek production day: 56.3% of input tokens hit the KV cache (an upper anchor)", source_zh="DeepSeek生产数据：56.3%的输入Token命中KV缓存（上限锚点）"))
    peak_to_average: Uncertain = Field(default_factory=lambda: U(
        1.3, 1.15, 1.5, source="DeepSeek nodes 278 peak / 226.75 average = 1.23; Doubao festival peak ≈1.45", source_zh="DeepSeek节点峰值278、平均226.75，峰均比1.23；豆包节日峰值约1.45"))
    mfu_prefill: Uncertain = Field(default_factory=lambda: U(
        0.40, 0.20, 0.60, source="prefill is compute-bound: up to 76% at large batch (Pope et al. 2022); lower "
        "in production", source_zh="预填充受算力约束：大批量时最高76%（Pope等，2022）；生产环境更低"))
    mfu_decode: Uncertain = Field(default_factory=lambda: U(
        0.10, 0.03, 0.20, source="decode is memory-bandwidth-bound; DeepSeek production ≈21% vs BF16 over all "
        "computed tokens (a best case)", source_zh="解码受显存带宽约束；DeepSeek生产环境按全部计算Token相对BF16峰值约21%（最好情形）"))
    availability: Uncertain = Field(default_factory=lambda: U(0.90, 0.80, 0.95, source="as training", source_zh="同训练"))
    mix: list[ModelClass] = Field(default_factory=_default_mix, description="Model classes serving the tokens.")
    empirical_subject: str = Field("deepseek_production",
                                   description="Anchors subject giving the measured tokens per accelerator-day.")
    empirical_scale: Uncertain = Field(default_factory=lambda: U(
        1.0, 0.5, 1.5, source="assumption: other operators reach half to 1.5× DeepSeek's throughput per device", source_zh="假设：其他运营方的单卡吞吐为DeepSeek的0.5–1.5倍"))
    empirical_scale_by_mix: bool = Field(
        True, description="Scale the measured tokens per accelerator-day by DeepSeek-V3's FLOPs per token ÷ the "
        "mix's (a cheaper mix serves more tokens per device).")

    @model_validator(mode="after")
    def _mix(self) -> InferenceConfig:
        if not self.mix:
            raise ValueError("inference.mix needs at least one model class")
        return self


class SeedClaim(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fact: str = Field("cn_ai_server_inference_workload_share_2028", description="Fact id of the claim in the facts input.")
    year: int = 2028
    value: float = 0.73
    basis: str = "not stated by the original report (share of spend, of server units or of FLOPs?)"


class DemandConfig(BaseModel):
    """Compute demand (training runs, token volumes) against the installed supply."""

    model_config = ConfigDict(extra="forbid")
    runs: str = Field("demand_runs", description="Input name of the training-run catalogue (one row per value).")
    anchors: str = Field("demand_anchors", description="Input name of the anchors table (token volumes, production "
                                                       "figures, architectures).")
    draws: int = Field(10_000, ge=100, le=1_000_000, description="Monte Carlo draws.")
    seed: int = Field(2025, description="Random seed of the draws.")
    years: tuple[int, int] | None = Field(None, description="Years of demand_supply (default: the capacity series).")
    supply_basis: Literal["year_average", "year_end"] = Field(
        "year_average", description="year_average: mean of the installed base at the start and end of the year "
        "(the first year uses its year end); year_end: the base at year end as IDC reports it.")
    training: TrainingConfig = Field(default_factory=TrainingConfig)
    inference: InferenceConfig = Field(default_factory=InferenceConfig)
    inference_share_claim: SeedClaim = Field(default_factory=SeedClaim)
    sensitivity_year: int | None = Field(None, description="Year whose utilisation the sensitivity explains "
                                                           "(default: the last year).")
