"""The seed's energy claims through the markets consistency checker.

The seed's AI data-centre IT energy (55.1 / 77.7 / 146.2 TWh, CAGR 44.8% 2022-27, '两倍' 2023→25,
'六倍' over five years) plus IDC's own English release (CAGR 44.7% to 146.2 TWh) go through
:func:`suanli.markets.checks.run_checks` unchanged; one more finding compares the two stated rates
directly: their rounding intervals only touch (44.75%), so the pair is one rounding apart or a
revision, and the two implied 2022 levels are shown side by side by the checker's cross-route rule.
"""

from __future__ import annotations

import pandas as pd

from ..edition import Edition
from ..notes_zh import series_zh

METRIC = "aidc_it_energy"


def _rate_pair(obs: pd.DataFrame) -> list[dict]:
    rates = obs[(obs.metric == METRIC) & (obs.quantity == "rate") & (obs.duplicate_of.fillna("") == "")]
    rates = rates.sort_values("obs_id")
    out = []
    vals = list(rates.itertuples())
    for i in range(len(vals)):
        for j in range(i + 1, len(vals)):
            a, b = vals[i], vals[j]
            if (a.start_year, a.end_year) != (b.start_year, b.end_year):
                continue
            pa, pb = a.value * 100, b.value * 100
            ha, hb = 0.05, 0.05  # one decimal printed: ± half a unit of the last digit
            gap = abs(pa - pb)
            overlap = gap <= ha + hb + 1e-9
            verdict = "PASS" if gap < 1e-9 else ("APPROX" if overlap else "WARN")
            out.append({
                "check_id": "EN01", "rule": "restated_rate", "verdict": verdict,
                "title": f"{METRIC}:global:total: CAGR {int(a.start_year)}-{int(a.end_year)} stated as {pa:g}% and {pb:g}%",
                "series": f"{METRIC}:global:total", "stated": pa, "recomputed": pb,
                "lo": max(pa, pb) - 0.05, "hi": min(pa, pb) + 0.05, "unit": "%", "rel_error": pb / pa - 1,
                "formula": "rounding intervals [x - 0.05, x + 0.05] of the two printed rates",
                "figures": f"{a.obs_id}={pa:g}%; {b.obs_id}={pb:g}%",
                "detail": ("the intervals only touch at "
                           f"{(pa + pb) / 2:.2f}%: one true rate rounded two ways, or a revision between "
                           "publications" if overlap and gap > 0 else "identical" if gap == 0 else
                           "the two statements cannot come from one rate"),
                "facts": f"{a.obs_id};{b.obs_id}", "seed_ref": "",
                "title_zh": f"{series_zh(METRIC + ':global:total')} {int(a.start_year)}-{int(a.end_year)} 年复合增长率"
                            f"分别写作 {pa:g}% 和 {pb:g}%",
                "detail_zh": (f"两个区间只在 {(pa + pb) / 2:.2f}% 处相接：同一个增长率的两种舍入，或两次发布之间的修订"
                              if overlap and gap > 0 else "相同" if gap == 0 else "两种说法不可能来自同一个增长率")})
    return out


def claim_checks(edition: Edition, store=None) -> pd.DataFrame | None:
    """Findings on the energy claims (None when the edition has no markets facts)."""
    from ..markets import checks as mc
    from ..markets.series import load_observations

    cfg = edition.markets
    ecfg = edition.energy
    if cfg is None or ecfg is None:
        return None
    ext = edition.input_path(ecfg.facts_external) if ecfg.facts_external else None
    obs = load_observations(edition.input_path(cfg.facts), cfg, ext)
    obs = obs[obs.metric == METRIC]
    if obs.empty:
        return None
    # the rules that apply to one metric's national total (no segments, cities, shares or previous editions)
    rules = [mc.rule_rate_vs_levels, mc.rule_implied_levels, mc.rule_cross_route, mc.rule_sub_window, mc.rule_path,
             mc.rule_multiples, mc.rule_duplicates]
    found = mc.run_checks(obs, cfg, rules=rules)
    found = found[found.facts.fillna("").str.contains(METRIC)]
    found = pd.concat([found, pd.DataFrame(_rate_pair(obs))], ignore_index=True)
    found["value_class"] = "derived"
    return found.sort_values(["rule", "check_id"], kind="mergesort").reset_index(drop=True)
