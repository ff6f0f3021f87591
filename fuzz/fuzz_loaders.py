"""Coverage-guided fuzzing (atheris/libFuzzer) of suanli's file loaders, for a bounded time.

    .venv/bin/python fuzz/fuzz_loaders.py --seconds 60 --target shipments
    .venv/bin/python fuzz/fuzz_loaders.py --list
    .venv/bin/python fuzz/fuzz_loaders.py --seconds 60 --all        # every target in turn

Each input is written to a file with the target's suffix and read by the same loader the corpus
test uses (``tests/corpus/loaders.py``). The only acceptable outcomes are a result or a
:class:`~suanli.errors.SuanliError` (a message for the user); any other exception is a crash:
libFuzzer stops and saves the input under ``fuzz/artifacts/<target>/``. The corpus files of the
target's kind seed the run. Keep every crash as a regression file in
``tests/corpus/fuzz_regressions/<target>/`` (``tests/corpus/test_fuzz_regressions.py`` replays them).

The last stdout line is one JSON object: target, seconds, runs, execs_per_s, crashes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"

#: target → (loader in tests/corpus/loaders.py, file suffix, seed files under tests/corpus/files)
TARGETS: dict[str, tuple[str, str, str]] = {
    "shipments": ("shipments", ".csv", "shipments/*.csv"),
    "shipments_xlsx": ("shipments", ".xlsx", "shipments/*.xlsx"),
    "inventory": ("inventory_peaks", ".csv", "inventory/*.csv"),
    "catalog_override": ("override_accelerator", ".csv", "catalog/*.csv"),
    "indicators": ("index_city", ".csv", "indicators/*.csv"),
    "framework_yaml": ("framework", ".yaml", "framework/*.yaml"),
    "framework_coinr": ("framework", ".csv", "framework/*.csv"),
    "facts": ("facts", ".csv", "facts/*.csv"),
    "survey_margins": ("survey_margins", ".csv", "survey/v0[1-4]*.csv"),
    "survey_respondents": ("survey_respondents", ".csv", "survey/v[02][05-9]*.csv"),
    "survey_questionnaire": ("survey_questionnaire", ".csv", "survey/v1[03]*.csv"),
    "survey_published": ("survey_published", ".csv", "survey/v1[12]*.csv"),
    "demand_runs": ("demand_runs", ".csv", "demand/*.csv"),
    "edition": ("edition", ".yaml", "edition/*.yaml"),
}


def run_one(target: str) -> None:
    """Inside the fuzzing process: set up atheris and fuzz ``target`` (argv carries libFuzzer flags)."""
    import atheris

    sys.path.insert(0, str(CORPUS))
    with atheris.instrument_imports(include=["suanli"]):
        import suanli.capacity.catalog  # noqa: F401
        import suanli.capacity.estimate  # noqa: F401
        import suanli.edition  # noqa: F401
        import suanli.index.data  # noqa: F401
        import suanli.index.framework  # noqa: F401
        import suanli.io.readers  # noqa: F401
        import suanli.markets.series  # noqa: F401
        import suanli.survey.data  # noqa: F401
        import suanli.units  # noqa: F401
    from loaders import LOADERS

    from suanli.errors import SuanliError

    loader_name, suffix, _ = TARGETS[target]
    loader = LOADERS[loader_name]
    work = Path(tempfile.mkdtemp(prefix=f"fuzz-{target}-"))
    path = work / f"input{suffix}"
    loader(CORPUS / "files" / "shipments" / "s03_utf8_bom.csv") if loader_name == "shipments" else None  # warm caches

    def one(data: bytes) -> None:
        path.write_bytes(data)
        try:
            loader(path)
        except SuanliError:
            pass

    atheris.Setup(sys.argv, one)
    atheris.Fuzz()


def fuzz(target: str, seconds: int, jobs_dir: Path | None = None) -> dict:
    """Run ``target`` for ``seconds`` in a child process; parse libFuzzer's summary."""
    _, _, seeds = TARGETS[target]
    seed_dir = Path(tempfile.mkdtemp(prefix=f"seeds-{target}-"))
    for f in sorted((CORPUS / "files").glob(seeds)):
        shutil.copy(f, seed_dir / f.name)
    art = ROOT / "fuzz" / "artifacts" / target
    art.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, SUANLI_MAX_INPUT_MB="4", SUANLI_MAX_XLSX_MB="4")
    cmd = [sys.executable, __file__, "--child", target, f"-max_total_time={seconds}", "-timeout=20",
           "-rss_limit_mb=4096", "-max_len=65536", f"-artifact_prefix={art}/", "-print_final_stats=1", str(seed_dir)]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    text = r.stdout + r.stderr
    runs = re.search(r"Done (\d+) runs in (\d+) second", text)
    execs = re.search(r"stat::number_of_executed_units:\s*(\d+)", text)
    crashes = sorted(p.name for p in art.iterdir() if p.name.startswith(("crash-", "timeout-", "oom-", "leak-")))
    n_runs = int(runs.group(1)) if runs else (int(execs.group(1)) if execs else 0)
    secs = int(runs.group(2)) if runs else seconds
    summary = {"target": target, "seconds": secs, "runs": n_runs, "execs_per_s": round(n_runs / max(secs, 1), 1),
               "crashes": len(crashes), "exit": r.returncode}
    if r.returncode != 0 or crashes:
        tail = "\n".join(text.splitlines()[-40:])
        print(tail, file=sys.stderr)
    shutil.rmtree(seed_dir, ignore_errors=True)
    return summary


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        target = sys.argv[2]
        sys.argv = [sys.argv[0], *sys.argv[3:]]
        run_one(target)
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--target", choices=sorted(TARGETS))
    ap.add_argument("--all", action="store_true", help="fuzz every target in turn")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        print("\n".join(sorted(TARGETS)))
        return
    targets = sorted(TARGETS) if a.all else [a.target] if a.target else []
    if not targets:
        ap.error("give --target NAME or --all")
    results = [fuzz(t, a.seconds) for t in targets]
    for res in results[:-1]:
        print(json.dumps(res))
    if len(results) > 1:
        print(json.dumps({"targets": results, "crashes": sum(x["crashes"] for x in results)}))
    else:
        print(json.dumps(results[0]))
    sys.exit(1 if any(x["crashes"] or x["exit"] for x in results) else 0)


if __name__ == "__main__":
    main()
