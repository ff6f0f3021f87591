"""Energy of accelerator-hours, in one place.

With an edition that has an ``energy:`` section, a run's energy comes from the energy domain's
model (:func:`suanli.energy.power.accelerator_hours_energy`): form-factor overhead, host CPUs, the
training load share, storage and network, and the edition's PUE, with its interval. Without one
(or for the stand-alone CLI), it is the accelerators' rated power (catalog TDP) × hours: chip level,
no host, network or cooling, at full rated power. The basis string travels with every value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class RunEnergy:
    it_mwh: float
    facility_mwh: float
    facility_mwh_lo: float
    facility_mwh_hi: float
    basis: str


def accelerator_energy_mwh(accelerator_hours: float, tdp_w: float) -> tuple[float, str]:
    """MWh of ``accelerator_hours`` at ``tdp_w`` watts each (chip only), and the basis of the figure."""
    if tdp_w is None or math.isnan(tdp_w) or math.isnan(accelerator_hours):
        return math.nan, "no TDP in the catalog for this accelerator: a gap"
    return accelerator_hours * tdp_w / 1e6, f"accelerator TDP {tdp_w:,.0f} W × accelerator-hours (chip only, no PUE)"


def run_energy(model: str, accelerator_hours: float, tdp_w: float, year: int | None, edition=None) -> RunEnergy:
    """Energy of a training run's accelerator-hours: the energy model when the edition has one."""
    nan = math.nan
    if math.isnan(accelerator_hours) or not model:
        return RunEnergy(nan, nan, nan, nan, "")
    if edition is not None and getattr(edition, "energy", None) is not None:
        from ..energy.power import accelerator_hours_energy

        cap = edition.capacity
        y = year
        if cap is not None and y is not None:
            y = min(max(int(y), cap.years[0]), cap.years[1])
        try:
            e = accelerator_hours_energy(model, accelerator_hours, state="training", year=y, edition=edition,
                                         draws=500)
        except Exception as exc:  # noqa: BLE001 - fall back to the TDP figure, saying why
            mwh, basis = accelerator_energy_mwh(accelerator_hours, tdp_w)
            return RunEnergy(mwh, nan, nan, nan, f"{basis}; the energy model could not be used: {exc}")
        return RunEnergy(e.it_mwh, e.facility_mwh, e.facility_mwh_lo, e.facility_mwh_hi,
                         f"energy model (training load, edition PUE of {y}): {e.basis}")
    mwh, basis = accelerator_energy_mwh(accelerator_hours, tdp_w)
    return RunEnergy(mwh, nan, nan, nan, basis)
