"""suanli (算力): an open, reproducible AI computing-power development assessment toolkit.

In a notebook::

    import suanli
    b = suanli.open_build("out")            # a finished build, read-only
    b.table("capacity_national")            # a DataFrame; units and provenance in .attrs
    ed = suanli.load_edition()              # the bundled 2025 edition (or a folder)
    b = suanli.build(ed, out="out")         # build it; returns the same read-only view

Importing ``suanli`` is cheap: every heavy library is imported by the function that needs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .edition import Edition
    from .store.view import BuildView

__all__ = ["__version__", "build", "code_version", "load_edition", "open_build"]

__version__ = "0.1.0"


def code_version() -> str:
    """Package version plus the git commit of the source tree when run from a checkout."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    if (root / ".git").exists():
        try:
            rev = subprocess.run(
                ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
                capture_output=True, text=True, timeout=5, check=False,
            ).stdout.strip()
            dirty = subprocess.run(
                ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                capture_output=True, text=True, timeout=5, check=False,
            ).stdout.strip()
            if rev:
                return f"{__version__}+g{rev}{'.dirty' if dirty else ''}"
        except (OSError, subprocess.SubprocessError):
            pass
    return __version__


def open_build(path: str | Path = "out") -> BuildView:
    """A read-only view of a finished build: ``.tables``, ``.table(name)``, ``.provenance(name)``,
    ``.lineage``, ``.figure(id)``. Opening it writes nothing and takes no write lock."""
    from .store.view import BuildView

    return BuildView(path)


def load_edition(path: str | Path | None = None) -> Edition:
    """Load and validate an edition folder (or its ``edition.yaml``); ``None`` is the bundled 2025 edition."""
    from .edition import load_edition as _load

    return _load(path)


def build(edition: Edition | str | Path | None = None, out: str | Path = "out", *, force: bool = False,
          lang: str | list[str] = "zh", formats: tuple[str, ...] | None = None,
          log: Any = None) -> BuildView:
    """Build ``edition`` (an :class:`~suanli.edition.Edition`, a folder, or ``None`` for the bundled
    edition) into ``out`` atomically, as ``suanli build`` does, and return a read-only view of it.
    ``formats``: the report files, any of :data:`suanli.report.formats.FORMATS` (``None``: all of
    them; ``("html",)`` writes the pages alone, without drawing a static figure)."""
    from .builder import build as _build
    from .edition import Edition as _Edition
    from .report.formats import FORMATS
    from .store.view import BuildView

    ed = edition if isinstance(edition, _Edition) else load_edition(edition)
    langs = [lang] if isinstance(lang, str) else list(lang)
    target = _build(ed, out, options={"lang": langs, "report_formats": tuple(formats or FORMATS), "force": force},
                    log=log)
    return BuildView(target)
