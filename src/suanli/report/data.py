"""Read-only access to the build store for the report (never recomputes a stage's results)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from ..regions import PROVINCES, city_en
from ..store import Store
from .i18n import S

PROVINCE_EN = {zh: en for zh, (_full, en) in PROVINCES.items()}  # the one region catalogue
INDUSTRY_EN = {
    "互联网": "Internet", "金融": "Finance", "运营商": "Telecom operators", "制造": "Manufacturing", "政府": "Government",
    "教育科研": "Education & research", "教育（教科研）": "Education & research", "医疗": "Healthcare", "能源": "Energy",
    "交通": "Transport", "零售": "Retail", "建筑": "Construction", "服务": "Services", "传媒": "Media",
    "农业": "Agriculture",
}
VENDOR_EN = {"浪潮": "Inspur", "华为": "Huawei", "联想": "Lenovo", "超聚变": "xFusion", "中科曙光": "Sugon",
             "宁畅": "Nettrix", "新华三": "H3C", "其他": "Others"}
#: accelerator vendors (stored in English, as the hardware catalogue names them) → Chinese
ACCEL_VENDOR_ZH = {"Cambricon": "寒武纪", "Huawei": "华为", "Hygon": "海光", "Iluvatar CoreX": "天数智芯",
                   "Kunlunxin (Baidu)": "昆仑芯（百度）", "MetaX": "沐曦", "Moore Threads": "摩尔线程",
                   "NVIDIA": "英伟达", "AMD": "AMD", "Intel": "英特尔", "Enflame": "燧原", "Biren": "壁仞",
                   "(none)": "无加速卡"}
#: the Chinese brand of a catalogue model name's leading family word, as Chinese text writes it
#: (Ascend 910C → 昇腾910C); the catalogue keeps the vendors' English names
MODEL_FAMILY_ZH = {"Ascend": "昇腾", "Kunlunxin": "昆仑芯", "Kunlun": "昆仑"}


@cache
def cities() -> pd.DataFrame:
    """Vendored city-centre coordinates (data/report/cities.csv)."""
    p = resources.files("suanli") / "data" / "report" / "cities.csv"
    with resources.as_file(p) as f:
        return pd.read_csv(f, dtype={"city": str, "province": str})


@dataclass
class ReportData:
    """The store as the report sees it: tables, provenance, labels per language."""

    store: Store
    lang: str = "zh"
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict)
    _prov: pd.DataFrame | None = None
    _names: frozenset[str] | None = None

    def has(self, *names: str) -> bool:
        # the report only reads the store, so its table list is read once (one query per call cost
        # seconds over the ~400 checks the chapters make)
        if self._names is None:
            self._names = frozenset(self.store.tables())
        return all(n in self._names for n in names)

    def df(self, name: str) -> pd.DataFrame:
        """Table ``name``, a copy the caller may change."""
        return self.table(name).copy()

    def table(self, name: str) -> pd.DataFrame:
        """Table ``name`` as read once from the store, shared: for readers that never change it (the
        claims look values up in it a thousand times a report, and a copy each time cost more than
        the lookups)."""
        if name not in self._cache:
            self._cache[name] = self.store.read_table(name)
        return self._cache[name]

    def provenance(self) -> pd.DataFrame:
        if self._prov is None:
            self._prov = (self.store.read_table("provenance") if self.has("provenance")
                          else pd.DataFrame(columns=["table_name", "kind", "stage", "method", "params", "inputs",
                                                     "synthetic", "description"]))
        return self._prov

    def prov(self, name: str) -> dict[str, Any]:
        p = self.provenance()
        row = p[p["table_name"] == name]
        if row.empty:
            return {"table_name": name, "stage": "?", "method": "?", "params": "{}", "inputs": "[]",
                    "synthetic": False, "description": ""}
        return row.iloc[0].to_dict()

    def synthetic(self, *names: str) -> bool:
        for n in names:
            if bool(self.prov(n).get("synthetic")):
                return True
            if self.has(n):
                d = self.df(n)
                if "value_class" in d and (d["value_class"].astype(str) == "synthetic").any():
                    return True
        return False

    def value_classes(self, *names: str) -> list[str]:
        """The value classes present in ``names`` (stated, derived, modelled, synthetic order)."""
        from ..store.value_class import RANK

        seen: set[str] = set()
        for n in names:
            if self.has(n):
                d = self.df(n)
                if "value_class" in d:
                    seen |= set(d["value_class"].dropna().astype(str))
        return sorted(seen & set(RANK), key=RANK.__getitem__)

    def t(self, key: str) -> str:
        return S[self.lang][key]

    def source(self, *tables: str, origin: str | None = None) -> str:
        """A figure's source line: '来源：suanli，2025（capacity 阶段：capacity_national；合成数据）'."""
        stages = sorted({str(self.prov(t).get("stage")) for t in tables})
        syn = self.synthetic(*tables)
        who = origin or ("suanli" if self.lang == "zh" else "suanli")
        if self.lang == "zh":
            return (f"来源：{who}（{'、'.join(stages)} 阶段：{'、'.join(tables)}；{'合成数据' if syn else '真实数据'}）")
        return f"Source: {who} ({', '.join(stages)} stage: {', '.join(tables)}; {'synthetic data' if syn else 'real data'})"

    # -- labels ----------------------------------------------------------------------------
    def province(self, p: str) -> str:
        return p if self.lang == "zh" else PROVINCE_EN.get(p, p)

    def city(self, c: str) -> str:
        return c if self.lang == "zh" else city_en(c)

    def industry(self, s: str) -> str:
        return s if self.lang == "zh" else INDUSTRY_EN.get(s, s)

    def vendor(self, s: str) -> str:
        """A server vendor (stored in Chinese) in the report's language."""
        return s if self.lang == "zh" else VENDOR_EN.get(s, s)

    def accel_vendor(self, s: str) -> str:
        """An accelerator vendor (stored in English, as the catalogue names it) in the report's language."""
        return ACCEL_VENDOR_ZH.get(s, s) if self.lang == "zh" else s

    def accel_model(self, s: object) -> str:
        """An accelerator model (the catalogue's English name) as the report's language writes it: the
        family word in Chinese on a Chinese page (昇腾910C)."""
        text = str(s)
        if self.lang == "zh":
            word, _, rest = text.partition(" ")
            if word in MODEL_FAMILY_ZH and rest:
                return MODEL_FAMILY_ZH[word] + rest
        return text

    def zh_en(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def said(self, row: Any, col: str) -> str:
        """A stored text of ``row`` (a table row, e.g. from ``itertuples``) in the report's language:
        its ``<col>_zh`` on a Chinese report where the stage or the data filled it, else ``col`` as
        stored (an empty string for a missing value)."""
        if self.lang == "zh":
            zh = getattr(row, col + "_zh", None)
            if isinstance(zh, str) and zh:
                return zh
        v = getattr(row, col, "")
        return v if isinstance(v, str) else ""


def params_text(p: Any, limit: int = 400) -> str:
    """Provenance params JSON as short text."""
    try:
        d = json.loads(p) if isinstance(p, str) else p
    except (TypeError, ValueError):
        return str(p)[:limit]
    s = json.dumps(d, ensure_ascii=False, sort_keys=True)
    return s if len(s) <= limit else s[: limit - 1] + "…"
