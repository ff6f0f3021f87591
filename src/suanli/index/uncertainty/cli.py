"""``suanli index uncertainty FRAMEWORK DATA --samples N [--sobol] …`` (registered in ``index/cli.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ...errors import ConfigError, InputError, stamp_location


def default_inputs(fw: Any) -> list[dict[str, Any]]:
    """Without --spec: every weight level with siblings varies ×U(0.75, 1.25) (the JRC audit's ±25%)."""
    levels = [L for L in range(1, fw.max_level)
              if any(len(fw.children[fw.parent[i]]) > 1 for i in range(fw.n_nodes) if fw.level[i] == L)]
    if not levels:
        raise ConfigError("the framework has no sibling weights to vary; give --spec with the uncertain inputs")
    return [{"kind": "weights", "levels": levels, "spread": 0.25}]


def _read_yaml(path: Path, what: str) -> Any:

    if not path.exists():
        raise ConfigError(f"{what} file not found", file=path)
    from ...io.yamlload import load_yaml_file

    return load_yaml_file(path)


def uncertainty_cmd(
    framework: Annotated[Path, typer.Argument(help="Framework YAML or COINr-style metadata CSV.")],
    data: Annotated[Path, typer.Argument(help="Indicator table (CSV/TSV/XLSX; wide or long).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")],
    samples: Annotated[int, typer.Option("--samples", "-n", help="Monte Carlo samples.")] = 1000,
    sobol: Annotated[bool, typer.Option("--sobol", help="Also estimate Sobol S1/ST (Saltelli design).")] = False,
    sobol_n: Annotated[int | None, typer.Option("--sobol-n", help="Base N of the Saltelli design.")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (default: the spec's, else 1).")] = None,
    spec: Annotated[Path | None, typer.Option("--spec", help="Uncertainty spec YAML (inputs: …).")] = None,
    method: Annotated[Path | None, typer.Option("--method", help="Method YAML: a list of steps.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Year (default the latest).")] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Run on a local Dask cluster of N workers.")] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address.")] = None,
    chunk_size: Annotated[int | None, typer.Option("--chunk-size", help="Samples per batch.")] = None,
    top_k: Annotated[int | None, typer.Option("--top-k", help="Report P(rank ≤ k) (p_top10 always).")] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Worksheet of a workbook DATA (default: the first "
                                                              "visible worksheet with content).")] = None,
) -> None:
    """Rank intervals (and Sobol indices) under uncertain method choices → OUT/rank_intervals.csv, sobol.csv."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from ..data import read_data
    from ..framework import load_framework
    from ..methodfile import spec_with_overrides as pipeline_spec
    from .dask import open_client
    from .run import run_uncertainty
    from .spec import UncertaintySpec

    if workers is not None and scheduler is not None:
        raise ConfigError("give either --workers or --scheduler, not both")
    fw = load_framework(framework)
    panel = read_data(data, fw, sheet=sheet)
    pipe = pipeline_spec(fw, method, None, None, None)
    raw: dict[str, Any] = _read_yaml(spec, "uncertainty spec") if spec else {}
    if not isinstance(raw, dict):
        raise ConfigError("the uncertainty spec must be a mapping with 'inputs:'", file=spec)
    if isinstance(raw.get("uncertainty"), dict):
        raw = raw["uncertainty"]
    raw = dict(raw)
    raw.setdefault("inputs", default_inputs(fw))
    raw["samples"] = samples
    raw["sobol"] = sobol or bool(raw.get("sobol", False))
    for k, v in (("sobol_n", sobol_n), ("seed", seed), ("year", year), ("top_k", top_k), ("chunk_size", chunk_size)):
        if v is not None:
            raw[k] = v
    us = UncertaintySpec.parse(raw, source=str(spec) if spec else "command line")
    y = us.year if us.year is not None else panel.year_list()[-1]
    ds = panel[y]
    long_run = samples + (us.sobol_n * (len(us.inputs) + 2) if us.sobol else 0) >= 20_000 or bool(workers or scheduler)
    with open_client(workers, scheduler) as client, Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            disable=not long_run, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(f"{phase} (chunks)", total=total)
            bar.update(tasks[phase], completed=done)

        try:
            res = run_uncertainty(us, ds, pipe, previous=panel.previous(y), client=client, progress=progress)
        except ConfigError as exc:  # a choice of the spec or method that cannot apply
            if spec or method:
                stamp_location(exc, spec or method)
            raise
        except InputError as exc:  # a value the method cannot take: the data table
            raise stamp_location(exc, data) from None
    files = res.write(out)
    ri = res.rank_intervals()
    ri = ri[ri["node_id"] == fw.root_id]
    typer.echo(f"{fw.id}: {len(res.prepared.unit_ids)} units, {samples} samples"
               + (f", Sobol N={us.sobol_n} ({len(res.sobol_outputs[1])} runs)" if res.sobol_outputs else "")
               + f" → {out}")
    moved = (ri["rank_shift"].abs() <= 3).mean()
    typer.echo(f"{moved:.0%} of units have a median rank within ±3 of the nominal rank; files: "
               + ", ".join(p.name for p in files))
