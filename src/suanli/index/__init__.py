"""Composite-index engine: frameworks, steps, pipeline, audit, explain, assessments.

Public API (see docs/index.md):

* :func:`load_framework`, :func:`read_data` → :class:`Framework`, :class:`Panel`/:class:`Dataset`
* :class:`PipelineSpec`, :func:`build` → :class:`Result`
* registries :data:`NORMALISERS`, :data:`IMPUTERS`, :data:`TREATMENTS`, :data:`WEIGHTERS`,
  :data:`AGGREGATORS`
* :func:`aggregate_tree`, :func:`aggregate_tree_batch` (many weight vectors at once)
* :class:`Rescorer` (fast re-scoring for dashboards)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

# Public names and the module that defines each. They are imported on first use (PEP 562), so that
# ``import suanli.index`` (and the CLI's help) does not pull in pandas and scipy.
_EXPORTS = {
    "AGGREGATORS": "aggregate", "AggregationPlan": "aggregate", "aggregate_tree": "aggregate",
    "aggregate_tree_batch": "aggregate",
    "Dataset": "data", "Panel": "data", "read_data": "data",
    "Framework": "framework", "framework_from_coinr": "framework", "framework_json_schema": "framework",
    "load_framework": "framework",
    "IMPUTERS": "impute", "NORMALISERS": "normalise", "TREATMENTS": "treat", "WEIGHTERS": "weights",
    "PipelineSpec": "pipeline", "Result": "pipeline", "build": "pipeline", "default_spec": "pipeline",
    "framework_spec": "pipeline",
    "compare": "comparison",
}

__all__ = [
    "AGGREGATORS", "AggregationPlan", "Dataset", "Framework", "IMPUTERS", "NORMALISERS", "Panel",
    "PipelineSpec", "Result", "TREATMENTS", "WEIGHTERS", "aggregate_tree", "aggregate_tree_batch", "build",
    "compare", "default_spec", "framework_from_coinr", "framework_json_schema", "framework_spec",
    "load_framework", "read_data",
]

if TYPE_CHECKING:
    from .aggregate import AGGREGATORS, AggregationPlan, aggregate_tree, aggregate_tree_batch
    from .comparison import compare
    from .data import Dataset, Panel, read_data
    from .framework import Framework, framework_from_coinr, framework_json_schema, load_framework
    from .impute import IMPUTERS
    from .normalise import NORMALISERS
    from .pipeline import PipelineSpec, Result, build, default_spec, framework_spec
    from .treat import TREATMENTS
    from .weights import WEIGHTERS


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
