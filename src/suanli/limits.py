"""Plausibility limits: values that are possible in principle but almost certainly a wrong
magnitude or unit (3.2亿 servers in one shipments row, a market of 10^15 USD).

Each limit has a key ``<table>.<column>`` (the names docs/reliability.md lists), a default and a
reason. An edition overrides them with ``limits:`` in edition.yaml; a build or ``suanli validate``
puts the edition's overrides in force for every reader (:func:`limits_in_force`), so a reader asks
:func:`limit` and never needs the edition passed down. No heavy imports: edition loading uses it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .errors import Problem


@dataclass(frozen=True)
class Limit:
    default: float
    unit: str
    why: str


#: Every plausibility limit, by key. Hard limits (a share over 100%, more than 1024 cards per
#: server, a per-card peak above 100 PFLOPS) are not here: no edition may raise them.
LIMITS: dict[str, Limit] = {
    "shipments.servers": Limit(1e6, "servers per row", "China ships about 4-5 million servers a year in all; "
                               "one row is one period × place × industry × vendor × model"),
    "inventory.accelerator_count": Limit(1e7, "accelerators per system", "the largest clusters hold about 10^5 "
                                         "accelerators"),
    "inventory.cpu_count": Limit(1e7, "CPUs per system", "as above"),
    "facts.market_value_usd": Limit(1e13, "USD", "the world's whole IT spending is about 5×10^12 USD a year"),
    "facts.market_value_cny": Limit(7e13, "CNY", "as above, in yuan"),
    "facts.compute_eflops": Limit(1e5, "EFLOPS", "China's installed intelligent compute is about 10^3 EFLOPS "
                                  "(FP16) in 2025"),
    "facts.energy_twh": Limit(1e4, "TWh", "China's whole electricity use is about 9,000 TWh a year"),
    "facts.data_zb": Limit(1e4, "ZB", "the world's data sphere is about 200 ZB"),
    "facts.growth_rate": Limit(10.0, "fraction per year", "a growth rate above 1000% a year is a percent/fraction "
                               "or window mix-up"),
    "facts.multiple": Limit(1e3, "times", "a multiple above 1000× is a unit mix-up"),
    "survey.design_weight": Limit(1e7, "per respondent", "China has about 5×10^7 enterprises; one respondent "
                                  "cannot stand for more than a fraction of them"),
    "demand.params": Limit(1e14, "parameters", "the largest published models have about 2×10^12 parameters"),
    "demand.tokens": Limit(1e16, "tokens", "the largest published training sets hold about 4×10^13 tokens; "
                           "serving rates are about 10^14 tokens a day"),
    "demand.accelerator_count": Limit(1e7, "accelerators", "the largest clusters hold about 10^5 accelerators"),
    "demand.accelerator_hours": Limit(1e10, "accelerator-hours", "10^10 hours is a million accelerators for "
                                      "over a year"),
    "demand.cost_usd": Limit(1e12, "USD", "the most expensive published training runs cost about 10^9 USD"),
    # the sourced tables of an open-data edition (and the one intelligent-computing-centres dataset)
    "intelligent_computing_centres.announced_pflops": Limit(
        1e6, "P per project", "China's whole installed intelligent compute was about 7.3×10^5 P (725 EFLOPS, "
        "FP16) in 2024; the largest announced projects print a few 10^4 P"),
    "compute_area_totals.capacity_p": Limit(1e6, "P per city or cluster", "as above: no city or cluster total can "
                                            "exceed the country's"),
    "open_data.compute_eflops": Limit(1e5, "EFLOPS", "China's installed compute is about 10^3 EFLOPS; the "
                                      "national targets for 2025-2030 are a few hundred to a few thousand"),
    "open_data.value_cny": Limit(1e15, "CNY", "China's GDP is about 1.35×10^14 CNY (2024); a city's is below "
                                 "6×10^12"),
    "open_data.value_usd": Limit(2e14, "USD", "the world's GDP is about 1.1×10^14 USD"),
    "open_data.energy_twh": Limit(1e4, "TWh", "China's whole electricity use is about 9,000 TWh a year"),
    "open_data.data_zb": Limit(1e4, "ZB", "the world's data sphere is about 200 ZB"),
    "open_data.persons": Limit(2e9, "persons", "China's population is about 1.41×10^9 (persons written in a "
                               "10k-persons/万人 column are 10^4 times too many)"),
    "open_data.percent": Limit(100.0, "%", "shares, R&D intensity, a digital-economy share of GDP; a growth rate "
                               "above 100% needs the limit raised"),
    "open_data.ratio": Limit(1e3, "times", "a ratio above 1000× is a unit mix-up"),
    "open_data.count": Limit(1e9, "things", "any other unit is a count (list members, centres, firms, racks, "
                             "models): China has about 5×10^7 enterprises and 10^7 data-centre racks"),
}

_overrides: ContextVar[Mapping[str, float] | None] = ContextVar("suanli_limits", default=None)
#: ``suanli --limit KEY=VALUE …``: the command line's limits, above the edition's
_command_line: ContextVar[Mapping[str, float] | None] = ContextVar("suanli_limits_cli", default=None)


def limit(key: str, default: float | None = None) -> float | None:
    """The limit in force for ``key``: the command line's (``suanli --limit``), else the edition's
    override, else the default."""
    cli = _command_line.get() or {}
    if key in cli:
        return float(cli[key])
    over = _overrides.get() or {}
    if key in over:
        return float(over[key])
    if key in LIMITS:
        return LIMITS[key].default
    return default


@contextmanager
def limits_in_force(overrides: Mapping[str, float] | None) -> Iterator[None]:
    """Put an edition's ``limits:`` in force while reading its inputs."""
    token = _overrides.set(dict(overrides or {}))
    try:
        yield
    finally:
        _overrides.reset(token)


