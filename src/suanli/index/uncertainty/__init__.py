"""Uncertainty and sensitivity of composite-index rankings.

* :class:`UncertaintySpec` — which choices vary (weights, normalisation, aggregation, imputation,
  outlier treatment, exclusion of one indicator, measurement noise) — checked against the pipeline.
* :func:`run_uncertainty` — vectorised Monte Carlo rank intervals and (``sobol: true``) Sobol S1/ST
  of every unit's rank and of the mean absolute rank shift, with bootstrap intervals; in-process or
  on Dask (:func:`open_client`).
* :func:`sobol_indices` — Saltelli/Jansen estimators on SALib's design, many outputs at once.

See docs/uncertainty.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...lazy import lazy_exports

# Imported on first use (PEP 562): ``import suanli.index.uncertainty`` stays cheap for the CLI.
_EXPORTS = {
    "open_client": "dask", "Prepared": "engine", "prepare": "engine", "rank_rows": "engine",
    "UncertaintyResult": "run", "run_uncertainty": "run", "sobol_indices": "sobol",
    "UncertaintySection": "spec", "UncertaintySpec": "spec",
}

__all__ = [
    "Prepared", "UncertaintyResult", "UncertaintySection", "UncertaintySpec", "open_client", "prepare",
    "rank_rows", "run_uncertainty", "sobol_indices",
]

if TYPE_CHECKING:
    from .dask import open_client
    from .engine import Prepared, prepare, rank_rows
    from .run import UncertaintyResult, run_uncertainty
    from .sobol import sobol_indices
    from .spec import UncertaintySection, UncertaintySpec


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
