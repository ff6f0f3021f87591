"""``suanli index …``: build a composite index from a framework and a data table; explain a unit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated

import typer

from ..errors import ConfigError, InputError, stamp_location
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


def _describe_step(st, from_metadata: bool) -> str:
    d = st.model_dump(exclude_defaults=True)
    d.pop("step", None)
    method = d.pop("method", None) or getattr(st, "method", None)
    text = f"{st.step}" + (f": {method}" if method else "")
    if d:
        text += " (" + ", ".join(f"{k}={v}" for k, v in sorted(d.items())) + ")"
    if st.step == "treat" and from_metadata:
        text += (" - applied by default to a COINr metadata-table import, as COINr's default pipeline "
                 "does; add --treat none to skip it")
    return text


def _stamp_file(exc: InputError, file: Path) -> InputError:
    """Problems raised by the pipeline name no file; they come from the data table."""
    return stamp_location(exc, file)


def _exclusion(panel, spec, ids: list[str], years, fw):
    """COINr's remove_elements: the index without each element (and without all of them), as rank
    changes of the index against the full build. Zero weight drops a node exactly as COINr's
    skip-and-renormalise rule drops a missing child."""
    import numpy as np
    import pandas as pd

    from .assess import run_assessment
    def variant(drop: list[str]):
        st = spec.steps[spec.find("aggregate")]
        return spec.replace("aggregate", weights={**st.weights, **{k: 0.0 for k in drop}})

    full = run_assessment(panel, spec, years=years)
    r0 = full.latest()
    base_rank = r0.rank()
    per = []
    for k in ids:
        rk = run_assessment(panel, variant([k]), years=years).latest().rank()
        d = (base_rank - rk.reindex(base_rank.index)).abs()
        per.append({"removed": k, "mean_abs_rank_change": float(np.nanmean(d)),
                    "max_abs_rank_change": float(np.nanmax(d)) if len(d) else 0.0,
                    "units_moved": int((d > 0).sum()), "value_class": "derived"})
    reduced = run_assessment(panel, variant(ids), years=years)
    rr = reduced.latest().rank().reindex(base_rank.index)
    units = pd.DataFrame({"unit_id": base_rank.index, "rank_full": base_rank.to_numpy(),
                          "rank_without": rr.to_numpy()})
    units["rank_change"] = units["rank_full"] - units["rank_without"]
    units["value_class"] = "derived"
    return reduced, pd.DataFrame(per), units


@app.command("build")
def build_cmd(
    framework: Annotated[Path, typer.Argument(help="Framework YAML or COINr-style metadata CSV.")],
    data: Annotated[Path, typer.Argument(help="Indicator table (CSV/TSV/XLSX; wide or long).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (replaced as a whole when the build "
                                                         "succeeds; never left half-written).")],
    method: Annotated[Path | None, typer.Option("--method", help="Method YAML: a list of steps.")] = None,
    normalise: Annotated[str | None, typer.Option("--normalise", help="Normalisation for every indicator.")] = None,
    aggregate: Annotated[str | None, typer.Option("--aggregate", help="Aggregation at every level.")] = None,
    dat_thresh: Annotated[float | None, typer.Option("--dat-thresh", help="Data-availability threshold (0-1).")] = None,
    treat: Annotated[str | None, typer.Option("--treat", help="Outlier treatment: a method name, or 'none' to "
                                                              "skip the treat step.")] = None,
    exclude: Annotated[str | None, typer.Option("--exclude", help="Indicator or aggregate ids to remove "
                                                                  "(ID[,ID...]); the rank changes are reported.")] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Worksheet of a workbook DATA (default: the first "
                                                              "visible one with content).")] = None,
    year: Annotated[list[int] | None, typer.Option("--year", help="Year(s) to build (default all).")] = None,
) -> None:
    """Build FRAMEWORK × DATA into OUT: results.csv, every intermediate data set, treatment.csv,
    screening.csv, audit.json (and exclusion.csv with --exclude)."""
    import numpy as np
    import pandas as pd

    from ..store import atomic_swap, recover, staging_dir, write_csv
    from .assess import run_assessment
    from .audit import audit, audit_json
    from .data import read_data
    from .framework import load_framework
    from .pipeline import ScreenStep, _screen

    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "run.json").exists())):
        raise ConfigError("exists and is not an index output folder (no run.json)", file=out,
                          hint="choose a new or empty folder: the output folder is replaced as a whole")
    fw = load_framework(framework)
    panel = read_data(data, fw, sheet=sheet)
    spec = spec_with_overrides(fw, method, normalise, aggregate, dat_thresh)
    from_metadata = method is None and not fw.method and framework.suffix.lower() in (".csv", ".tsv", ".xlsx", ".txt")
    if treat is not None:
        if treat == "none":
            spec = spec.without("treat")
        elif any(s.step == "treat" for s in spec.steps):
            spec = spec.replace("treat", method=treat, params={}, per_indicator={})
        else:
            spec = spec.with_step({"step": "treat", "method": treat}, before="normalise")
        from_metadata = False
    ids = [x.strip() for x in (exclude or "").split(",") if x.strip()]
    unknown = [k for k in ids if k not in fw.index]
    if unknown:
        import difflib

        near = {k: difflib.get_close_matches(k, fw.ids, n=1) for k in unknown}
        raise ConfigError(f"--exclude: not in the framework: {', '.join(unknown)}",
                          hint="; ".join(f"{k}: did you mean {v[0]}?" for k, v in near.items() if v)
                          or f"ids: {', '.join(fw.ids[:20])} …")
    if fw.root_id in ids:
        raise ConfigError("--exclude cannot remove the index itself", hint="name indicators or aggregates")
    try:
        a = run_assessment(panel, spec, years=year or None)
        if not a.results:
            raise ConfigError(f"no data for year(s) {year}", hint=f"years in the data: {panel.year_list()}")
        excl = _exclusion(panel, spec, ids, year or None, fw) if ids else None
        if excl is not None:
            a = excl[0]
        auds = {str(y): audit_json(audit(r)) for y, r in a.results.items()}
    except InputError as exc:
        raise _stamp_file(exc, data) from None
    typer.echo("steps run, in order:")
    for i, st in enumerate(spec.steps, 1):
        typer.echo(f"  {i}. {_describe_step(st, from_metadata)}")
    recover(out)
    staging = staging_dir(out)
    try:
        write_csv(a.long(), staging / "results.csv")
        for name in DATASETS:
            write_csv(_stack(a, name), staging / f"{name}.csv")
        write_csv(a.weights(), staging / "weights.csv")
        write_csv(a.availability(), staging / "availability.csv")
        treat_rows, screen_rows = [], []
        for y, r in a.results.items():
            t = next((v for k, v in r.details.items() if k.startswith("treated")), None)
            if t is not None:
                t = t.copy()
                t.insert(0, "year", y if y is not None else 0)
                treat_rows.append(t)
            sc = next((v for k, v in r.details.items() if k.startswith("screened")), None)
            if sc is None:  # no screen step: every unit kept; availability shown all the same
                raw = r.data["raw"]
                _m, sc = _screen(raw.X, raw.unit_ids, ScreenStep(dat_thresh=0.0))
                sc["screen_step"] = False
            else:
                sc = sc.copy()
                sc["screen_step"] = True
            sc.insert(0, "year", y if y is not None else 0)
            screen_rows.append(sc)
        tcols = ["year", "indicator_id", "skew", "kurt", "pass", "n_points"]
        treatment = pd.concat(treat_rows, ignore_index=True) if treat_rows else pd.DataFrame(columns=tcols)
        treatment["value_class"] = "derived"
        write_csv(treatment, staging / "treatment.csv")
        screening = pd.concat(screen_rows, ignore_index=True)
        screening["value_class"] = "derived"
        write_csv(screening, staging / "screening.csv")
        if excl is not None:
            write_csv(excl[1], staging / "exclusion_elements.csv")
            write_csv(excl[2], staging / "exclusion.csv")
        (staging / "audit.json").write_text(json.dumps(auds, ensure_ascii=False, indent=1), encoding="utf-8")
        inputs = staging / "inputs"
        inputs.mkdir()
        fcopy, dcopy = inputs / ("framework" + framework.suffix), inputs / ("data" + data.suffix)
        shutil.copyfile(framework, fcopy)
        shutil.copyfile(data, dcopy)
        run = {"framework": fcopy.name, "data": dcopy.name, "sheet": sheet, "method": spec.to_list(),
               "years": [y for y in a.results], "exclude": ids}
        (staging / "run.json").write_text(json.dumps(run, ensure_ascii=False, indent=1), encoding="utf-8")
        atomic_swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    last = a.latest()
    typer.echo(f"built {fw.id}: {len(last.unit_ids)} units, {fw.n_ind} indicators, {fw.n_nodes - fw.n_ind} groups,"
               f" years {list(a.results)} → {out}")
    if excl is not None:
        per, units = excl[1], excl[2]
        for rec in per.to_dict("records"):
            typer.echo(f"without {rec['removed']}: mean |rank change| {rec['mean_abs_rank_change']:.2f}, "
                       f"largest {rec['max_abs_rank_change']:.0f}, {rec['units_moved']} units moved")
        moved = units[units["rank_change"].fillna(0) != 0].sort_values("rank_change", key=np.abs, ascending=False)
        typer.echo(f"without {', '.join(ids)}: {len(moved)} units change rank"
                   + (": " + ", ".join(f"{u} {int(f)}→{int(w)}" for u, f, w in
                                        moved[["unit_id", "rank_full", "rank_without"]].head(10).itertuples(index=False))
                      if len(moved) else "") + " (exclusion.csv, exclusion_elements.csv)")
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
    panel = read_data(dir / "inputs" / run["data"], fw, sheet=run.get("sheet"))
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
