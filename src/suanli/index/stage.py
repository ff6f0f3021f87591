"""Build stage ``index``: every assessment of the edition → ``index_<name>_*`` tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..edition import Edition
from ..errors import ConfigError, InputError, stamp_location
from ..stage import BuildContext, Stage

if TYPE_CHECKING:  # the engine is imported where the stage validates or runs (see capacity/stage.py)
    from .config import AssessmentConfig
    from .data import Panel
    from .framework import Framework
    from .pipeline import PipelineSpec


def load_assessment(edition: Edition, name: str, cfg: AssessmentConfig) -> tuple[Framework, Panel, PipelineSpec]:
    """Framework, data panel and pipeline spec of one assessment of an edition."""
    from .data import read_data
    from .framework import load_framework
    from .pipeline import PipelineSpec, framework_spec

    for key in (cfg.framework, cfg.data):
        if key not in edition.inputs:
            raise ConfigError(f"assessment '{name}' refers to input '{key}', which is not declared under inputs:",
                              file=edition.root / "edition.yaml")
    fw = load_framework(edition.input_path(cfg.framework))
    panel = read_data(edition.input_path(cfg.data), fw)
    spec = PipelineSpec.parse(cfg.method, source=str(edition.root / "edition.yaml")) if cfg.method \
        else framework_spec(fw)
    return fw, panel, spec


class IndexStage(Stage):
    name = "index"
    standalone = True  # reads no other stage's tables

    def applies(self, edition: Edition) -> bool:
        return bool(getattr(edition, "assessments", None))

    def validate(self, edition: Edition) -> list[str]:
        lines = []
        for name, cfg in edition.assessments.items():  # type: ignore[union-attr]
            fw, panel, spec = load_assessment(edition, name, cfg)
            lines.append(f"assessment {name}: {fw.n_ind} indicators, {fw.n_nodes - fw.n_ind} groups, "
                         f"years {panel.year_list()}, {len(spec.steps)} steps")
        return lines

    def run(self, ctx: BuildContext) -> None:
        from ..store.value_class import replace_status_columns
        from .assess import run_assessment

        ed = ctx.edition
        for name, cfg in ed.assessments.items():
            fw, panel, spec = load_assessment(ed, name, cfg)
            synthetic = bool(ed.inputs[cfg.data].synthetic or ed.inputs[cfg.framework].synthetic)
            inputs = [cfg.framework, cfg.data]
            try:
                a = run_assessment(panel, spec, years=cfg.years)
            except ConfigError as exc:  # a method choice that cannot apply: the edition's method key
                raise stamp_location(exc, ed.file, f"assessments.{name}.method") from None
            except InputError as exc:  # a value the method cannot take (fracmax domain, ...): the data file
                raise stamp_location(exc, ed.input_path(cfg.data)) from None
            params = {"method": spec.to_list(), "framework": fw.id}
            long = a.long(cfg.group)
            long = replace_status_columns(long, synthetic=synthetic)
            common = dict(stage="index", params=params, inputs=inputs, synthetic=synthetic)
            ctx.store.write_table(f"index_{name}_results", long, method="composite index", **common,
                                  description=f"{cfg.title_en or name}: score, rank and rank change of every unit "
                                              "and node by year (long form)")
            ctx.store.write_table(f"index_{name}_weights", replace_status_columns(a.weights(), synthetic=synthetic),
                                  method="weights", **common,
                                  description="declared and effective weight of every node")
            ctx.store.write_table(f"index_{name}_audit", replace_status_columns(a.audit_table(), synthetic=synthetic),
                                  method="audit", **common,
                                  description="indicator statistics and flags by year")
            ctx.store.write_table(f"index_{name}_availability",
                                  replace_status_columns(a.availability(), synthetic=synthetic),
                                  method="availability", **common,
                                  description="data availability per unit and year")
            top = a.latest().order()[:10]
            ctx.log(f"index {name}: top {len(top)} = {', '.join(top)}")


STAGE = IndexStage()
