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
from functools import cache

from .units import UnitError, normalise_text

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

#: Other official short forms and the one-character abbreviations (简称) of every province-level division.
SHORT_FORMS: dict[str, str] = {
    "内蒙": "内蒙古", "内蒙古区": "内蒙古", "广西区": "广西", "广西自治区": "广西", "宁夏自治区": "宁夏",
    "新疆自治区": "新疆", "西藏区": "西藏", "新疆维吾尔": "新疆", "宁夏回族": "宁夏", "广西壮族": "广西",
    "香港特区": "香港", "澳门特区": "澳门",
    "京": "北京", "津": "天津", "沪": "上海", "渝": "重庆", "冀": "河北", "晋": "山西", "辽": "辽宁", "吉": "吉林",
    "黑": "黑龙江", "苏": "江苏", "浙": "浙江", "皖": "安徽", "闽": "福建", "赣": "江西", "鲁": "山东", "豫": "河南",
    "鄂": "湖北", "湘": "湖南", "粤": "广东", "琼": "海南", "川": "四川", "蜀": "四川", "贵": "贵州", "黔": "贵州",
    "云": "云南", "滇": "云南", "陕": "陕西", "秦": "陕西", "甘": "甘肃", "陇": "甘肃", "青": "青海", "蒙": "内蒙古",
    "桂": "广西", "藏": "西藏", "宁": "宁夏", "新": "新疆", "港": "香港", "澳": "澳门", "台": "台湾",
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
for _alias, _short in SHORT_FORMS.items():
    _LOOKUP[_key(_alias)] = _short


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


# --------------------------------------------------------------------------------------------
# Resolving names strictly: unknown places are errors with the nearest names
# --------------------------------------------------------------------------------------------


def _nearest(name: str, candidates: list[str], n: int = 3) -> list[str]:
    import difflib

    return difflib.get_close_matches(name, candidates, n=n, cutoff=0.4)


def resolve_province(name: object) -> str:
    """The short form of a province-level name, or :class:`~suanli.units.UnitError` naming the
    nearest known names. Accepts everything :func:`canonical_province` does: short and full forms,
    the other official short forms (内蒙, 广西自治区 …), one-character abbreviations (粤, 沪) and
    English names. Empty stays empty (a missing value is the caller's business)."""
    s = normalise_text(name)
    if not s:
        return s
    p = canonical_province(s)
    if p in PROVINCES:
        return p
    names = list(PROVINCES) + [full for full, _ in PROVINCES.values()]
    near = _nearest(s, names) or _nearest(s, [en for _, en in PROVINCES.values()])
    raise UnitError(f"'{s}' is not a province, municipality or autonomous region of China"
                    + (f" (nearest: {', '.join(near)})" if near else "")
                    + "; write the short form (北京, 内蒙古, 广西), the full name (广西壮族自治区) or the English name")


_ETHNIC = ("彝族", "藏族", "羌族", "土家族", "苗族", "朝鲜族", "蒙古族", "蒙古", "回族", "哈萨克", "柯尔克孜",
           "白族", "傣族", "景颇族", "傈僳族", "哈尼族", "壮族", "布依族", "侗族")


@cache
def city_catalogue() -> dict[str, tuple[str, str]]:
    """City key → (short name, province short form), from ``data/regions/cities.csv`` (municipalities,
    prefecture-level divisions and county-level cities; see its SOURCE.md)."""
    import csv
    from importlib import resources

    out: dict[str, tuple[str, str]] = {}
    with resources.files("suanli").joinpath("data/regions/cities.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            full, prov = row["name"], row["province"]
            short = canonical_city(full) if full.endswith("市") else full
            if row["level"] == "municipality":
                short = prov
            for k in {full, short}:
                out.setdefault(_key(k), (short, prov))
            for suffix in ("地区", "盟"):
                if full.endswith(suffix) and len(full) > len(suffix) + 1:
                    out.setdefault(_key(full[: -len(suffix)]), (short, prov))
            if full.endswith("自治州"):  # 凉山彝族自治州 → 凉山, 巴音郭楞蒙古自治州 → 巴音郭楞
                stem = full[: -len("自治州")]
                changed = True
                while changed:
                    changed = False
                    for eth in _ETHNIC:
                        if stem.endswith(eth) and len(stem) > len(eth) + 1:
                            stem, changed = stem[: -len(eth)], True
                out.setdefault(_key(stem), (short, prov))
    return out


@cache
def _city_names_en() -> dict[str, str]:
    """Short Chinese city name → English name, from ``data/regions/cities_en.csv`` (see SOURCE.md)."""
    import csv
    from importlib import resources

    with resources.files("suanli").joinpath("data/regions/cities_en.csv").open(encoding="utf-8") as f:
        return {row["city"]: row["name_en"] for row in csv.DictReader(f)}


def city_en(name: str) -> str:
    """English name of a city as the tables write it: a short Chinese form (深圳 → Shenzhen), a
    municipality (北京 → Beijing) or a city with its district in brackets (上海(青浦) → Shanghai
    (Qingpu)). A name the catalogue does not know is returned as it is (the English report then
    shows the Chinese name rather than a guessed romanisation)."""
    name = str(name)
    if name in PROVINCES:
        return PROVINCES[name][1]
    known = _city_names_en().get(name)
    if known is not None:
        return known
    base, sep, rest = name.replace("（", "(").replace("）", ")").partition("(")
    if sep and rest.endswith(")"):
        return f"{city_en(base)} ({city_en(rest[:-1])})"
    return name


def resolve_city(name: object, province: str | None = None) -> str:
    """A city name as written (深圳, 深圳市, Shenzhen, 凉山) → its short form, checked against the
    city catalogue; unknown names (or a city given under another province) raise
    :class:`~suanli.units.UnitError` naming the nearest known cities."""
    s = normalise_text(name)
    if not s:
        return s
    c = canonical_city(s)
    cat = city_catalogue()
    hit = cat.get(_key(c)) or cat.get(_key(s))
    if hit is None:
        short_names = sorted({v[0] for v in cat.values()})
        near = _nearest(c, short_names)
        raise UnitError(f"'{s}' is not a city in the city catalogue (municipalities, prefecture-level divisions "
                        "and county-level cities)" + (f"; nearest: {', '.join(near)}" if near else "")
                        + "; write the city without its district, e.g. 深圳 or 深圳市")
    short, prov = hit
    if province and province in PROVINCES and prov != province:
        raise UnitError(f"'{s}' is a city of {prov}, not of {province}")
    return short
