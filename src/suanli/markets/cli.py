"""``suanli markets …`` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Markets: consistency checks of market facts, yearly series, forecasts.",
                  no_args_is_help=True)


@app.command()
def check(
    facts: Annotated[Path, typer.Argument(help="Facts table (CSV/TSV/XLSX in the seed facts.csv layout).")],
    previous: Annotated[Path | None, typer.Option("--previous", help="External / previous-edition facts "
                                                  "(facts_external.csv layout).")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for checks.csv, checks.md, series.csv.")] = Path(
        "markets-check"),
    edition: Annotated[Path | None, typer.Option("--edition", help="Take the markets: settings from this "
                                                 "edition (default: built-in defaults).")] = None,
    fail_on: Annotated[str, typer.Option(help="Exit with status 1 if any finding has this verdict "
                                         "(FAIL, WARN or none).")] = "none",
    sheet: Annotated[str | None, typer.Option("--sheet", help="Worksheet of a workbook FACTS (default: the first "
                                                              "visible worksheet with content).")] = None,
    previous_sheet: Annotated[str | None, typer.Option(
        "--previous-sheet", help="Worksheet of a workbook --previous (default: the first visible worksheet "
                                 "with content).")] = None,
) -> None:
    """Run every applicable consistency check over FACTS and write CSV and Markdown findings."""
    from ..io.paths import with_sheet
    from ..limits import limits_in_force
    from ..store import write_csv
    from .factcheck import check_facts

    cfg, limits = None, None
    if edition is not None:
        from ..edition import load_edition

        ed = load_edition(edition)
        cfg, limits = ed.markets, ed.limits
    with limits_in_force(limits):  # the edition's plausibility limits
        run = check_facts(with_sheet(facts, sheet), cfg, with_sheet(previous, previous_sheet) if previous else None)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(run.findings, out / "checks.csv")
    write_csv(run.series, out / "series.csv")
    write_csv(run.observations, out / "observations.csv")
    (out / "checks.md").write_text(run.markdown(), encoding="utf-8")
    counts = run.counts()
    findings = run.findings
    typer.echo(f"{len(findings)} checks: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + f" -> {out}")
    if fail_on.upper() in ("FAIL", "WARN"):
        bad = counts["FAIL"] + (counts["WARN"] if fail_on.upper() == "WARN" else 0)
        if bad:
            raise typer.Exit(1)
