"""The ``assessments:`` section of edition.yaml: named composite-index assessments."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator


class AssessmentConfig(BaseModel):
    """One assessment: a framework, a data table and (optionally) a method overriding the framework's."""

    model_config = ConfigDict(extra="forbid")
    framework: str = Field(description="Name of the input holding the framework YAML or COINr metadata CSV.")
    data: str = Field(description="Name of the input holding the indicator table (wide or long).")
    method: list[dict[str, Any]] | None = Field(
        None, description="Pipeline steps; default: the framework's own 'method'.")
    years: list[int] | None = Field(None, description="Years to build; default all years in the data.")
    group: str | None = Field(None, description="Group column for within-group ranks.")
    title_zh: str = ""
    title_en: str = ""


class AssessmentsConfig(RootModel[dict[str, AssessmentConfig]]):
    """Assessments by name, e.g. ``city`` and ``industry``; tables are ``index_<name>_…``."""

    @field_validator("root")
    @classmethod
    def _names(cls, v: dict[str, AssessmentConfig]) -> dict[str, AssessmentConfig]:
        for k in v:
            if not k.replace("_", "").isalnum() or not k.isascii():
                raise ValueError(f"assessment name {k!r} must be ASCII letters, digits and underscores")
        return v

    def items(self):
        return self.root.items()
