"""``suanli demand …``: the training and inference identities for one run or one service.

Numbers are read in the spellings of papers and model cards: 4.05e11, 405B, 15.6T, 2.788M, 1万亿,
6710亿; MFU as 0.4 or 40%.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Compute demand: FLOP and accelerator-hours of a training run, accelerators for a token volume.",
                  no_args_is_help=True)

Precision = Annotated[str, typer.Option(help="Precision of the peak the MFU refers to: bf16, fp16 or fp8.")]


def _count(text: str, option: str, *, positive: bool = True) -> float:
    from ..errors import InputError
    from ..units import UnitError, parse_count

    try:
        v = parse_count(text)
    except UnitError as exc:
        raise InputError(str(exc), column=option) from None
    if v is None or (positive and v <= 0):
        raise InputError(f"'{text}' must be a positive number", column=option,
                         hint="e.g. 405B, 15.6T, 4.05e11 or 1万亿")
    return v


def _share(text: str, option: str, *, upper: float | None = 1.0) -> float:
    from ..errors import InputError
    from ..units import UnitError, parse_number

    try:
        v = parse_number(text)
    except UnitError as exc:
        raise InputError(str(exc), column=option) from None
    if v is None or v <= 0 or (upper is not None and v > upper):
        rng = f"in (0, {upper:g}]" if upper is not None else "positive"
        raise InputError(f"'{text}' must be {rng}", column=option, hint="e.g. 0.4 or 40%")
    return v


def _peak(accelerator: str, precision: str):
    from ..capacity.catalog import Catalog
    from ..errors import InputError
    from .catalogue import accelerator_peak

    if precision not in ("bf16", "fp16", "fp8"):
        raise InputError(f"precision '{precision}' is not bf16, fp16 or fp8", column="--precision")
    cat = Catalog.bundled()
    try:
        model = cat.resolve(accelerator)
        peak, basis = accelerator_peak(cat, model, precision)
    except LookupError as exc:
        raise InputError(str(exc), column="--accelerator",
                         hint="see `suanli capacity resolve NAME`; for fp8 pick a part with an FP8 peak") from None
    tdp = float(cat.accelerators.set_index("model").loc[model, "tdp_w"])
    return model, peak, basis, tdp


def _emit(df, out: Path | None) -> None:
    from ..store import write_csv

    for c in df.columns:
        v = df[c].iloc[0]
        typer.echo(f"{c}\t{v:,.6g}" if isinstance(v, float) else f"{c}\t{v}")
    if out:
        write_csv(df, out)
        typer.echo(f"wrote {out}")


@app.command()
def training(
    params: Annotated[str, typer.Option("--params", help="Total parameters (405B, 4.05e11, 6710亿).")],
    tokens: Annotated[str, typer.Option("--tokens", help="Training tokens (15.6T, 1.56e13, 15.6万亿).")],
    accelerator: Annotated[str, typer.Option("--accelerator", help="Catalog accelerator name (H100 SXM, H800, 昇腾910B).")],
    mfu: Annotated[str, typer.Option("--mfu", help="Model FLOPs utilisation against the peak at --precision (0.4 or 40%).")],
    active: Annotated[str | None, typer.Option("--active", help="Active parameters per token for MoE (37B).")] = None,
    count: Annotated[str | None, typer.Option("--count", help="Accelerators in the cluster: adds days.")] = None,
    precision: Precision = "bf16",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Also write the result as CSV.")] = None,
) -> None:
    """FLOP = 6·N_active·D; accelerator-hours = FLOP / (peak × MFU × 3600); days with --count."""
    import pandas as pd

    from . import engine
    from .energy import accelerator_energy_mwh

    n = _count(params, "--params")
    na = _count(active, "--active") if active is not None else n
    if na > n:
        from ..errors import InputError

        raise InputError(f"--active {active} exceeds --params {params}", column="--active",
                         hint="active parameters are a subset of the total")
    d = _count(tokens, "--tokens")
    m = _share(mfu, "--mfu")
    model, peak, basis, tdp = _peak(accelerator, precision)
    flop = engine.training_flop(na, d)
    hours = engine.accelerator_hours(flop, peak * 1e12, m)
    k = _count(count, "--count") if count is not None else None
    mwh, ebasis = accelerator_energy_mwh(hours, tdp)
    df = pd.DataFrame([{
        "params": n, "active_params": na, "tokens": d, "accelerator": model, "precision": precision,
        "peak_tflops": peak, "peak_basis": basis, "mfu": m, "flop": flop, "accelerator_hours": hours,
        "accelerator_years": hours / engine.HOURS_PER_YEAR, "count": k if k is not None else float("nan"),
        "days": hours / k / 24 if k is not None else float("nan"), "energy_mwh": mwh, "energy_basis": ebasis,
        "formula": "flop = 6·N_active·D; hours = flop / (peak × mfu × 3600); days = hours / count / 24",
        "value_class": "derived"}])
    _emit(df, out)


@app.command()
def inference(
    tokens_per_day: Annotated[str, typer.Option("--tokens-per-day", help="Tokens served per day (100万亿, 1e14, 30T).")],
    active: Annotated[str, typer.Option("--active", help="Active parameters per token (37B).")],
    accelerator: Annotated[str, typer.Option("--accelerator", help="Catalog accelerator name.")],
    mfu: Annotated[str, typer.Option("--mfu", help="Achieved MFU against the peak at --precision (0.1 or 10%).")],
    peak_to_average: Annotated[str, typer.Option("--peak-to-average", help="Peak load ÷ average load (≥ 1).")] = "1",
    availability: Annotated[str, typer.Option("--availability", help="Share of accelerators in service.")] = "1",
    precision: Precision = "bf16",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Also write the result as CSV.")] = None,
) -> None:
    """FLOP/s = tokens/day ÷ 86,400 × 2·N_active × peak-to-average; accelerators = FLOP/s ÷ (peak × MFU × availability)."""
    import pandas as pd

    from ..errors import InputError
    from . import engine

    t = _count(tokens_per_day, "--tokens-per-day")
    na = _count(active, "--active")
    m = _share(mfu, "--mfu")
    r = _share(peak_to_average, "--peak-to-average", upper=None)
    if r < 1:
        raise InputError(f"--peak-to-average {peak_to_average} is below 1", column="--peak-to-average",
                         hint="the peak load is at least the average")
    a = _share(availability, "--availability")
    model, peak, basis, _ = _peak(accelerator, precision)
    fpt = engine.inference_flop_per_token(na)
    fps, acc = engine.inference_requirement(t, fpt, peak * 1e12, m, r, a)
    df = pd.DataFrame([{
        "tokens_per_day": t, "active_params": na, "flop_per_token": fpt, "accelerator": model,
        "precision": precision, "peak_tflops": peak, "peak_basis": basis, "mfu": m, "peak_to_average": r,
        "availability": a, "average_flop_per_second": fps / r, "flop_per_second": fps, "accelerators": acc,
        "formula": "flop_per_second = tokens/86400 × 2·N_active × peak_to_average; accelerators = flop_per_second "
                   "/ (peak × mfu × availability); attention FLOPs not included",
        "value_class": "derived"}])
    _emit(df, out)
