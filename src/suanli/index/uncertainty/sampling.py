"""Sample designs on the unit hypercube, and the map from U(0,1) to choices.

* Plain Monte Carlo: sample ``i`` is row ``i mod 1024`` of block ``i // 1024``, and block ``b`` is
  drawn from ``SeedSequence(seed, spawn_key=(0, b))``. A sample's numbers therefore depend only on
  the seed and its global index, never on how the samples are chunked or which worker runs them.
* Saltelli/Sobol': SALib's ``sobol.sample`` (scrambled Sobol' sequence, ``calc_second_order=False``),
  with SALib *groups* so that a multi-dimensional input (the weights of a level) is one factor.
  Rows come in blocks of ``G + 2`` per base point: ``A, AB_1 … AB_G, B``.
* Discrete choices: ``floor(u·k)`` (clipped to ``k − 1``), as recommended for COINr-style inputs.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

BLOCK = 1024


@dataclass
class Factor:
    """One uncertain input = one Sobol factor, occupying ``dims`` columns of the design."""

    name: str
    kind: str
    dims: int
    offset: int = 0
    choices: list[str] = field(default_factory=list)   # labels of discrete choices

    @property
    def cols(self) -> slice:
        return slice(self.offset, self.offset + self.dims)


def choice(u: np.ndarray, k: int) -> np.ndarray:
    """Map U(0,1) to {0, …, k−1} with ``floor(u·k)``."""
    return np.minimum((np.asarray(u) * k).astype(np.int64), k - 1)


def mc_design(seed: int, n_dims: int, start: int, stop: int) -> np.ndarray:
    """Rows ``start … stop−1`` of the plain Monte Carlo design (chunk-independent, see module doc)."""
    out = np.empty((stop - start, n_dims))
    if stop <= start:
        return out
    for b in range(start // BLOCK, (stop - 1) // BLOCK + 1):
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(0, b))))
        blk = rng.random((BLOCK, n_dims))
        lo, hi = max(start, b * BLOCK), min(stop, (b + 1) * BLOCK)
        out[lo - start:hi - start] = blk[lo - b * BLOCK:hi - b * BLOCK]
    return out


def salib_problem(factors: list[Factor]) -> dict:
    names, groups = [], []
    for f in factors:
        for j in range(f.dims):
            names.append(f"{f.name}[{j}]" if f.dims > 1 else f.name)
            groups.append(f.name)
    prob = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    if any(f.dims > 1 for f in factors):
        prob["groups"] = groups
    return prob


def sobol_design(factors: list[Factor], n: int, seed: int) -> np.ndarray:
    """SALib's Saltelli design: ``n·(G+2)`` rows (G = number of factors), one column per dimension."""
    from SALib.sample import sobol

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib warns when n is not a power of 2
        X = np.asarray(sobol.sample(salib_problem(factors), n, calc_second_order=False, seed=seed), float)
    G = len(factors)
    if len(X) == n * (G + 2):
        return X
    # SALib drops a single group (then AB swaps each dimension): rebuild A, AB_g, B from its A and B
    blk = X.reshape(n, -1, X.shape[1])
    A, B = blk[:, 0], blk[:, -1]
    out = np.empty((n, G + 2, X.shape[1]))
    out[:, 0], out[:, -1] = A, B
    for g, f in enumerate(factors):
        out[:, g + 1] = A
        out[:, g + 1, f.cols] = B[:, f.cols]
    return out.reshape(-1, X.shape[1])
