"""suanli (算力): an open, reproducible AI computing-power development assessment toolkit."""

from __future__ import annotations

__all__ = ["__version__", "code_version"]

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
