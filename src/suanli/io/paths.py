"""A path that carries the worksheet to read.

An input file is named in many places (edition.yaml ``inputs:`` with an optional ``sheet:``, a
command-line argument with ``--sheet``) and read by many readers. Instead of threading a ``sheet``
argument through every reader, the path itself carries it: :func:`with_sheet` wraps a path, and
:func:`suanli.io.readers.read_raw_table` reads the named worksheet when it is given such a path.
No heavy imports here: edition loading and the CLI use it.
"""

from __future__ import annotations

from pathlib import Path


class SheetPath(type(Path())):  # type: ignore[misc]  # the concrete flavour (PosixPath/WindowsPath)
    """A file path with the worksheet to read (``None``: the default worksheet). Paths derived
    from it (``.parent``, ``/``) do not carry the sheet."""

    sheet: str | None = None


def with_sheet(path: str | Path, sheet: str | None) -> Path:
    """``path`` carrying ``sheet`` (a plain :class:`~pathlib.Path` when ``sheet`` is None)."""
    if not sheet:
        return Path(path)
    p = SheetPath(path)
    p.sheet = sheet
    return p


def sheet_of(path: object) -> str | None:
    """The worksheet a path carries, if any."""
    return path.sheet if isinstance(path, SheetPath) else None
