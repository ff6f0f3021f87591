"""Versioned URLs of what the dashboard's pages load: its static files and plotly.js.

The server sends these files with ``Cache-Control: immutable``, so a changed file must have a new
URL: each URL carries the first 12 hex digits of the SHA-256 of the bytes served (``?v=``). Every
page, the app shell and the server-rendered pages alike, links the same URL for the same file, so
a browser loads and compiles plotly.js once for all of them.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

STATIC = Path(__file__).parent / "static"
#: Where the server serves plotly.js (:func:`suanli.report.plotlyjs.page_js`).
PLOTLY_PATH = "/vendor/plotly/plotly-partial.min.js"


def version(data: bytes) -> str:
    """The ``?v=`` of a file with these bytes."""
    return hashlib.sha256(data).hexdigest()[:12]


@cache
def static_url(name: str) -> str:
    """``/static/NAME?v=…`` for a file of the dashboard's ``static/`` folder."""
    return f"/static/{name}?v={version((STATIC / name).read_bytes())}"


@cache
def plotly_url() -> str:
    """The URL of plotly.js: the report's partial bundle (scatter, bar, heatmap, pie, waterfall; the
    dashboard draws nothing else), a quarter of the size of the plotly wheel's full bundle."""
    from ..report.plotlyjs import page_js

    return f"{PLOTLY_PATH}?v={version(page_js())}"
