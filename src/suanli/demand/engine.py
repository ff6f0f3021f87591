"""Demand arithmetic and the vectorised Monte Carlo of demand against supply (numpy only, no I/O).

Identities (Kaplan et al. 2020; Hoffmann et al. 2022; PaLM's MFU definition):

* training compute C = 6 · N_active · D (dense: N_active = N; the 2ND forward + 4ND backward);
* accelerator-hours = C / (peak × MFU × 3600), peak = dense FLOP/s at the precision the MFU refers to;
* inference FLOPs per token = 2 · N_active + 2 · n_layer · n_ctx · d_attn (forward pass with attention);
* prefill (computed input tokens) and decode (output tokens) run at different MFU; cached input tokens
  skip prefill;
* peak capacity a workload occupies = model FLOP/s ÷ MFU ÷ availability (× peak-to-average for a
  service that must meet its peak). Each factor is applied once.

:func:`simulate` evaluates the national series for every draw at once: arrays (draws × years).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SECONDS_PER_DAY = 86_400.0
SECONDS_PER_YEAR = 365.25 * SECONDS_PER_DAY
HOURS_PER_YEAR = SECONDS_PER_YEAR / 3600.0


# ---------------------------------------------------------------------------------------- runs
def training_flop(active_params: float | np.ndarray, tokens: float | np.ndarray) -> float | np.ndarray:
    """C = 6 · N_active · D."""
    return 6.0 * active_params * tokens


def accelerator_hours(flop: float | np.ndarray, peak_flops: float | np.ndarray, mfu: float | np.ndarray,
                      ) -> float | np.ndarray:
    """Accelerator-hours to do ``flop`` at ``mfu`` of a ``peak_flops`` (FLOP/s) peak."""
    return flop / (peak_flops * mfu * 3600.0)


def flop_from_hours(hours: float, peak_flops: float, mfu: float) -> float:
    """The inverse: model FLOP done by ``hours`` accelerator-hours at ``mfu``."""
    return hours * 3600.0 * peak_flops * mfu


def inference_flop_per_token(active_params: float | np.ndarray, layers: float | np.ndarray = 0,
                             context: float | np.ndarray = 0, d_attn: float | np.ndarray = 0,
                             ) -> float | np.ndarray:
    """Forward FLOPs per token: 2 · N_active + 2 · n_layer · n_ctx · d_attn."""
    return 2.0 * active_params + 2.0 * layers * context * d_attn


def inference_requirement(tokens_per_day: float, flop_per_token: float, peak_flops: float, mfu: float,
                          peak_to_average: float = 1.0, availability: float = 1.0) -> tuple[float, float]:
    """Model FLOP/s to provision (average × peak-to-average) and the accelerators that deliver it."""
    fps = tokens_per_day / SECONDS_PER_DAY * flop_per_token * peak_to_average
    return fps, fps / (peak_flops * mfu * availability)


def kv_elements_mha(layers: int, heads: int, head_dim: int) -> int:
    """KV-cache elements per token of multi-head (or grouped-query, with KV heads) attention: 2·l·h·d."""
    return 2 * layers * heads * head_dim


def kv_elements_mla(layers: int, latent_dim: int, rope_dim: int) -> int:
    """KV-cache elements per token of multi-head latent attention: l · (d_c + d_rope)."""
    return layers * (latent_dim + rope_dim)


# ---------------------------------------------------------------------------------------- draws
def draw(value: float, low: float, high: float, dist: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` draws of one uncertain parameter."""
    if dist == "fixed" or low == high:
        return np.full(n, float(value))
    if dist == "uniform":
        return rng.uniform(low, high, n)
    if dist == "loguniform":
        return np.exp(rng.uniform(np.log(low), np.log(high), n))
    return rng.triangular(low, value, high, n)


