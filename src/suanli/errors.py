"""Errors a person can act on.

Every problem with user input is raised as :class:`InputError`, which names the file, the row
(the line number as a spreadsheet or editor shows it, header = line 1) and the column, says what
is wrong and what to do. The CLI prints these without a traceback and exits with status 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Problem:
    """One problem found in an input: where it is, what is wrong, what to do."""

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    hint: str | None = None

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        loc = self.location()
        text = f"{loc}: {self.message}" if loc else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class SuanliError(Exception):
    """Base class of every error suanli raises on purpose."""


@dataclass
class InputError(SuanliError):
    """Bad input. Holds one or more :class:`Problem` records."""

    problems: list[Problem] = field(default_factory=list)

    def __init__(
        self,
        message: str | None = None,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.problems = list(problems or [])
        if message is not None:
            self.problems.insert(
                0,
                Problem(message, str(file) if file is not None else None, row, column, hint),
            )
        super().__init__(str(self))

    def __str__(self) -> str:
        if not self.problems:
            return "invalid input"
        if len(self.problems) == 1:
            return str(self.problems[0])
        shown = self.problems[:20]
        more = len(self.problems) - len(shown)
        lines = [f"{len(self.problems)} problems in the input:"]
        lines += [f"  - {p}" for p in shown]
        if more:
            lines.append(f"  ... and {more} more")
        return "\n".join(lines)


class ConfigError(InputError):
    """A problem in an edition, framework or method file."""


class BuildError(SuanliError):
    """A build could not complete; the previous output is left untouched."""


def stamp_location(exc: InputError, file: str | Path, column: str | None = None) -> InputError:
    """Fill in the file (and key) of the problems in ``exc`` that name none, in place, and return it.

    Engine code (normalisation, aggregation, survival models) checks values it receives as arrays
    and cannot know which file or edition key they came from; the caller that read them stamps the
    location, so every message a person sees names a file."""
    for p in exc.problems:
        if p.file is None:
            p.file = str(file)
            if p.column is None and column is not None:
                p.column = column
    exc.args = (str(exc),)
    return exc
