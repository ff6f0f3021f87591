"""``suanli energy …`` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Energy: power of inventories, energy of accelerator-hours.", no_args_is_help=True)

EditionOpt = Annotated[Path | None, typer.Option("--edition", help="Edition folder whose energy parameters apply "
                                                                    "(default: the bundled 2025 edition).")]


@app.command()
def power(
    inventory: Annotated[Path, typer.Argument(help="CSV/XLSX with name, accelerator_model, accelerator_count, "
                                                   "cpu_model, cpu_count (optional form_factor: board or pcie).")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Also write the result as CSV.")] = None,
    pue: Annotated[float | None, typer.Option("--pue", min=1.0, max=5.0,
                                              help="PUE (default: the edition's modelled AI average).")] = None,
    load: Annotated[float | None, typer.Option("--load", min=0.0, max=1.0,
                                               help="Average draw as a share of rated power "
                                                    "(default: the edition's blended AI share).")] = None,
    edition: EditionOpt = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Worksheet of a workbook INVENTORY (default: the first "
                                                              "visible worksheet with content).")] = None,
) -> None:
    """Rated, load and facility power (kW) of each system in an inventory."""
    from ..edition import load_edition
    from ..store import write_csv
    from .config import EnergyConfig
    from .power import central_load_and_pue, read_power_inventory, system_power
    from .stage import energy_catalogs

    ed = load_edition(edition)
    cfg = ed.energy or EnergyConfig()
    year = ed.capacity.years[1] if ed.capacity else 2025
    c_load, c_pue = central_load_and_pue(cfg, year)
    from ..io.paths import with_sheet
    from ..limits import limits_in_force

    with limits_in_force(ed.limits):  # the edition's plausibility limits
        inv = read_power_inventory(with_sheet(inventory, sheet))
    acc, cpu, cat = energy_catalogs(ed, cfg)
    res = system_power(inv, acc, cpu, cat, cfg, load=c_load if load is None else load, pue=c_pue if pue is None else pue,
                       path=inv.attrs.get("path", str(inventory)))
    cols = ["name", "accelerator_kw", "rated_it_kw", "load_it_kw", "facility_kw", "pue", "basis"]
    for r in res.itertuples():
        typer.echo(f"{r.name}\t{r.accelerator_kw:,.2f} kW accel\t{r.rated_it_kw:,.2f} kW rated\t"
                   f"{r.load_it_kw:,.2f} kW load\t{r.facility_kw:,.2f} kW facility (PUE {r.pue:.3g})"
                   + ("\tTDP IMPUTED" if r.tdp_imputed else ""))
    if out:
        write_csv(res[cols + ["load_share", "tdp_imputed"]], out)
        typer.echo(f"wrote {out}")


@app.command("hours")
def hours_cmd(
    model: Annotated[str, typer.Argument(help="Accelerator model (any catalog name or alias).")],
    accelerator_hours: Annotated[float, typer.Argument(min=0, help="Accelerator-hours, e.g. 2.788e6.")],
    state: Annotated[str, typer.Option(help="training, inference, idle or average.")] = "training",
    pue: Annotated[float | None, typer.Option("--pue", min=1.0, max=5.0)] = None,
    edition: EditionOpt = None,
) -> None:
    """IT and facility energy (MWh) of N accelerator-hours of one model, with a 90% interval."""
    from ..edition import load_edition
    from .power import accelerator_hours_energy

    if state not in ("training", "inference", "idle", "average"):
        raise typer.BadParameter("--state must be training, inference, idle or average")
    r = accelerator_hours_energy(model, accelerator_hours, state=state, pue=pue, edition=load_edition(edition))
    typer.echo(f"{r.model}: {r.accelerator_hours:,.0f} accelerator-hours ({r.state})")
    typer.echo(f"  IT       {r.it_mwh:,.1f} MWh  [{r.it_mwh_lo:,.1f}, {r.it_mwh_hi:,.1f}]")
    typer.echo(f"  facility {r.facility_mwh:,.1f} MWh  [{r.facility_mwh_lo:,.1f}, {r.facility_mwh_hi:,.1f}]")
    typer.echo(f"  basis: {r.basis}" + ("; TDP IMPUTED" if r.tdp_imputed else ""))
