"""The report's chapters as modules, in the order they are printed.

``MODULES`` is the one place that says which chapters the report has and in which order (it
follows the seed: 2.1-2.7, 3.1-3.2, 4, then the appendices). Each module defines

* ``ID`` (anchor and figure ``section``), ``TITLE = (zh, en)`` and ``NUMBER`` (printed chapter number);
* ``FIGURES``: a :class:`~suanli.report.figures.Figures` registry of figure builders, each declaring
  the store tables it needs (a builder whose tables are missing is skipped and the chapter says
  what it waits for);
* ``write(ctx, sec)``: paragraphs, tables, cards and boxes for the chapter, plus key findings and
  *findings* (``ctx.note``) that later chapters (the recommendations) cite.

Figures are built for every chapter first and numbered in document order, then ``write`` runs
chapter by chapter, so a later chapter can read what an earlier one noted. A new domain adds its
chapter by writing a module here and putting its name in ``MODULES`` (modules named in
``OPTIONAL`` may be absent from a checkout and are then left out).
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from markupsafe import Markup

from ..claims import Claims
from ..content import Section
from ..data import ReportData
from ..spec import FigureSpec

#: Chapters in print order (module names in this package).
MODULES: list[str] = [
    "capacity",         # 1   全球及中国人工智能算力 (capacity stage + market compute forecasts)
    "capacity_anchors", # 1.1 区间、情景、真实锚点与口径 (capacity intervals, scenarios, anchors, definitions)
    "chips",            # 2.1 芯片和服务器
    "storage",          # 2.2 存储和网络
    "cooling",          # 2.3 可持续数据中心
    "edge",             # 2.4 边缘计算
    "models",           # 2.5 算法和模型
    "services",         # 2.6 人工智能算力服务
    "survey",           # 2.7 应用 (survey results and case studies)
    "energy",           # energy chapter, when the energy package exists
    "demand",           # demand chapter, when the demand package exists
    "industry",         # 3.1 行业排名
    "city",             # 3.2 地域排名
    "recommendations",  # 4   建议 (generated from the findings noted above)
    "methodology",      # 附录一 方法
    "appendix",         # 附录二 数据与来源
]

#: Chapters that other work adds; absent modules are skipped.
OPTIONAL: frozenset[str] = frozenset({"energy", "demand"})

#: The key-findings chapter is assembled by the document from what the chapters contribute.
FINDINGS = ("findings", "核心观点", "Key findings")

#: Chapter headings over numbered sections, as the seed has them (第二章, 第三章): number → (id, zh, en).
#: The document prints one before the first section numbered under it; chapters 1 and 4 have text
#: of their own and are modules.
CHAPTERS: dict[str, tuple[str, str, str]] = {
    "2": ("aicompute", "人工智能算力及应用", "AI compute and its applications"),
    "3": ("evaluation", "人工智能算力发展评估", "Assessment of AI compute development"),
}


def chapter_heading(number: str, seen: set[str]) -> tuple[str, str, str] | None:
    """The heading (id, zh, en) to print before a section numbered ``number`` (``2.1``), if its
    chapter has one and it is not printed yet (``seen``: chapters already headed, updated)."""
    ch, dot, _ = number.partition(".")
    if not dot or ch not in CHAPTERS or ch in seen:
        return None
    seen.add(ch)
    return CHAPTERS[ch]


def modules() -> list[ModuleType]:
    """The chapter modules in print order."""
    out = []
    for name in MODULES:
        full = f"{__name__}.{name}"
        if name in OPTIONAL and importlib.util.find_spec(full) is None:
            continue
        out.append(importlib.import_module(full))
    return out


def section_list() -> list[tuple[str, str, str]]:
    """(id, zh title, en title) of every chapter and chapter heading in print order, key findings first."""
    out, seen = [FINDINGS], set()
    for m in modules():
        if (h := chapter_heading(m.NUMBER, seen)) is not None:
            out.append(h)
        out.append((m.ID, m.TITLE[0], m.TITLE[1]))
    return out


@dataclass
class Finding:
    """A notable result a chapter states; recommendations cite findings by ``id``."""

    id: str
    section: str
    text: Markup
    kind: str  # e.g. "leader", "gap", "weakest", "warn", "growth"
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    rd: ReportData
    cl: Claims
    edition: Any
    sections: dict[str, Section]
    figures: list[FigureSpec]
    key_findings: list[tuple[int, Markup]] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)

    def z(self, zh: str, en: str) -> str:
        return self.rd.zh_en(zh, en)

    def key(self, text: Markup, priority: int = 50) -> None:
        """Add a sentence to 核心观点 (lower priority number = earlier)."""
        self.key_findings.append((priority, text))

    def note(self, f: Finding) -> Finding:
        self.notes.append(f)
        return f

    def figure(self, fid: str) -> FigureSpec | None:
        return next((f for f in self.figures if f.id == fid), None)

    def fig_ref(self, fid: str) -> str:
        f = self.figure(fid)
        if f is None:
            return ""
        return self.z(f"（见图{f.number}）", f" (Figure {f.number})")
