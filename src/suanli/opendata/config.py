"""The ``opendata:`` section of edition.yaml."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OpenDataConfig(BaseModel):
    """Names of the inputs holding the sourced statements of an open-data edition."""

    model_config = ConfigDict(extra="forbid")
    facts: str = Field(description="Input with one row per stated value (table, key, value, unit, year, date, "
                                   "source, url, source_kind, quote).")
    cities: str = Field(description="Input listing the cities (unit_id, unit_name, province, region).")
    centres: str = Field(description="Input with the announced intelligent-computing centres, one row per project "
                                     "(the package's dataset src/suanli/data/capacity/intelligent_computing_centres."
                                     "csv, copied into the edition by scripts/derive_open_data.py).")
    area_totals: str | None = Field(None, description="Input with city and cluster totals a source states (kind "
                                                      "city_total / cluster_aggregate), not projects.")
    anchors: str = Field(description="Input with the national compute totals by date and definition.")
    indicators: str = Field(description="Input with the derived city indicator table the assessment reads; the "
                                        "build re-derives it from the facts and refuses a file that differs.")
    seed_ranking: str | None = Field(None, description="Input with the seed report's published city ranks.")
    assessment: str = Field("city", description="Assessment (under assessments:) built from the indicators.")
    year: int = Field(2024, description="Year the city indicator table is filed under.")
    min_coverage: float = Field(0.7, ge=0, le=1, description="Build fails when fewer city × indicator cells "
                                                                 "come from sources.")
    extra_sources: list[str] = Field(default_factory=list, description="Further inputs of kind facts (market "
                                     "facts with id/value/quote/source columns) listed in the sources table.")
