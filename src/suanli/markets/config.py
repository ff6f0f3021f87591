"""The ``markets:`` section of edition.yaml."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class VerbalBands(BaseModel):
    model_config = ConfigDict(extra="forbid")
    approx_band: float = Field(0.10, gt=0, lt=1, description="|rel. error| ≤ this → APPROX for verbal quantities.")
    warn_band: float = Field(0.25, gt=0, lt=5, description="|rel. error| ≤ this → WARN; beyond → FAIL.")
    growth_reading: Literal["to", "by", "both"] = Field(
        "both", description="增长N倍: 'to' = N×, 'by' = (N+1)×, 'both' = N× primary, (N+1)× reported as ambiguity.")


class Tolerances(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cross_route: float = Field(0.01, gt=0, description="Two routes to the same level agree within this rel. error.")
    cross_route_warn: float = Field(0.03, gt=0, description="Disagreement up to this is WARN, beyond FAIL.")
    window_rate_pp: float = Field(0.01, ge=0, description="A sub-window CAGR within this many rate points "
                                  "(0.01 = 1 pp) of the headline CAGR is PASS, otherwise INFO.")
    approx_qualifier: float = Field(0.05, ge=0, description="Band of 约/~ values.")
    near_qualifier: float = Field(0.10, ge=0, description="Band below 近/接近 values.")


class ShareGroup(BaseModel):
    """Shares that must sum to at most 100% (e.g. answers of one survey question)."""

    model_config = ConfigDict(extra="forbid")
    id: str
    title: str = ""
    title_zh: str = Field("", description="The title in Chinese (Chinese pages show it; empty: the English).")
    facts: list[str]


class Override(BaseModel):
    """An analyst override for a series: a CAGR from a year, or a target level in a year."""

    model_config = ConfigDict(extra="forbid")
    series: str = Field(description="metric:region:segment, e.g. ai_compute_services:china:total.")
    from_year: int
    cagr: float | None = Field(None, gt=-1, description="Rate as a fraction (0.30 = 30%/yr).")
    target_year: int | None = None
    target_value: float | None = Field(None, gt=0, description="Target level in base units.")
    note: str = ""

    @model_validator(mode="after")
    def _one(self) -> Override:
        if (self.cagr is None) == (self.target_value is None):
            raise ValueError("give either cagr or target_value (with target_year)")
        if self.target_value is not None and self.target_year is None:
            raise ValueError("target_value needs target_year")
        return self


class PriceComparison(BaseModel):
    """A stated cost ratio (e.g. "about 3% of OpenAI o1's running cost") checked against list prices.

    ``prices`` maps a role (input, output, …) to the fact id of the edition's own price; ``reference``
    gives the other product's list price for the same role and unit in ``reference_currency``,
    converted with the comparison's ``fx`` (or ``markets.fx``). Reference prices are external constants and need a source."""

    model_config = ConfigDict(extra="forbid")
    id: str
    claim: str = Field(description="Fact id of the stated ratio (a percentage or a fraction).")
    prices: dict[str, str] = Field(description="role → fact id of the edition's price, e.g. {output: …}.")
    reference: dict[str, float] = Field(description="role → the reference product's price, same unit.")
    reference_currency: str = "USD"
    fx: dict[str, float] = Field(default_factory=dict, description="Units of each currency per USD for this "
                                 "comparison (e.g. {CNY: 7.3}); falls back to markets.fx.")
    reference_name: str
    source: str = Field(min_length=1, description="Where the reference prices come from.")

    @model_validator(mode="after")
    def _roles(self) -> PriceComparison:
        if set(self.prices) != set(self.reference) or not self.prices:
            raise ValueError("prices and reference must name the same roles")
        return self


class RankMoves(BaseModel):
    """A published ranking whose previous ranks and "moved up/down" claims must be mutually
    consistent (solved as an integer programme, :mod:`suanli.markets.rankmoves`)."""

    model_config = ConfigDict(extra="forbid")
    ranking: str = Field(description="Ranking id in the rankings input (its `ranking` column).")
    improved: list[str] = Field(default_factory=list, description="Entries (name_zh) the report lists as moved up.")
    improved_complete: bool = Field(False, description="The improved list is every entry that moved up.")
    size: int | None = Field(None, ge=1, description="Length of the previous list (default: the longest rank stated).")
    quote: str = ""
    line: int | None = None


class RangeGroup(BaseModel):
    """Claims about one quantity of one technology (PUE of liquid cooling, rack power), checked
    against each other, against what is physically possible and against a model parameter."""

    model_config = ConfigDict(extra="forbid")
    id: str
    title: str = ""
    title_zh: str = Field("", description="The title in Chinese (Chinese pages show it; empty: the English).")
    facts: list[str] = Field(min_length=1)
    bounds: tuple[float, float] | None = Field(None, description="Physically possible range (PUE ≥ 1).")
    model: str | None = Field(None, description="Dotted path to an edition parameter with value/low/high "
                              "(e.g. energy.pue.liquid), compared with the claims.")


