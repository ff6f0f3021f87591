"""The ``survey:`` section of edition.yaml."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class TrimConfig(BaseModel):
    """Weight trimming: bounded raking keeps weights within [min_ratio, max_ratio] × mean weight."""

    model_config = ConfigDict(extra="forbid")
    max_ratio: float = Field(5.0, gt=1, description="Largest allowed weight as a multiple of the mean weight.")
    min_ratio: float = Field(0.2, gt=0, lt=1, description="Smallest allowed weight as a multiple of the mean weight.")
    max_rounds: int = Field(20, ge=1, description="Bounded raking may run max_iter × max_rounds sweeps.")


class WeightingConfig(BaseModel):
    """Design weights → raking (iterative proportional fitting) to known margins → trimming."""

    model_config = ConfigDict(extra="forbid")
    design_weight: str = Field("design_weight", description="Column of the respondent file with design weights.")
    rake_on: list[str] = Field(default_factory=lambda: ["industry", "size", "region"],
                               description="Stratum variables raked to the margins file ([] = no raking).")
    max_iter: int = Field(200, ge=1, description="Most raking sweeps.")
    tol: float = Field(1e-8, gt=0, description="Convergence: largest |weighted share − target share|.")
    trim: TrimConfig | None = Field(default_factory=TrimConfig, description="Trimming (null = none).")


class SurveyConfig(BaseModel):
    """Respondent-level survey analytics: weights, shares with confidence intervals, checks."""

    model_config = ConfigDict(extra="forbid")
    respondents: str = Field("survey_respondents", description="Input name of the respondent-level file.")
    questionnaire: str = Field("survey_questionnaire", description="Input name of the questionnaire (questions × options).")
    margins: str | None = Field("survey_margins", description="Input name of the known population margins.")
    published: str | None = Field("survey_published", description="Input name of the published values and orderings.")
    strata: list[str] = Field(default_factory=lambda: ["industry", "size", "region"],
                              description="Stratum columns of the respondent file.")
    weighting: WeightingConfig = Field(default_factory=WeightingConfig)
    confidence: float = Field(0.95, gt=0.5, lt=1, description="Confidence level of the intervals.")
    weighted_method: Literal["linearised", "kish"] = Field(
        "linearised",
        description="Weighted interval: Wilson on the effective sample size from the linearised (Taylor) "
        "variance ('linearised') or from Kish's weighting design effect ('kish').")
    variance_strata: list[str] = Field(
        default_factory=lambda: ["size"],
        description="Stratum columns used as variance strata in the linearised variance ([] = none).")
    by: list[str] = Field(default_factory=lambda: ["industry", "size", "region"],
                          description="Stratum variables of the by-stratum tables.")
    top_k: int = Field(3, ge=1, description="k of the top-k share of ranked questions.")

    @model_validator(mode="after")
    def _consistent(self) -> SurveyConfig:
        for name, cols in (("weighting.rake_on", self.weighting.rake_on), ("variance_strata", self.variance_strata),
                           ("by", self.by)):
            bad = [c for c in cols if c not in self.strata]
            if bad:
                raise ValueError(f"{name} lists {', '.join(bad)}, which are not in strata ({', '.join(self.strata)})")
        if self.weighting.rake_on and self.margins is None:
            raise ValueError("raking needs a margins input (set margins: or weighting.rake_on: [])")
        return self
