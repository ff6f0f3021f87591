"""Assemble the report from the chapter modules (``sections.MODULES``, in print order).

The document is language-specific data; ``render.py`` renders it with one Jinja2 template
(interactive plotly charts in HTML, static PNGs in the PDF). Assembly runs in two passes: every
chapter's figure builders first (figures are numbered once, in document order), then every
chapter's ``write`` (texts, tables, cards, boxes; tables are numbered once afterwards).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .. import code_version
from ..edition import Edition
from .claims import Claims
from .content import Box, Card, Section, Table
from .data import ReportData
from .i18n import S
from .sections import FINDINGS, Context, Finding, chapter_heading, modules
from .spec import FigureSpec

__all__ = ["Box", "Card", "Document", "Section", "Table", "build_document", "build_figures"]


@dataclass
class Document:
    lang: str
    title: str
    edition: Edition
    synthetic: bool
    findings: list[Markup]
    sections: list[Section]
    figures: list[FigureSpec]
    claims: Claims
    code_version: str
    notes: list[Finding]
    other_lang_href: str | None = None
    public_note: str = ""

    def t(self, key: str) -> str:
        return S[self.lang][key]

    def synthetic_banner(self) -> str:
        """The synthetic-data warning as one line of text (label, then note): the workbook's banner.
        The report's pages print the badge and the note, so the label is not said twice."""
        return self.t("synthetic_label") + self.t("synthetic_note")

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]


def build_figures(rd: ReportData) -> list[FigureSpec]:
    """Every figure of the report in ``rd``'s language, numbered as its document numbers them, without
    the texts and tables (the workbook names its charts' columns in the other language too)."""
    return _sections_and_figures(rd, modules())[1]


def _sections_and_figures(rd: ReportData, mods: list) -> tuple[dict[str, Section], list[FigureSpec]]:
    """The document's sections in print order, with their figures (the chapter modules' figure
    builders, run first so that figures are numbered once, in document order), and the figures."""
    lang = rd.lang
    fid, fzh, fen = FINDINGS
    sections = {fid: Section(fid, fzh if lang == "zh" else fen)}
    headed: set[str] = set()
    for m in mods:
        if m.ID in sections:
            raise ValueError(f"two report chapters use the id {m.ID!r}")
        if (h := chapter_heading(m.NUMBER, headed)) is not None:
            hid, hzh, hen = h
            if hid in sections:
                raise ValueError(f"a chapter heading and a report chapter both use the id {hid!r}")
            sections[hid] = Section(hid, hzh if lang == "zh" else hen, number=m.NUMBER.partition(".")[0], heading=True)
        sections[m.ID] = Section(m.ID, m.TITLE[0] if lang == "zh" else m.TITLE[1], number=m.NUMBER)
    for m in mods:
        figs, missing = m.FIGURES.build(rd)
        for f in figs:
            sections[f.section].figures.append(f)
        sections[m.ID].missing.extend(t for t in dict.fromkeys(missing) if t not in sections[m.ID].missing)
    ordered: list[FigureSpec] = []
    for sec in sections.values():
        for f in sec.figures:
            ordered.append(f)
            f.number = len(ordered)
    return sections, ordered


def build_document(rd: ReportData, edition: Edition) -> Document:
    lang = rd.lang
    cl = Claims(rd.table, lang)  # claims only read the tables
    mods = modules()
    sections, ordered = _sections_and_figures(rd, mods)
    ctx = Context(rd, cl, edition, sections, ordered)
    for m in mods:
        m.write(ctx, sections[m.ID])
    # an open-data build adds its coverage, sources and definitions to the chapters they belong to
    from . import opendata

    extra: list[Markup] = []
    opendata.section_hook(rd, cl, sections, extra)
    opendata.method_hook(rd, sections["methodology"])
    for f in extra:
        ctx.key(f, 0)
    # value classes: how solid the ranks are, how intervals were made
    from .findings import badge_findings, forecast_intervals, rank_uncertainty

    ranks = rank_uncertainty(rd, cl)
    if ranks is not None:
        ctx.key(ranks, 90)
        sections["city"].paragraphs.append(ranks)
    fi = forecast_intervals(rd, cl)
    if fi is not None:
        sections["methodology"].paragraphs.append(fi)
    n = 0
    for sec in sections.values():
        for t in sec.tables:
            n += 1
            t.number = n
    # every key finding carries its value class (synthetic ones badged)
    findings = badge_findings(rd, [t for _, t in sorted(ctx.key_findings, key=lambda p: p[0])])
    title = edition.title.zh if lang == "zh" else edition.title.en
    return Document(lang, title, edition, bool(edition.synthetic or any(f.synthetic for f in ordered)), findings,
                    list(sections.values()), ordered, cl, code_version(), ctx.notes,
                    public_note=opendata.public_note(rd))
