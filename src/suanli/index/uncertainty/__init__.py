"""Uncertainty and sensitivity of composite-index rankings (issue 4).

* :class:`UncertaintySpec` — which choices vary (weights, normalisation, aggregation, imputation,
  outlier treatment, exclusion of one indicator, measurement noise) — checked against the pipeline.
* :func:`run_uncertainty` — vectorised Monte Carlo rank intervals and (``sobol: true``) Sobol S1/ST
  of every unit's rank and of the mean absolute rank shift, with bootstrap intervals; in-process or
  on Dask (:func:`open_client`).
* :func:`sobol_indices` — Saltelli/Jansen estimators on SALib's design, many outputs at once.

See docs/uncertainty.md.
"""

from .dask import open_client
from .engine import Prepared, prepare, rank_rows
from .run import UncertaintyResult, run_uncertainty
from .sobol import sobol_indices
from .spec import UncertaintySection, UncertaintySpec

__all__ = ["Prepared", "UncertaintyResult", "UncertaintySection", "UncertaintySpec", "open_client", "prepare",
           "rank_rows", "run_uncertainty", "sobol_indices"]
