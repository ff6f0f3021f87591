"""The CJK font for the PDF: the Simplified-Chinese face of the PyPI ``noto-cjk-sans-otc`` collection.

WeasyPrint loads fonts from ``@font-face`` URLs; a TTC would give face 0 (Japanese glyph shapes),
so the ``Noto Sans CJK SC`` face is extracted once with fontTools into the user cache
(``$XDG_CACHE_HOME/suanli/fonts``, ~16 MB) and used by family name. Licence: SIL OFL 1.1.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

FAMILY = "Noto Sans CJK SC"


def _cache_root() -> Path:
    base = os.environ.get("SUANLI_FONT_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "suanli" / "fonts" if "SUANLI_FONT_CACHE" not in os.environ else Path(base)


@cache
def sc_font_path() -> Path | None:
    """Path of ``NotoSansCJKsc-Regular.otf`` (extracted on first use), or None if unavailable."""
    try:
        import noto_cjk_sans_otc
        from fontTools.ttLib import TTCollection
    except ImportError:
        return None
    src = Path(noto_cjk_sans_otc.FONT_PATH)
    dest = _cache_root() / f"NotoSansCJKsc-Regular-{src.stat().st_size}.otf"
    if dest.exists():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    coll = TTCollection(str(src), lazy=True)
    for font in coll.fonts:
        if font["name"].getDebugName(1) == FAMILY:
            tmp = dest.with_suffix(f".tmp{os.getpid()}")
            font.save(str(tmp))
            os.replace(tmp, dest)
            return dest
    return None
