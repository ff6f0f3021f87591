"""Build stage: shipments → flow and installed base of intelligent and general compute."""

from __future__ import annotations

from ..edition import Edition


class CapacityStage:
    name = "capacity"

    def applies(self, edition: Edition) -> bool:
        return edition.capacity is not None

    def run(self, ctx) -> None:  # filled in by the capacity engine commit
        raise NotImplementedError


STAGE = CapacityStage()
