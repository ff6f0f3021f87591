"""FigureSpec's own rules: options a renderer reads, and the growth axis both renderers share."""

from __future__ import annotations

import pandas as pd
import pytest

from suanli.report.spec import FigureSpec, growth_axis


def _spec(**kw) -> FigureSpec:
    data = pd.DataFrame({"y": ["a", "b"], "value": [0.3, 0.1]})
    return FigureSpec(id="f", section="s", kind="hbar", title="t", data=data, source="src", tables=["t"], **kw)


def test_an_option_no_renderer_reads_is_refused():
    """``opts={"percent": True}`` was read by no renderer (percent is a field), so two charts printed
    shares as 0.1 and 0.3 instead of 10% and 30%; such a typo now fails where the figure is made."""
    assert _spec(opts={"decimals": 2}).opts == {"decimals": 2}
    assert _spec(percent=True).percent
    with pytest.raises(ValueError, match="unknown option.*percent.*field"):
        _spec(opts={"percent": True})


@pytest.mark.parametrize("values, lo, decimals", [
    ([0.231, 0.24, 0.249], 0.0, 0),      # growth near 24%: from zero, whole percents are enough
    ([0.012, 0.015, 0.018], 0.0, 1),     # under 2%: ticks 0.2% apart need a decimal
    ([1.05, 0.68, 0.43], 0.0, 0),
])
def test_growth_axis_starts_at_zero_with_enough_decimals(values, lo, decimals):
    bottom, top, dec = growth_axis(values)
    assert bottom == lo and top > max(values) and dec == decimals
    step = (top - bottom) / 8 * 100
    labels = [f"{k * step:.{dec}f}" for k in range(8)]
    assert len(set(labels)) == len(labels)   # ticks an eighth of the span apart read differently


def test_growth_axis_takes_in_negative_growth():
    bottom, top, _ = growth_axis([-0.1, 0.2])
    assert bottom < -0.1 and top > 0.2


@pytest.mark.parametrize("values", [[], [float("nan")], [0.0, 0.0]])
def test_growth_axis_has_a_height_without_finite_or_nonzero_values(values):
    """A line of missing or zero growth still gets an axis of some height (it gave 0 to 0, which
    matplotlib warns about and draws as a collapsed axis)."""
    bottom, top, _ = growth_axis(values)
    assert top > bottom
