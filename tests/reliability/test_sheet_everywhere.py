"""The worksheet is chosen and named wherever a workbook is read: ``--sheet`` on every command that
reads a table, ``sheet:`` of an edition input in every stage. Each workbook below has a first
visible sheet ``Old`` holding a clean table and a sheet ``Data`` holding one bad cell: reading
``Data`` is proven by the message, which must name the file, the sheet, the row and the column."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from suanli.edition import default_edition_dir

ASEM = Path(__file__).resolve().parents[1] / "data" / "coinr_asem"
BUNDLED = default_edition_dir() / "data"


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [r for r in csv.reader(f)]


def _workbook(path: Path, rows: list[list[object]], bad: tuple[int, str, object] | None) -> Path:
    """Sheets Old (rows as given) and Data (rows with ``bad`` = (data row index, column, value))."""
    import openpyxl

    wb = openpyxl.Workbook()
    old = wb.active
    old.title = "Old"
    data = wb.create_sheet("Data")
    for r in rows:
        old.append(r)
    for i, r in enumerate(rows):
        r = list(r)
        if bad is not None and i == bad[0] + 1:
            r[rows[0].index(bad[1])] = bad[2]
        data.append(r)
    wb.save(path)
    return path


def run_main(argv: list[str], capsys, monkeypatch) -> tuple[int, str]:
    """``suanli ARGV`` in this process (the CLI's own error handling); exit code and stderr."""
    from suanli.cli import main

    monkeypatch.setattr(sys, "argv", ["suanli", *argv])
    with pytest.raises(SystemExit) as e:
        main()
    return int(e.value.code or 0), capsys.readouterr().err


INV = [["name", "accelerator_model", "accelerator_count", "cpu_model", "cpu_count"],
       ["a", "H100 SXM", 8, "", ""], ["b", "A100 SXM4 80GB", 16, "", ""]]


def _commands(tmp: Path) -> dict[str, tuple[list[str], str]]:
    """command line, column of the bad cell; each reads sheet Data of its workbook."""
    ship = _rows(BUNDLED / "shipments.csv")[:4]
    facts = _rows(BUNDLED / "facts.csv")
    row = next(i for i, r in enumerate(facts[1:]) if r[facts[0].index("unit")] in ("亿美元", "EFLOPS"))
    resp = _rows(BUNDLED / "survey_respondents.csv")[:40]
    data = _rows(ASEM / "ASEM_iData.csv")
    return {
        "capacity peak": (["capacity", "peak", str(_workbook(tmp / "inv.xlsx", INV, (1, "accelerator_count", "x")))],
                          "accelerator_count"),
        "capacity estimate": (["capacity", "estimate", str(_workbook(tmp / "ship.xlsx", ship, (2, "servers", "-5"))),
                               "--out", str(tmp / "cap")], "servers"),
        "energy power": (["energy", "power", str(_workbook(tmp / "inv2.xlsx", INV, (0, "accelerator_count", "x")))],
                         "accelerator_count"),
        "markets check": (["markets", "check", str(_workbook(tmp / "facts.xlsx", facts, (row, "value", "abc"))),
                           "--out", str(tmp / "mk")], "value"),
        "survey estimate": (["survey", "estimate", str(_workbook(tmp / "resp.xlsx", resp, (3, resp[0][-1], "zz")))],
                            resp[0][-1]),
        "index build": (["index", "build", str(ASEM / "ASEM_iMeta.csv"),
                         str(_workbook(tmp / "asem.xlsx", data, (4, "GDP", "abc"))), "--out", str(tmp / "ix")], "GDP"),
        "index uncertainty": (["index", "uncertainty", str(ASEM / "ASEM_iMeta.csv"),
                               str(_workbook(tmp / "asem2.xlsx", data, (4, "GDP", "abc"))), "--out", str(tmp / "iu"),
                               "-n", "10"], "GDP"),
    }


@pytest.mark.parametrize("command", ["capacity peak", "capacity estimate", "energy power", "markets check",
                                     "survey estimate", "index build", "index uncertainty"])
def test_every_command_reading_a_table_takes_sheet_and_names_it(command, tmp_path, capsys, monkeypatch):
    argv, column = _commands(tmp_path)[command]
    code, err = run_main([*argv, "--sheet", "Data"], capsys, monkeypatch)
    assert code == 2, err
    assert "sheet 'Data'" in err and "row " in err and f"column '{column}'" in err, err
    assert "Traceback" not in err
    # a sheet that does not exist: refused with the closest name and the list of worksheets
    code, err = run_main([*argv, "--sheet", "Dat"], capsys, monkeypatch)
    assert code == 2 and "has no worksheet 'Dat'" in err and "did you mean 'Data'" in err, err


def test_edition_sheet_key_is_read_by_the_index_stage(tmp_path):
    """``sheet:`` of an edition input reaches the index stage (and validate): the data sit on sheet
    Data, after a first visible sheet with a broken copy."""
    from suanli.edition import load_edition
    from suanli.errors import InputError
    from suanli.index.stage import load_assessment

    data = _rows(ASEM / "ASEM_iData.csv")
    ed = tmp_path / "ed"
    ed.mkdir()
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Old"
    wb.active.append(["nothing", "here"])
    wb.active.append(["x", "y"])
    good = wb.create_sheet("Data")
    for r in data:
        good.append(r)
    bad = wb.create_sheet("Bad")
    for i, r in enumerate(data):
        bad.append([*r[:9], "abc", *r[10:]] if i == 3 else r)
    wb.save(ed / "asem.xlsx")
    (ed / "meta.csv").write_bytes((ASEM / "ASEM_iMeta.csv").read_bytes())
    text = ("schema_version: 1\nid: t\nyear: 2025\ntitle: {zh: t, en: t}\nsynthetic: false\n"
            "inputs:\n  meta: {path: meta.csv, kind: framework, synthetic: false}\n"
            "  data: {path: asem.xlsx, kind: indicators, synthetic: false, sheet: SHEET}\n"
            "assessments:\n  asem: {framework: meta, data: data}\n")
    (ed / "edition.yaml").write_text(text.replace("SHEET", "Data"), encoding="utf-8")
    e = load_edition(ed)
    fw, panel, _ = load_assessment(e, "asem", e.assessments.root["asem"])
    assert [len(d.unit_ids) for d in panel.years.values()] == [51]
    (ed / "edition.yaml").write_text(text.replace("SHEET", "Bad"), encoding="utf-8")
    e = load_edition(ed)
    with pytest.raises(InputError) as exc:
        load_assessment(e, "asem", e.assessments.root["asem"])
    assert "asem.xlsx, sheet 'Bad', row 4" in str(exc.value) and data[0][9] in str(exc.value)


def test_engine_errors_in_an_edition_build_name_the_data_file_and_leave_no_debris(tmp_path):
    """A method the data cannot take (fracmax on ASEM: maxima ≤ 0 after the direction flip) fails
    in the index stage of an edition build: the message names the data file and the indicators;
    a method that cannot apply names edition.yaml and the method key; nothing is left behind."""
    from suanli.builder import build
    from suanli.edition import load_edition
    from suanli.errors import InputError

    ed = tmp_path / "ed"
    ed.mkdir()
    (ed / "meta.csv").write_bytes((ASEM / "ASEM_iMeta.csv").read_bytes())
    (ed / "data.csv").write_bytes((ASEM / "ASEM_iData.csv").read_bytes())
    text = ("schema_version: 1\nid: t\nyear: 2025\ntitle: {zh: t, en: t}\nsynthetic: false\n"
            "outputs: {report: false, capacity_page: false}\n"
            "inputs:\n  meta: {path: meta.csv, kind: framework, synthetic: false}\n"
            "  data: {path: data.csv, kind: indicators, synthetic: false}\n"
            "assessments:\n  asem:\n    framework: meta\n    data: data\n    method: METHOD\n")
    out = tmp_path / "out"
    (ed / "edition.yaml").write_text(text.replace(
        "METHOD", "[{step: normalise, method: fracmax}, {step: aggregate}]"), encoding="utf-8")
    with pytest.raises(InputError) as e:
        build(load_edition(ed), out)
    msg = str(e.value)
    assert str(ed / "data.csv") in msg and "CO2" in msg and "fracmax" in msg, msg
    assert not out.exists() and not list(tmp_path.glob(".out.building-*"))
    (ed / "edition.yaml").write_text(text.replace(
        "METHOD", "[{step: normalise, method: minmax}]"), encoding="utf-8")
    with pytest.raises(InputError) as e:
        build(load_edition(ed), out)
    msg = str(e.value)
    assert str(ed / "edition.yaml") in msg and "no 'aggregate' step" in msg, msg
    assert not out.exists() and not list(tmp_path.glob(".out.building-*"))


def test_sigterm_during_a_build_leaves_no_debris(tmp_path):
    """SIGTERM (a CI timeout, ``kill``) unwinds the build like an exception: the staging folder is
    removed, the exit status is 143."""
    import os
    import signal
    import subprocess
    import time

    ed = tmp_path / "ed"
    ed.mkdir()
    (ed / "meta.csv").write_bytes((ASEM / "ASEM_iMeta.csv").read_bytes())
    (ed / "data.csv").write_bytes((ASEM / "ASEM_iData.csv").read_bytes())
    (ed / "edition.yaml").write_text(
        "schema_version: 1\nid: t\nyear: 2025\ntitle: {zh: t, en: t}\nsynthetic: false\n"
        "outputs: {report: false, capacity_page: false}\n"
        "inputs:\n  meta: {path: meta.csv, kind: framework, synthetic: false}\n"
        "  data: {path: data.csv, kind: indicators, synthetic: false}\n"
        "assessments:\n  asem: {framework: meta, data: data}\n", encoding="utf-8")
    marker = tmp_path / "paused"
    env = {**os.environ, "SUANLI_PAUSE": "after-index", "SUANLI_PAUSE_MARKER": str(marker)}
    p = subprocess.Popen([sys.executable, "-m", "suanli", "build", str(ed), "--out", str(tmp_path / "out"), "-q"],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while not marker.exists() and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert marker.exists(), p.communicate()[1]
    assert list(tmp_path.glob(".out.building-*"))  # the build is under way in its staging folder
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 143 and b"Traceback" not in err, err
    assert not list(tmp_path.glob(".out.building-*")) and not (tmp_path / "out").exists()


def _secondary(tmp: Path) -> dict[str, tuple[list[str], str, str]]:
    """Commands whose second file (previous facts, questionnaire, margins) is a workbook: command line,
    the option naming its worksheet, and the column of the bad cell on sheet Data."""
    ext = _rows(BUNDLED / "facts_external.csv")
    row = next(i for i, r in enumerate(ext[1:]) if r[ext[0].index("value")].replace(".", "", 1).isdigit())
    qn = _rows(BUNDLED / "survey_questionnaire.csv")
    mg = _rows(BUNDLED / "survey_margins.csv")
    resp = str(BUNDLED / "survey_respondents.csv")
    return {
        "markets check --previous": (["markets", "check", str(BUNDLED / "facts.csv"), "--out", str(tmp / "mk"),
                                      "--previous", str(_workbook(tmp / "ext.xlsx", ext, (row, "value", "abc")))],
                                     "--previous-sheet", "value"),
        "survey estimate --questionnaire": (["survey", "estimate", resp, "--questionnaire",
                                             str(_workbook(tmp / "qn.xlsx", qn, (0, "type", "nonsense")))],
                                            "--questionnaire-sheet", "type"),
        "survey estimate --margins": (["survey", "estimate", resp, "--weights", "design_weight", "--margins",
                                       str(_workbook(tmp / "mg.xlsx", mg, (0, "share", "abc")))],
                                      "--margins-sheet", "share"),
        "survey weights --margins": (["survey", "weights", resp, "--margins",
                                      str(_workbook(tmp / "mg2.xlsx", mg, (0, "share", "abc")))],
                                     "--margins-sheet", "share"),
    }


@pytest.mark.parametrize("command", ["markets check --previous", "survey estimate --questionnaire",
                                     "survey estimate --margins", "survey weights --margins"])
def test_second_files_take_their_own_sheet(command, tmp_path, capsys, monkeypatch):
    """A command's second file gets its own worksheet option (``--previous-sheet``,
    ``--questionnaire-sheet``, ``--margins-sheet``); the first visible sheet is read without it."""
    argv, option, column = _secondary(tmp_path)[command]
    code, err = run_main([*argv, option, "Data"], capsys, monkeypatch)
    assert code == 2, err
    assert "sheet 'Data'" in err and "row " in err and column in err, err
    assert "Traceback" not in err
