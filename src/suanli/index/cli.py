"""``suanli index …``: build a composite index from a framework and a data table; explain a unit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated

import typer

from ..errors import ConfigError
from .methodfile import spec_with_overrides

app = typer.Typer(help="Composite indices: build from a framework and data; explain a unit's score.",
                  no_args_is_help=True)

DATASETS = ("denominated", "screened", "imputed", "treated", "normalised", "aggregated")


def _stack(a, name: str):
    import pandas as pd

    frames = []
    for y, r in a.results.items():
        if name == "aggregated":
            df = r.dataset("aggregated")
        else:
            key = name if name in r.data else None
            if key is None:  # step not in the method: the data set equals the one before it
                order = ["raw", *DATASETS]
                prior = [n for n in order[: order.index(name)] if n in r.data]
                key = prior[-1] if prior else "raw"
            df = r.dataset(key)
        df.insert(0, "year", y if y is not None else 0)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


@app.command("build")
def build_cmd(
    framework: Annotated[Path, typer.Argument(help="Framework YAML or COINr-style metadata CSV.")],
    data: Annotated[Path, typer.Argument(help="Indicator table (CSV/TSV/XLSX; wide or long).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")],
    method: Annotated[Path | None, typer.Option("--method", help="Method YAML: a list of steps.")] = None,
    normalise: Annotated[str | None, typer.Option("--normalise", help="Normalisation for every indicator.")] = None,
    aggregate: Annotated[str | None, typer.Option("--aggregate", help="Aggregation at every level.")] = None,
    dat_thresh: Annotated[float | None, typer.Option("--dat-thresh", help="Data-availability threshold (0-1).")] = None,
    year: Annotated[list[int] | None, typer.Option("--year", help="Year(s) to build (default all).")] = None,
) -> None:
    """Build FRAMEWORK × DATA into OUT: results.csv, every intermediate data set, audit.json."""
    from ..store import write_csv
    from .assess import run_assessment
    from .audit import audit, audit_json
    from .data import read_data
    from .framework import load_framework

    fw = load_framework(framework)
    panel = read_data(data, fw)
    spec = spec_with_overrides(fw, method, normalise, aggregate, dat_thresh)
    a = run_assessment(panel, spec, years=year or None)
    if not a.results:
        raise ConfigError(f"no data for year(s) {year}", hint=f"years in the data: {panel.year_list()}")
    out.mkdir(parents=True, exist_ok=True)
    res = a.long()
    write_csv(res, out / "results.csv")
    for name in DATASETS:
        write_csv(_stack(a, name), out / f"{name}.csv")
    write_csv(a.weights(), out / "weights.csv")
    write_csv(a.availability(), out / "availability.csv")
    aud = {str(y): audit_json(audit(r)) for y, r in a.results.items()}
    (out / "audit.json").write_text(json.dumps(aud, ensure_ascii=False, indent=1), encoding="utf-8")
    inputs = out / "inputs"
    inputs.mkdir(exist_ok=True)
    fcopy, dcopy = inputs / ("framework" + framework.suffix), inputs / ("data" + data.suffix)
    if framework.resolve() != fcopy.resolve():
        shutil.copyfile(framework, fcopy)
    if data.resolve() != dcopy.resolve():
        shutil.copyfile(data, dcopy)
    run = {"framework": fcopy.name, "data": dcopy.name, "method": spec.to_list(),
           "years": [y for y in a.results]}
    (out / "run.json").write_text(json.dumps(run, ensure_ascii=False, indent=1), encoding="utf-8")
    last = a.latest()
    typer.echo(f"built {fw.id}: {len(last.unit_ids)} units, {fw.n_ind} indicators, {fw.n_nodes - fw.n_ind} groups,"
               f" years {list(a.results)} → {out}")
    typer.echo("top 10: " + ", ".join(f"{i + 1}. {u}" for i, u in enumerate(last.order()[:10])))


@app.command("explain")
def explain_cmd(
    dir: Annotated[Path, typer.Argument(help="Output folder of 'suanli index build'.")],
    unit: Annotated[str, typer.Argument(help="Unit id or name.")],
    year: Annotated[int | None, typer.Option("--year", help="Year (default the latest).")] = None,
    top: Annotated[int, typer.Option(help="How many strengths and weaknesses.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Each indicator's contribution to UNIT's score and rank; strengths and weaknesses."""
    from .data import read_data
    from .explain import explain, explain_text
    from .framework import load_framework
    from .pipeline import PipelineSpec, build

    runf = dir / "run.json"
    if not runf.exists():
        raise ConfigError("not an index output folder (no run.json)", file=dir,
                          hint="run 'suanli index build … --out DIR' first")
    run = json.loads(runf.read_text(encoding="utf-8"))
    fw = load_framework(dir / "inputs" / run["framework"])
    panel = read_data(dir / "inputs" / run["data"], fw)
    y = year if year is not None else run["years"][-1]
    r = build(PipelineSpec.parse(run["method"]), panel[y], previous=panel.previous(y))
    e = explain(r, unit, top=top)
    if as_json:
        d = {k: (v.to_dict("records") if hasattr(v, "to_dict") else v) for k, v in e.items()}
        typer.echo(json.dumps(d, ensure_ascii=False, indent=1, default=float))
    else:
        typer.echo(explain_text(e))


@app.command("schema")
def schema_cmd(out: Annotated[Path | None, typer.Option("--out", "-o")] = None) -> None:
    """Print the JSON Schema of framework YAML files."""
    from .framework import framework_json_schema

    text = json.dumps(framework_json_schema(), ensure_ascii=False, indent=2)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
    else:
        typer.echo(text)


@app.command("methods")
def methods_cmd() -> None:
    """List every registered method by step."""
    from . import AGGREGATORS, IMPUTERS, NORMALISERS, TREATMENTS, WEIGHTERS

    for title, reg in [("normalise", NORMALISERS), ("impute", IMPUTERS), ("treat", TREATMENTS),
                       ("weight", WEIGHTERS), ("aggregate", AGGREGATORS)]:
        typer.echo(f"{title}: {', '.join(reg.names())}")


from .uncertainty.cli import uncertainty_cmd  # noqa: E402  (rank uncertainty and Sobol indices)

app.command("uncertainty")(uncertainty_cmd)
