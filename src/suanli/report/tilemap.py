"""A tile-grid map of China's provincial-level divisions: one equal square per division.

Why tiles and not outlines: a map that draws boundaries must follow the official national
boundary (including the South China Sea islands inset) to be publishable in China, and no
outline dataset suanli may vendor does. A tile grid draws no boundary at all, gives every
province the same visual weight (so Beijing and Shanghai are as visible as Xinjiang), and keeps
each tile roughly where the province lies relative to its neighbours.

``TILES`` maps the 34 divisions to (column, row); columns run west to east, rows north to south,
in the arrangement commonly used for Chinese tile-grid maps: the north-east top right, Xinjiang
and Tibet on the left, Hainan, Hong Kong and Macao at the bottom, Taiwan east of Fujian.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: division (short Chinese name) → (column, row, ISO 3166-2:CN code)
TILES: dict[str, tuple[int, int, str]] = {
    "黑龙江": (8, 0, "HL"),
    "内蒙古": (5, 1, "NM"), "北京": (6, 1, "BJ"), "辽宁": (7, 1, "LN"), "吉林": (8, 1, "JL"),
    "新疆": (2, 2, "XJ"), "甘肃": (3, 2, "GS"), "宁夏": (4, 2, "NX"), "山西": (5, 2, "SX"), "河北": (6, 2, "HE"),
    "天津": (7, 2, "TJ"),
    "西藏": (2, 3, "XZ"), "青海": (3, 3, "QH"), "陕西": (4, 3, "SN"), "河南": (5, 3, "HA"), "山东": (6, 3, "SD"),
    "四川": (3, 4, "SC"), "重庆": (4, 4, "CQ"), "湖北": (5, 4, "HB"), "安徽": (6, 4, "AH"), "江苏": (7, 4, "JS"),
    "上海": (8, 4, "SH"),
    "云南": (3, 5, "YN"), "贵州": (4, 5, "GZ"), "湖南": (5, 5, "HN"), "江西": (6, 5, "JX"), "浙江": (7, 5, "ZJ"),
    "广西": (4, 6, "GX"), "广东": (5, 6, "GD"), "福建": (6, 6, "FJ"), "台湾": (7, 6, "TW"),
    "海南": (4, 7, "HI"), "澳门": (5, 7, "MO"), "香港": (6, 7, "HK"),
}
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
