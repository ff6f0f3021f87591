"""``suanli validate``: read and check every input of an edition without building."""

from __future__ import annotations

from .edition import Edition
from .errors import InputError, stamp_location


def validate_edition(edition: Edition) -> list[str]:
    """Run every stage's input checks; raises InputError on the first bad file."""
    from .builder import stages
    from .limits import limits_in_force

    lines: list[str] = []
    with limits_in_force(edition.limits):
        _validate(edition, stages(), lines)
    return lines


def _validate(edition: Edition, stages, lines: list[str]) -> None:
    for st in stages:
        if not st.applies(edition):
            continue
        try:
            lines += st.validate(edition)
        except InputError as exc:
            stamp_location(exc, edition.file)  # engine messages name no file: they are about this edition
            raise
