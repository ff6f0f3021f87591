"""Crash safety: SIGKILL ``suanli build`` at 20 seeded random points; the previous output survives.

Marked ``slow`` and still part of the suite. The 20 rounds of one seeded plan run in two halves of
10 (one test each, so pytest-xdist runs them on two workers). Both halves start from a copy of the
session's shared build of the default edition (``default_build``, ``suanli build --lang zh,en``, made
once per session for the report tests as well: the output folder and its report cache beside it), so
no build is paid for this test alone; every build of a round is ``suanli build --lang zh,en`` of the
default edition too, so an unkilled one reuses what the copy holds. Each round:

1. picks a point (seeded): a ``SUANLI_PAUSE`` hook (the build writes a marker and sleeps there) or
   a timed kill inside a stage (the hook at the stage's start writes the marker without sleeping;
   the test waits a random delay, then kills) — covering ingest (capacity/markets/survey read their
   inputs), computation (index, uncertainty), report writing and the swap. Killed builds run with
   ``--force-from`` the stage the point names, so that stage and every later one really compute
   (no reuse of the previous output) while the earlier ones are reused, as in a user's incremental
   build (recomputing them would only delay the kill); a kill at the start runs with ``--force`` (a
   whole rebuild), one before the swap reuses every stage (its staging folder is as complete as after
   a rebuild, and it gets there in about a second);
2. for the three timed kills inside the report stage, first moves the report cache
   (``.out.cache`` beside the output) aside, so that the killed build finds it cold and is really
   rendering figures and writing the PDF and workbook when it dies;
3. SIGKILLs the whole process group;
4. checks that every file of the previous output (tables, DuckDB store, lineage, pages) is
   byte-identical and readable (DuckDB opens read-only and answers, lineage.json parses);
5. after a report-stage kill, puts back every cache entry set aside in step 2 that the killed build
   did not write again, never replacing a file the killed build left (a finished entry or the
   temporary file of one it was writing): the next build then starts from the killed build's
   leftovers in the cache, as a user's would, but does not render the whole report again (a cold
   rebuild cost 30-50 s a round and proves nothing the warm one does not);
6. runs the next build (incremental: it may reuse unchanged stages from the surviving output), which
   must succeed, produce the same tables and leave no debris (staging or old output folders).

The log printed at the end gives, per round, the time until the kill and the time of the next build.
(It used to run on a reduced copy of the default edition, with fewer Monte Carlo samples, built once
per session for it alone; the rounds on the default edition itself cost about 20 s of CPU more
than on that copy, and that copy's own build about 40.)
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest
from reliability_helpers import all_hashes, tree_hashes

SEED = 20250808
ROUNDS = 20
STAGES = ["capacity", "markets", "survey", "index", "uncertainty", "report"]
PAUSE_POINTS = ["start"] + [f"{w}-{s}" for s in STAGES for w in ("before", "after")] + ["before-swap"]
#: the languages of the shared default build, so that a round's builds can reuse its report
LANG = ("--lang", "zh,en")
#: upper bound of the random delay (s) after a stage starts, for timed kills inside it
STAGE_WINDOW = {"capacity": 0.8, "markets": 0.6, "survey": 1.2, "index": 0.3, "uncertainty": 0.3, "report": 8.0}


def _plan(rng: random.Random) -> list[tuple[str, str, float]]:
    """(mode, point, delay) for each round: about half at hook points, half timed inside stages."""
    plan = []
    timed = ["capacity", "markets", "survey", "index", "uncertainty", "report", "report", "report", "capacity", "survey"]
    pauses = rng.sample(PAUSE_POINTS, 10)
    for s in timed:
        plan.append(("timed", f"before-{s}", rng.uniform(0.0, STAGE_WINDOW[s])))
    for p in pauses:
        plan.append(("pause", p, 0.0))
    rng.shuffle(plan)
    return plan


def _force_args(point: str) -> list[str]:
    """Build options of a killed build: ``--force-from`` the stage a point names (``before-index``,
    ``after-markets``), ``--force`` for ``start`` (killed before any work, so it costs nothing), none
    for ``before-swap``: every stage is reused from the previous output, so the kill lands on a
    complete staging folder about to be swapped in, as after a whole rebuild, for the price of a
    no-op build (a forced whole rebuild took 11-12 s of CPU to reach the same point)."""
    if point == "before-swap":
        return []
    kind, _, stage = point.partition("-")
    return ["--force-from", stage] if kind in ("before", "after") and stage in STAGES else ["--force"]


def test_the_plan_covers_every_stage_and_the_points_around_the_build():
    """The seeded plan kills inside every stage (timed) and at the start, around the first stage and
    before the swap (paused): the points where a half-made output would be likeliest to leak."""
    plan = _plan(random.Random(SEED))
    assert len(plan) == ROUNDS
    assert {p.removeprefix("before-") for m, p, _ in plan if m == "timed"} == set(STAGES)
    assert {"start", "before-capacity", "after-capacity", "before-swap"} <= {p for m, p, _ in plan if m == "pause"}


def _build(cmd, edition, out, env, **kw):
    return subprocess.run([*cmd, "build", str(edition), "--out", str(out), "-q", *LANG], env=env, capture_output=True,
                          text=True, timeout=600, **kw)


def _restore_missing(backup: Path, cache: Path) -> int:
    """Move each file of ``backup`` to the same place under ``cache`` unless a file is already there
    (written by the killed build: it is left as the build left it). Returns the number moved."""
    moved = 0
    for p in sorted(backup.rglob("*")):
        if p.is_file():
            dst = cache / p.relative_to(backup)
            if not dst.exists():
                dst.parent.mkdir(parents=True, exist_ok=True)
                os.rename(p, dst)
                moved += 1
    shutil.rmtree(backup)
    return moved


def _readable(out: Path) -> None:
    con = duckdb.connect(str(out / "suanli.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from capacity_national").fetchone()[0] > 0
        assert con.execute("select count(*) from runs").fetchone()[0] == 1
        assert con.execute("select count(*) from provenance").fetchone()[0] > 10
    finally:
        con.close()
    json.loads((out / "lineage.json").read_text(encoding="utf-8"))
    assert (out / "report.html").stat().st_size > 0


@pytest.mark.slow
@pytest.mark.parametrize("half", [pytest.param(0, marks=pytest.mark.xdist_group("crash-safety-first-half")),
                                  pytest.param(1, marks=pytest.mark.xdist_group("crash-safety-second-half"))])
def test_sigkill_at_20_random_points(half, default_build, tmp_path, suanli_cmd, env_no_faults):
    """The 20 rounds of one seeded plan, in two halves of 10 (one per test, so that pytest-xdist can
    run them on two workers); each half starts from its own copy of one finished build."""
    from suanli.edition import default_edition_dir

    edition = default_edition_dir()
    rng = random.Random(SEED)
    plan = _plan(rng)
    rounds = list(enumerate(plan))[half * ROUNDS // 2:(half + 1) * ROUNDS // 2]
    out = tmp_path / "out"
    cache = tmp_path / ".out.cache"
    backup = tmp_path / "report-cache-set-aside"
    shutil.copytree(default_build, out)
    shutil.copytree(default_build.parent / ".out.cache", cache)
    shutil.copyfile(out / "lineage.json", tmp_path / f"lineage-{rounds[0][0] - 1}.json")
    tables = tree_hashes(out)
    assert len(tables) > 30
    _readable(out)
    log = []
    for i, (mode, point, delay) in rounds:
        before = all_hashes(out)
        marker = tmp_path / f"marker-{i}"
        env = dict(env_no_faults, SUANLI_PAUSE=point, SUANLI_PAUSE_MARKER=str(marker),
                   SUANLI_PAUSE_SECONDS="0" if mode == "timed" else "60")
        cold = mode == "timed" and point == "before-report"
        if cold:  # cold cache: the report is really being written when killed
            os.rename(cache, backup)
        t0 = time.time()
        # the stage the point names, and every later one, compute (no reuse from the previous output),
        # so kills land in real work; the next build below is incremental and so also shows that reuse
        # after a crash is sound
        proc = subprocess.Popen([*suanli_cmd, "build", str(edition), "--out", str(out), "-q", *LANG,
                                 *_force_args(point)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 300
        while not marker.exists() and proc.poll() is None and time.time() < deadline:
            time.sleep(0.02)
        assert marker.exists(), f"round {i}: the build never reached {point} (rc {proc.poll()})"
        time.sleep(delay)
        finished_first = proc.poll() is not None
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        t_kill = time.time()
        # 1. the previous output is intact: every file byte-identical, and readable
        after = all_hashes(out)
        swapped = False
        if finished_first:  # the stage window overran the build: it completed and swapped (a new, whole build)
            assert proc.returncode == 0
            swapped = True
        elif after != before:
            # killed in the instant after the atomic swap: the output must then be the new build, whole
            lin_old = json.loads((tmp_path / f"lineage-{i - 1}.json").read_text())
            lin_new = json.loads((out / "lineage.json").read_text(encoding="utf-8"))
            assert set(after) == set(before), f"round {i}: files differ after a kill at {mode} {point}"
            assert lin_new["finished"] > lin_old["finished"], f"round {i}: output changed"
            swapped = True
        if swapped:
            assert tree_hashes(out) == tables
        _readable(out)
        restored = _restore_missing(backup, cache) if cold else 0
        # 2. the next build succeeds, gives the same tables and cleans the debris
        t_next = time.time()
        r = _build(suanli_cmd, edition, out, env_no_faults)
        t_done = time.time()
        assert r.returncode == 0, f"round {i}: the build after the kill failed:\n{r.stderr}"
        shutil.copyfile(out / "lineage.json", tmp_path / f"lineage-{i}.json")
        assert tree_hashes(out) == tables
        _readable(out)
        assert not list(tmp_path.glob(".out.building-*")) and not list(tmp_path.glob(".out.old-*"))
        state = "no (finished)" if finished_first else ("yes, after the swap" if swapped else "yes")
        log.append(f"{i:2d} {mode:5s} {point:18s} +{delay:4.2f}s killed={state} "
                   f"{time.time() - t0:5.1f}s (kill after {t_kill - t0:4.1f}s, next build {t_done - t_next:4.1f}s"
                   + (f", {restored} report cache entries put back" if cold else "") + ")")
    print("\n".join(log))
    killed = sum("killed=yes" in x for x in log)  # before or just after the swap
    intact = sum("killed=yes " in x for x in log)
    n = len(rounds)
    print(f"crash-safety: {killed}/{n} builds killed; previous output intact in {intact}, "
          f"new whole output in {killed - intact}; next build succeeded {n}/{n}")
    assert killed == n, f"only {killed} of {n} rounds killed a running build:\n" + "\n".join(log)
