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
from typer.core import TyperCommand, TyperGroup

from . import __version__, code_version
from .errors import SuanliError
from .web.cli import serve as serve_cmd

#: The domain command groups, in the order ``suanli --help`` lists them: name → (module holding the
#: group's ``app``, the group's one-line help). A group's module is imported, and its commands built,
#: only when the command line names the group: typer otherwise builds every command of every group
#: (about 45 functions' signatures and annotations) for any command, ``--help`` included, which was
#: about a third of the CLI's start-up. The help strings here are the groups' own first lines
#: (``tests/core/test_cli.py`` checks that they agree).
GROUPS: dict[str, tuple[str, str]] = {
    "capacity": ("suanli.capacity.cli",
                 "Compute capacity: catalog look-ups, peaks of inventories, shipment-based estimates."),
    "energy": ("suanli.energy.cli", "Energy: power of inventories, energy of accelerator-hours."),
    "demand": ("suanli.demand.cli",
               "Compute demand: FLOP and accelerator-hours of a training run, accelerators for a token volume."),
    "markets": ("suanli.markets.cli", "Markets: consistency checks of market facts, yearly series, forecasts."),
    "survey": ("suanli.survey.cli",
               "Survey analytics: weights and raking, shares with confidence intervals, the synthetic survey."),
    "index": ("suanli.index.cli", "Composite indices: build from a framework and data; explain a unit's score."),
}


class _LazyGroups(TyperGroup):
    """The root command: its own commands, then the :data:`GROUPS`, each built on first use."""

    def list_commands(self, ctx) -> list[str]:
        return [*self.commands, *(g for g in GROUPS if g not in self.commands)]

    def get_command(self, ctx, cmd_name: str):
        if cmd_name in GROUPS and cmd_name not in self.commands:
            import importlib

            # built as add_typer on the root would build it: a group even with one command, plain
            # help text and no completion options
            holder = typer.Typer(add_completion=False, rich_markup_mode=self.rich_markup_mode)
            holder.add_typer(importlib.import_module(GROUPS[cmd_name][0]).app, name=cmd_name)
            self.add_command(typer.main.get_command(holder).commands[cmd_name], cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx, formatter) -> None:
        """As typer's, but a group not built yet is listed with its help from :data:`GROUPS`."""
        rows = [(n, self.commands.get(n) or TyperCommand(name=n, help=GROUPS[n][1])) for n in self.list_commands(ctx)]
        rows = [(n, c) for n, c in rows if not c.hidden]
        if rows:
            limit = formatter.width - 6 - max(len(n) for n, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(n, c.get_short_help_str(limit)) for n, c in rows])


app = typer.Typer(
    name="suanli",
    help="suanli (算力): reproducible AI computing-power assessments: capacity, markets, indices, reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain help text: rich's help formatter alone costs about 0.3 s of start-up (imports markdown-it,
    # rich.markdown, ...); subcommands inherit the setting through the context
    rich_markup_mode=None,
    cls=_LazyGroups,
)
app.command("serve")(serve_cmd)



@functools.lru_cache(maxsize=1)
def _console():
    """rich's stderr console, created on first use (importing rich costs start-up time)."""
    from rich.console import Console

    return Console(stderr=True, emoji=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"suanli {code_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    limit: Annotated[list[str] | None, typer.Option(
        "--limit", metavar="KEY=VALUE",
        help="Raise (or lower) a plausibility limit for this command, above the edition's limits: e.g. "
             "--limit shipments.servers=2e6 (repeatable; keys in docs/reliability.md).")] = None,
) -> None:
    """suanli (算力)."""
    from .limits import command_line_limits

    try:
        command_line_limits(limit)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--limit") from None


