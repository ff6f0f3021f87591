"""A tile-grid map of China's provincial-level divisions: one equal square per division.

Why tiles and not outlines: a map that draws boundaries must follow the official national
boundary (including the South China Sea islands inset) to be publishable in China, and no
outline dataset suanli may vendor does. A tile grid draws no boundary at all, gives every
province the same visual weight (so Beijing and Shanghai are as visible as Xinjiang), and keeps
each tile roughly where the province lies relative to its neighbours.

``TILES`` maps the 34 divisions to (column, row); columns run west to east, rows north to south.
The positions are :data:`suanli.tilegrid.PROVINCE_TILES`, the one layout the report and the
dashboard share: the north-east top right, Xinjiang and Tibet on the left, Hainan, Hong Kong and
Macao at the bottom, Taiwan east of Fujian.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..tilegrid import PROVINCE_TILES

#: ISO 3166-2:CN code of each division (the English label on a tile)
ISO: dict[str, str] = {
    "黑龙江": "HL", "内蒙古": "NM", "北京": "BJ", "辽宁": "LN", "吉林": "JL", "新疆": "XJ", "甘肃": "GS", "宁夏": "NX",
    "山西": "SX", "河北": "HE", "天津": "TJ", "西藏": "XZ", "青海": "QH", "陕西": "SN", "河南": "HA", "山东": "SD",
    "四川": "SC", "重庆": "CQ", "湖北": "HB", "安徽": "AH", "江苏": "JS", "上海": "SH", "云南": "YN", "贵州": "GZ",
    "湖南": "HN", "江西": "JX", "浙江": "ZJ", "广西": "GX", "广东": "GD", "福建": "FJ", "台湾": "TW", "海南": "HI",
    "澳门": "MO", "香港": "HK",
}

#: division (short Chinese name) → (column, row, ISO 3166-2:CN code), from the project's one layout
TILES: dict[str, tuple[int, int, str]] = {p: (c, r, ISO[p]) for p, (r, c) in PROVINCE_TILES.items()}
N_COLS = 1 + max(c for c, _, _ in TILES.values())
N_ROWS = 1 + max(r for _, r, _ in TILES.values())


def tile_label(province: str, lang: str) -> str:
    """Text on a tile: the short Chinese name, or the ISO code in English (tiles are small)."""
    return province if lang == "zh" else TILES[province][2]


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
