"""Helpers shared by the reliability tests."""

from __future__ import annotations

import hashlib
from pathlib import Path


def tree_hashes(folder: Path, pattern: str = "tables/*.csv") -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.glob(pattern))}


def all_hashes(folder: Path) -> dict[str, str]:
    """Every file of an output folder (tables, store, lineage, pages, figures)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
