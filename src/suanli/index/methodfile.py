"""Method choices of ``suanli index`` commands: a method YAML file (a list of steps) or the
framework's own method, with command-line overrides of the normalisation, the aggregation and the
data-availability threshold. Shared by ``index build`` and ``index uncertainty``."""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError


def spec_with_overrides(fw, method: Path | None, normalise: str | None, aggregate: str | None,
                        dat_thresh: float | None):
    """The pipeline spec for ``fw``: from ``method`` (YAML) or the framework, then the overrides."""
    from ..io.yamlload import load_yaml_file
    from .pipeline import PipelineSpec, framework_spec

    if method is not None:
        if not method.exists():
            raise ConfigError("method file not found", file=method)
        spec = PipelineSpec.parse(load_yaml_file(method), source=str(method))
    else:
        spec = framework_spec(fw)
    if normalise:
        spec = spec.replace("normalise", method=normalise, params={}, per_indicator={})
    if aggregate:
        spec = spec.replace("aggregate", method=aggregate, params={}, by_level={})
    if dat_thresh is not None:
        if not 0 <= dat_thresh <= 1:
            raise ConfigError(f"--dat-thresh must be between 0 and 1, got {dat_thresh}")
        spec = spec.replace("aggregate", dat_thresh=dat_thresh)
    return spec
