"""A tile-grid map of China's provincial-level divisions: one equal square per division.

Why tiles and not outlines: a map that draws boundaries must follow the official national
boundary (including the South China Sea islands inset) to be publishable in China, and no
outline dataset suanli may vendor does. A tile grid draws no boundary at all, gives every
province the same visual weight (so Beijing and Shanghai are as visible as Xinjiang), and keeps
each tile roughly where the province lies relative to its neighbours.

The layout itself is :mod:`suanli.tilegrid` (one layout in the project, shared with the dashboard);
``TILES`` re-keys it for the report's renderers as (column, row, ISO 3166-2:CN code), columns west
to east, rows north to south.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..tilegrid import PROVINCE_ISO, PROVINCE_TILES, province_en

#: division (short Chinese name) → (column, row, ISO 3166-2:CN code), from :mod:`suanli.tilegrid`
TILES: dict[str, tuple[int, int, str]] = {p: (c, r, PROVINCE_ISO[p]) for p, (r, c) in PROVINCE_TILES.items()}
N_COLS = 1 + max(c for c, _, _ in TILES.values())
N_ROWS = 1 + max(r for _, r, _ in TILES.values())


def tile_label(province: str, lang: str) -> str:
    """Text on a tile: the short Chinese name, or the ISO code in English (tiles are small)."""
    return province if lang == "zh" else TILES[province][2]


def code_key(lang: str) -> str:
    """The key to the English tiles' codes, printed under the map ("" in Chinese: the tiles carry the
    names); without it HE, HA, HB, HN and HI are five provinces a reader cannot tell apart."""
    if lang == "zh":
        return ""
    pairs = sorted((code, province_en(p)) for p, (_, _, code) in TILES.items())
    return "Tile codes (ISO 3166-2:CN): " + ", ".join(f"{c} {n}" for c, n in pairs) + "."


def tiles_frame(values: pd.Series | None, lang: str) -> pd.DataFrame:
    """One row per division: layer 'tile', label, name (for hover), col, row, value (NaN without data)."""
    from .data import PROVINCE_EN

    rows = []
    for p, (c, r, _) in TILES.items():
        v = float(values.get(p, np.nan)) if values is not None else np.nan
        rows.append(("tile", tile_label(p, lang), p if lang == "zh" else PROVINCE_EN.get(p, p), float(c), float(r), v,
                     np.nan))
    return pd.DataFrame(rows, columns=["layer", "label", "name", "col", "row", "value", "rank"])


def dot_positions(provinces: list[str]) -> list[tuple[float, float]]:
    """Positions of city dots inside their province's tile (up to 4 per tile in a 2×2 block, more in rows).

    Dots sit in the lower part of the tile, below the tile's label.
    """
    counts: dict[str, int] = {}
    totals = pd.Series(provinces).value_counts().to_dict()
    out = []
    for p in provinces:
        c, r, _ = TILES[p]
        k = counts.get(p, 0)
        counts[p] = k + 1
        n = int(totals[p])
        per_row = 1 if n == 1 else (2 if n <= 4 else 3)
        i, j = divmod(k, per_row)
        nrows = -(-n // per_row)
        dx = 0.0 if per_row == 1 else (j - (per_row - 1) / 2) * (0.7 / per_row)
        dy = 0.12 + (i - (nrows - 1) / 2) * (0.5 / max(nrows, 2))
        out.append((c + dx, r + dy))
    return out
