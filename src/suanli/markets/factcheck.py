"""The consistency check of a facts table as one call, for the CLI, notebooks and scripts:
read the observations, build the series (stated and derived points) and run every applicable check."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from .config import MarketsConfig


@dataclass
class FactCheck:
    """Observations as read, the series built from them, and the findings (one row per check)."""

    observations: pd.DataFrame
    series: pd.DataFrame
    findings: pd.DataFrame

    def counts(self) -> dict[str, int]:
        """Findings per verdict (PASS, APPROX, INFO, WARN, FAIL)."""
        from .checks import verdict_counts

        return verdict_counts(self.findings)

    def markdown(self) -> str:
        from .checks import findings_markdown

        return findings_markdown(self.findings)


def check_facts(facts: str | Path, config: MarketsConfig | None = None,
                previous: str | Path | None = None) -> FactCheck:
    """Check ``facts`` (the seed ``facts.csv`` layout) with ``config`` (an edition's ``markets:``
    section; the built-in defaults when None), optionally with external or previous-edition facts."""
    from .checks import run_checks
    from .config import default_config
    from .series import build_series, load_observations

    cfg = config or default_config()
    # a path keeps its worksheet (suanli.io.paths.with_sheet)
    obs = load_observations(facts if isinstance(facts, Path) else Path(facts), cfg,
                            None if previous is None else previous if isinstance(previous, Path) else Path(previous))
    series, _derived = build_series(obs, cfg)
    return FactCheck(obs, series, run_checks(obs, cfg, series))


__all__ = ["FactCheck", "check_facts"]
