"""A small edition with the capacity and demand sections of the default edition (and its facts,
for the demand-side checks), built once per session for every worker."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from suanli.builder import build
from suanli.edition import default_edition_dir, load_edition


@pytest.fixture(scope="session")
def demand_edition(tmp_path_factory) -> Path:
    src = default_edition_dir()
    ed = yaml.safe_load((src / "edition.yaml").read_text(encoding="utf-8"))
    root = tmp_path_factory.mktemp("demand-edition")
    (root / "data").mkdir()
    keep = {k: v for k, v in ed["inputs"].items() if k in ("shipments", "demand_runs", "demand_anchors", "market_facts")}
    for inp in keep.values():
        shutil.copyfile(src / inp["path"], root / inp["path"])
    out = {k: ed[k] for k in ("schema_version", "id", "year", "title", "publisher", "synthetic")}
    out.update(inputs=keep, capacity=ed["capacity"], demand=ed["demand"],
               outputs={"report": False, "capacity_page": False})
    (root / "edition.yaml").write_text(yaml.safe_dump(out, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def demand_out(demand_edition: Path, shared_folder) -> Path:
    """Built once per session and shared by every xdist worker (read-only for tests)."""
    return shared_folder("demand-build", lambda folder: build(load_edition(demand_edition), folder / "out")) / "out"
