"""The stage protocol and the build context.

A build (:func:`suanli.builder.build`) runs an ordered list of stages. A stage is a small object:

* ``name``: the stage's id; its tables' provenance and the stage cache use it;
* ``applies(edition)``: whether the edition has the section this stage needs;
* ``validate(edition)``: read and check its inputs without building (``suanli validate``); returns
  one line per checked input;
* ``run(ctx)``: read inputs through ``ctx.edition``, read other stages' tables through ``ctx.store``
  and write its own with ``ctx.store.write_table`` (which records provenance);
* ``options``: names of build options (``ctx.options``) whose values change its results, so they
  enter its cache key;
* ``cacheable``: ``False`` when the stage must run every time;
* ``standalone``: ``True`` when ``run`` reads no other stage's tables and uses the store only to write
  (``write_table`` / ``write_input``): the build may then run it in a side process beside the
  stages before it (:mod:`suanli.sidestages`);
* ``key_extra()``: anything else its results depend on that the edition, its inputs, the code and the
  options do not capture (the report: the code version it prints and its rendering libraries).

Stages never reach into each other's internals. This module imports nothing heavy so that every
domain's stage can depend on it without depending on the build orchestration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .edition import Edition
    from .store import Store


@dataclass
class BuildContext:
    """Everything a stage may use."""

    edition: Edition
    out: Path  # the staging folder; becomes the output folder when the build succeeds
    store: Store
    options: dict[str, Any] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    log_fn: Callable[[str], None] | None = None

    def log(self, msg: str) -> None:
        self.messages.append(msg)
        if self.log_fn:
            self.log_fn(msg)


class Stage:
    """Base class of build stages; subclasses set ``name`` and implement ``applies`` and ``run``."""

    name: ClassVar[str] = ""
    options: ClassVar[tuple[str, ...]] = ()
    cacheable: ClassVar[bool] = True
    standalone: ClassVar[bool] = False

    def applies(self, edition: Edition) -> bool:
        raise NotImplementedError(f"stage {self.name!r} must say which editions it applies to")

    def validate(self, edition: Edition) -> list[str]:
        """Check this stage's inputs without building; the default has nothing to check."""
        return []

    def run(self, ctx: BuildContext) -> None:
        raise NotImplementedError(f"stage {self.name!r} must implement run(ctx)")

    def key_extra(self) -> dict[str, Any]:
        """Values beside the edition, inputs, code, options and upstream keys that enter this stage's
        cache key; the default has none."""
        return {}

    def __repr__(self) -> str:
        return f"<stage {self.name}>"


__all__ = ["BuildContext", "Stage"]
