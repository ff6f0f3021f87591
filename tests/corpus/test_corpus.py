"""Run every file of the malformed-input corpus through its loader: 100% as the manifest says.

``ok`` entries must load and hold the documented values; ``error`` entries must raise a
:class:`~suanli.errors.SuanliError` whose message contains the file name, row and column the
manifest lists. Any other exception is a traceback a user would have seen, and fails the test.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))
from loaders import LOADERS  # noqa: E402

from suanli.errors import SuanliError  # noqa: E402

HERE = Path(__file__).parent
MANIFEST = yaml.safe_load((HERE / "manifest.yaml").read_text(encoding="utf-8"))["files"]
KINDS = {"shipments": "shipments", "inventory": "inventories", "catalog": "catalog overrides",
         "indicators": "indicator data", "framework": "frameworks/COINr metadata", "facts": "market facts",
         "survey": "surveys", "demand": "training-run catalogue", "edition": "edition.yaml",
         "opendata": "open-data statements"}


def materialise(entry: dict, tmp: Path) -> Path:
    """The corpus file (copied to a temporary folder, or created sparse for the huge ones)."""
    dst = tmp / Path(entry["file"]).name
    if entry.get("sparse_bytes"):
        with open(dst, "wb") as f:
            f.truncate(int(entry["sparse_bytes"]))
    else:
        shutil.copyfile(HERE / "files" / entry["file"], dst)
    return dst


def check_values(df, entry: dict) -> None:
    if "rows" in entry:
        assert len(df) == entry["rows"], f"{len(df)} rows, manifest says {entry['rows']}"
    for chk in entry.get("values", []):
        sub = df
        for k, val in (chk.get("where") or {}).items():
            sub = sub[sub[k].astype(str) == str(val)]
        assert len(sub), f"no row where {chk.get('where')}"
        got = sub[chk["column"]].iloc[chk.get("row", 0)]
        want = chk["value"]
        if want is None:
            assert got is None or (isinstance(got, float) and math.isnan(got)) or got == "", got
        elif isinstance(want, (int, float)) and not isinstance(want, bool):
            assert float(got) == pytest.approx(want, rel=1e-9), f"{chk['column']} = {got}, want {want}"
        else:
            assert str(got) == str(want), f"{chk['column']} = {got!r}, want {want!r}"


def run_entry(entry: dict, tmp: Path) -> None:
    path = materialise(entry, tmp)
    loader = LOADERS[entry["loader"]]
    if entry["expect"] == "ok":
        df = loader(path)
        check_values(df, entry)
        return
    try:
        loader(path)
    except SuanliError as exc:
        msg = str(exc)
        missing = [s for s in entry["contains"] if s not in msg]
        assert not missing, f"error message lacks {missing}:\n{msg}"
    else:
        pytest.fail(f"{entry['file']} loaded without error; the manifest expects one")


def test_corpus_size_and_coverage():
    assert len(MANIFEST) >= 60
    kinds = {e["file"].split("/")[0] for e in MANIFEST}
    assert kinds == set(KINDS), kinds
    encodings = " ".join(e["what"] for e in MANIFEST)
    for word in ("GBK", "GB18030", "BOM", "UTF-16", "merged", "hidden", "formula", "万", "full-width", "—",
                 "N/A", "暂无", "percent", "PFLOPS", "*", "negative", "absurd", "北京市", "unknown", "cycle",
                 "truncated", "empty", "2 GB"):
        assert word.lower() in encodings.lower(), word
    for e in MANIFEST:
        assert e["expect"] in ("ok", "error")
        assert e["loader"] in LOADERS
        if e["expect"] == "ok":
            assert e.get("values") or "rows" in e, f"{e['file']}: ok entries must check values"


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_corpus_file(entry, tmp_path):
    run_entry(entry, tmp_path)


def test_huge_file_is_refused_without_reading_it(tmp_path):
    """A 2 GB sparse file is refused from its size: peak traced memory stays far below its size."""
    entry = next(e for e in MANIFEST if e.get("sparse_bytes") and e["file"].endswith(".csv"))
    tracemalloc.start()
    try:
        run_entry(entry, tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB while refusing a 2 GB file"


SAMPLE = ["shipments/s01_gbk_cn_headers.csv", "shipments/s10_negative.csv", "shipments/s16_truncated_quote.csv",
          "shipments/s34_formula_uncached.xlsx", "shipments/s38_huge_2gb.csv", "inventory/i04_unknown_model.csv",
          "catalog/c08_absurd.csv", "framework/f01_cycle.yaml", "framework/f12_coinr_cycle.csv",
          "indicators/x03_alias_units.csv", "edition/e04_traversal.yaml", "edition/e02_bad_yaml.yaml"]


def _cli_args(entry: dict, path: Path, tmp: Path) -> list[str] | None:
    """The CLI command that reads this file (None when no command reads it directly)."""
    loader = entry["loader"]
    if loader in ("shipments", "shipments_coded"):
        return ["capacity", "estimate", str(path), "--out", str(tmp / "o")]
    if loader in ("inventory", "inventory_peaks"):
        return ["capacity", "peak", str(path)]
    if loader == "override_accelerator":
        return ["capacity", "peak", str(HERE / "files" / "inventory" / "i01_gbk_cn.csv"), "--accelerators", str(path)]
    if loader == "framework":
        return ["index", "build", str(path), str(HERE / "files" / "indicators" / "x01_long_ok.csv"), "--out",
                str(tmp / "o")]
    if loader == "index_city":
        return None
    if loader in ("edition", "edition_validate"):
        return ["validate", str(path)]
    return None


@pytest.mark.parametrize("name", SAMPLE)
def test_cli_prints_errors_without_traceback(name, tmp_path, suanli_cmd, env_no_faults):
    entry = next(e for e in MANIFEST if e["file"] == name)
    path = materialise(entry, tmp_path)
    if entry["loader"] == "index_city":
        fw = HERE.parents[1] / "src" / "suanli" / "data" / "editions" / "2025" / "data" / "index_city_framework.yaml"
        args = ["index", "build", str(fw), str(path), "--out", str(tmp_path / "o")]
    else:
        args = _cli_args(entry, path, tmp_path)
    assert args is not None
    r = subprocess.run([*suanli_cmd, *args], capture_output=True, text=True, env=env_no_faults, timeout=300,
                       cwd=tmp_path)
    out = r.stdout + r.stderr
    assert "Traceback" not in out, out
    if entry["expect"] == "ok":
        assert r.returncode == 0, out
        return
    assert r.returncode == 2, out
    flat = out.replace("\n", "")
    for s in entry["contains"]:
        assert s in flat, f"{s!r} not in {out}"
