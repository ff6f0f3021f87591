"""plotly.js for self-contained HTML pages: a partial bundle, loaded once per page, compressed.

plotly's wheel ships only the full ``plotly.min.js`` (4.8 MB, every trace type). The report and the
capacity page draw five trace types, so they embed ``vendor/plotly-report.min.js`` instead: plotly.js
core (scatter, legend, annotations, shapes, hover, colour bars, error bars, category and log axes)
plus bar, heatmap, pie and waterfall, built from the npm release of the same plotly.js version as
the wheel's bundle (1.2 MB; recipe in ``scripts/plotly_bundle/``, provenance in ``vendor/README.md``).
The web dashboard serves the same bundle as a plain script (``suanli.web.assets.plotly_url``).
A self-contained page carries it gzip-compressed and base64-encoded (about 0.56 MB) in one
``<script type="application/octet-stream">`` element; a few lines of JavaScript decode it (natively
with ``Uint8Array.fromBase64`` where the browser has it, else ``atob`` and a loop), decompress it with
the browser's ``DecompressionStream`` and run it from a ``blob:`` URL (compiled off the main thread
like any loaded script), then resolve ``window.suanliPlotly``. Nothing is fetched: the page still
works offline from ``file://``. Browsers need ``DecompressionStream`` (Chromium 80, Firefox 113,
Safari 16.4 or later).
"""

from __future__ import annotations

import base64
import gzip
from functools import cache
from pathlib import Path

LOADER = """(function () {
  var el = document.getElementById("plotly-gz");
  var b64 = el.textContent.trim(), buf;
  if (typeof Uint8Array.fromBase64 === "function") buf = Uint8Array.fromBase64(b64);
  else {
    var bin = atob(b64);
    buf = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
  }
  el.textContent = "";
  var stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"));
  window.suanliPlotly = new Response(stream).blob().then(function (js) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = URL.createObjectURL(new Blob([js], {type: "text/javascript"}));
      s.onload = function () { resolve(window.Plotly); };
      s.onerror = reject;
      document.head.appendChild(s);
    });
  });
})();"""


#: The vendored partial bundle and the trace types registered in it (scripts/plotly_bundle/entry.js).
BUNDLE = Path(__file__).parent / "vendor" / "plotly-report.min.js"
TRACE_TYPES = ("scatter", "bar", "heatmap", "pie", "waterfall")


def bundle_js() -> bytes:
    """The vendored plotly.js partial bundle; a clear error if the package was installed without it."""
    try:
        return BUNDLE.read_bytes()
    except FileNotFoundError:
        raise FileNotFoundError(
            f"plotly.js bundle missing: {BUNDLE} (package data of suanli; rebuild it with "
            "scripts/plotly_bundle/build.sh or reinstall suanli)") from None


#: V8's explicit compile hint (a magic comment on a script's first line, Chromium 136 or later; other
#: engines read a comment): compile every function of the script eagerly, on a background thread
#: while the script streams in, instead of lazily on the page's main thread the first time each
#: function runs. plotly.js calls most of its functions while it starts and draws the first charts:
#: measured in chromium, plotly ready 271 -> 224 ms and the first chart 158 -> 87 ms (medians).
COMPILE_HINT = b"//# allFunctionsCalledOnLoad\n"


@cache
def page_js() -> bytes:
    """The script the page runs: the vendored bundle behind the compile hint (read once per process:
    the pages embed it, and the dashboard serves it and names it by its hash)."""
    return COMPILE_HINT + bundle_js()


@cache
def plotly_gz_b64() -> str:
    """The page's plotly.js (:func:`page_js`), gzip (mtime 0, deterministic) + base64."""
    return base64.b64encode(gzip.compress(page_js(), compresslevel=9, mtime=0)).decode("ascii")


def script_tags() -> str:
    """The two ``<script>`` elements that load plotly (the data element, then the loader)."""
    return (f'<script id="plotly-gz" type="application/octet-stream">{plotly_gz_b64()}</script>\n'
            f"<script>{LOADER}</script>")
