"""``suanli capacity …`` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Compute capacity: catalog look-ups, peaks of inventories, shipment-based estimates.",
                  no_args_is_help=True)


def _catalog(accelerators: Path | None, cpus: Path | None):
    from .catalog import Catalog

    cat = Catalog.bundled()
    if accelerators:
        cat = cat.with_overrides(accelerators, "accelerator")
    if cpus:
        cat = cat.with_overrides(cpus, "cpu")
    return cat


AccOpt = Annotated[Path | None, typer.Option("--accelerators", help="Accelerator catalog override file (CSV/XLSX).")]
CpuOpt = Annotated[Path | None, typer.Option("--cpus", help="CPU catalog override file (CSV/XLSX).")]


FP64_HELP = ("FP64 basis: 'vector' (default; non-tensor FP64, NVIDIA's 'FP64' and AMD's 'FP64 vector', the basis "
             "of TOP500 Rpeak for CPUs) or 'matrix' (tensor/matrix-core FP64 where the vendor publishes it, e.g. "
             "H100 67 vs 34 TFLOPS; parts without one keep their vector figure). CPUs are the same on both. "
             "Every output carries the basis in its fp64_basis column.")
Fp64Opt = Annotated[str, typer.Option("--fp64", help=FP64_HELP)]
SheetOpt = Annotated[str | None, typer.Option("--sheet", help="Worksheet of a workbook input (default: the first "
                                                            "visible worksheet with content).")]
SkipOpt = Annotated[bool, typer.Option("--skip-unknown", help="Compute the rows whose names resolve and write the "
                                                              "others to unresolved.csv instead of stopping.")]


def _check_fp64(fp64: str) -> str:
    if fp64 not in ("vector", "matrix"):
        raise typer.BadParameter(f"--fp64 must be 'vector' or 'matrix', not {fp64!r}")
    return fp64


@app.command()
def peak(
    inventory: Annotated[Path, typer.Argument(help="CSV/XLSX with name, accelerator_model, accelerator_count, "
                                                   "cpu_model, cpu_count (empty cells allowed). CPU names may be "
                                                   "TOP500 strings such as 'Xeon Platinum 8160 24C 2.1GHz'.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Also write the result as CSV.")] = None,
    accelerators: AccOpt = None,
    cpus: CpuOpt = None,
    rule: Annotated[str, typer.Option(help="FP16-equivalence order, e.g. 'fp16,bf16' or 'fp16,bf16,fp8/2'.")] = "fp16,bf16",
    fp64: Fp64Opt = "vector",
    skip_unknown: SkipOpt = False,
    sheet: SheetOpt = None,
) -> None:
    """Peak FP16-dense and FP64 PFLOPS of each system in an inventory.

    FP64 is the peak at the advertised (base) clock, the TOP500 Rpeak convention, on the basis
    chosen with --fp64 (vector by default). Every name that cannot be used is listed at once.
    """
    from ..store import write_csv
    from .peak import inventory_peaks, read_inventory

    cat = _catalog(accelerators, cpus)
    from ..io.paths import with_sheet

    inv = read_inventory(with_sheet(inventory, sheet))
    res = inventory_peaks(inv, cat, [r.strip() for r in rule.split(",") if r.strip()],
                          path=inv.attrs.get("path", str(inventory)),
                          fp64_basis=_check_fp64(fp64), skip_unknown=skip_unknown)
    typer.echo(f"name\tfp16_dense_pflops\tfp64_pflops ({fp64})")
    for r in res.itertuples():
        typer.echo(f"{r.name}\t{r.fp16_dense_pflops:,.3f}\t{r.fp64_pflops:,.3f}")
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_csv(res, out)
        typer.echo(f"wrote {out}")
    _report_unresolved(res.attrs.get("unresolved"), out.parent if out else Path("."))


def _report_unresolved(unres, folder: Path) -> None:
    if unres is None or not len(unres):
        return
    from ..store import write_csv

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "unresolved.csv"
    write_csv(unres, path)
    typer.echo(f"skipped {len(unres):,} unresolved row(s) ({unres['name'].nunique()} distinct names); listed in {path}",
               err=True)


@app.command()
def resolve(
    names: Annotated[list[str], typer.Argument(help="Model names to look up.")],
    cpu: Annotated[bool, typer.Option("--cpu", help="Look up CPUs instead of accelerators.")] = False,
    accelerators: AccOpt = None,
    cpus: CpuOpt = None,
) -> None:
    """Show the catalog entry each name resolves to (aliases, tracker names)."""
    from ..errors import InputError

    cat = _catalog(accelerators, cpus)
    problems = []
    for n in names:
        try:
            typer.echo(f"{n} -> {cat.resolve(n, 'cpu' if cpu else 'accelerator')}")
        except LookupError as exc:
            problems.append(str(exc))
    if problems:
        raise InputError("; ".join(problems))


@app.command()
def estimate(
    shipments: Annotated[Path, typer.Argument(help="Shipments CSV/XLSX.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the capacity tables (CSV).")] = Path("capacity-out"),
    life: Annotated[float, typer.Option(help="Fixed service life in years (ignored with --weibull).")] = 6.0,
    weibull: Annotated[str | None, typer.Option(help="Weibull survival 'scale,shape' instead of a fixed life.")] = None,
    sparse: Annotated[bool, typer.Option(help="Report sparse peaks (dense × vendor sparsity factor).")] = False,
    precision: Annotated[str, typer.Option(help="Basis of intelligent compute: fp16, fp8 or int8.")] = "fp16",
    first_year: Annotated[int, typer.Option(help="First output year.")] = 2020,
    last_year: Annotated[int, typer.Option(help="Last output year.")] = 2025,
    accelerators: AccOpt = None,
    cpus: CpuOpt = None,
    fp64: Fp64Opt = "vector",
    skip_unknown: SkipOpt = False,
    sheet: SheetOpt = None,
) -> None:
    """Installed base and annual additions from a shipments file, written as CSV tables.

    General compute is CPU FP64 at base clock (TOP500 convention); --fp64 sets the basis used for
    any accelerator FP64 and is written in every table's fp64_basis column.
    """
    from ..store import write_csv
    from .config import CapacityConfig, SurvivalConfig
    from .estimate import estimate as run_estimate
    from .estimate import read_shipments

    if weibull:
        try:
            scale, shape = (float(x) for x in weibull.split(","))
        except ValueError:
            raise typer.BadParameter("--weibull takes 'scale,shape', e.g. 5,2") from None
        surv = SurvivalConfig(kind="weibull", scale=scale, shape=shape)
    else:
        surv = SurvivalConfig(kind="fixed", life_years=life)
    if precision not in ("fp16", "fp8", "int8"):
        raise typer.BadParameter(f"--precision must be fp16, fp8 or int8, not {precision!r}")
    cfg = CapacityConfig(years=(first_year, last_year), survival_intelligent=surv, survival_general=surv,
                         sparsity="sparse" if sparse else "dense", precision=precision,
                         fp64_basis=_check_fp64(fp64))
    df = read_shipments(shipments, sheet=sheet)
    res = run_estimate(df, _catalog(accelerators, cpus), cfg, skip_unknown=skip_unknown)
    out.mkdir(parents=True, exist_ok=True)
    for name, t in res.tables.items():
        write_csv(t, out / f"{name}.csv")
    nat = res.tables["capacity_national"]
    for r in nat.itertuples():
        typer.echo(f"{r.year}\tintelligent {r.intelligent_eflops:,.1f} EFLOPS\tgeneral {r.general_eflops:,.1f} EFLOPS")
    typer.echo(f"wrote {len(res.tables)} tables to {out}")
    _report_unresolved(res.unresolved, out)


@app.command()
def synth(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the synthetic shipments CSV.")],
    seed: Annotated[int, typer.Option(help="Random seed.")] = 2025,
) -> None:
    """Regenerate the default edition's SYNTHETIC shipments (seeded, calibrated to IDC 2025)."""
    from .synthetic import write_shipments

    df = write_shipments(out, seed)
    typer.echo(f"wrote {len(df):,} synthetic shipment rows to {out}")
