"""Standalone stages in a side process (``suanli.sidestages``): the same build as a serial one, errors
raised as a serial build raises them, and no process left behind."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from pathlib import Path

import duckdb
import pytest

from suanli.builder import build
from suanli.edition import load_edition
from suanli.errors import InputError
from suanli.index.stage import IndexStage
from suanli.sidestages import SideStages
from suanli.survey.stage import SurveyStage

#: the builds below use a side process only where there is one to have (fork, two cores); on such a
#: machine a serial build would pass them too, so they are skipped there instead
needs_side = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods() or (os.cpu_count() or 1) < 2,
                                reason="the side process needs fork and two cores")


@pytest.fixture(scope="module")
def edition_dir(tmp_path_factory):
    """The default edition with capacity (run in the main process) and the survey, index and
    uncertainty stages (standalone), without the report."""
    import shutil

    import yaml

    from suanli.edition import default_edition_dir

    dst = tmp_path_factory.mktemp("ed") / "2025"
    shutil.copytree(default_edition_dir(), dst)
    data = yaml.safe_load((dst / "edition.yaml").read_text(encoding="utf-8"))
    for section in ("energy", "demand", "markets"):
        data.pop(section, None)
    data["outputs"] = {"report": False}
    (dst / "edition.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return dst


@pytest.fixture(scope="module")
def serial(edition_dir, tmp_path_factory) -> dict:
    """The snapshot of a build of ``edition_dir`` with every stage in this process."""
    out = tmp_path_factory.mktemp("serial") / "out"
    before = os.environ.get("SUANLI_SIDE_STAGES")
    os.environ["SUANLI_SIDE_STAGES"] = "0"
    try:
        build(load_edition(edition_dir), out)
    finally:
        if before is None:
            del os.environ["SUANLI_SIDE_STAGES"]
        else:
            os.environ["SUANLI_SIDE_STAGES"] = before
    return snapshot(out)


def pids_of(monkeypatch, stage_cls, log: Path) -> None:
    """Make ``stage_cls.run`` note the id of the process that runs it in ``log``."""
    run = stage_cls.run

    def noted(self, ctx):
        with log.open("a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        return run(self, ctx)

    monkeypatch.setattr(stage_cls, "run", noted)


def snapshot(out: Path) -> dict:
    """Everything a build leaves that does not hold a clock: CSV bytes, every stored table's rows,
    provenance, the stage cache's records, the log lines of lineage.json."""
    con = duckdb.connect(str(out / "suanli.duckdb"), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_name not in ('runs') "
            "order by table_name").fetchall()]
        rows = {n: con.execute(f'select * from "{n}"').fetchall() for n in names if n != "stage_runs"}
        runs = con.execute("select stage, key, tables, files, reused from stage_runs order by stage").fetchall()
    finally:
        con.close()
    csv = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((out / "tables").glob("*.csv"))}
    lineage = json.loads((out / "lineage.json").read_text(encoding="utf-8"))
    return {"csv": csv, "rows": rows, "stage_runs": runs, "messages": lineage["messages"],
            "tables": lineage["tables"]}


@needs_side
def test_side_stages_build_what_a_serial_build_builds(edition_dir, serial, tmp_path, monkeypatch):
    log = tmp_path / "survey-pids"
    pids_of(monkeypatch, SurveyStage, log)
    monkeypatch.delenv("SUANLI_SIDE_STAGES", raising=False)
    build(load_edition(edition_dir), tmp_path / "side")
    # the survey ran once, and not in this process
    ran = log.read_text().split()
    assert len(ran) == 1 and ran != [str(os.getpid())]
    side = snapshot(tmp_path / "side")
    assert side["csv"] and "survey_estimates.csv" in side["csv"] and "index_city_results.csv" in side["csv"]
    for part in serial:
        assert side[part] == serial[part], part
    assert multiprocessing.active_children() == []


@needs_side
def test_a_side_stage_that_fails_fails_as_in_a_serial_build(edition_dir, tmp_path, monkeypatch):
    """The side process's failure makes the main process run the stage itself: the error is the serial
    build's, stamped with the edition file, and the previous output is left as it was."""
    log = tmp_path / "index-pids"

    def bad(self, ctx):
        with log.open("a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        raise InputError("weights do not sum to one", column="weight")

    monkeypatch.setattr(IndexStage, "run", bad)
    errors = {}
    for mode in ("0", "1"):
        monkeypatch.setenv("SUANLI_SIDE_STAGES", mode)
        with pytest.raises(InputError) as exc:
            build(load_edition(edition_dir), tmp_path / f"out{mode}")
        errors[mode] = str(exc.value)
        assert not (tmp_path / f"out{mode}").exists()
    assert errors["1"] == errors["0"] and "edition.yaml" in errors["0"] and "weight" in errors["0"]
    pids = log.read_text().split()
    # serial: this process; side: the side process first, then this process again
    assert pids[0] == str(os.getpid()) and pids[-1] == str(os.getpid()) and len(pids) == 3 and pids[1] != pids[0]
    assert multiprocessing.active_children() == []


@needs_side
def test_a_stage_that_reads_the_store_is_run_in_the_main_process(edition_dir, serial, tmp_path, monkeypatch):
    """A stage declared standalone that reads the store after all: the side process cannot serve it, the
    main process runs it (and the later side stages), and the build is the serial one."""
    monkeypatch.delenv("SUANLI_SIDE_STAGES", raising=False)
    run = SurveyStage.run
    log = tmp_path / "survey-pids"

    def reads(self, ctx):
        with log.open("a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        ctx.store.has_table("capacity_national")
        return run(self, ctx)

    monkeypatch.setattr(SurveyStage, "run", reads)
    build(load_edition(edition_dir), tmp_path / "side")
    pids = log.read_text().split()
    assert len(pids) == 2 and pids[0] != str(os.getpid()) and pids[1] == str(os.getpid())
    assert snapshot(tmp_path / "side") == serial


class _Stage:
    def __init__(self, name: str, standalone: bool) -> None:
        self.name, self.standalone = name, standalone


def test_which_stages_go_to_the_side(monkeypatch):
    a, b, c, d = _Stage("a", False), _Stage("b", True), _Stage("c", False), _Stage("d", True)
    todo = [a, b, c, d]
    monkeypatch.delenv("SUANLI_SIDE_STAGES", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    if "fork" not in multiprocessing.get_all_start_methods():
        assert SideStages.wanted(todo, [True] * 4) == []
        return
    assert SideStages.wanted(todo, [True] * 4) == [b, d]
    # a reused stage is not run anywhere
    assert SideStages.wanted(todo, [True, False, True, True]) == [d]
    # nothing computed before them to run beside: no side process
    assert SideStages.wanted([b, d, a], [True] * 3) == []
    assert SideStages.wanted(todo, [False, True, False, True]) == []
    monkeypatch.setenv("SUANLI_SIDE_STAGES", "0")
    assert SideStages.wanted(todo, [True] * 4) == []
    monkeypatch.delenv("SUANLI_SIDE_STAGES")
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert SideStages.wanted(todo, [True] * 4) == []


def test_no_side_process_to_be_had_means_a_serial_build(monkeypatch):
    def no_fork(self, ctx, stages):
        raise OSError(12, "Cannot allocate memory")

    assert SideStages.start(None, []) is None
    monkeypatch.setattr(SideStages, "__init__", no_fork)
    assert SideStages.start(None, [_Stage("b", True)]) is None
