"""plotly.js for self-contained HTML pages, loaded once per page and a third of its size.

plotly's wheel ships only the full ``plotly.min.js`` (4.8 MB). Inlined as text it makes every
page that heavy. Instead the page carries the bundle gzip-compressed and base64-encoded
(about 1.9 MB) in one ``<script type="application/octet-stream">`` element; a few lines of
JavaScript decompress it with the browser's ``DecompressionStream`` and run it from a ``blob:`` URL
(compiled off the main thread like any loaded script), then resolve ``window.suanliPlotly``. Nothing is fetched: the page still works offline from ``file://``.
Browsers need ``DecompressionStream`` (Chromium 80, Firefox 113, Safari 16.4 or later).
"""

from __future__ import annotations

import base64
import gzip
from functools import cache
from pathlib import Path

LOADER = """(function () {
  var el = document.getElementById("plotly-gz");
  var bin = atob(el.textContent.trim()), buf = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
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


@cache
def plotly_gz_b64() -> str:
    """plotly.min.js from the installed plotly wheel, gzip (mtime 0, deterministic) + base64."""
    import plotly

    js = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    return base64.b64encode(gzip.compress(js, compresslevel=9, mtime=0)).decode("ascii")


def script_tags() -> str:
    """The two ``<script>`` elements that load plotly (the data element, then the loader)."""
    return (f'<script id="plotly-gz" type="application/octet-stream">{plotly_gz_b64()}</script>\n'
            f"<script>{LOADER}</script>")
