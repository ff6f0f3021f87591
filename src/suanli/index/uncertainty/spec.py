"""The uncertainty specification: which methodological choices vary, and how.

Every uncertain *input* (a Sobol factor) is one entry of ``inputs``, discriminated by ``kind``:

=========  ======================================================  =====================================
kind       what varies                                              sampled as
=========  ======================================================  =====================================
weights    weights of the nodes at ``levels``: ``uniform`` ×(1±p)   one U(0,1) per node
           or ``dirichlet`` around the nominal within siblings
normalise  the normalise step's method/params (``alternatives``)    one U(0,1) → floor(u·k)
aggregate  the aggregator at ``levels`` (default every level)       one U(0,1) → floor(u·k)
impute     the impute step's method/params (``none`` = skip)         one U(0,1) → floor(u·k)
treat      the treat step (``alternatives``; ``on_off`` = base/none) one U(0,1) → floor(u·k)
exclude    leave one indicator out (or none)                        one U(0,1) → floor(u·k)
noise      measurement noise on indicator values                    one U(0,1) → a random-field key
weight_    one of a list of pre-drawn weight sets (COINr's SA        one U(0,1) → floor(u·k)
sets       design with alternative weights)
=========  ======================================================  =====================================

An alternative is ``{method, params}``; without ``method`` it keeps the base step's method and
*merges* ``params`` into the base step's parameters (``{params: {winmax: 3}}``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ...errors import ConfigError, Problem


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Alternative(_M):
    """One choice of a discrete input."""

    method: str | None = Field(None, description="Method name; omitted = the base step's method.")
    params: dict[str, Any] = Field(default_factory=dict, description="Parameters (merged into the base "
                                                                     "step's when method is omitted).")
    label: str | None = Field(None, description="Short label for tables and charts.")

    def describe(self) -> str:
        if self.label:
            return self.label
        p = ",".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.method or '(base)'}" + (f"({p})" if p else "")


def _alts(v: Any) -> Any:
    if isinstance(v, list):
        return [{"method": a} if isinstance(a, str) else a for a in v]
    return v


class _Input(_M):
    name: str | None = Field(None, description="Factor name in outputs (default derived from kind).")


class WeightsInput(_Input):
    kind: Literal["weights"] = "weights"
    levels: list[int] = Field(description="Levels whose node weights vary (1 = indicators).")
    mode: Literal["uniform", "dirichlet"] = "uniform"
    spread: float = Field(0.25, gt=0, lt=1, description="uniform: each weight × U(1−spread, 1+spread).")
    concentration: float = Field(50.0, gt=0, description="dirichlet: α = concentration × nominal share "
                                                         "among siblings (larger = closer to nominal).")

    def label(self) -> str:
        return self.name or f"weights L{'+'.join(map(str, self.levels))}"


class _Discrete(_Input):
    alternatives: list[Alternative] = Field(default_factory=list)

    @field_validator("alternatives", mode="before")
    @classmethod
    def _strings(cls, v: Any) -> Any:
        return _alts(v)


class NormaliseInput(_Discrete):
    kind: Literal["normalise"] = "normalise"

    def label(self) -> str:
        return self.name or "normalisation"


class AggregateInput(_Discrete):
    kind: Literal["aggregate"] = "aggregate"
    levels: list[int] | None = Field(None, description="Levels of the aggregates whose method varies "
                                                       "(2 = groups of indicators); default all.")

    def label(self) -> str:
        return self.name or ("aggregation" + (f" L{'+'.join(map(str, self.levels))}" if self.levels else ""))


class ImputeInput(_Discrete):
    kind: Literal["impute"] = "impute"

    def label(self) -> str:
        return self.name or "imputation"


class TreatInput(_Discrete):
    kind: Literal["treat"] = "treat"
    on_off: bool = Field(False, description="Shorthand: alternatives = [the base treatment, none].")

    def label(self) -> str:
        return self.name or "outlier treatment"


class ExcludeInput(_Input):
    kind: Literal["exclude"] = "exclude"
    indicators: list[str] | None = Field(None, description="Candidates to leave out; default every indicator.")
    include_none: bool = Field(True, description="Also sample 'no indicator excluded'.")

    def label(self) -> str:
        return self.name or "exclude one indicator"


class NoiseInput(_Input):
    kind: Literal["noise"] = "noise"
    indicators: list[str] | dict[str, float] | None = Field(
        None, description="Indicators with noise (list, or id → sd); default every indicator.")
    sd: float | None = Field(None, ge=0, description="Noise sd for every listed indicator; omitted = each "
                                                     "indicator's noise_sd declared in the framework (else the "
                                                     "framework's default noise_sd).")
    relative_to: Literal["sd", "value"] = Field(
        "sd", description="sd: x + sd·σ_j·ε (σ_j the indicator's spread); value: x·(1 + sd·ε).")

    def label(self) -> str:
        return self.name or "measurement noise"


class WeightSetsInput(_Input):
    """Pre-drawn weight sets (COINr's SA design with a list of alternative weights): one discrete
    factor, each sample uses one whole set. A set maps node ids to weights; ids it does not name keep
    their nominal weight."""

    kind: Literal["weight_sets"] = "weight_sets"
    sets: list[dict[str, float]] = Field(min_length=2, description="Weight sets (id → weight), at least two.")

    @field_validator("sets")
    @classmethod
    def _nonnegative(cls, v: list[dict[str, float]]) -> list[dict[str, float]]:
        for i, s in enumerate(v):
            bad = [k for k, w in s.items() if not w >= 0]
            if bad:
                raise ValueError(f"set {i + 1}: weights must be finite and ≥ 0 ({', '.join(bad)})")
        return v

    def label(self) -> str:
        return self.name or "weight sets"


UncertainInput = Annotated[WeightsInput | NormaliseInput | AggregateInput | ImputeInput | TreatInput
                           | ExcludeInput | NoiseInput | WeightSetsInput, Field(discriminator="kind")]


class UncertaintySpec(_M):
    """What varies and how much to sample."""

    assessment: str | None = Field(None, description="The assessment this run is about (default: its key under "
                                                     "uncertainty.assessments); a different key makes a named "
                                                     "variant, e.g. city_method_only, with its own tables.")
    inputs: list[UncertainInput] = Field(description="Uncertain inputs (Sobol factors).")
    samples: int = Field(1000, ge=1, description="Monte Carlo samples (uncertainty analysis).")
    sobol: bool = Field(False, description="Also run a Saltelli design and estimate Sobol indices.")
    sobol_n: int = Field(512, ge=2, description="Base sample N of the Saltelli design: N·(factors+2) runs.")
    bootstrap: int = Field(100, ge=10, description="Bootstrap resamples for Sobol confidence intervals.")
    conf_level: float = Field(0.95, gt=0, lt=1)
    seed: int = Field(1, ge=0)
    top_k: int = Field(10, ge=1, description="P(rank ≤ top_k) is reported as p_top<k>.")
    nodes: list[str] | None = Field(None, description="Nodes whose rank intervals are reported (default the index).")
    year: int | None = Field(None, description="Year of the data (default the latest).")
    chunk_size: int = Field(8192, ge=1, description="Samples evaluated per batch (bounds memory).")

    @model_validator(mode="after")
    def _check(self) -> UncertaintySpec:
        if not self.inputs:
            raise ValueError("give at least one uncertain input")
        names = [i.label() for i in self.inputs]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"two inputs share the name(s) {sorted(dup)}; give each a distinct 'name'")
        kinds = [i.kind for i in self.inputs]
        for k in ("normalise", "impute", "treat", "exclude"):
            if kinds.count(k) > 1:
                raise ValueError(f"'{k}' appears twice among the inputs; declare its alternatives once")
        return self

    @classmethod
    def parse(cls, data: dict[str, Any] | UncertaintySpec, *, source: str | None = None) -> UncertaintySpec:
        if isinstance(data, UncertaintySpec):
            return data
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(problems=[
                Problem(f"uncertainty spec {'.'.join(str(x) for x in e['loc'])}: {e['msg']}", source)
                for e in exc.errors()]) from None


class UncertaintySection(BaseModel):
    """The ``uncertainty:`` section of edition.yaml: assessment name → specification."""

    model_config = ConfigDict(extra="forbid")
    assessments: dict[str, UncertaintySpec] = Field(
        default_factory=dict, description="Assessment name (as under 'assessments:') → uncertainty spec.")
