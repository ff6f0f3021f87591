"""The report's content blocks (language-specific data rendered by the Jinja2 template)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from .spec import FigureSpec

#: tables with at least this many columns are set in small type (:attr:`Table.wide`)
WIDE_TABLE = 9


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[Any]]
    source: str = ""
    synthetic: bool = False
    numeric: list[bool] = field(default_factory=list)
    number: int = 0  # 表N, assigned once when the document is assembled

    @property
    def wide(self) -> bool:
        """Set in the small type of the data appendix: with this many columns, the body type leaves
        the narrow ones a few characters (DeepSe|ek split over two lines)."""
        return len(self.columns) >= WIDE_TABLE


@dataclass
class Card:
    title: str
    items: list[tuple[str, Any]]
    synthetic: bool = False


@dataclass
class Box:
    """A boxed case study or fact sheet: a title, paragraphs and a source line (stated facts only)."""

    title: str
    paragraphs: list[Markup]
    source: str = ""


@dataclass
class Section:
    id: str
    title: str
    paragraphs: list[Markup] = field(default_factory=list)
    figures: list[FigureSpec] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    number: str = ""  # chapter number printed before the title ("2.1", "4", "A")
    heading: bool = False  # a chapter's heading over its numbered sections (2, 3), no text of its own

    @property
    def synthetic(self) -> bool:
        return any(f.synthetic for f in self.figures) or any(t.synthetic for t in self.tables)
