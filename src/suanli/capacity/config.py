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
    group_by: list[list[str]] = Field(
        default_factory=lambda: [["province"], ["vendor"], ["industry"], ["origin"], ["accelerator_vendor"],
                                 ["city"], ["province", "vendor"]],
        description="Groupings of the by-group tables (columns of the shipments table or catalog fields).")
    utilisation: UtilisationConfig | None = None
    published: list[PublishedValue] = Field(
        default_factory=list, description="Published figures to compare the computed series with.")

    @model_validator(mode="after")
    def _rule_not_empty(self) -> CapacityConfig:
        if not self.rule:
            raise ValueError(f"{self.precision}_equivalent must list at least one source")
        return self

    @property
    def rule(self) -> list[str]:
        """The equivalence rule of the chosen precision basis."""
        return list(getattr(self, f"{self.precision}_equivalent"))
