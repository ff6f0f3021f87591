"""Bad catalogue rows, counts in the usual spellings, and the CLI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from suanli.capacity.catalog import Catalog
from suanli.cli import app
from suanli.demand.catalogue import read_anchors, read_runs, runs_table
from suanli.edition import default_edition_dir
from suanli.errors import InputError
from suanli.units import UnitError, parse_count

DATA = default_edition_dir() / "data"


@pytest.mark.parametrize("text,value", [
    ("4.05e11", 4.05e11), ("405B", 405e9), ("15.6T", 15.6e12), ("1万亿", 1e12), ("6710亿", 671e9),
    ("2.788M", 2.788e6), ("300.6K", 300.6e3), ("70 billion", 70e9), ("1,000", 1000.0), ("１５.６T", 15.6e12),
])
def test_parse_count(text, value):
    assert parse_count(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["5%", "12G", "abc", "1.2.3B"])
def test_parse_count_refuses(text):
    with pytest.raises(UnitError, match="not a count"):
        parse_count(text)


def test_bundled_inputs_read():
    assert len(read_runs(DATA / "demand_runs.csv")) > 100
    a = read_anchors(DATA / "demand_anchors.csv")
    tok = a[a.quantity == "tokens_per_day"].set_index("id").number
    assert tok["cn_tokens_2024_01"] == 1e11 and tok["cn_tokens_2025_12"] == 1e14


def _write(tmp_path: Path, edit) -> Path:
    df = pd.read_csv(DATA / "demand_runs.csv", dtype=str, keep_default_na=False)
    df = edit(df)
    p = tmp_path / "runs.csv"
    df.to_csv(p, index=False)
    return p


def test_bad_number_names_row_and_column(tmp_path):
    p = _write(tmp_path, lambda d: d.assign(value=d.value.where(~((d.run == "deepseek_v3") & (d.field == "tokens")),
                                                                "lots")))
    with pytest.raises(InputError) as e:
        read_runs(p)
    prob = e.value.problems[0]
    assert prob.column == "value" and prob.row is not None and "not a count" in prob.message
    line = pd.read_csv(p, dtype=str).reset_index()
    assert line[(line.run == "deepseek_v3") & (line.field == "tokens")].index[0] + 2 == prob.row


def test_missing_source_is_an_error(tmp_path):
    def edit(d):
        d.loc[0, "source"] = ""
        return d
    with pytest.raises(InputError) as e:
        read_runs(_write(tmp_path, edit))
    msgs = " | ".join(str(x) for x in e.value.problems)
    assert "row 2" in msgs and "column 'source'" in msgs and "needs its source" in msgs


def test_unknown_field_and_bad_status(tmp_path):
    def edit(d):
        d.loc[1, "field"] = "paramz"
        d.loc[2, "status"] = "rumoured"
        return d
    with pytest.raises(InputError) as e:
        read_runs(_write(tmp_path, edit))
    msgs = " | ".join(str(x) for x in e.value.problems)
    assert "unknown field 'paramz'" in msgs and "row 3" in msgs and "'rumoured' is not one of" in msgs


def test_unknown_accelerator_is_an_error(tmp_path):
    p = _write(tmp_path, lambda d: d.assign(value=d.value.where(~((d.run == "glm_130b") & (d.field == "accelerator")),
                                                                "Z9000 Ultra")))
    with pytest.raises(InputError, match="not in the catalog"):
        runs_table(read_runs(p), Catalog.bundled())


def test_duplicate_value_is_an_error(tmp_path):
    p = _write(tmp_path, lambda d: pd.concat([d, d.iloc[[3]]]))
    with pytest.raises(InputError):
        read_runs(p)


runner = CliRunner()


def test_cli_training(tmp_path):
    out = tmp_path / "t.csv"
    r = runner.invoke(app, ["demand", "training", "--params", "6710亿", "--active", "37B", "--tokens", "14.8T",
                            "--accelerator", "H800", "--mfu", "35%", "--count", "2048", "--out", str(out)])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out)
    row = df.iloc[0]
    assert row.flop == pytest.approx(6 * 37e9 * 14.8e12)
    assert row.accelerator_hours == pytest.approx(6 * 37e9 * 14.8e12 / (989.5e12 * 0.35 * 3600))
    assert row.days == pytest.approx(row.accelerator_hours / 2048 / 24)
    assert "BF16 dense 989.5" in row.peak_basis and row.value_class == "derived"
    fp8 = runner.invoke(app, ["demand", "training", "--params", "4.05e11", "--tokens", "15.6万亿", "--accelerator",
                              "H100 SXM", "--mfu", "0.2", "--precision", "fp8", "--out", str(out)])
    assert fp8.exit_code == 0, fp8.output
    assert "FP8 dense 1,979" in pd.read_csv(out).iloc[0].peak_basis
    assert pd.isna(pd.read_csv(out).iloc[0].days)


def test_cli_inference(tmp_path):
    out = tmp_path / "i.csv"
    r = runner.invoke(app, ["demand", "inference", "--tokens-per-day", "100万亿", "--active", "37B", "--accelerator",
                            "H800", "--mfu", "0.1", "--peak-to-average", "1.3", "--out", str(out)])
    assert r.exit_code == 0, r.output
    row = pd.read_csv(out).iloc[0]
    assert row.flop_per_second == pytest.approx(1e14 / 86400 * 7.4e10 * 1.3)
    assert row.accelerators == pytest.approx(row.flop_per_second / (989.5e12 * 0.1))


@pytest.mark.parametrize("args,msg", [
    (["training", "--params", "405X", "--tokens", "1T", "--accelerator", "H800", "--mfu", "0.4"], "not a count"),
    (["training", "--params", "405B", "--tokens", "1T", "--accelerator", "H800", "--mfu", "1.5"], "must be in"),
    (["training", "--params", "40B", "--active", "50B", "--tokens", "1T", "--accelerator", "H800", "--mfu", "0.4"],
     "exceeds"),
    (["inference", "--tokens-per-day", "1T", "--active", "37B", "--accelerator", "Z9000", "--mfu", "0.1"],
     "not in the catalog"),
    (["inference", "--tokens-per-day", "1T", "--active", "37B", "--accelerator", "H800", "--mfu", "0.1",
      "--peak-to-average", "0.5"], "below 1"),
])
def test_cli_errors(args, msg):
    r = runner.invoke(app, ["demand", *args])
    assert r.exit_code != 0
    assert isinstance(r.exception, InputError) and msg in str(r.exception)
