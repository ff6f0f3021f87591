"""Composite-index engine (issue 3): frameworks, steps, pipeline, audit, explain, assessments.

Public API (see docs/index.md):

* :func:`load_framework`, :func:`read_data` → :class:`Framework`, :class:`Panel`/:class:`Dataset`
* :class:`PipelineSpec`, :func:`build` → :class:`Result`
* registries :data:`NORMALISERS`, :data:`IMPUTERS`, :data:`TREATMENTS`, :data:`WEIGHTERS`,
  :data:`AGGREGATORS`
* :func:`aggregate_tree`, :func:`aggregate_tree_batch` (many weight vectors at once)
* :class:`Rescorer` (fast re-scoring for dashboards)
"""

from .aggregate import AGGREGATORS, AggregationPlan, aggregate_tree, aggregate_tree_batch
from .data import Dataset, Panel, read_data
from .framework import Framework, framework_from_coinr, framework_json_schema, load_framework
from .impute import IMPUTERS
from .normalise import NORMALISERS
from .pipeline import PipelineSpec, Result, build, default_spec, framework_spec
from .treat import TREATMENTS
from .weights import WEIGHTERS

__all__ = [
    "AGGREGATORS", "IMPUTERS", "NORMALISERS", "TREATMENTS", "WEIGHTERS", "AggregationPlan", "Dataset",
    "Framework", "Panel", "PipelineSpec", "Result", "aggregate_tree", "aggregate_tree_batch", "build",
    "default_spec", "framework_from_coinr", "framework_json_schema", "framework_spec", "load_framework",
    "read_data",
]
