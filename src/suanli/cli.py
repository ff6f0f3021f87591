"""The ``suanli`` command line.

Each domain adds its own sub-command group from its own ``cli.py`` (``suanli capacity …``,
``suanli index …``); this file holds the edition-level commands and the error handling: every
:class:`~suanli.errors.SuanliError` is printed as a plain message (file, row, column, what to
do) with exit status 2, never as a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from . import __version__, code_version
from .capacity.cli import app as capacity_app
from .demand.cli import app as demand_app
from .energy.cli import app as energy_app
from .errors import SuanliError
from .index.cli import app as index_app
from .markets.cli import app as markets_app
from .survey.cli import app as survey_app
from .web.cli import serve as serve_cmd

app = typer.Typer(
    name="suanli",
    help="suanli (算力): reproducible AI computing-power assessments: capacity, markets, indices, reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain help text: rich's help formatter alone costs about 0.3 s of start-up (imports markdown-it,
    # rich.markdown, ...); subcommands inherit the setting through the context
    rich_markup_mode=None,
)
app.add_typer(capacity_app, name="capacity")
app.add_typer(energy_app, name="energy")
app.add_typer(demand_app, name="demand")
app.add_typer(markets_app, name="markets")
app.add_typer(survey_app, name="survey")
app.add_typer(index_app, name="index")
app.command("serve")(serve_cmd)



@functools.lru_cache(maxsize=1)
def _console():
    """rich's stderr console, created on first use (importing rich costs start-up time)."""
    from rich.console import Console

    return Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"suanli {code_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """suanli (算力)."""


@app.command()
def build(
    edition: Annotated[Path | None, typer.Argument(help="Edition folder (default: the bundled 2025 edition).")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder, replaced atomically.")] = Path("out"),
    lang: Annotated[str, typer.Option(help="Report language(s): zh, en or zh,en.")] = "zh",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    formats: Annotated[str, typer.Option("--formats", help="Report files: any of html,pdf,xlsx.")] = "html,pdf,xlsx",
    force: Annotated[bool, typer.Option("--force", help="Recompute every stage (no reuse of the previous build).")] = False,
) -> None:
    """Build an edition end to end into OUT (store, tables, pages)."""
    from .builder import build as run_build
    from .edition import load_edition

    ed = load_edition(edition)
    langs = [x.strip() for x in lang.split(",") if x.strip()]
    bad = [x for x in langs if x not in ("zh", "en")]
    if bad or not langs:
        raise typer.BadParameter(f"unknown language {','.join(bad) or lang!r}; use zh, en or zh,en")
    fmts = tuple(x.strip() for x in formats.split(",") if x.strip())
    if not fmts or set(fmts) - {"html", "pdf", "xlsx"}:
        raise typer.BadParameter(f"unknown report format in {formats!r}; use html, pdf and/or xlsx")
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=_console(), disable=quiet, transient=False) as prog:
        task = prog.add_task("build", total=1)

        def on_progress(stage: str, i: int, n: int) -> None:
            prog.update(task, description=f"build: {stage}", completed=i, total=n)

        target = run_build(ed, out, options={"lang": langs, "report_formats": fmts, "force": force}, progress=on_progress,
                           log=None if quiet else (lambda m: _console().log(m)))
    typer.echo(f"built edition {ed.id} into {target}" + (" (synthetic data: labelled in every output)" if ed.synthetic else ""))


@app.command()
def validate(
    edition: Annotated[Path | None, typer.Argument(help="Edition folder (default: the bundled 2025 edition).")] = None,
) -> None:
    """Check an edition and every input file without building."""
    from .edition import load_edition
    from .validate import validate_edition

    ed = load_edition(edition)
    report = validate_edition(ed)
    for line in report:
        typer.echo(line)
    typer.echo(f"edition {ed.id}: OK ({len(ed.inputs)} inputs checked)")


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the JSON Schema here.")] = None,
) -> None:
    """Print the JSON Schema of edition.yaml (for editor completion and checking)."""
    from .edition import edition_json_schema

    text = json.dumps(edition_json_schema(), ensure_ascii=False, indent=2)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"wrote {out}")
    else:
        typer.echo(text)


def main() -> None:
    """Entry point: run the app, turning suanli errors into clear messages."""
    try:
        app(standalone_mode=False)
    except SuanliError as exc:
        _console().print("[bold red]error:[/]", end=" ")
        _console().print(str(exc), markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        _console().print("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        _console().print("interrupted")
        sys.exit(130)
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


__all__ = ["app", "main", "__version__"]