def triangular_ppf(u: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Inverse CDF of a triangular distribution (broadcasting), for draws that share one uniform."""
    width = np.where(high > low, high - low, 1.0)
    c = np.clip((mode - low) / width, 0.0, 1.0)
    left = low + np.sqrt(u * width * (mode - low))
    right = high - np.sqrt((1 - u) * width * (high - mode))
    out = np.where(u < c, left, right)
    return np.where(high > low, out, mode)


# ---------------------------------------------------------------------------------------- tokens
def fractional_year(dates) -> np.ndarray:
    """Dates → fractional years (2025-07-02 ≈ 2025.5)."""
    import pandas as pd  # local: engine stays importable without pandas for the numeric core

    d = pd.to_datetime(pd.Series(dates))
    start = pd.to_datetime(d.dt.year.astype(str) + "-01-01")
    days = np.where(d.dt.is_leap_year, 366.0, 365.0)
    return (d.dt.year + (d - start).dt.days / days).to_numpy(dtype=float)


@dataclass
class TokenPath:
    """Year averages of a log-linear path through dated anchors, split so back-cast growth can vary.

    average(y) = known[y] + T0 · (g^(b_y − t0) − g^(a_y − t0)) / ln g, where [a_y, b_y) is the part of
    year y before the first anchor t0 (empty after it), and known[y] the part from t0 on.
    """

    years: np.ndarray
    known: np.ndarray  # year-average contribution of the interpolated/extrapolated part
    pre_a: np.ndarray
    pre_b: np.ndarray
    t0: float
    v0: float
    basis: list[str]

    def averages(self, growth: np.ndarray) -> np.ndarray:
        """(draws × years) average tokens per day for back-cast growth rates ``growth`` (draws,)."""
        g = np.asarray(growth, dtype=float)[:, None]
        lg = np.log(g)
        pre = self.v0 * (np.exp(lg * (self.pre_b - self.t0)) - np.exp(lg * (self.pre_a - self.t0))) / lg
        return self.known[None, :] + np.where(self.pre_b > self.pre_a, pre, 0.0)


def token_path(times: np.ndarray, values: np.ndarray, years: np.ndarray, steps: int = 365) -> TokenPath:
    """Build the :class:`TokenPath` for anchors at fractional ``times`` with ``values`` (tokens/day)."""
    order = np.argsort(times)
    t, v = np.asarray(times, float)[order], np.asarray(values, float)[order]
    if len(t) == 0 or (v <= 0).any():
        raise ValueError("token anchors need at least one positive value")
    lv = np.log(v)
    slope_end = (lv[-1] - lv[-2]) / (t[-1] - t[-2]) if len(t) > 1 else 0.0
    known = np.zeros(len(years))
    pre_a = np.zeros(len(years))
    pre_b = np.zeros(len(years))
    basis = []
    for i, y in enumerate(years):
        grid = y + (np.arange(steps) + 0.5) / steps
        after = grid >= t[0]
        g = grid[after]
        lg = np.interp(g, t, lv)
        beyond = g > t[-1]
        lg[beyond] = lv[-1] + slope_end * (g[beyond] - t[-1])
        known[i] = np.exp(lg).sum() / steps
        pre_a[i], pre_b[i] = y, min(float(y + 1), t[0]) if y < t[0] else float(y)
        if y + 1 <= t[0]:
            basis.append("back-cast before the first anchor")
        elif y < t[0]:
            basis.append("part back-cast, part interpolated")
        elif y + 1 > t[-1]:
            basis.append("interpolated, extrapolated beyond the last anchor")
        else:
            basis.append("interpolated between anchors (log-linear)")
    return TokenPath(np.asarray(years), known, pre_a, pre_b, float(t[0]), float(v[0]), basis)


# ---------------------------------------------------------------------------------------- model
@dataclass
class Prepared:
    """Everything the simulation needs that does not vary by draw."""

    years: np.ndarray
    train_base: np.ndarray      # national-series FLOP per year before coverage × experiments (NaN before first)
    first_year: int             # first year with a catalogued (or trend) value
    first_value: float          # its FLOP
    tokens: TokenPath
    flop_per_token: np.ndarray  # per model class (K,)
    flop_per_token_ref: float   # DeepSeek-V3's, for the empirical method
    tau_ref: float              # measured tokens per accelerator-day (reference operator)
    peak_ref: float             # FP16-equivalent dense FLOP/s of the reference accelerator
    supply_mid: np.ndarray      # EFLOPS per year
    supply_lo: np.ndarray
    supply_hi: np.ndarray
    method: str = "flops"


def simulate(p: Prepared, d: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Every series for every draw. ``d`` holds one array of draws per parameter (see DRAW_KEYS) and
    ``mix`` (draws × classes, rows summing to 1). Returns arrays of shape (draws × years), EFLOPS."""
    n = len(d["train_mfu"])
    years = p.years[None, :].astype(float)
    # training: national FLOP per year
    before = years < p.first_year
    back = p.first_value * np.exp(np.log(d["train_backcast_growth"])[:, None] * (years - p.first_year))
    base = np.where(before, back, np.broadcast_to(p.train_base, (n, len(p.years))))
    train_flop = base * d["coverage"][:, None] * d["experiments_multiplier"][:, None]
    training = train_flop / (SECONDS_PER_YEAR * d["train_mfu"][:, None] * d["train_availability"][:, None]) / 1e18
    # inference: tokens → model FLOP/s → peak capacity
    tokens = p.tokens.averages(d["token_backcast_growth"]) * d["token_scale"][:, None]
    out = tokens * d["output_share"][:, None]
    computed_in = tokens * (1 - d["output_share"][:, None]) * (1 - d["cached_share"][:, None])
    fpt = (d["mix"] @ p.flop_per_token)[:, None]
    prefill = computed_in * fpt / SECONDS_PER_DAY
    decode = out * fpt / SECONDS_PER_DAY
    scale = d["peak_to_average"][:, None] / d["inf_availability"][:, None]
    inf_flops = (prefill / d["mfu_prefill"][:, None] + decode / d["mfu_decode"][:, None]) * scale / 1e18
    tau = p.tau_ref * d["empirical_scale"][:, None]
    if p.flop_per_token_ref > 0:
        tau = tau * (p.flop_per_token_ref / fpt)
    inf_emp = tokens / tau * p.peak_ref * scale / 1e18
    inference = inf_flops if p.method == "flops" else inf_emp
    supply = triangular_ppf(d["supply_u"][:, None], p.supply_lo[None, :], p.supply_mid[None, :], p.supply_hi[None, :])
    demand = training + inference
    return {"training_eflops": training, "inference_eflops": inference, "demand_eflops": demand,
            "supply_eflops": supply, "implied_utilisation": demand / supply,
            "inference_share": inference / demand, "inference_flops_method_eflops": inf_flops,
            "inference_empirical_method_eflops": inf_emp, "tokens_per_day": tokens, "training_flop": train_flop,
            "flop_per_token": np.broadcast_to(fpt, tokens.shape)}


DRAW_KEYS = ("train_mfu", "train_availability", "experiments_multiplier", "coverage", "train_backcast_growth",
             "token_scale", "token_backcast_growth", "output_share", "cached_share", "peak_to_average",
             "mfu_prefill", "mfu_decode", "inf_availability", "empirical_scale")


def summarise(res: dict[str, np.ndarray], q: tuple[float, float] = (0.05, 0.95)) -> dict[str, np.ndarray]:
    """Median and the 90% interval of every series, per year."""
    out = {}
    for k, v in res.items():
        lo, med, hi = np.quantile(v, [q[0], 0.5, q[1]], axis=0)
        out[k], out[f"{k}_lo"], out[f"{k}_hi"] = med, lo, hi
    return out


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Rank correlation (average ranks not needed: continuous draws have no ties)."""
    rx = np.argsort(np.argsort(x)).astype(float)
    ry = np.argsort(np.argsort(y)).astype(float)
    rx -= rx.mean()
    ry -= ry.mean()
    den = np.sqrt((rx ** 2).sum() * (ry ** 2).sum())
    return float((rx * ry).sum() / den) if den > 0 else 0.0
