"""Editions as code: an ``edition.yaml`` declares the data files, method parameters and outputs
of one assessment; :func:`load_edition` validates it (pydantic) and :func:`edition_json_schema`
exports the JSON Schema that editors use for completion and checking.

Each domain owns its section model (``capacity/config.py``, ``index/config.py``, ...); this file
only assembles them, so a new section is one field here and one model in its own room.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .capacity.config import CapacityConfig
from .demand.config import DemandConfig
from .energy.config import EnergyConfig
from .errors import ConfigError, Problem
from .index.config import AssessmentsConfig
from .index.uncertainty.spec import UncertaintySection
from .limits import LIMITS
from .markets.config import MarketsConfig
from .opendata.config import OpenDataConfig
from .survey.config import SurveyConfig

#: Plausibility limits an edition may override (``limits:``), with their defaults
#: (:mod:`suanli.limits`; a test keeps the schemas' ``plausible_max`` in step).
PLAUSIBILITY_LIMITS: dict[str, float] = {k: v.default for k, v in LIMITS.items()}


class Text(BaseModel):
    """A bilingual string."""

    model_config = ConfigDict(extra="forbid")
    zh: str
    en: str


class InputFile(BaseModel):
    """One data file of the edition."""

    model_config = ConfigDict(extra="forbid")
    path: str = Field(description="Path relative to the edition folder (CSV, TSV or XLSX).")
    kind: str = Field(description="What the file holds, e.g. shipments, catalog, indicators, facts, survey.")
    synthetic: bool = Field(description="True when the data are generated, not observed. Shown on every output.")
    source: str = Field("", description="Where the data come from (citation or generator).")
    sheet: str | None = Field(None, description="Worksheet name for XLSX inputs.")

    @field_validator("path")
    @classmethod
    def _relative(cls, v: str) -> str:
        if Path(v).is_absolute() or ".." in Path(v).parts:
            raise ValueError("must be a path inside the edition folder (no absolute paths, no '..')")
        return v


class OutputsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tables_csv: bool = Field(True, description="Write every result table as CSV under tables/.")
    capacity_page: bool = Field(True, description="Write the capacity chart page (capacity.html).")
    report: bool = Field(True, description="Write the report (report.html, report.pdf, tables.xlsx, figures/).")


class Edition(BaseModel):
    """An assessment edition ("assessment as code")."""

    model_config = ConfigDict(extra="forbid")
    schema_version: Literal[1] = 1
    id: str = Field(description="Stable identifier, e.g. cn-2025.")
    year: int = Field(ge=2000, le=2100, description="Edition year.")
    title: Text
    publisher: str = ""
    synthetic: bool = Field(description="True if any input is synthetic; every output then says so.")
    notes: str = ""
    inputs: dict[str, InputFile] = Field(default_factory=dict)
    capacity: CapacityConfig | None = None
    energy: EnergyConfig | None = None
    demand: DemandConfig | None = None
    markets: MarketsConfig | None = None
    survey: SurveyConfig | None = None
    assessments: AssessmentsConfig | None = None
    uncertainty: UncertaintySection | None = None
    opendata: OpenDataConfig | None = None
    outputs: OutputsConfig = Field(default_factory=OutputsConfig)
    limits: dict[str, float] = Field(
        default_factory=dict,
        description="Plausibility limits by '<table>.<column>' (e.g. shipments.servers: 2000000): a value above "
                    "the limit is refused as a probable wrong magnitude or unit. Defaults in docs/reliability.md.")

    @field_validator("limits", mode="before")
    @classmethod
    def _no_limits(cls, v: Any) -> Any:
        return {} if v is None else v

    @field_validator("limits")
    @classmethod
    def _known_limits(cls, v: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(v) - set(PLAUSIBILITY_LIMITS))
        if unknown:
            raise ValueError(f"unknown limit(s) {unknown}; limits that can be set: {', '.join(PLAUSIBILITY_LIMITS)}")
        bad = [k for k, x in v.items() if not x > 0]
        if bad:
            raise ValueError(f"limits must be positive: {bad}")
        return v

    # filled by load_edition, not part of the file
    _root: Path | None = None
    _file: Path | None = None

    @property
    def file(self) -> Path:
        """The edition file itself (``edition.yaml`` unless loaded from another name)."""
        return self._file if self._file is not None else self.root / "edition.yaml"

    @property
    def root(self) -> Path:
        if self._root is None:
            raise RuntimeError("edition has no folder; load it with load_edition()")
        return self._root

    def input_path(self, name: str) -> Path:
        """The file of input ``name``, carrying its ``sheet:`` (see :mod:`suanli.io.paths`); refused
        if it (or a link on the way) resolves outside the edition folder."""
        if name not in self.inputs:
            raise ConfigError(
                f"refers to input '{name}', which is not declared under inputs:",
                file=self.file,
                hint=f"declared inputs: {', '.join(sorted(self.inputs)) or 'none'}",
            )
        p = self.root / self.inputs[name].path
        check_inside(p, self.root, self.file, f"inputs.{name}.path")
        from .io.paths import with_sheet

        # the path carries the input's worksheet (sheet:), so every reader reads that sheet
        return with_sheet(p, self.inputs[name].sheet)

    def input_hashes(self) -> dict[str, str]:
        out = {"edition.yaml": file_sha256(self.file)}
        for name in sorted(self.inputs):
            p = self.input_path(name)
            out[name] = file_sha256(p) if p.exists() else "missing"
        return out

    def parameters(self) -> dict[str, Any]:
        return json.loads(self.model_dump_json())


def check_inside(path: Path, root: Path, edition_file: Path | str, key: str) -> None:
    """Refuse a path that resolves (following every symbolic link) outside ``root``. The message
    names the edition key and the link, never anything read from the target."""
    try:
        real = path.resolve(strict=False)
        base = root.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        raise ConfigError(f"{key}: '{path.name}' is a symbolic link loop", file=edition_file, column=key,
                          hint="replace the link with the data file itself") from None
    if not real.is_relative_to(base):
        link = " (through a symbolic link)" if real != path.absolute() else ""
        raise ConfigError(
            f"{key}: '{path.relative_to(root) if path.is_relative_to(root) else path}' resolves outside the "
            f"edition folder{link}", file=edition_file, column=key,
            hint="copy the data file into the edition folder; inputs are read only from inside it, so an "
                 "edition cannot read other files on the machine")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def default_edition_dir() -> Path:
    """The bundled 2025 edition inside the installed package."""
    return Path(str(resources.files("suanli") / "data" / "editions" / "2025"))


def bundled_editions() -> list[str]:
    """Short names of the editions shipped inside the package (``2025``, ``open-2025``)."""
    root = Path(str(resources.files("suanli") / "data" / "editions"))
    return sorted(d.name for d in root.iterdir() if (d / "edition.yaml").is_file())


def load_edition(path: str | Path | None = None) -> Edition:
    """Load and validate an edition folder (or its ``edition.yaml``), or a bundled edition by its
    short name (``open-2025``) when no such folder exists here."""
    p = Path(path) if path is not None else default_edition_dir()
    if path is not None and not p.exists() and len(p.parts) == 1 and str(path) in bundled_editions():
        p = default_edition_dir().parent / str(path)
    if p.is_dir():
        p = p / "edition.yaml"
    if not p.exists():
        raise ConfigError("edition file not found", file=p, hint="give a folder containing edition.yaml")
    try:
        from .io.yamlload import load_yaml_file

        data = load_yaml_file(p)
    except UnicodeDecodeError:
        raise ConfigError("is not UTF-8 text", file=p, hint="save edition.yaml as UTF-8") from None
    if not isinstance(data, dict):
        raise ConfigError("must be a YAML mapping (key: value lines)", file=p)
    try:
        ed = Edition.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(problems=pydantic_problems(exc, p)) from None
    ed._root = p.parent.resolve()
    ed._file = p.resolve()
    for name in ed.inputs:
        ed.input_path(name)
    return ed


def pydantic_problems(exc: ValidationError, path: Path | str) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"])
        out.append(Problem(f"{loc}: {err['msg']}", str(path), None, loc or None))
    return out


def edition_json_schema() -> dict[str, Any]:
    schema = Edition.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "suanli edition.yaml"
    return schema
