"""The ``capacity:`` section of edition.yaml."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class SurvivalConfig(BaseModel):
    """Share of a vintage still installed at age ``a`` years.

    ``fixed``: S(a) = 1 for a < life_years, else 0 (CAICT's six-year window).
    ``weibull``: S(a) = exp(-(a/scale)^shape), mean life = scale·Γ(1 + 1/shape).
    ``none``: nothing retires (Epoch AI's chip-sales convention).
    """

    model_config = ConfigDict(extra="forbid")
    kind: Literal["fixed", "weibull", "none"] = "fixed"
    life_years: float | None = Field(6.0, gt=0, description="Service life for kind=fixed.")
    scale: float | None = Field(None, gt=0, description="Weibull scale λ in years.")
    shape: float | None = Field(None, gt=0, description="Weibull shape k.")

    @model_validator(mode="after")
    def _complete(self) -> SurvivalConfig:
        if self.kind == "weibull" and (self.scale is None or self.shape is None):
            raise ValueError("a weibull survival needs scale and shape")
        if self.kind == "fixed" and self.life_years is None:
            raise ValueError("a fixed survival needs life_years")
        return self


class UtilisationConfig(BaseModel):
    """Effective compute = peak × availability × utilisation, reported separately from peak."""

    model_config = ConfigDict(extra="forbid")
    availability: float = Field(0.9, gt=0, le=1, description="Share of time devices are up and allocated.")
    utilisation: float = Field(0.4, gt=0, le=1, description="Model-FLOPs utilisation (MFU) while running.")
    source: str = ""


class PublishedValue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    year: int
    intelligent_eflops: float | None = None
    general_eflops: float | None = None
    source: str


Range = tuple[float, float]


class UncertaintyConfig(BaseModel):
    """Monte Carlo intervals on the installed base (``capacity_national`` *_lo/*_hi)."""

    model_config = ConfigDict(extra="forbid")
    draws: int = Field(1000, ge=50, le=100_000, description="Number of Monte Carlo draws.")
    seed: int = Field(2025, description="Random seed (same seed, same intervals).")
    level: float = Field(0.9, gt=0, lt=1, description="Two-sided interval level (0.9 = 5th to 95th percentile).")
    life_mean_intelligent: Range = Field(
        (4.5, 6.5), description="Range of the mean service life of accelerated servers (years, uniform); "
        "accounting lives of 4-6 years (Microsoft, Alphabet, Meta, Amazon filings).")
    life_mean_general: Range = Field((5.0, 7.0), description="Range of the mean service life of CPU servers.")
    weibull_shape: Range = Field((3.0, 6.0), description="Range of the Weibull shape (higher = retirement "
                                 "concentrated around the mean, as CAICT's fixed window).")
    shipment_sigma: float = Field(0.10, ge=0, le=1, description="Log-normal σ of each year's shipment total.")
    spec_sigma_stated: float = Field(0.02, ge=0, le=1, description="Log-normal σ of stated per-model peaks.")
    spec_sigma_derived: float = Field(0.08, ge=0, le=1, description="σ of peaks derived from a family rule "
                                      "or from cores and clock in a name.")
    availability: Range = Field((0.85, 0.95), description="Range of availability (effective compute only).")
    utilisation: Range = Field((0.30, 0.55), description="Range of MFU (effective compute only).")
    source: str = ""

    @model_validator(mode="after")
    def _ranges(self) -> UncertaintyConfig:
        for name in ("life_mean_intelligent", "life_mean_general", "weibull_shape", "availability", "utilisation"):
            lo, hi = getattr(self, name)
            if not 0 < lo <= hi:
                raise ValueError(f"{name} must be a range (low, high) with 0 < low <= high")
        return self


class ScenarioConfig(BaseModel):
    """One forecast scenario: how FLOPS added evolve after the last shipment year."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., pattern=r"^[a-z0-9_]+$")
    label: str = ""
    description: str = ""
    intelligent_growth: float = Field(0.35, gt=-1, le=5, description="Annual growth of FP16 FLOPS added "
                                      "(open-market path, before any import restriction).")
    general_growth: float = Field(0.10, gt=-1, le=5, description="Annual growth of FP64 FLOPS added.")
    domestic_share: dict[int, float] = Field(
        default_factory=dict, description="Share of intelligent FLOPS added from domestic accelerators by year "
        "(linear in between; before the first year: the last observed share).")
    imported: Literal["open", "restricted"] = Field(
        "open", description="restricted: imported accelerators limited to export-compliant China-market parts, "
        "so each imported card adds restricted_model's peak instead of reference_model's.")
    restricted_model: str = "H20"
    reference_model: str = "H100 SXM5 80GB"
    survival_intelligent: SurvivalConfig | None = None
    survival_general: SurvivalConfig | None = None

    @model_validator(mode="after")
    def _shares(self) -> ScenarioConfig:
        for y, v in self.domestic_share.items():
            if not 0 <= v <= 1:
                raise ValueError(f"domestic_share[{y}] must be between 0 and 1")
        return self


class ForecastConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to_year: int = Field(2030, description="Last forecast year.")
    scenarios: list[ScenarioConfig] = Field(default_factory=list)
    published: list[PublishedValue] = Field(
        default_factory=list, description="Published forecasts to compare with (e.g. IDC 2,781.9 EFLOPS in 2028).")


EquivalenceItem = Literal["fp16", "bf16", "fp8", "int8", "fp8/2", "int8/2", "fp16*2", "bf16*2"]


class CapacityConfig(BaseModel):
    """How shipments become installed compute."""

    model_config = ConfigDict(extra="forbid")
    shipments: str = Field("shipments", description="Name of the shipments input (accelerated and general servers).")
    accelerator_overrides: str | None = Field(None, description="Input name of an accelerator catalog override file.")
    cpu_overrides: str | None = Field(None, description="Input name of a CPU catalog override file.")
    years: tuple[int, int] = Field((2020, 2025), description="First and last year of the output series.")
    stock_at: Literal["year_end", "mid_year"] = Field(
        "year_end", description="When in the year the installed base is measured.")
    timing: Literal["midpoint", "start", "end"] = Field(
        "midpoint", description="Where in its period a shipment is placed (half-year midpoints by default).")
    survival_intelligent: SurvivalConfig = Field(default_factory=SurvivalConfig)
    survival_general: SurvivalConfig = Field(default_factory=SurvivalConfig)
    precision: Literal["fp16", "fp8", "int8"] = Field(
        "fp16", description="Basis of the intelligent-compute series: FP16-equivalent (IDC), FP8- or "
        "INT8-equivalent (Epoch AI's 8-bit H100e convention). The matching *_equivalent rule applies.")
    fp16_equivalent: list[EquivalenceItem] = Field(
        ["fp16", "bf16"],
        description="FP16 basis: order in which dense peaks stand in for FP16 (first available wins). "
        "fp8/2 and int8/2 are used only when listed: INT8 TOPS are not FLOPS.")
    fp8_equivalent: list[EquivalenceItem] = Field(
        ["fp8", "fp16*2", "bf16*2"], description="FP8 basis: the rule used when precision is fp8.")
    int8_equivalent: list[EquivalenceItem] = Field(
        ["int8", "fp8", "fp16*2", "bf16*2"], description="INT8 basis: the rule used when precision is int8.")
    sparsity: Literal["dense", "sparse"] = Field(
        "dense", description="Report dense peaks, or sparse peaks (dense × vendor sparsity factor).")
    general_includes_accelerator_fp64: bool = Field(
        False, description="Add accelerators' FP64 to general compute (IDC counts CPUs only).")
    fp64_basis: Literal["vector", "matrix"] = Field(
        "vector", description="FP64 basis of accelerators: vector (non-tensor, TOP500-style) or matrix "
        "(tensor/matrix cores where published). CPUs are the same on both; written in every table.")
    group_by: list[list[str]] = Field(
        default_factory=lambda: [["province"], ["vendor"], ["industry"], ["origin"], ["accelerator_vendor"],
                                 ["city"], ["province", "vendor"]],
        description="Groupings of the by-group tables (columns of the shipments table or catalog fields).")
    utilisation: UtilisationConfig | None = None
    published: list[PublishedValue] = Field(
        default_factory=list, description="Published figures to compare the computed series with.")
    uncertainty: UncertaintyConfig | None = Field(
        None, description="Monte Carlo intervals (lifetimes, shipments, specs, utilisation).")
    forecast: ForecastConfig | None = Field(None, description="Scenario forecasts through the vintage model.")

    @model_validator(mode="after")
    def _rule_not_empty(self) -> CapacityConfig:
        if not self.rule:
            raise ValueError(f"{self.precision}_equivalent must list at least one source")
        return self

    @property
    def rule(self) -> list[str]:
        """The equivalence rule of the chosen precision basis."""
        return list(getattr(self, f"{self.precision}_equivalent"))
