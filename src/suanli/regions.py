"""Province and city names as people write them: 北京 / 北京市 / Beijing / ＢＥＩＪＩＮＧ are one place.

:func:`canonical_province` maps a province-level name (short Chinese form, full official form
with 省/市/自治区/特别行政区, or the English/pinyin name, any case and width) to its short Chinese
form, which is what the bundled editions use (``北京``, ``内蒙古``, ``广西``). Unknown names are
returned normalised but unchanged, so a loader can decide whether to refuse them.

:func:`canonical_city` drops a trailing ``市`` from a prefecture-level city name (``深圳市`` →
``深圳``) and maps the English names of the municipalities and of the cities in the bundled city
table. :func:`region_key` is the matching key used to find the same place written twice.
"""

from __future__ import annotations

import re

from .units import normalise_text

#: short form → (full official form, English)
PROVINCES: dict[str, tuple[str, str]] = {
    "北京": ("北京市", "Beijing"), "天津": ("天津市", "Tianjin"), "上海": ("上海市", "Shanghai"),
    "重庆": ("重庆市", "Chongqing"), "河北": ("河北省", "Hebei"), "山西": ("山西省", "Shanxi"),
    "辽宁": ("辽宁省", "Liaoning"), "吉林": ("吉林省", "Jilin"), "黑龙江": ("黑龙江省", "Heilongjiang"),
    "江苏": ("江苏省", "Jiangsu"), "浙江": ("浙江省", "Zhejiang"), "安徽": ("安徽省", "Anhui"),
    "福建": ("福建省", "Fujian"), "江西": ("江西省", "Jiangxi"), "山东": ("山东省", "Shandong"),
    "河南": ("河南省", "Henan"), "湖北": ("湖北省", "Hubei"), "湖南": ("湖南省", "Hunan"),
    "广东": ("广东省", "Guangdong"), "海南": ("海南省", "Hainan"), "四川": ("四川省", "Sichuan"),
    "贵州": ("贵州省", "Guizhou"), "云南": ("云南省", "Yunnan"), "陕西": ("陕西省", "Shaanxi"),
    "甘肃": ("甘肃省", "Gansu"), "青海": ("青海省", "Qinghai"), "台湾": ("台湾省", "Taiwan"),
    "内蒙古": ("内蒙古自治区", "Inner Mongolia"), "广西": ("广西壮族自治区", "Guangxi"),
    "西藏": ("西藏自治区", "Tibet"), "宁夏": ("宁夏回族自治区", "Ningxia"),
    "新疆": ("新疆维吾尔自治区", "Xinjiang"), "香港": ("香港特别行政区", "Hong Kong"),
    "澳门": ("澳门特别行政区", "Macao"),
}

_EXTRA_EN = {"xizang": "西藏", "neimenggu": "内蒙古", "nei mongol": "内蒙古", "innermongolia": "内蒙古",
             "macau": "澳门", "hongkong": "香港", "shensi": "陕西", "peking": "北京"}

#: English names of cities (besides the municipalities) → Chinese short form
CITY_EN = {
    "shenzhen": "深圳", "guangzhou": "广州", "hangzhou": "杭州", "nanjing": "南京", "suzhou": "苏州",
    "wuhan": "武汉", "chengdu": "成都", "xian": "西安", "xi'an": "西安", "hefei": "合肥", "changsha": "长沙",
    "zhengzhou": "郑州", "jinan": "济南", "qingdao": "青岛", "ningbo": "宁波", "xiamen": "厦门",
    "fuzhou": "福州", "shenyang": "沈阳", "dalian": "大连", "guiyang": "贵阳", "kunming": "昆明",
    "nanning": "南宁", "haikou": "海口", "lanzhou": "兰州", "xining": "西宁", "yinchuan": "银川",
    "urumqi": "乌鲁木齐", "lhasa": "拉萨", "hohhot": "呼和浩特", "harbin": "哈尔滨", "changchun": "长春",
    "taiyuan": "太原", "shijiazhuang": "石家庄", "nanchang": "南昌", "wuxi": "无锡", "dongguan": "东莞",
}


def _key(text: object) -> str:
    return re.sub(r"[\s_\-.]+", "", normalise_text(text).lower())


_LOOKUP: dict[str, str] = {}
for _short, (_full, _en) in PROVINCES.items():
    for _name in (_short, _full, _en, _en + " province", _en + " shi", _en + "shi", _en + " city"):
        _LOOKUP[_key(_name)] = _short
for _en, _short in _EXTRA_EN.items():
    _LOOKUP[_key(_en)] = _short


def canonical_province(name: object) -> str:
    """'北京市' / 'Beijing' / 'BEIJING' / '北京' → '北京'; '广西壮族自治区' → '广西'; unknown → as written."""
    s = normalise_text(name)
    if not s:
        return s
    hit = _LOOKUP.get(_key(s))
    if hit:
        return hit
    for suffix in ("省", "市", "自治区", "特别行政区"):
        if s.endswith(suffix) and _LOOKUP.get(_key(s[: -len(suffix)])):
            return _LOOKUP[_key(s[: -len(suffix)])]
    return s


def canonical_city(name: object) -> str:
    """'深圳市' → '深圳'; 'Beijing' → '北京'; 'Shenzhen' → '深圳'; other names as written (normalised)."""
    s = normalise_text(name)
    if not s:
        return s
    k = _key(s)
    if k in _LOOKUP and _LOOKUP[k] in ("北京", "天津", "上海", "重庆", "香港", "澳门"):
        return _LOOKUP[k]
    for suffix in (" city", "city", " shi"):
        if k.endswith(suffix.strip()) and k[: -len(suffix.strip())] in CITY_EN:
            return CITY_EN[k[: -len(suffix.strip())]]
    if k in CITY_EN:
        return CITY_EN[k]
    if len(s) >= 3 and s.endswith("市") and re.fullmatch(r"[\u4e00-\u9fff]+", s):
        return s[:-1]
    return s


def region_key(name: object) -> str:
    """A key equal for two spellings of one province or city (for duplicate detection)."""
    p = canonical_province(name)
    if p in PROVINCES:
        return p
    return canonical_city(name)
