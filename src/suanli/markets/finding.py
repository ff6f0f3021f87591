"""One finding of the consistency checker (a row of ``market_checks``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Finding:
    check_id: str
    rule: str
    verdict: str
    title: str
    series: str = ""
    stated: float | None = None
    recomputed: float | None = None
    lo: float | None = None
    hi: float | None = None
    unit: str = ""
    rel_error: float | None = None
    formula: str = ""
    figures: str = ""
    detail: str = ""
    facts: str = ""
    seed_ref: str = ""
    #: the title in Chinese where the edition wrote the title itself (the dashboard translates the
    #: checker's own templates)
    title_zh: str = ""
