"""Energy of accelerator-hours, in one place so the energy stage's model can replace it.

Until the energy domain offers its own conversion (measured draw, server overhead, PUE), a run's
energy is the accelerators' rated power (catalog TDP) × accelerator-hours: chip level, no host,
network or cooling, and at full rated power, so an upper bound for the chips and a lower bound
for the facility. The basis string travels with every value.
"""

from __future__ import annotations

import math


def accelerator_energy_mwh(accelerator_hours: float, tdp_w: float) -> tuple[float, str]:
    """MWh of ``accelerator_hours`` at ``tdp_w`` watts each, and the basis of the figure."""
    if tdp_w is None or math.isnan(tdp_w) or math.isnan(accelerator_hours):
        return math.nan, "no TDP in the catalog for this accelerator: a gap"
    return accelerator_hours * tdp_w / 1e6, f"accelerator TDP {tdp_w:,.0f} W × accelerator-hours (chip only, no PUE)"
