"""Hostile and messy inputs, one test (or more) per class: files outside the edition, YAML
expansion, workbook decompression, sheet choice, title rows, encodings, oversized cells, command
line usage errors and messages printed verbatim."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from suanli.errors import ConfigError, InputError, SuanliError
from suanli.io.readers import read_raw_table

EDITION_MIN = """schema_version: 1
id: test-ed
year: 2025
title: {zh: 测试, en: Test}
synthetic: true
"""
SH = "period,province,city,industry,vendor,accelerator_model,accelerators_per_server,cpu_model,cpus_per_server,servers"
ROW = "2024,北京,北京,互联网,浪潮,A100 SXM4 80GB,8,Xeon Platinum 8280,2,100"


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    e = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "suanli", *args], capture_output=True, text=True, env=e, timeout=300)


# -------------------------------------------------------------------------------- reading outside
def _edition_with_link(tmp_path: Path, target: Path) -> Path:
    ed = tmp_path / "ed"
    (ed / "data").mkdir(parents=True)
    (ed / "data" / "shipments.csv").symlink_to(target)
    (ed / "edition.yaml").write_text(
        EDITION_MIN + "inputs:\n  shipments: {path: data/shipments.csv, kind: shipments, synthetic: true}\n"
        "capacity:\n  shipments: shipments\n", encoding="utf-8")
    return ed


def test_symlink_to_a_file_outside_the_edition_is_refused_without_its_content(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("TOPSECRET-LINE,x\n1,2\n", encoding="utf-8")
    ed = _edition_with_link(tmp_path, secret)
    from suanli.edition import load_edition

    with pytest.raises(ConfigError) as e:
        load_edition(ed)
    msg = str(e.value)
    assert "inputs.shipments.path" in msg and "outside the edition folder" in msg and "symbolic link" in msg
    assert "TOPSECRET" not in msg
    r = run_cli("validate", str(ed))
    assert r.returncode == 2 and "outside the edition folder" in r.stderr
    assert "TOPSECRET" not in r.stderr + r.stdout and "Traceback" not in r.stderr


def test_linked_folder_outside_and_link_loop_are_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "shipments.csv").write_text(SH + "\n" + ROW + "\n", encoding="utf-8")
    ed = tmp_path / "ed"
    ed.mkdir()
    (ed / "data").symlink_to(outside, target_is_directory=True)
    (ed / "edition.yaml").write_text(
        EDITION_MIN + "inputs:\n  shipments: {path: data/shipments.csv, kind: shipments, synthetic: true}\n",
        encoding="utf-8")
    from suanli.edition import load_edition

    with pytest.raises(ConfigError, match="outside the edition folder"):
        load_edition(ed)
    ed2 = tmp_path / "ed2"
    ed2.mkdir()
    (ed2 / "a.csv").symlink_to(ed2 / "b.csv")
    (ed2 / "b.csv").symlink_to(ed2 / "a.csv")
    (ed2 / "edition.yaml").write_text(
        EDITION_MIN + "inputs:\n  shipments: {path: a.csv, kind: shipments, synthetic: true}\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_edition(ed2)


def test_a_link_inside_the_edition_is_fine(tmp_path):
    ed = tmp_path / "ed"
    (ed / "data").mkdir(parents=True)
    (ed / "data" / "real.csv").write_text(SH + "\n" + ROW + "\n", encoding="utf-8")
    (ed / "data" / "shipments.csv").symlink_to(ed / "data" / "real.csv")
    (ed / "edition.yaml").write_text(
        EDITION_MIN + "inputs:\n  shipments: {path: data/shipments.csv, kind: shipments, synthetic: true}\n",
        encoding="utf-8")
    from suanli.edition import load_edition

    assert load_edition(ed).input_path("shipments").exists()


# -------------------------------------------------------------------------------- YAML expansion
BOMB = ("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [" + ", ".join([f"*{a}"] * 9) + "]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)))


def test_alias_bomb_in_an_untyped_edition_field_is_refused_before_expansion(tmp_path):
    import tracemalloc

    ed = tmp_path / "ed"
    ed.mkdir()
    # 'notes' is a free string, but here a bomb sits under an untyped dict (markets params etc.):
    # the file must be refused while reading, whatever the schema would accept
    (ed / "edition.yaml").write_text(EDITION_MIN + "x_bomb:\n" + "".join("  " + ln + "\n" for ln in BOMB.splitlines()),
                                     encoding="utf-8")
    from suanli.edition import load_edition

    tracemalloc.start()
    with pytest.raises(ConfigError) as e:
        load_edition(ed)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "YAML nodes" in str(e.value) and "edition.yaml" in str(e.value)
    assert peak < 50e6


@pytest.mark.parametrize("kind", ["framework", "method", "uncertainty"])
def test_alias_bomb_in_every_other_yaml_file(tmp_path, kind):
    from suanli.io.yamlload import load_yaml_file

    p = tmp_path / f"{kind}.yaml"
    p.write_text(BOMB, encoding="utf-8")
    with pytest.raises(ConfigError, match="YAML nodes"):
        load_yaml_file(p)
    if kind == "framework":
        from suanli.index.framework import load_framework

        with pytest.raises(ConfigError, match="YAML nodes"):
            load_framework(p)


def test_yaml_alias_limits_recursion_and_depth(tmp_path, monkeypatch):
    from suanli.io.yamlload import load_yaml

    assert load_yaml("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}
    monkeypatch.setenv("SUANLI_MAX_YAML_ALIASES", "3")
    with pytest.raises(ConfigError, match="alias references"):
        load_yaml("a: &x 1\nb: [*x, *x, *x, *x]\n", file="f.yaml")
    monkeypatch.delenv("SUANLI_MAX_YAML_ALIASES")
    with pytest.raises(ConfigError, match="recursive"):
        load_yaml("a: &x [1, *x]\n", file="f.yaml")
    with pytest.raises(ConfigError):
        load_yaml("[" * 20000 + "]" * 20000, file="f.yaml")


# -------------------------------------------------------------------------------- workbooks
def _workbook(sheets: list[tuple[str, list[list], str]], active: int = 0) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, state in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        ws.sheet_state = state
    wb.active = active
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_workbook_bomb_is_refused_from_its_uncompressed_size(tmp_path, monkeypatch):
    import tracemalloc

    p = tmp_path / "bomb.xlsx"
    good = _workbook([("Data", [["a", "b"], [1, 2]], "visible")])
    src = zipfile.ZipFile(io.BytesIO(good))
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>x</t></is></c></row>'
                               for i in range(3, 300_000))
                data = data.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
            z.writestr(info.filename, data)
    assert p.stat().st_size < 3e6
    monkeypatch.setenv("SUANLI_MAX_XLSX_UNCOMPRESSED_MB", "5")
    tracemalloc.start()
    with pytest.raises(InputError) as e:
        read_raw_table(p)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "when unzipped" in str(e.value) and "bomb.xlsx" in str(e.value) and "SUANLI_MAX_XLSX_UNCOMPRESSED_MB" in str(e.value)
    assert peak < 20e6


def test_hidden_first_sheet_is_skipped_and_named_sheets_are_read(tmp_path):
    p = tmp_path / "book.xlsx"
    p.write_bytes(_workbook([("勿用", [["servers"], [1000]], "hidden"), ("Data", [["servers"], [100]], "visible"),
                             ("Other", [["servers"], [7]], "visible")], active=1))
    t = read_raw_table(p)
    assert t.sheet == "Data" and t.frame["servers"].tolist() == ["100"]
    assert "sheet 'Data'" in t.path
    assert read_raw_table(p, sheet="Other").frame["servers"].tolist() == ["7"]
    assert read_raw_table(p, sheet="勿用").frame["servers"].tolist() == ["1000"]  # asked for by name
    with pytest.raises(InputError) as e:
        read_raw_table(p, sheet="Dta")
    assert "did you mean 'Data'" in str(e.value) and "'勿用' (hidden)" in str(e.value)


def test_every_message_names_the_sheet(tmp_path):
    from suanli.capacity.estimate import read_shipments

    p = tmp_path / "ship.xlsx"
    hdr = SH.split(",")
    bad = ROW.split(",")
    bad[-1] = "-5"
    p.write_bytes(_workbook([("出货", [hdr, bad], "visible")]))
    with pytest.raises(InputError) as e:
        read_shipments(p)
    assert "ship.xlsx, sheet '出货', row 2, column 'servers'" in str(e.value)


def test_empty_first_sheet_and_title_rows(tmp_path):
    p = tmp_path / "book.xlsx"
    p.write_bytes(_workbook([("Cover", [], "visible"),
                             ("Data", [["2024年出货统计"], [], ["servers", "province"], [5, "北京"], [-1, "上海"]],
                              "visible")]))
    t = read_raw_table(p)
    assert t.sheet == "Data" and t.header_line == 3 and list(t.lines) == [4, 5]
    with pytest.raises(InputError) as e:
        read_raw_table(p, sheet="Cover")
    assert "sheet 'Cover'" in str(e.value) and "no content" in str(e.value)
    c = tmp_path / "t.csv"
    c.write_text("\n出货统计表,,\n\nservers,province\n5,北京\n", encoding="utf-8")
    t = read_raw_table(c)
    assert t.header_line == 4 and list(t.lines) == [5] and list(t.frame.columns) == ["servers", "province"]


def test_workbook_saved_under_a_csv_name_is_read_as_a_workbook(tmp_path):
    p = tmp_path / "data.csv"
    p.write_bytes(_workbook([("Data", [["servers"], [3]], "visible")]))
    t = read_raw_table(p)
    assert t.frame["servers"].tolist() == ["3"] and t.sheet == "Data"


def test_hidden_rows_merged_cells_and_uncached_formulas_in_streaming_mode(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for r in [["a", "b"], [1, 2], [3, 4], ["x", None], [5, "=1+1"]]:
        ws.append(r)
    ws.row_dimensions[3].hidden = True
    ws.merge_cells("A4:B4")
    p = tmp_path / "m.xlsx"
    wb.save(p)
    with pytest.raises(InputError) as e:
        read_raw_table(p)
    assert "B5" in str(e.value) and "sheet 'S', row 5" in str(e.value)


# -------------------------------------------------------------------------------- text files
def test_mixed_utf8_and_gbk_names_the_row(tmp_path):
    p = tmp_path / "mixed.csv"
    p.write_bytes((SH + "\n" + ROW + "\n").encode("utf-8") + ROW.replace("北京", "上海").encode("gbk") + b"\n")
    with pytest.raises(InputError) as e:
        read_raw_table(p)
    assert "mixed.csv, row 3" in str(e.value) and "mixes encodings" in str(e.value)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes((SH + "\n" + ROW + "\n").encode("gbk"))
    assert read_raw_table(gbk).frame["province"].tolist() == ["北京"]


def test_big_cell_with_closed_quotes_is_read_or_refused_at_its_row(tmp_path, monkeypatch):
    p = tmp_path / "big.csv"
    p.write_text('id,notes\n1,short\n2,"' + "长" * 70_000 + '"\n3,x\n', encoding="utf-8")
    t = read_raw_table(p)
    assert len(t.frame.loc[1, "notes"]) == 70_000 and list(t.lines) == [2, 3, 4]
    monkeypatch.setenv("SUANLI_MAX_CELL_KB", "32")
    with pytest.raises(InputError) as e:
        read_raw_table(p)
    msg = str(e.value)
    assert "row 3" in msg and "column 'notes'" in msg and "cell limit" in msg and "quote" not in msg


def test_unclosed_quote_is_reported_where_it_opens(tmp_path):
    p = tmp_path / "q.csv"
    p.write_text('id,notes\n1,ok\n2,"open\n3,x\n4,y\n', encoding="utf-8")
    with pytest.raises(InputError, match="row 3"):
        read_raw_table(p)


# -------------------------------------------------------------------------------- command line
@pytest.mark.parametrize("args,reason,near", [
    (["energyy"], "No such command 'energyy'", None),
    (["build", "--nosuch"], "no such option: --nosuch", None),
    (["build", "--forse"], "no such option: --forse", "--force"),
    (["capacity", "peak"], "Missing argument", None),
    (["index", "buld"], "No such command 'buld'", "build"),
])
def test_usage_errors_print_usage_and_reason_and_exit_2(args, reason, near):
    r = run_cli(*args)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and "UsageError" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert lines[0].startswith("Usage:") and len(lines) == 2, r.stderr
    assert reason in lines[1]
    if near:
        assert f"'{near}'" in lines[1]


def test_messages_are_printed_verbatim(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("servers,:x: [bold]boom[/bold] :smile:\n1,2\n", encoding="utf-8")
    r = run_cli("capacity", "estimate", str(p))
    out = r.stderr
    assert r.returncode == 2 and ":x:" in out and "[bold]boom[/bold]" in out and ":smile:" in out
    assert "❌" not in out and "😄" not in out


def test_suanli_errors_are_not_swallowed_in_library_use():
    assert issubclass(ConfigError, SuanliError)


# -------------------------------------------------------------------------------- locations
def test_coinr_metadata_errors_at_the_real_line_after_blank_lines(tmp_path):
    from suanli.index.framework import load_framework

    p = tmp_path / "iMeta.csv"
    p.write_text("iCode,iName,Level,Parent,Direction,Weight,Type\n\n\n"
                 "a,A,1,Index,1,1,Indicator\n\nb,B,1,Index,x,1,Indicator\nIndex,I,2,,1,1,Aggregate\n",
                 encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_framework(p)
    assert "iMeta.csv, row 6, column 'Direction'" in str(e.value)


def test_survey_ranks_written_with_di():
    from suanli.units import UnitError, parse_rank

    assert [parse_rank(x) for x in ("1", "第1", "第一", "１", "第十二", "2nd", "No.3", "第3名")] == [1, 1, 1, 1, 12, 2, 3, 3]
    assert parse_rank("—") is None
    for bad in ("first", "0", "1.5", "第零"):
        with pytest.raises(UnitError):
            parse_rank(bad)


def test_published_survey_ranks_written_with_di_are_read_and_bad_ranks_named(tmp_path):
    """The published-figures file (rank_low/rank_high) is where 第1 used to raise a traceback."""
    import csv

    from suanli.edition import default_edition_dir
    from suanli.survey.data import read_published, read_questionnaire

    data = default_edition_dir() / "data"
    qn = read_questionnaire(data / "survey_questionnaire.csv")
    rows = list(csv.DictReader((data / "survey_published.csv").open(encoding="utf-8-sig")))
    ranked = [i for i, r in enumerate(rows) if r["rank_low"].strip()]
    assert ranked
    want = read_published(data / "survey_published.csv", qn)
    cn = {"1": "第1", "2": "第二", "3": "第3名"}
    for i in ranked:
        rows[i]["rank_low"] = cn.get(rows[i]["rank_low"].strip(), rows[i]["rank_low"])
    p = tmp_path / "published.csv"

    def write() -> None:
        with p.open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)

    write()
    got = read_published(p, qn)
    assert got["rank_low"].fillna(-1).tolist() == want["rank_low"].fillna(-1).tolist()
    rows[ranked[0]]["rank_low"] = "第零"
    write()
    with pytest.raises(InputError) as e:
        read_published(p, qn)
    assert f"published.csv, row {ranked[0] + 2}, column 'rank_low'" in str(e.value), str(e.value)