class ProductLimit(BaseModel):
    """count × per-unit must fit within a stated limit (72 GPUs × 700 W within a 130 kW rack)."""

    model_config = ConfigDict(extra="forbid")
    id: str
    title: str = ""
    title_zh: str = Field("", description="The title in Chinese (Chinese pages show it; empty: the English).")
    count: str
    per_unit: str
    limit: str
    per_unit_scale: float = Field(1.0, gt=0, description="Converts per-unit × count into the limit's unit (W→kW: 0.001).")


class NamedList(BaseModel):
    model_config = ConfigDict(extra="forbid")
    where: str
    line: int | None = None
    quote: str
    items: list[str] = Field(min_length=1)


class ListClaim(BaseModel):
    """The same enumeration printed in two places (e.g. the framework's GenAI factors)."""

    model_config = ConfigDict(extra="forbid")
    id: str
    title: str = ""
    title_zh: str = Field("", description="The title in Chinese (Chinese pages show it; empty: the English).")
    lists: list[NamedList] = Field(min_length=2)


class FigureNames(BaseModel):
    """A name a figure title gives a metric (checked against the text's names of the same series)."""

    model_config = ConfigDict(extra="forbid")
    metric: str
    region: str
    name: str
    figure: str
    line: int | None = None


class OrderClaim(BaseModel):
    """A figure's label order against the ranking the text states for the same items."""

    model_config = ConfigDict(extra="forbid")
    id: str
    ranking: str
    figure: str
    labels: list[str] = Field(min_length=1)
    top: int = Field(ge=1, description="How many leading entries the text names (as a set beyond rank 1).")
    line: int | None = None


