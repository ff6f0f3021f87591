"""Power and energy units, both ways: W, kW, MW, GW; Wh, kWh, MWh, GWh, TWh and the Chinese
statistical units 度 (= kWh), 万千瓦时 (10⁴ kWh) and 亿千瓦时 (10⁸ kWh).

Chinese statistics print electricity in 万千瓦时 or 亿千瓦时 (the IEA and IDC in TWh):
1 TWh = 10⁹ kWh = 10⁵ 万千瓦时 = 10 亿千瓦时. Power in 万千瓦 (10⁴ kW) is also common
(installed capacity). Every conversion goes through the base unit (W or Wh), so any pair converts.
"""

from __future__ import annotations

import re

import numpy as np

from ..units import normalise_text

#: power units → watts
POWER_UNITS: dict[str, float] = {
    "w": 1.0, "kw": 1e3, "mw": 1e6, "gw": 1e9, "tw": 1e12,
    "瓦": 1.0, "千瓦": 1e3, "兆瓦": 1e6, "吉瓦": 1e9, "万千瓦": 1e7, "亿千瓦": 1e11,
}

#: energy units → watt-hours
ENERGY_UNITS: dict[str, float] = {
    "wh": 1.0, "kwh": 1e3, "mwh": 1e6, "gwh": 1e9, "twh": 1e12,
    "度": 1e3, "千瓦时": 1e3, "兆瓦时": 1e6, "吉瓦时": 1e9, "太瓦时": 1e12,
    "万千瓦时": 1e7, "亿千瓦时": 1e11, "万度": 1e7, "亿度": 1e11,
}


def _key(unit: str) -> str:
    u = normalise_text(unit).replace("·", "").replace(" ", "")
    return u if re.search(r"[\u4e00-\u9fff]", u) else u.lower()


def power_factor(unit: str) -> float:
    """Watts per ``unit`` (W, kW, MW, GW, 万千瓦 …); a KeyError names the known units."""
    k = _key(unit)
    if k not in POWER_UNITS:
        raise KeyError(f"unknown power unit {unit!r}; use one of {', '.join(POWER_UNITS)}")
    return POWER_UNITS[k]


def energy_factor(unit: str) -> float:
    """Watt-hours per ``unit`` (kWh, MWh, GWh, TWh, 万千瓦时, 亿千瓦时, 度 …)."""
    k = _key(unit)
    if k not in ENERGY_UNITS:
        raise KeyError(f"unknown energy unit {unit!r}; use one of {', '.join(ENERGY_UNITS)}")
    return ENERGY_UNITS[k]


def convert_power(value: float | np.ndarray, from_unit: str, to_unit: str) -> float | np.ndarray:
    """``convert_power(10.2, 'kW', 'MW') == 0.0102``."""
    return value * (power_factor(from_unit) / power_factor(to_unit))


def convert_energy(value: float | np.ndarray, from_unit: str, to_unit: str) -> float | np.ndarray:
    """``convert_energy(1, 'TWh', '万千瓦时') == 1e5``."""
    return value * (energy_factor(from_unit) / energy_factor(to_unit))


def hours_in_year(year: int) -> int:
    """8,784 in a leap year, else 8,760."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 8784 if leap else 8760


def energy_from_power(power: float | np.ndarray, power_unit: str, hours: float, energy_unit: str
                      ) -> float | np.ndarray:
    """Average power × hours, in ``energy_unit`` (``energy_from_power(1, 'GW', 8760, 'TWh') == 8.76``)."""
    return power * power_factor(power_unit) * hours / energy_factor(energy_unit)


def power_from_energy(energy: float | np.ndarray, energy_unit: str, hours: float, power_unit: str
                      ) -> float | np.ndarray:
    """The average power that yields ``energy`` over ``hours``."""
    return energy * energy_factor(energy_unit) / hours / power_factor(power_unit)
