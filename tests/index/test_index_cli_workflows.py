"""COINr users' workflows on the command line: steps printed, treatment and screening tables,
--treat none, --exclude with rank changes, fracmax on ASEM failing cleanly, no partial output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

ASEM = Path(__file__).resolve().parents[1] / "data" / "coinr_asem"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "suanli", "index", "build", *map(str, args)], capture_output=True,
                          text=True, env=os.environ.copy(), timeout=600, cwd=cwd)


def test_metadata_import_build_prints_steps_and_writes_treatment_and_screening(tmp_path):
    out = tmp_path / "o"
    r = run(ASEM / "ASEM_iMeta.csv", ASEM / "ASEM_iData.csv", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "1. treat: coinr" in r.stdout and "--treat none" in r.stdout and "2. normalise: minmax" in r.stdout
    t = pd.read_csv(out / "treatment.csv")
    assert {"indicator_id", "skew", "kurt", "pass", "n_points", "value_class"} <= set(t.columns)
    assert len(t) == 49 and t["n_points"].sum() > 0 and set(t["value_class"]) == {"derived"}
    s = pd.read_csv(out / "screening.csv")
    assert len(s) == 51 and s["included"].all() and {"dat_avail", "non_zero"} <= set(s.columns)
    r2 = run(ASEM / "ASEM_iMeta.csv", ASEM / "ASEM_iData.csv", "--out", out, "--treat", "none")
    assert r2.returncode == 0 and "treat" not in r2.stdout.split("built")[0]
    assert pd.read_csv(out / "treatment.csv").empty
    assert [s["step"] for s in json.loads((out / "run.json").read_text())["method"]] == ["normalise", "aggregate"]


def test_exclude_reports_rank_changes_and_equals_the_reduced_framework(tmp_path):
    out = tmp_path / "o"
    r = run(ASEM / "ASEM_iMeta.csv", ASEM / "ASEM_iData.csv", "--out", out, "--treat", "none",
            "--exclude", "Goods,Flights")
    assert r.returncode == 0, r.stderr
    assert "without Goods:" in r.stdout and "without Goods, Flights:" in r.stdout
    ex = pd.read_csv(out / "exclusion.csv")
    per = pd.read_csv(out / "exclusion_elements.csv")
    assert set(per["removed"]) == {"Goods", "Flights"} and len(ex) == 51
    assert (ex["rank_change"] == ex["rank_full"] - ex["rank_without"]).all()
    # removing the indicators from the metadata gives the same index (amean: zero weight = removal)
    meta = pd.read_csv(ASEM / "ASEM_iMeta.csv")
    meta = meta[~meta["iCode"].isin(["Goods", "Flights"])]
    data = pd.read_csv(ASEM / "ASEM_iData.csv").drop(columns=["Goods", "Flights"])
    meta.to_csv(tmp_path / "m.csv", index=False)
    data.to_csv(tmp_path / "d.csv", index=False)
    r3 = run(tmp_path / "m.csv", tmp_path / "d.csv", "--out", tmp_path / "o2", "--treat", "none")
    assert r3.returncode == 0, r3.stderr
    a = pd.read_csv(out / "results.csv")
    b = pd.read_csv(tmp_path / "o2" / "results.csv")
    root = "Index"
    sa = a[a["node_id"] == root].set_index("unit_id")["score"]
    sb = b[b["node_id"] == root].set_index("unit_id")["score"]
    pd.testing.assert_series_equal(sa.sort_index(), sb.sort_index(), check_exact=False, rtol=1e-12)
    bad = run(ASEM / "ASEM_iMeta.csv", ASEM / "ASEM_iData.csv", "--out", tmp_path / "o3", "--exclude", "Goodz")
    assert bad.returncode == 2 and "Goodz" in bad.stderr and "Goods" in bad.stderr


def test_fracmax_on_asem_fails_naming_the_indicators_and_writes_nothing(tmp_path):
    out = tmp_path / "fm"
    r = run(ASEM / "ASEM_iMeta.csv", ASEM / "ASEM_iData.csv", "--out", out, "--normalise", "fracmax")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    for ind in ("CostImpEx", "Tariff", "PrimEner", "CO2", "NEET"):
        assert ind in r.stderr
    assert "ASEM_iData.csv" in r.stderr
    assert not out.exists() and not list(tmp_path.glob(".fm.building-*"))


def test_fracmax_with_nan_opt_in_builds_finite_scores(tmp_path):
    m = tmp_path / "m.yaml"
    m.write_text("- {step: treat}\n- {step: normalise, method: fracmax, params: {on_constant: nan}}\n"
                 "- {step: aggregate}\n", encoding="utf-8")
    out = tmp_path / "fm"
    r = run(ASEM / "ASEM_iMeta.csv", ASEM / "ASEM_iData.csv", "--out", out, "--method", m)
    assert r.returncode == 0, r.stderr
    res = pd.read_csv(out / "results.csv")
    idx = res[res["level"] == res["level"].max()]
    assert idx["score"].notna().all() and (idx["score"].abs() < float("inf")).all()
    assert idx["rank"].nunique() > 40
    json.loads((out / "audit.json").read_text())  # the audit ran


def test_output_folder_is_replaced_whole_and_never_a_foreign_folder(tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("x")
    r = run(ASEM / "ASEM_iMeta.csv", ASEM / "ASEM_iData.csv", "--out", foreign)
    assert r.returncode == 2 and "not an index output folder" in r.stderr
    assert (foreign / "thesis.docx").exists()