class DateClaim(BaseModel):
    """An event listed under a year, against the date its own text implies (anchor + lag)."""

    model_config = ConfigDict(extra="forbid")
    id: str
    event: str
    event_zh: str = Field("", description="The event's name in Chinese (for the check's Chinese title).")
    listed_year: int
    quote: str
    line: int | None = None
    anchor: str = Field(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM of the anchor event the text dates.")
    anchor_quote: str = ""
    lag_fact: str | None = Field(None, description="Fact id of the stated lag in months (with its qualifier).")
    external: str | None = Field(None, pattern=r"^\d{4}-\d{2}(-\d{2})?$", description="Date from outside the text.")
    external_source: str = ""


class NameClaim(BaseModel):
    """A product name as printed against its real name (an editorial check with an external source)."""

    model_config = ConfigDict(extra="forbid")
    id: str
    printed: str
    expected: str
    quote: str
    line: int | None = None
    source: str = Field(min_length=1)


class TextChecks(BaseModel):
    """Text-level checks (T01-T06 of docs/research/seed-consistency.md)."""

    model_config = ConfigDict(extra="forbid")
    ranges: list[RangeGroup] = Field(default_factory=list)
    products: list[ProductLimit] = Field(default_factory=list)
    lists: list[ListClaim] = Field(default_factory=list)
    figure_names: list[FigureNames] = Field(default_factory=list)
    orders: list[OrderClaim] = Field(default_factory=list)
    dates: list[DateClaim] = Field(default_factory=list)
    names: list[NameClaim] = Field(default_factory=list)


class ForecastConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    models: list[Literal["loglinear", "ets", "arima", "theta", "naive", "drift"]] = Field(
        ["loglinear", "ets", "theta", "arima", "drift"], description="Candidate models for level series.")
    share_models: list[Literal["logistic", "bass", "loglinear"]] = Field(
        ["logistic", "bass"], description="Saturation models for adoption/segment shares.")
    horizon_to: int = Field(2030, description="Forecast each series to this year.")
    backtest_horizon: int = Field(1, ge=1, le=5)
    min_train: int = Field(4, ge=2, description="Fewest points in a rolling-origin training window.")
    select_by: Literal["mase", "smape", "mape"] = "mase"
    level: int = Field(80, gt=0, lt=100, description="Prediction-interval level (%).")


class MarketsConfig(BaseModel):
    """Market facts → observation store, derived series, consistency checks, forecasts."""

    model_config = ConfigDict(extra="forbid")
    facts: str = Field("market_facts", description="Input name of the current edition's facts table.")
    external: str | None = Field("market_facts_external",
                                 description="Input name of external facts (press data, previous editions).")
    edition_label: str = Field("2025", description="Edition label of the current facts.")
    years: tuple[int, int] = Field((2020, 2028), description="Years of the market_series table.")
    fx: dict[str, float] = Field(default_factory=dict,
                                 description="Exchange rates to USD, e.g. {CNY: 7.3} (CNY per USD). "
                                 "Without a rate, a series mixing currencies is an error.")
    unstated_windows: list[str] = Field(
        default_factory=list,
        description="Fact ids of rates whose window the source really does not state (accepted, "
        "flagged in the checks). Any other rate without a window is an input error.")
    share_groups: list[ShareGroup] = Field(default_factory=list)
    verbal: VerbalBands = Field(default_factory=VerbalBands)
    tolerances: Tolerances = Field(default_factory=Tolerances)
    forecast: ForecastConfig = Field(default_factory=ForecastConfig)
    overrides: list[Override] = Field(default_factory=list)
    price_comparisons: list[PriceComparison] = Field(
        default_factory=list, description="Stated cost ratios checked against external list prices (X01).")
    rankings: str | None = Field(None, description="Input name of the published rankings (rank-move checks).")
    rank_moves: list[RankMoves] = Field(default_factory=list)
    text_checks: TextChecks = Field(default_factory=TextChecks)


#: Used by ``suanli markets check`` when no edition is given: the seed's share groups and the
#: two previous-edition rates whose window the report does not print.
DEFAULT_SHARE_GROUPS = [
    ShareGroup(id="model_param_bands", title="Model-parameter bands (Figure 14)",
               title_zh="模型参数规模分布（图14）",
               facts=["model_param_share_10_20b", "model_param_share_6_10b", "model_param_share_gt50b"]),
    ShareGroup(id="genai_data_types_2028", title="GenAI-generated data 2028: text/image/video + code",
               title_zh="2028年生成式人工智能生成的数据：文本/图像/视频与代码",
               facts=["genai_data_even_mix_share_2028", "genai_data_code_share"]),
    ShareGroup(id="cn_genai_adoption_stages", title="China GenAI adoption stages (Figure 3)",
               title_zh="中国生成式人工智能应用阶段（图3）",
               facts=["cn_ent_genai_testing_share", "cn_ent_genai_production_share"]),
]
DEFAULT_UNSTATED = ["cn_intelligent_compute_cagr_prev_edition", "cn_general_compute_cagr_prev_edition"]
DEFAULT_PRICE_COMPARISONS = [
    PriceComparison(
        id="deepseek_r1_vs_o1", claim="deepseek_r1_cost_vs_o1",
        prices={"input": "deepseek_r1_price_input_cache_miss", "output": "deepseek_r1_price_output"},
        reference={"input": 15.0, "output": 60.0}, reference_currency="USD", fx={"CNY": 7.3},
        reference_name="OpenAI o1",
        source="OpenAI API list prices for o1 at the report's release (USD 15 input / 60 output per 1M tokens); "
               "FX 7.3 CNY/USD (docs/research/seed-consistency.md, X01)"),
]


def default_config() -> MarketsConfig:
    return MarketsConfig(share_groups=DEFAULT_SHARE_GROUPS, unstated_windows=DEFAULT_UNSTATED,
                         price_comparisons=DEFAULT_PRICE_COMPARISONS)


def edition_titles(cfg: MarketsConfig) -> list[tuple[str, str]]:
    """(English, Chinese) of every check title the edition wrote itself and translated."""
    tc = cfg.text_checks
    pairs = [(g.title, g.title_zh) for g in [*cfg.share_groups, *tc.ranges, *tc.products, *tc.lists]]
    pairs += [(f"{c.event} listed under {c.listed_year}", f"{c.event_zh}列于 {c.listed_year} 年下") for c in tc.dates
              if c.event_zh]
    return [(en, zh) for en, zh in pairs if en and zh]


#: what the checker appends to an edition's title (``<title>: <suffix>``), in Chinese
_SUFFIXES = [(re.compile(r"(?P<p>.+) <= 100%"), lambda m: f"{m['p']} ≤ 100%"),
             (re.compile(r"model parameter against the claims"), lambda m: "模型参数与各项说法对比"),
             (re.compile(r"model parameter (?P<m>\S+) not set"), lambda m: f"模型参数 {m['m']} 未设置")]


def title_zh(title: str, pairs: list[tuple[str, str]]) -> str:
    """The Chinese of a check title built on an edition's own title (exact, or the title followed by
    one of the checker's suffixes); empty when the edition gave no Chinese for it."""
    for en, zh in pairs:
        if title == en:
            return zh
        if title.startswith(en + ": "):
            rest = title[len(en) + 2:]
            for rx, f in _SUFFIXES:
                m = rx.fullmatch(rest)
                if m:
                    return f"{zh}：{f(m)}"
    return ""