@app.command()
def build(
    edition: Annotated[Path | None, typer.Argument(help="Edition folder (default: the bundled 2025 edition).")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder, replaced atomically.")] = Path("out"),
    lang: Annotated[str, typer.Option(help="Report language(s): zh, en or zh,en.")] = "zh",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    formats: Annotated[str, typer.Option(
        "--formats", help="Report files: any of html,pdf,xlsx,figures (figures/: a PNG and an SVG of every figure; "
        "the PDF and the workbook bring the PNGs along).")] = "html,pdf,xlsx,figures",
    force: Annotated[bool, typer.Option("--force", help="Recompute every stage (no reuse of the previous build).")] = False,
    force_from: Annotated[str | None, typer.Option(
        "--force-from", metavar="STAGE",
        help="Recompute STAGE and every later stage; earlier ones are reused when unchanged.")] = None,
) -> None:
    """Build an edition end to end into OUT (store, tables, pages)."""
    from .builder import build as run_build
    from .builder import edition_stages, first_forced
    from .edition import load_edition

    ed = load_edition(edition)
    if force_from is not None:  # refused before anything is built
        try:
            first_forced([s.name for s in edition_stages(ed)], force_from)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--force-from") from None
    langs = [x.strip() for x in lang.split(",") if x.strip()]
    bad = [x for x in langs if x not in ("zh", "en")]
    if bad or not langs:
        raise typer.BadParameter(f"unknown language {','.join(bad) or lang!r}; use zh, en or zh,en")
    fmts = tuple(x.strip() for x in formats.split(",") if x.strip())
    from .report.formats import FORMATS

    if not fmts or set(fmts) - set(FORMATS):
        raise typer.BadParameter(f"unknown report format in {formats!r}; use any of {', '.join(FORMATS)}")
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=_console(), disable=quiet, transient=False) as prog:
        task = prog.add_task("build", total=1)

        def on_progress(stage: str, i: int, n: int) -> None:
            prog.update(task, description=f"build: {stage}", completed=i, total=n)

        options = {"lang": langs, "report_formats": fmts, "force": force}
        if force_from:
            options["force_from"] = force_from
        target = run_build(ed, out, options=options, progress=on_progress,
                           log=None if quiet else (lambda m: _console().log(m, markup=False, emoji=False, highlight=False)))
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


def _print_error(text: str) -> None:
    """Print an error message exactly as written: no rich markup, emoji codes (``:x:``) or
    highlighting are applied to the message text."""
    _console().print("[bold red]error:[/]", end=" ")
    _console().print(text, markup=False, highlight=False, emoji=False, soft_wrap=True)


def _closest(word: str, names: list[str]) -> str | None:
    import difflib

    hit = difflib.get_close_matches(word, names, n=1, cutoff=0.5)
    return hit[0] if hit else None


def _usage_error(exc: Exception) -> int:
    """A command-line usage error (unknown command or option, missing argument, bad value): the
    usage line, then one line with the reason and the closest valid name. Status 2."""
    ctx = getattr(exc, "ctx", None)
    usage = ctx.get_usage() if ctx is not None else "Usage: suanli [OPTIONS] COMMAND [ARGS]..."
    reason = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    name = type(exc).__name__
    suggestion = None
    if name == "NoSuchOption":
        opt = getattr(exc, "option_name", "")
        names = list(getattr(exc, "possibilities", None) or [])
        if ctx is not None:
            names += [o for p in ctx.command.get_params(ctx) for o in (*p.opts, *p.secondary_opts)]
        suggestion = _closest(opt, sorted(set(names)))
        reason = f"no such option: {opt}"
    elif name == "UsageError" and ctx is not None and reason.startswith("No such command"):
        import re

        m = re.search(r"'(.*)'", reason)
        cmds = ctx.command.list_commands(ctx) if hasattr(ctx.command, "list_commands") else []
        suggestion = _closest(m.group(1) if m else "", cmds)
    if "did you mean" in reason.lower():
        suggestion = None
    line = reason.rstrip(".") + (f" (did you mean '{suggestion}'?)" if suggestion else "")
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        line += f" - see '{ctx.command_path} --help'"
    sys.stderr.write(usage.rstrip() + "\n")
    _print_error(line)
    return 2


def main() -> None:
    """Entry point: run the app, turning suanli errors into clear messages."""
    import signal

    def _terminate(signum: int, frame: object) -> None:
        # SIGTERM (a CI timeout, `kill`, a container stop) unwinds like an exception, so a build
        # removes its staging folder instead of leaving .out.building-* debris
        raise SystemExit(128 + signum)

    try:
        signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread (embedded use): keep the default
        pass
    try:
        # without standalone mode, typer *returns* the status of a `typer.Exit(n)` raised in a command
        # (`markets check --fail-on`) and of Ctrl-C (130) instead of exiting: pass it on
        status = app(standalone_mode=False)
        if isinstance(status, int) and not isinstance(status, bool) and status != 0:
            if status == 130:
                _console().print("interrupted")
            sys.exit(status)
    except SuanliError as exc:
        _print_error(str(exc))
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        _console().print("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        _console().print("interrupted")
        sys.exit(130)
    except Exception as exc:  # usage errors: typer vendors click, so match by duck type
        if type(exc).__name__ == "NoArgsIsHelpError" and hasattr(exc, "show"):
            exc.show()
            sys.exit(2)
        if getattr(exc, "exit_code", None) == 2 and hasattr(exc, "format_message"):
            sys.exit(_usage_error(exc))
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(exc.exit_code)
        raise


__all__ = ["app", "main", "__version__"]
