"""Benchmark: cold and warm build time of the full default report.

Cold: a fresh output folder and an empty report cache (every figure, the PDF and the workbook
rendered). Warm: the same build again into the same folder (unchanged inputs, so the other stages
are reused from the previous build and figures, chart JSON, PDF and workbook come from the report
cache). The baseline measured in the same run is a build without the report stage (the other
stages alone, computed). ``report_cold_seconds`` and ``report_warm_seconds`` are the report stage's
own time in the cold and warm builds, timed per stage; ``cold_cpu_seconds``/``warm_cpu_seconds`` the CPU
time of each build (this process and its render workers), which a loaded machine inflates far less than
wall time, and ``load_average`` the 1-minute load when the run ends. ``html_bytes`` is the size of report.html;
``html_load_seconds`` the median of 5 loads of report.html in headless Debian chromium, from
navigation (``page.goto``, which returns at the load event) until every chart is drawn
(``body[data-charts-drawn]``, watched with a MutationObserver: see ``WAIT_FOR``; the page draws the charts near
the viewport first and the others in the background, so no scrolling is needed) and
``html_first_view_seconds`` until the charts of the first screen are drawn
(``body[data-charts-first-view]``), with the capacity page's load (``capacity_html_load_seconds``)
as the same-run baseline of a page with one chart. The last stdout line is one JSON object with
cold_seconds, warm_seconds, baseline_seconds, report_cold_seconds, report_warm_seconds, figures,
html_bytes, html_first_view_seconds, html_load_seconds.

    .venv/bin/python benchmarks/report.py [--lang zh]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from suanli import builder as build_mod
from suanli.edition import load_edition


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and its finished children (the render workers)."""
    import resource

    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def timed_build(edition, out: Path, lang: list[str], with_report: bool = True) -> tuple[float, dict[str, float]]:
    """Total wall seconds and seconds per stage (``"cpu"``: CPU seconds of the whole build)."""
    original = build_mod.stages
    if not with_report:
        build_mod.stages = lambda: [s for s in original() if s.name != "report"]
    marks: list[tuple[str, float]] = []
    try:
        c = cpu_seconds()
        t = time.perf_counter()
        build_mod.build(edition, out, options={"lang": lang},
                        progress=lambda stage, i, n: marks.append((stage, time.perf_counter())))
        total = time.perf_counter() - t
        cpu = cpu_seconds() - c
    finally:
        build_mod.stages = original
    per = {a[0]: b[1] - a[1] for a, b in zip(marks, marks[1:], strict=False)}
    per["cpu"] = cpu
    return total, per


CHROMIUM = "/usr/bin/chromium"

#: Resolves when ``body`` gets the attribute ``name`` (or has it already). A MutationObserver wakes
#: only when an attribute changes; Playwright's ``wait_for_selector`` instead polls the whole
#: document with querySelectorAll on the page's own thread (about 130 ms of a load's main-thread
#: time in a profile; interleaved loads of one page took 0.55-0.7 s longer with it), so it slowed
#: the very load it timed.
WAIT_FOR = """name => new Promise(resolve => {
  if (document.body && document.body.hasAttribute(name)) return resolve();
  const o = new MutationObserver(() => {
    if (document.body && document.body.hasAttribute(name)) { o.disconnect(); resolve(); }
  });
  o.observe(document.documentElement, {attributes: true, subtree: true, attributeFilter: [name]});
})"""


def load_seconds(path: Path, runs: int = 5, first_view: bool = True) -> tuple[float | None, float | None]:
    """Medians over ``runs`` loads of (seconds until the charts of the first screen are drawn,
    seconds until every chart is drawn), from navigation; (None, None) without chromium.

    The page draws the charts near the viewport first and the rest in the background in document
    order, without scrolling, so ``body[data-charts-drawn]`` (set when the last chart is drawn)
    is reached on every load and the second number still covers every figure."""
    import statistics

    if not Path(CHROMIUM).exists():
        return None, None
    from playwright.sync_api import sync_playwright

    first, every = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                t = time.perf_counter()
                page.goto(path.resolve().as_uri(), timeout=300_000)
                if first_view:  # pages with one chart (capacity.html) mark only the end
                    page.evaluate(WAIT_FOR, "data-charts-first-view")
                    first.append(time.perf_counter() - t)
                page.evaluate(WAIT_FOR, "data-charts-drawn")
                every.append(time.perf_counter() - t)
                drawn = page.evaluate("[document.body.dataset.chartsDrawn,"
                                      " document.querySelectorAll('div.chart[data-fig]').length]")
                if first_view and int(drawn[0]) != int(drawn[1]):
                    raise RuntimeError(f"{path.name}: {drawn[0]} of {drawn[1]} charts drawn")
                page.close()
        finally:
            browser.close()
    return (round(statistics.median(first), 2) if first else None), round(statistics.median(every), 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lang", default="zh")
    args = ap.parse_args()
    lang = [x for x in args.lang.split(",") if x]
    ed = load_edition()
    work = Path(tempfile.mkdtemp(prefix="suanli-bench-report-"))
    try:
        baseline, _ = timed_build(ed, work / "base", lang, with_report=False)
        out = work / "out"
        cold, cold_stages = timed_build(ed, out, lang)
        warm, warm_stages = timed_build(ed, out, lang)
        n = sum(1 for _ in (out / "figures").glob("*.png"))
        html = out / "report.html"
        html_first, html_load = load_seconds(html)
        cap = out / "capacity.html"
        cap_load = load_seconds(cap, first_view=False)[1] if cap.exists() else None
        res = {"cold_seconds": round(cold, 2), "warm_seconds": round(warm, 2), "baseline_seconds": round(baseline, 2),
               "report_cold_seconds": round(cold_stages["report"], 2),
               "report_warm_seconds": round(warm_stages["report"], 2),
               "cold_cpu_seconds": round(cold_stages["cpu"], 2), "warm_cpu_seconds": round(warm_stages["cpu"], 2),
               "load_average": round(os.getloadavg()[0], 1), "cores": os.cpu_count(),
               "figures": n, "lang": ",".join(lang), "target_cold_seconds": 15,
               "capacity_html_bytes": cap.stat().st_size if cap.exists() else None,
               "capacity_html_load_seconds": cap_load, "target_html_load_seconds": 2,
               "html_bytes": html.stat().st_size, "html_first_view_seconds": html_first,
               "html_load_seconds": html_load}
        print(f"baseline (stages without report): {baseline:.1f} s; cold: {cold:.1f} s; warm: {warm:.1f} s; "
              f"{n} figures")
        print(json.dumps(res))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