def command_line_limits(items: Sequence[str] | None) -> dict[str, float]:
    """Read ``KEY=VALUE`` items (``suanli --limit shipments.servers=2e6 …``) and put them in force for
    the rest of the command, above any edition's ``limits:``. Raises ValueError naming the item."""
    import difflib

    out: dict[str, float] = {}
    for item in items or ():
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep:
            raise ValueError(f"--limit takes KEY=VALUE, e.g. shipments.servers=2e6, not {item!r}")
        if key not in LIMITS:
            near = difflib.get_close_matches(key, list(LIMITS), n=1, cutoff=0.5)
            raise ValueError(f"unknown limit {key!r}" + (f" (did you mean {near[0]!r}?)" if near else "")
                             + "; the limits are listed in docs/reliability.md")
        try:
            value = float(text.replace(",", "").replace("_", ""))
        except ValueError:
            raise ValueError(f"--limit {key}={text}: the value must be a number such as 2e6") from None
        if not value > 0 or value == float("inf"):
            raise ValueError(f"--limit {key}={text}: a limit must be a positive finite number")
        out[key] = value
    _command_line.set(out)
    return out


def over_limit_hint(key: str, value: float) -> str:
    """What to do about a value above the limit ``key``."""
    lim = LIMITS.get(key)
    why = f" ({lim.why})" if lim else ""
    v = f"{value:.3g}".replace("e+", "e")
    return (f"check the magnitude and unit (万/亿, 百万/十亿, %){why}; if the value is right, raise the limit in "
            f"edition.yaml: limits: {{{key}: {value:.3g}}}, or for one command: suanli --limit {key}={v} …")


def fmt(x: float) -> str:
    """A limit or value as people read it: 30,000, 2.5, 8.316×10^10."""
    if x != 0 and (abs(x) >= 1e6 or abs(x) < 1e-3):
        m, e = f"{x:.4e}".split("e")
        return f"{m.rstrip('0').rstrip('.')}×10^{int(e)}"
    return f"{x:,.6g}"


def check_limit(value: float, key: str, *, what: str, file: str | None, row: int | None,
                column: str | None) -> Problem | None:
    """A :class:`~suanli.errors.Problem` naming file, row, column and ``key`` if ``value`` (in the
    limit's unit) is above the limit in force, else ``None``. ``what`` is the value as written."""
    lim = limit(key)
    if lim is None or not (value > lim):
        return None
    return Problem(f"{what} is above the plausible maximum {fmt(lim)} ({LIMITS[key].unit}, limit {key})",
                   file, row, column, over_limit_hint(key, value))
