from __future__ import annotations

import csv
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "src" / "suanli" / "data" / "editions" / "2025" / "data"
FACTS = SEED / "facts.csv"
EXTERNAL = SEED / "facts_external.csv"


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.DictReader(f)
        return list(r.fieldnames or []), list(r)


def write_rows(path: Path, fields: list[str], rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    return path


def perturb(tmp_path: Path, src: Path, changes: dict[str, dict[str, str]], name: str = "facts.csv") -> Path:
    """Copy a facts file with some cells changed: {fact_id: {column: new value}}."""
    fields, rows = read_rows(src)
    for r in rows:
        for c, v in changes.get(r["id"], {}).items():
            r[c] = v
    return write_rows(tmp_path / name, fields, rows)
