"""Constants and a live server for the dashboard tests (imported by conftest and tests)."""

from __future__ import annotations

import socket
import threading
import time

XSS = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://example.invalid","x")'
XSS_UNIT = "dalian"
FORMULA_UNIT = "dongguan"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn in a thread on a free loopback port."""

    def __init__(self, app) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        t0 = time.time()
        while not self.server.started:
            if time.time() - t0 > 20:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


#: Debian's chromium, driven by Playwright (never a downloaded browser), and its headless, offline flags
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


# ------------------------------------------------------------------ texts of the pages, read once
#: the text nodes of a page outside ``o.skip`` (a selector; scripts, styles, hidden parts and the chart
#: toolbar are always left out); with ``o.visible`` only those shown (text in charts, options and
#: folded details counts as shown), with ``o.attrs`` also the placeholder, aria-label and title attributes
TEXTS = r"""(o) => {
  const out = [];
  const skip = (e) => !e || e.closest('script,style,noscript,template,[hidden],.modebar-container,' + o.skip);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const s = n.nodeValue.trim();
    if (!s || skip(n.parentElement)) continue;
    const e = n.parentElement;
    if (o.visible && !(e.closest('svg') || e.closest('option') || e.closest('details'))) {
      const st = getComputedStyle(e);
      if (st.display === 'none' || st.visibility === 'hidden') continue;
    }
    out.push(s);
  }
  if (o.attrs) {
    for (const e of document.querySelectorAll('[placeholder],[aria-label],[title]')) {
      if (skip(e)) continue;
      for (const a of ['placeholder', 'aria-label', 'title']) { const v = e.getAttribute(a); if (v && v.trim()) out.push(v.trim()); }
    }
  }
  return out;
}"""
#: every visible text of a page (text nodes, option labels, chart text) and its placeholder, aria-label
#: and title attributes: what the one-language test checks
SCAN = {"skip": "[data-raw]", "visible": True, "attrs": True}
#: the text nodes that may hold build-written prose (quotes, citations, originals and ids left out)
PROSE = {"skip": "[data-quote],cite,[data-orig],[data-id],code,#build-table tbody", "visible": False, "attrs": False}

#: texts read from each page by a sweep of every page (``test_every_page_fits_the_screen`` at 1280 px)
#: for the language tests run after it on the same worker (one xdist group): loading every page of the
#: dashboard in chromium costs about 10 s a sweep, and the texts are the same whoever reads them.
#: Key: (build folder served, language, path); value: {"texts": SCAN, "prose": PROSE}.
PAGE_TEXTS: dict[tuple[str, str, str], dict[str, list[str]]] = {}


def read_texts(pg, build: object, lang: str, path: str) -> dict[str, list[str]]:
    """SCAN and PROSE of the page ``pg`` shows (ready), kept in :data:`PAGE_TEXTS`."""
    got = {"texts": pg.evaluate(TEXTS, SCAN), "prose": pg.evaluate(TEXTS, PROSE)}
    PAGE_TEXTS[(str(build), lang, path)] = got
    return got
