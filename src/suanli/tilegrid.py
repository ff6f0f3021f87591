"""One tile-grid layout of China's province-level divisions, shared by the report's map and the
dashboard: every province is one equal square at (row, column), placed roughly where it lies, so a
small province (上海, 天津) weighs as much on the page as a large one (新疆, 西藏).

Keys are the short Chinese names that :func:`suanli.regions.canonical_province` returns.
:data:`CITY_PROVINCE` places the cities of the bundled tables inside their province's tile (the
dashboard draws them as dots there). Pure data, no imports beyond :mod:`suanli.regions`.
"""

from __future__ import annotations

from .regions import PROVINCES

#: province (short Chinese name) → (row, column); row 0 is the north, column 0 the west
PROVINCE_TILES: dict[str, tuple[int, int]] = {
    "黑龙江": (0, 6),
    "新疆": (1, 0), "内蒙古": (1, 4), "北京": (1, 5), "吉林": (1, 6),
    "甘肃": (2, 1), "宁夏": (2, 2), "山西": (2, 3), "河北": (2, 4), "天津": (2, 5), "辽宁": (2, 6),
    "西藏": (3, 0), "青海": (3, 1), "陕西": (3, 2), "河南": (3, 3), "山东": (3, 4),
    "四川": (4, 1), "重庆": (4, 2), "湖北": (4, 3), "安徽": (4, 4), "江苏": (4, 5), "上海": (4, 6),
    "云南": (5, 1), "贵州": (5, 2), "湖南": (5, 3), "江西": (5, 4), "浙江": (5, 5),
    "广西": (6, 2), "广东": (6, 3), "福建": (6, 4), "台湾": (6, 5),
    "海南": (7, 2), "澳门": (7, 3), "香港": (7, 4),
}
#: province → ISO 3166-2:CN code (the report's English tiles are too small for full names)
PROVINCE_ISO: dict[str, str] = {
    "黑龙江": "HL", "内蒙古": "NM", "北京": "BJ", "辽宁": "LN", "吉林": "JL", "新疆": "XJ", "甘肃": "GS",
    "宁夏": "NX", "山西": "SX", "河北": "HE", "天津": "TJ", "西藏": "XZ", "青海": "QH", "陕西": "SN",
    "河南": "HA", "山东": "SD", "四川": "SC", "重庆": "CQ", "湖北": "HB", "安徽": "AH", "江苏": "JS",
    "上海": "SH", "云南": "YN", "贵州": "GZ", "湖南": "HN", "江西": "JX", "浙江": "ZJ", "广西": "GX",
    "广东": "GD", "福建": "FJ", "台湾": "TW", "海南": "HI", "澳门": "MO", "香港": "HK",
}
GRID_ROWS = 1 + max(r for r, _ in PROVINCE_TILES.values())
GRID_COLS = 1 + max(c for _, c in PROVINCE_TILES.values())

#: city (short Chinese name) → province; the municipalities are their own province
CITY_PROVINCE: dict[str, str] = {
    "北京": "北京", "天津": "天津", "上海": "上海", "重庆": "重庆",
    "深圳": "广东", "广州": "广东", "东莞": "广东", "杭州": "浙江", "宁波": "浙江", "南京": "江苏",
    "苏州": "江苏", "无锡": "江苏", "武汉": "湖北", "成都": "四川", "西安": "陕西", "合肥": "安徽",
    "长沙": "湖南", "郑州": "河南", "济南": "山东", "青岛": "山东", "厦门": "福建", "福州": "福建",
    "沈阳": "辽宁", "大连": "辽宁", "贵阳": "贵州", "昆明": "云南", "南宁": "广西", "海口": "海南",
    "兰州": "甘肃", "西宁": "青海", "银川": "宁夏", "乌鲁木齐": "新疆", "拉萨": "西藏",
    "呼和浩特": "内蒙古", "哈尔滨": "黑龙江", "长春": "吉林", "太原": "山西", "石家庄": "河北",
    "南昌": "江西", "庆阳": "甘肃", "中卫": "宁夏", "乌兰察布": "内蒙古", "韶关": "广东", "芜湖": "安徽",
    "廊坊": "河北", "张家口": "河北",
}


def province_en(name: str) -> str:
    """English name of a province (short Chinese form); the input when unknown."""
    return PROVINCES.get(name, ("", name))[1]


def layout() -> list[dict[str, object]]:
    """Every tile: ``{province, name_en, row, col}`` (for JSON and the report's figure)."""
    return [{"province": p, "name_en": province_en(p), "row": r, "col": c}
            for p, (r, c) in PROVINCE_TILES.items()]
