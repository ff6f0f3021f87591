"""Geometry checks of every plotly chart in a report page, run inside headless chromium.

``CHECK_JS`` runs in the page after every chart is drawn and returns, per chart, the problems it
finds:

* ``axis``: a category axis whose range reaches beyond [-1, n] (n = number of categories), the
  symptom of a shape or annotation placed by category label instead of index;
* ``marks``: a trace with no visible mark (bar, point, line, slice, tile or image) inside the plot area
  (legend keys, data-less traces marked ``customdata=["legend:<class>"]``, are exempt);
* ``overlap``: two visible text labels whose boxes overlap by more than 1 px in both directions;
* ``whisker``: a value label that an error bar (whisker and caps) runs through, by more than 1 px in
  both directions;
* ``clipped``: a text label of the plot (a bar's value, a point's label) reaching more than 1 px past
  the chart's edge, where the page cuts it off;
* ``ticks``: two tick labels of one linear or category axis that read the same (``24%, 24%``: a
  tick format with too few decimals for the axis's span).

``python tests/report/chart_checks.py report.html [width]`` prints the problems of one file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]

CHECK_JS = r"""
() => {
  const out = [];
  const vis = (n) => {
    for (let e = n; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || parseFloat(cs.opacity) === 0) return false;
      if (e.classList && e.classList.contains('chart')) break;
    }
    return true;
  };
  const hit = (a, b) => a.right > b.left && a.left < b.right && a.bottom > b.top && a.top < b.bottom;
  document.querySelectorAll('div.chart[data-fig]').forEach((gd) => {
    const fig = gd.dataset.fig, problems = [];
    const fl = gd._fullLayout || {};
    // 1. category axes within [-1, n]
    Object.keys(fl).filter(k => /^[xy]axis\d*$/.test(k)).forEach((k) => {
      const ax = fl[k];
      if (!ax || ax.type !== 'category' || !ax.range) return;
      const n = (ax._categories || []).length;
      const lo = Math.min(ax.range[0], ax.range[1]), hi = Math.max(ax.range[0], ax.range[1]);
      if (lo < -1 - 1e-9 || hi > n + 1e-9) problems.push({check: 'axis', axis: k, range: [lo, hi], n: n});
    });
    // 2. every trace has a visible mark inside the plot area
    const drag = gd.querySelector('.draglayer .nsewdrag');
    const area = (drag || gd.querySelector('svg.main-svg')).getBoundingClientRect();
    const seen = new Map();
    gd.querySelectorAll('g.trace, g.hm, g.imagelayer > *').forEach((g) => {
      const cd = g.__data__;
      const tr = Array.isArray(cd) && cd[0] && cd[0].trace ? cd[0].trace : (cd && cd.trace ? cd.trace : null);
      if (!tr) return;
      const marks = Array.from(g.querySelectorAll('path, image, rect, text')).concat(g.tagName === 'image' ? [g] : []);
      const ok = marks.some((m) => {
        const r = m.getBoundingClientRect();
        return (r.width > 0 || r.height > 0) && hit(r, area) && vis(m) && (m.getAttribute('d') !== 'M0,0Z');
      });
      seen.set(tr.index, (seen.get(tr.index) || false) || ok);
    });
    (gd._fullData || []).forEach((tr) => {
      if (tr.visible !== true) return;
      // a legend key (the value-class legend): a data-less trace marked customdata "legend:<class>"
      if (Array.isArray(tr.customdata) && String(tr.customdata[0]).startsWith('legend:')) return;
      if (!seen.get(tr.index)) problems.push({check: 'marks', trace: tr.index, name: tr.name || ''});
    });
    // 3. no two visible text labels overlap
    const boxes = [];
    gd.querySelectorAll('svg text').forEach((t) => {
      if (!t.textContent.trim() || !vis(t)) return;
      const r = t.getBoundingClientRect();
      if (r.width * r.height <= 0) return;
      boxes.push({t: t.textContent.trim(), r: r});
    });
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r, b = boxes[j].r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) problems.push({check: 'overlap', a: boxes[i].t, b: boxes[j].t});
      }
    }
    // 4. no error bar runs through a value label (a bar's own label, or a text trace's)
    const whiskers = Array.from(gd.querySelectorAll('g.errorbar path')).filter(vis)
      .map((p) => p.getBoundingClientRect()).filter((r) => r.width > 0 || r.height > 0);
    gd.querySelectorAll('g.trace text').forEach((t) => {
      if (!t.textContent.trim() || !vis(t)) return;
      const a = t.getBoundingClientRect();
      if (whiskers.some((b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
                                && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1)) {
        problems.push({check: 'whisker', label: t.textContent.trim()});
      }
    });
    // 5. no label of the plot cut off at the chart's edge
    const svg = gd.querySelector('svg.main-svg').getBoundingClientRect();
    gd.querySelectorAll('g.trace text').forEach((t) => {
      if (!t.textContent.trim() || !vis(t)) return;
      const a = t.getBoundingClientRect();
      if (a.width * a.height <= 0) return;
      if (a.right > svg.right + 1 || a.left < svg.left - 1) problems.push({check: 'clipped', label: t.textContent.trim()});
    });
    // 6. the tick labels of one axis all differ (log axes repeat their 2 and 5 by design)
    Object.keys(fl).filter(k => /^[xy]axis\d*$/.test(k)).forEach((k) => {
      const ax = fl[k];
      if (!ax || !ax._id || ax.type === 'log') return;
      const texts = Array.from(gd.querySelectorAll('g.' + ax._id + 'tick text'))
        .filter((t) => vis(t) && t.textContent.trim()).map((t) => t.textContent.trim());
      const dup = texts.filter((t, i) => texts.indexOf(t) !== i);
      if (dup.length) problems.push({check: 'ticks', axis: k, repeated: Array.from(new Set(dup))});
    });
    if (problems.length) out.push({fig: fig, problems: problems});
  });
  return out;
}
"""


#: Charts whose margins plotly grew past the layout's (it then draws the chart a second time):
#: ``[{"fig", "grown": ["l", "t", ...], "colorbar": bool}]``.
MARGINS_JS = """() => Array.from(document.querySelectorAll('div.chart[data-fig]')).map(gd => {
  const m = gd._fullLayout.margin, s = gd._fullLayout._size;
  return {fig: gd.dataset.fig, grown: ['l', 'r', 't', 'b'].filter(k => s[k] > m[k]),
          colorbar: gd.querySelector('g.colorbar') !== null};
}).filter(x => x.grown.length)"""

#: The page's figures and tables that the browser may skip off screen (``content-visibility: auto``,
#: report-screen.css), and the page's height with the skipped ones at their estimated heights
#: (``estimated``) and with every one laid out (``real``). Run last: it lays out every part.
HEIGHTS_JS = """() => {
  const parts = Array.from(document.querySelectorAll('figure.fig, .table-wrap'));
  const skippable = parts.filter(e => getComputedStyle(e).contentVisibility === 'auto').length;
  const estimated = document.documentElement.scrollHeight;
  parts.forEach(e => { e.style.contentVisibility = 'visible'; });
  return {parts: parts.length, skippable: skippable, estimated: estimated, real: document.documentElement.scrollHeight};
}"""

#: pages read in this process: (file, its mtime, width) -> what :func:`check_page` found. The tests of
#: one report page (these checks, and test_report_browser.py's errors, requests and drawn charts) share
#: one load of it in chromium when they run on one worker (one xdist group): 70-odd charts take
#: seconds to draw, and what they find does not depend on who asked.
_READ: dict[tuple[str, int, int], dict] = {}

#: Resolves when ``body`` has the attribute (now or later); rejects after ``ms``. A MutationObserver
#: wakes only when an attribute changes, where Playwright's ``wait_for_selector`` would poll the whole
#: report with querySelectorAll on the page's own thread while it draws its charts.
_WAIT_JS = """([name, ms]) => new Promise((resolve, reject) => {
  if (document.body && document.body.hasAttribute(name)) return resolve();
  const o = new MutationObserver(() => {
    if (document.body && document.body.hasAttribute(name)) { o.disconnect(); resolve(); }
  });
  o.observe(document.documentElement, {attributes: true, subtree: true, attributeFilter: [name]});
  setTimeout(() => { o.disconnect(); reject(new Error("no body[" + name + "] after " + ms + " ms")); }, ms);
})"""


def wait_for_body_attribute(page, name: str, timeout_ms: int) -> None:
    """Wait until the page's ``body`` has the attribute ``name`` (the report sets ``data-charts-drawn``
    when its last chart is drawn)."""
    page.evaluate(_WAIT_JS, [name, timeout_ms])


def check_page(path: Path, width: int, timeout_ms: int = 120_000) -> dict:
    """Open ``path`` at ``width`` px, wait for every chart, and return what the page did and showed:
    ``charts`` (plotly figures, ``div.chart[data-fig]``), ``all_charts`` (every ``div.chart``),
    ``drawn`` (the page's own count), ``with_svg`` (charts drawn with an SVG), ``bars`` (bar and point
    marks), ``errors`` (console errors, page errors), ``requests``, ``dialogs``, ``problems``
    (:data:`CHECK_JS`), ``margins_grown`` (:data:`MARGINS_JS`) and ``heights`` (:data:`HEIGHTS_JS`).
    A page already read at this width, unchanged since, is not loaded again."""
    from playwright.sync_api import sync_playwright

    path = Path(path).resolve()
    key = (str(path), path.stat().st_mtime_ns, width)
    if key in _READ:
        return json.loads(json.dumps(_READ[key]))          # a copy: callers may change theirs
    ev: dict = {"errors": [], "requests": [], "dialogs": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.on("console", lambda m: ev["errors"].append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: ev["errors"].append(str(e)))
            page.on("request", lambda r: ev["requests"].append(r.url))

            def dialog(d):
                ev["dialogs"].append(d.message)
                d.dismiss()

            page.on("dialog", dialog)
            page.goto(path.as_uri(), timeout=timeout_ms)
            wait_for_body_attribute(page, "data-charts-drawn", timeout_ms)
            ev["charts"] = page.evaluate("document.querySelectorAll('div.chart[data-fig]').length")
            ev["all_charts"] = page.evaluate("document.querySelectorAll('div.chart').length")
            ev["drawn"] = int(page.evaluate("document.body.dataset.chartsDrawn"))
            ev["with_svg"] = page.evaluate(
                "Array.from(document.querySelectorAll('div.chart')).filter(d => d.querySelector('svg.main-svg')"
                " && d.dataset.drawn === '1').length")
            ev["bars"] = page.evaluate("document.querySelectorAll('div.chart g.point, div.chart path.point').length")
            ev["problems"] = page.evaluate(CHECK_JS)
            ev["margins_grown"] = page.evaluate(MARGINS_JS)
            ev["heights"] = page.evaluate(HEIGHTS_JS)
        finally:
            browser.close()
    _READ[key] = json.loads(json.dumps(ev))
    return ev


if __name__ == "__main__":
    res = check_page(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1280)
    kinds: dict[str, int] = {}
    for f in res["problems"]:
        for p in f["problems"]:
            kinds[p["check"]] = kinds.get(p["check"], 0) + 1
    print(json.dumps({"charts": res["charts"], "drawn": res["drawn"], "errors": res["errors"][:5],
                      "figures_with_problems": len(res["problems"]), "by_check": kinds}, ensure_ascii=False))
    for f in res["problems"]:
        print(f["fig"], json.dumps(f["problems"][:4], ensure_ascii=False))
