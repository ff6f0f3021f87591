"""Fixtures for the dashboard tests: a small edition (the bundled city and industry assessments,
with two hostile unit names), a build-like folder around it, and a live uvicorn server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from web_helpers import FORMULA, FORMULA_UNIT, XSS, XSS_UNIT

from suanli.edition import default_edition_dir


@pytest.fixture(scope="session")
def web_edition(tmp_path_factory) -> Path:
    """The default edition's assessments only, with two units renamed to hostile strings."""
    src = default_edition_dir()
    ed = yaml.safe_load((src / "edition.yaml").read_text(encoding="utf-8"))
    root = tmp_path_factory.mktemp("web-edition")
    (root / "data").mkdir()
    keep = {}
    for name, inp in ed["inputs"].items():
        if name.startswith("index_"):
            keep[name] = inp
            shutil.copyfile(src / inp["path"], root / inp["path"])
    city = root / keep["index_city_indicators"]["path"]
    df = pd.read_csv(city, dtype=str, keep_default_na=False)
    df.loc[df["unit_id"] == XSS_UNIT, "unit_name"] = XSS
    df.loc[df["unit_id"] == FORMULA_UNIT, "unit_name"] = FORMULA
    df.to_csv(city, index=False)
    out = {k: ed[k] for k in ("schema_version", "id", "year", "title", "publisher", "synthetic")}
    out.update(inputs=keep, assessments=ed["assessments"])
    if ed.get("uncertainty"):       # the parameterised method variants the dashboard offers come from here
        out["uncertainty"] = ed["uncertainty"]
    (root / "edition.yaml").write_text(yaml.safe_dump(out, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def web_build(web_edition, tmp_path_factory) -> Path:
    """A folder shaped like 'suanli build' output (lineage.json + tables/*.csv) for the edition,
    with a capacity table and a rank-interval table (the uncertainty stage's columns)."""
    out = tmp_path_factory.mktemp("web-build")
    (out / "tables").mkdir()
    pd.DataFrame({"year": [2023, 2024, 2025], "intelligent_eflops": [416.6, 725.3, 1037.3],
                  "general_eflops": [59.3, 71.5, 85.8], "value_class": "synthetic"}).to_csv(
        out / "tables" / "capacity_national.csv", index=False)
    pd.DataFrame({"unit_id": ["beijing", "shanghai"], "node_id": ["index", "index"], "nominal_rank": [1, 3],
                  "median_rank": [1.0, 3.5], "q05": [1, 2], "q95": [2, 6], "p_top10": [1.0, 0.97]}).to_csv(
        out / "tables" / "index_city_rank_intervals.csv", index=False)
    lineage = {"edition": "cn-2025", "edition_folder": str(web_edition), "code_version": "test",
               "finished": "2025-01-01T00:00:00", "input_hashes": {},
               "tables": {"capacity_national": {"description": "national capacity", "stage": "capacity",
                                                "synthetic": True},
                          "index_city_rank_intervals": {"description": "rank intervals", "stage": "uncertainty",
                                                        "synthetic": True}}}
    (out / "lineage.json").write_text(json.dumps(lineage), encoding="utf-8")
    return out
