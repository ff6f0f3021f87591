"""Consistency checker: a list of small rules over an edition's observations.

Each rule takes a :class:`CheckContext` and returns :class:`Finding` records with a verdict:

* PASS: consistent within rounding (interval arithmetic on the printed precision) or tolerance;
* APPROX: a verbal quantity (两倍, 翻番, 六倍) within the configured band;
* INFO: derived only, nothing stated to compare with (implied base years, sub-window CAGRs);
* WARN: a soft problem (method, loose wording, ambiguous reading);
* FAIL: a hard contradiction.

Every finding carries the figures, the formula and the relative error. ``seed_ref`` names the
matching check of ``docs/research/seed-consistency.md`` where there is one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from . import growth
from .config import MarketsConfig, edition_titles, title_zh
from .finding import Finding
from .registry import METRICS, NATIONAL_REGIONS
from .rounding import Interval, rel_error
from .series import canonical
from .textchecks import PREFIX as TEXT_PREFIX
from .textchecks import TEXT_RULES
from .verbal import VerbalConfig, band_verdict, parse_verbal

VERDICTS = ("FAIL", "WARN", "APPROX", "INFO", "PASS")


@dataclass
class CheckContext:
    obs: pd.DataFrame
    series: pd.DataFrame | None
    cfg: MarketsConfig
    rankings: pd.DataFrame | None = None  # published rankings (rank-move and figure-order checks)
    params: dict[str, tuple[float, float, float]] = field(default_factory=dict)  # model parameters by path
    verbal: VerbalConfig = field(init=False)

    def __post_init__(self) -> None:
        v = self.cfg.verbal
        self.verbal = VerbalConfig(v.approx_band, v.warn_band, v.growth_reading)
        self.cur = canonical(self.obs)
        self.cur = self.cur[self.cur.role == "current"]
        self.prev = self.obs[self.obs.role == "previous"]
        self.claims_prev = canonical(self.obs)[canonical(self.obs).role == "claim_previous"]
        # The rules ask for the same (metric, region, segment) selections hundreds of times; each
        # used to filter the whole table with five masks (about a millisecond a call), so the rows
        # are grouped once here. A group keeps the table's row order; rows with a missing key
        # matched no selection before either.
        self._groups = dict(iter(self.cur.groupby(["metric", "region", "segment", "quantity"], sort=False)))
        self._levels: dict[tuple[str, str, str], dict[int, pd.Series]] = {}
        self._rates: dict[tuple[str, str, str], pd.DataFrame] = {}

    def _group(self, metric: str, region: str, segment: str, quantity: str) -> pd.DataFrame:
        g = self._groups.get((metric, region, segment, quantity))
        return self.cur.iloc[:0] if g is None else g

    def levels(self, metric: str, region: str, segment: str = "total") -> dict[int, pd.Series]:
        """The stated levels of a series by year (a year stated twice: the later row)."""
        key = (metric, region, segment)
        if key not in self._levels:
            sel = self._group(metric, region, segment, "level")
            sel = sel[sel.year.notna()]
            self._levels[key] = {int(r.year): r for _, r in sel.iterrows() if not math.isnan(r.value)}
        return dict(self._levels[key])

    def rates(self, metric: str, region: str, segment: str = "total") -> pd.DataFrame:
        """The stated growth rates (CAGRs) of a series, in the table's order."""
        key = (metric, region, segment)
        if key not in self._rates:
            sel = self._group(metric, region, segment, "rate")
            self._rates[key] = sel[sel.start_year.notna()]
        return self._rates[key]

    def series_keys(self) -> list[tuple[str, str, str]]:
        c = self.cur[(self.cur.metric != "") & self.cur.region.isin(NATIONAL_REGIONS)
                     & self.cur.quantity.isin(["level", "rate", "multiple"])]
        return sorted({(r.metric, r.region, r.segment) for r in c.itertuples()})


def _iv(r) -> Interval:
    return Interval(float(r.lo), float(r.hi))


def _fmt(v: float, unit: str = "") -> str:
    if unit == "%":
        return f"{v * 100:.2f}%"
    if abs(v) >= 1e6:
        return f"{v / 1e8:,.2f}亿"
    return f"{v:,.4g}"


def _pp(x: float) -> float:
    return x * 100


# -- rules ---------------------------------------------------------------------------------------

def rule_rate_vs_levels(ctx: CheckContext) -> list[Finding]:
    """A stated CAGR / year-on-year rate against the stated levels at both ends of its window."""
    out = []
    for key in ctx.series_keys():
        lv = ctx.levels(*key)
        for _, r in ctx.rates(*key).iterrows():
            s, e = int(r.start_year), int(r.end_year)
            if s not in lv or e not in lv:
                continue
            a, b, n = lv[s], lv[e], e - s
            point = growth.cagr(a.value, b.value, n)
            rec = growth.cagr_iv(_iv(a), _iv(b), n)
            stated = _iv(r)
            ok = stated.overlaps(rec)
            out.append(Finding(
                "", "rate_vs_levels", "PASS" if ok else "FAIL",
                f"{':'.join(key)} {s}->{e}: {a.printed} -> {b.printed} vs stated {r.printed}%",
                ":".join(key), _pp(r.value), _pp(point), _pp(rec.lo), _pp(rec.hi), "%",
                rel_error(r.value, point), f"({b.value:.6g}/{a.value:.6g})^(1/{n}) - 1",
                f"{s}={a.printed}{a.printed_unit}; {e}={b.printed}{b.printed_unit}; rate={r.printed}%",
                f"recomputed {_pp(point):.2f}%; rounding range of the inputs [{_pp(rec.lo):.2f}, {_pp(rec.hi):.2f}] "
                + ("contains" if ok else "does not contain") + f" the stated [{_pp(stated.lo):.3f}, {_pp(stated.hi):.3f}]",
                ";".join([r.obs_id, a.obs_id, b.obs_id])))
    return out


def _implied_routes(ctx: CheckContext, key) -> list[tuple[int, growth.Derived]]:
    lv = ctx.levels(*key)
    routes = []
    for _, r in ctx.rates(*key).iterrows():
        s, e, n = int(r.start_year), int(r.end_year), int(r.end_year - r.start_year)
        if e in lv and s not in lv:
            b = lv[e]
            iv = growth.implied_start_iv(_iv(b), _iv(r), n)
            routes.append((s, growth.Derived(growth.implied_start(b.value, r.value, n), iv.lo, iv.hi,
                                             f"{b.printed} / (1 + {r.printed}%)^{n}", [b.obs_id, r.obs_id],
                                             "implied_start")))
        elif s in lv and e not in lv:
            a = lv[s]
            iv = growth.implied_end_iv(_iv(a), _iv(r), n)
            routes.append((e, growth.Derived(growth.implied_end(a.value, r.value, n), iv.lo, iv.hi,
                                             f"{a.printed} × (1 + {r.printed}%)^{n}", [a.obs_id, r.obs_id],
                                             "implied_end")))
    return routes


def rule_implied_levels(ctx: CheckContext) -> list[Finding]:
    """Unpublished base (or end) years determined by a level and a rate; flagged INFO (derived)."""
    out = []
    for key in ctx.series_keys():
        unit = METRICS[key[0]].unit
        scale = METRICS[key[0]].scale
        for year, d in _implied_routes(ctx, key):
            bound = d.bound
            out.append(Finding(
                "", "implied_level", "INFO", f"{':'.join(key)}: implied {year} value from {d.formula}",
                ":".join(key), None, d.value / scale, d.lo / scale, d.hi / scale if not np.isinf(d.hi) else math.inf,
                METRICS[key[0]].scaled_unit, None, d.formula, "", (f"{bound} bound; " if bound else "")
                + f"range from rounding [{d.lo / scale:.4g}, {d.hi / scale:.4g}]; not stated in the source",
                ";".join(d.inputs)))
            _ = unit
    return out


def rule_cross_route(ctx: CheckContext) -> list[Finding]:
    """The same unpublished level recovered by two routes (e.g. CAGR from 2028 and YoY from 2024)."""
    tol, warn = ctx.cfg.tolerances.cross_route, ctx.cfg.tolerances.cross_route_warn
    out = []
    for key in ctx.series_keys():
        by_year: dict[int, list[growth.Derived]] = {}
        for year, d in _implied_routes(ctx, key):
            by_year.setdefault(year, []).append(d)
        scale = METRICS[key[0]].scale
        for year, ds in sorted(by_year.items()):
            for i in range(len(ds)):
                for j in range(i + 1, len(ds)):
                    a, b = ds[i], ds[j]
                    rel = rel_error(a.value, b.value)
                    if a.interval.overlaps(b.interval) or abs(rel) <= tol:
                        v = "PASS"
                    elif abs(rel) <= warn:
                        v = "WARN"
                    else:
                        v = "FAIL"
                    out.append(Finding(
                        "", "cross_route", v, f"{':'.join(key)} {year}: two routes to the unpublished level",
                        ":".join(key), a.value / scale, b.value / scale, b.lo / scale, b.hi / scale,
                        METRICS[key[0]].scaled_unit, rel, f"{a.formula}  vs  {b.formula}",
                        f"route 1 {a.value / scale:.5g} [{a.lo / scale:.5g}, {a.hi / scale:.5g}]; "
                        f"route 2 {b.value / scale:.5g} [{b.lo / scale:.5g}, {b.hi / scale:.5g}]",
                        f"relative difference {rel * 100:+.2f}% (tolerance {tol * 100:.1f}%)",
                        ";".join(a.inputs + b.inputs)))
    return out


def rule_sub_window(ctx: CheckContext) -> list[Finding]:
    """CAGRs between stated levels that the source does not print; compared with the headline rate."""
    pp = ctx.cfg.tolerances.window_rate_pp
    out = []
    for key in ctx.series_keys():
        lv = ctx.levels(*key)
        years = sorted(lv)
        rates = ctx.rates(*key)
        stated_windows = {(int(r.start_year), int(r.end_year)) for r in rates.itertuples()}
        pairs = set(zip(years, years[1:], strict=False))
        if len(years) > 2:
            pairs |= {(a, years[-1]) for a in years[:-1]}
        head = rates.assign(span=rates.end_year - rates.start_year).sort_values("span").tail(1)
        for a, b in sorted(pairs):
            if (a, b) in stated_windows:
                continue
            A, B = lv[a], lv[b]
            n = b - a
            point = growth.cagr(A.value, B.value, n)
            iv = growth.cagr_iv(_iv(A), _iv(B), n)
            verdict, detail, stated = "INFO", "not stated in the source", None
            if len(head):
                h = head.iloc[0]
                hs, he = int(h.start_year), int(h.end_year)
                if hs <= a and b <= he:
                    stated = _pp(h.value)
                    diff = point - h.value
                    if abs(diff) <= pp:
                        verdict = "PASS"
                        detail = (f"{a}-{b} CAGR {_pp(point):.2f}% vs stated {hs}-{he} CAGR {h.printed}%: "
                                  f"within {pp * 100:.1f} pp (windows differ)")
                    else:
                        shape = "slower" if diff < 0 else "faster"
                        detail = (f"{a}-{b} CAGR {_pp(point):.2f}% vs stated {hs}-{he} CAGR {h.printed}%: "
                                  f"{shape} by {abs(diff) * 100:.1f} pp; a {hs}-{he} rate must not be extrapolated from {a}")
            bound = " (lower bound: an endpoint is a bound)" if np.isinf(iv.hi) or np.isinf(iv.lo) else ""
            out.append(Finding(
                "", "sub_window_rate", verdict, f"{':'.join(key)}: CAGR {a}-{b} ({A.printed} -> {B.printed}){bound}",
                ":".join(key), stated, _pp(point), _pp(iv.lo), _pp(iv.hi), "%",
                rel_error(stated / 100, point) if stated is not None else None,
                f"({B.printed}/{A.printed})^(1/{n}) - 1", f"{a}={A.printed}; {b}={B.printed}", detail,
                ";".join([A.obs_id, B.obs_id])))
    return out


def rule_path(ctx: CheckContext) -> list[Finding]:
    """Stated intermediate levels vs the constant-growth path between their neighbours (P06, G16)."""
    out = []
    for key in ctx.series_keys():
        lv = ctx.levels(*key)
        years = sorted(lv)
        scale = METRICS[key[0]].scale
        for a, m, b in zip(years, years[1:], years[2:], strict=False):
            A, M, B = lv[a], lv[m], lv[b]
            v = growth.interpolate(A.value, B.value, b - a, m - a)
            rel = rel_error(M.value, v)
            out.append(Finding(
                "", "path_vs_interpolation", "INFO",
                f"{':'.join(key)} {m}: stated {M.printed} vs geometric interpolation {a}->{b}",
                ":".join(key), M.value / scale, v / scale, None, None, METRICS[key[0]].scaled_unit, rel,
                f"{A.printed} × ({B.printed}/{A.printed})^({m - a}/{b - a})", f"{a}={A.printed}; {b}={B.printed}",
                "a yearly path cannot be rebuilt from its endpoints; series store stated years",
                ";".join([A.obs_id, M.obs_id, B.obs_id])))
        for _, r in ctx.rates(*key).iterrows():
            s, e, n = int(r.start_year), int(r.end_year), int(r.end_year - r.start_year)
            if e in lv and s not in lv:
                for m in years:
                    if s < m < e:
                        v = growth.implied_start(lv[e].value, r.value, e - m)
                        rel = rel_error(lv[m].value, v)
                        out.append(Finding(
                            "", "path_vs_rate", "INFO",
                            f"{':'.join(key)} {m}: stated {lv[m].printed} vs constant-CAGR path from {e} at {r.printed}%",
                            ":".join(key), lv[m].value / scale, v / scale, None, None,
                            METRICS[key[0]].scaled_unit, rel, f"{lv[e].printed} / (1 + {r.printed}%)^{e - m}",
                            "", "a CAGR says nothing about the path; "
                            + ("stated value above the constant-growth path (later years grow slower)" if rel < 0
                               else "stated value below the constant-growth path"),
                            ";".join([lv[m].obs_id, lv[e].obs_id, r.obs_id])))
        _ = n if False else None
    return out


def rule_multiples(ctx: CheckContext) -> list[Finding]:
    """Stated multiples (两倍, 翻番, 六倍, 1.77倍) against levels or the rate covering their window."""
    out = []
    mult = ctx.cur[(ctx.cur.quantity == "multiple") & (ctx.cur.metric != "") & ctx.cur.start_year.notna()]
    for _, r in mult.iterrows():
        key = (r.metric, r.region, r.segment)
        s, e = int(r.start_year), int(r.end_year)
        lv = ctx.levels(*key)
        rec = None
        if s in lv and e in lv:
            rec = growth.multiple(lv[s].value, lv[e].value)
            iv = growth.multiple_iv(_iv(lv[s]), _iv(lv[e]))
            formula = f"{lv[e].printed} / {lv[s].printed}"
            inputs = [lv[s].obs_id, lv[e].obs_id]
        else:
            rates = ctx.rates(*key)
            cover = rates[(rates.start_year <= s) & (rates.end_year >= e)]
            if len(cover):
                c = cover.iloc[0]
                rec = growth.multiple_from_rate(c.value, e - s)
                iv = growth.multiple_from_rate_iv(_iv(c), e - s)
                formula = f"(1 + {c.printed}%)^{e - s}"
                inputs = [c.obs_id]
        if rec is None:
            continue
        verbal = parse_verbal(r.printed, r.printed_unit, r.quote, ctx.verbal) if r.verbal else None
        title = f"{':'.join(key)}: {s}->{e} multiple '{r.printed}{r.printed_unit or ''}' vs {formula}"
        if verbal is not None:
            verdict, rel = band_verdict(verbal.value, rec, ctx.verbal)
            if verdict == "APPROX" and abs(rel) < 1e-9:
                verdict = "PASS"
            out.append(Finding("", "verbal_multiple", verdict, title, ":".join(key), verbal.value, rec, iv.lo, iv.hi,
                               "x", rel, formula, f"stated '{r.quote}'",
                               f"{rec:.3f}x vs {verbal.value:g}x ({rel * 100:+.1f}%); bands: APPROX ≤ "
                               f"{ctx.verbal.approx_band * 100:.0f}%, WARN ≤ {ctx.verbal.warn_band * 100:.0f}%",
                               ";".join([r.obs_id, *inputs])))
            for alt in verbal.alternatives:
                v2, rel2 = band_verdict(alt, rec, ctx.verbal)
                out.append(Finding("", "verbal_multiple_alt_reading", "WARN" if v2 != "FAIL" else "INFO",
                                   title + f" (strict reading {alt:g}x)", ":".join(key), alt, rec, iv.lo, iv.hi, "x",
                                   rel2, formula, f"stated '{r.quote}'",
                                   f"增长N倍 read as (N+1)x: {rec:.3f}x vs {alt:g}x ({rel2 * 100:+.1f}%); the wording "
                                   "is ambiguous" + ("" if v2 != "FAIL" else "; the strict reading does not fit"),
                                   ";".join([r.obs_id, *inputs])))
        else:
            ok = _iv(r).overlaps(iv)
            rel = rel_error(r.value, rec)
            out.append(Finding("", "stated_multiple", "PASS" if ok else "FAIL", title, ":".join(key), r.value, rec,
                               iv.lo, iv.hi, "x", rel, formula, f"stated {r.printed}",
                               f"{rec:.4f}x; rounding range [{iv.lo:.4f}, {iv.hi:.4f}]", ";".join([r.obs_id, *inputs])))
    return out


def _share_finding(cid: str, title: str, rows: pd.DataFrame, series: str = "") -> Finding:
    total = float(rows.value.sum())
    lo_total = float(np.nansum(np.where(np.isinf(rows.lo), rows.value, rows.lo)))
    verdict = "FAIL" if lo_total > 1 + 1e-9 else "PASS"
    parts = " + ".join(f"{v * 100:g}%" for v in rows.value)
    return Finding(cid, "shares_sum", verdict, f"{title}: {parts} <= 100%", series, 100.0, total * 100, lo_total * 100,
                   None, "%", None, " + ".join(rows.obs_id), parts,
                   f"sum {total * 100:.4g}%; residual {(1 - total) * 100:.4g}%" if verdict == "PASS"
                   else f"sum {total * 100:.4g}% is over 100% (lower bounds sum to {lo_total * 100:.4g}%)",
                   ";".join(rows.obs_id))


def rule_shares(ctx: CheckContext) -> list[Finding]:
    """Segment shares of one total, and configured share groups, sum to at most 100%."""
    out = []
    sh = ctx.cur[(ctx.cur.quantity == "share") & (ctx.cur.metric != "") & (ctx.cur.segment != "total")]
    for (metric, region, year), g in sh.groupby(["metric", "region", "year"]):
        if len(g) >= 2:
            out.append(_share_finding("", f"{metric}:{region} {int(year)} segment shares", g, f"{metric}:{region}"))
    allc = canonical(ctx.obs)
    for grp in ctx.cfg.share_groups:
        g = allc[allc.obs_id.isin(grp.facts) & (allc.quantity == "share")]
        if len(g) >= 2:
            out.append(_share_finding("", grp.title or grp.id, g))
    return out


def rule_segment_feasibility(ctx: CheckContext) -> list[Finding]:
    """Segment CAGRs + end-year shares vs the total's CAGR: implied base-year segments must fit."""
    out = []
    for metric, m in METRICS.items():
        for region in sorted(set(ctx.cur.region)):
            trates = ctx.rates(metric, region, "total")
            tlev = ctx.levels(metric, region, "total")
            if not len(trates):
                continue
            t = trates.iloc[0]
            s, e, n = int(t.start_year), int(t.end_year), int(t.end_year - t.start_year)
            if e not in tlev:
                continue
            total_e = tlev[e]
            total_s = growth.implied_start(total_e.value, t.value, n)
            total_s_iv = growth.implied_start_iv(_iv(total_e), _iv(t), n)
            segs, used = [], [t.obs_id, total_e.obs_id]
            for seg in m.segments[1:]:
                r = ctx.rates(metric, region, seg)
                sh = ctx.cur[(ctx.cur.metric == metric) & (ctx.cur.region == region) & (ctx.cur.segment == seg)
                             & (ctx.cur.quantity == "share") & (ctx.cur.year == e)]
                if len(r) and len(sh):
                    rr, ss = r.iloc[0], sh.iloc[0]
                    if int(rr.start_year) != s or int(rr.end_year) != e:
                        continue
                    v_e = total_e.value * ss.value
                    v_s = growth.implied_start(v_e, rr.value, n)
                    iv = growth.implied_start_iv(_iv(total_e) * _iv(ss), _iv(rr), n)
                    segs.append((seg, v_s, iv, v_e, ss.value))
                    used += [rr.obs_id, ss.obs_id]
            if not segs:
                continue
            resid_s = total_s - sum(x[1] for x in segs)
            resid_iv = total_s_iv
            for x in segs:
                resid_iv = resid_iv - x[2]
            resid_share_e = 1 - sum(x[4] for x in segs)
            resid_e = total_e.value * resid_share_e
            scale = m.scale
            if resid_iv.hi < 0:
                verdict, detail = "FAIL", "implied base-year segments exceed the implied base-year total: infeasible"
            elif resid_share_e < 0:
                verdict, detail = "FAIL", "end-year shares exceed 100%"
            else:
                verdict = "PASS"
                rc = growth.cagr(resid_s, resid_e, n) if resid_s > 0 and resid_e > 0 else float("nan")
                detail = (f"residual segment {resid_s / scale:.4g} in {s} -> {resid_e / scale:.4g} in {e} "
                          f"(implied CAGR {rc * 100:.2f}%)")
            seg_txt = "; ".join(f"{x[0]} {x[1] / scale:.4g}" for x in segs)
            out.append(Finding("", "segment_feasibility", verdict,
                               f"{metric}:{region}: segment CAGRs and {e} shares vs total CAGR {t.printed}%",
                               f"{metric}:{region}", total_s / scale, resid_s / scale, resid_iv.lo / scale,
                               resid_iv.hi / scale, m.scaled_unit, None,
                               f"total_{s} = total_{e}/(1+r)^{n}; seg_{s} = total_{e}·share/(1+r_seg)^{n}; residual = "
                               "total − Σ seg", f"implied {s}: total {total_s / scale:.4g}; {seg_txt}", detail,
                               ";".join(used)))
    return out


def rule_duplicates(ctx: CheckContext) -> list[Finding]:
    """A claim repeated in two places must carry the same value."""
    obs = ctx.obs
    dup = obs[obs.duplicate_of.fillna("") != ""]
    if not len(dup):
        return []
    canon = obs.set_index("obs_id")
    bad = []
    for r in dup.itertuples():
        if r.duplicate_of not in canon.index:
            bad.append(f"{r.obs_id}: canonical row {r.duplicate_of} missing")
            continue
        c = canon.loc[r.duplicate_of]
        c = c.iloc[0] if isinstance(c, pd.DataFrame) else c
        same = (math.isnan(r.value) and math.isnan(c.value)) or math.isclose(r.value, c.value, rel_tol=1e-12)
        if not same or str(r.start_year) != str(c.start_year) or str(r.end_year) != str(c.end_year):
            bad.append(f"{r.obs_id}={r.printed} vs {r.duplicate_of}={c.printed}")
    return [Finding("", "repeated_claims", "FAIL" if bad else "PASS",
                    f"Repeated claims across sections agree ({len(dup)} repeats)", "", 0, float(len(bad)), None, None,
                    "mismatches", None, "value(repeat) == value(canonical)", "", "; ".join(bad) or "all identical",
                    ";".join(dup.obs_id))]


def rule_city_vs_national(ctx: CheckContext) -> list[Finding]:
    """City compute figures are each, and together, at most the national figure."""
    out = []
    city = canonical(ctx.obs)
    city = city[(city.metric == "intelligent_compute") & ~city.region.isin(NATIONAL_REGIONS)
                & (city.quantity == "level")]
    if not len(city):
        return out
    nat = ctx.levels("intelligent_compute", "china")
    if not nat:
        return out
    year = 2025 if 2025 in nat else max(nat)
    n = nat[year]
    total = float(city.value.sum())
    over = city[city.value > n.value]
    verdict = "FAIL" if len(over) or total > n.value else "PASS"
    figs = "; ".join(f"{r.obs_id} {r.value:.4g} EFLOPS ({r.value / n.value * 100:.1f}%)" for r in city.itertuples())
    out.append(Finding("", "city_vs_national", verdict,
                       f"City intelligent compute vs national {year} ({n.printed} EFLOPS)", "intelligent_compute",
                       n.value, total, None, None, "EFLOPS", total / n.value, "Σ city ≤ national", figs,
                       f"cities sum to {total / n.value * 100:.1f}% of the national figure; city 'P' precision unstated",
                       ";".join(city.obs_id)))
    return out


def rule_editions(ctx: CheckContext) -> list[Finding]:
    """Edition comparisons: rates quoted from the previous edition vs this edition's, windows and levels."""
    out = []
    for _, c in ctx.claims_prev.iterrows():
        key = (c.metric, c.region, c.segment)
        curr = ctx.rates(*key)
        curr = curr.assign(span=curr.end_year - curr.start_year).sort_values("span")
        if not len(curr):
            continue
        h = curr.iloc[-1]
        hs, he = int(h.start_year), int(h.end_year)
        out.append(Finding("", "edition_rate_change", "PASS" if h.value > c.value else "FAIL",
                           f"{':'.join(key)}: this edition's CAGR {h.printed}% vs previous edition's {c.printed}%",
                           ":".join(key), _pp(c.value), _pp(h.value), None, None, "pp",
                           None, "current − previous", f"{h.printed}% ({hs}-{he}) vs {c.printed}%",
                           f"{(h.value - c.value) * 100:+.1f} pp", ";".join([c.obs_id, h.obs_id])))
        # window of the previous edition's rate: from the claim itself or from the previous-edition file
        pw = None
        if not pd.isna(c.start_year):
            pw = (int(c.start_year), int(c.end_year))
            src = "stated with the claim"
        else:
            p = ctx.prev[(ctx.prev.metric == c.metric) & (ctx.prev.region == c.region) & (ctx.prev.segment == c.segment)
                         & (ctx.prev.quantity == "rate") & ctx.prev.start_year.notna()]
            p = p[(p.value - c.value).abs() <= 0.0005 + 1e-12]
            if len(p):
                pw = (int(p.iloc[0].start_year), int(p.iloc[0].end_year))
                src = f"from the previous edition ({p.iloc[0].source})"
        if pw is None:
            out.append(Finding("", "edition_window", "INFO",
                               f"{':'.join(key)}: window of the previous edition's {c.printed}% unknown",
                               ":".join(key), None, None, None, None, "", None, "", "",
                               "give the previous edition's facts (--previous) to confirm a like-for-like comparison",
                               c.obs_id))
            continue
        same = pw == (hs, he)
        out.append(Finding(
            "", "edition_window", "PASS" if same else "WARN",
            f"{':'.join(key)}: edition comparison {h.printed}% ({hs}-{he}) vs {c.printed}% ({pw[0]}-{pw[1]})",
            ":".join(key), _pp(c.value), _pp(h.value), None, None, "%", None, "window(current) == window(previous)",
            f"current {hs}-{he}; previous {pw[0]}-{pw[1]} ({src})",
            "like-for-like windows" if same else
            "the comparison mixes CAGR windows; compare levels in the same year (edition_level_revision) "
            "or rates over the same window instead", ";".join([c.obs_id, h.obs_id])))
    # level revisions: previous edition's levels vs this edition's series in the same year
    if ctx.series is not None and len(ctx.prev):
        pl = ctx.prev[(ctx.prev.quantity == "level") & (ctx.prev.metric != "")]
        for _, p in pl.iterrows():
            key = f"{p.metric}:{p.region}:{p.segment}"
            s = ctx.series[(ctx.series.series == key) & (ctx.series.year == p.year)]
            if not len(s):
                continue
            s = s.iloc[0]
            if s.method == "previous_edition_actual":
                continue
            rel = rel_error(p.value, s.value)
            out.append(Finding("", "edition_level_revision", "INFO",
                               f"{key} {int(p.year)}: this edition ({s.method}) vs previous edition's {p.kind}",
                               key, p.value, s.value, s.lo, s.hi, METRICS[p.metric].unit, rel,
                               "current / previous − 1", f"previous {p.printed} ({p.edition}); current {s.value:.5g}",
                               f"revision {rel * 100:+.1f}% (like-for-like level in the same year)",
                               ";".join([p.obs_id, str(s.inputs)])))
    return out


def rule_price_ratio(ctx: CheckContext) -> list[Finding]:
    """A stated cost ratio ("约为 o1 运行成本的3%") against list prices, per role (input, output)."""
    out = []
    by_id = {r.obs_id: r for r in ctx.cur.itertuples()}
    for pc in ctx.cfg.price_comparisons:
        claim = by_id.get(pc.claim)
        prices = {role: by_id.get(fid) for role, fid in pc.prices.items()}
        if claim is None or any(v is None for v in prices.values()):
            missing = [x for x in [pc.claim, *pc.prices.values()] if x not in by_id]
            out.append(Finding("", "price_ratio", "INFO", f"{pc.id}: facts not in this edition", detail=
                               f"missing fact ids: {', '.join(missing)}"))
            continue
        stated = float(claim.value) / (100.0 if claim.unit == "%" else 1.0)
        ratios, parts = [], []
        for role, r in prices.items():
            cur = str(r.unit).split()[0] if r.unit else ""
            ref = pc.reference[role]
            if cur != pc.reference_currency:
                rate_to_usd = {k.upper(): v for k, v in {**ctx.cfg.fx, **pc.fx}.items()}
                if cur.upper() not in rate_to_usd or (pc.reference_currency.upper() != "USD"
                                                      and pc.reference_currency.upper() not in rate_to_usd):
                    out.append(Finding("", "price_ratio", "INFO", f"{pc.id}: no exchange rate for {cur}",
                                       detail=f"add fx: {{{cur}: …}} ({cur} per USD) to the comparison"))
                    break
                ref_usd = ref / (rate_to_usd.get(pc.reference_currency.upper(), 1.0))
                ref = ref_usd * rate_to_usd[cur.upper()]
            ratios.append(float(r.value) / ref)
            parts.append(f"{role}: {r.printed} {r.printed_unit} / {ref:,.1f} {cur} = {float(r.value) / ref:.2%}")
        else:
            rec = float(np.mean(ratios))
            rel = rel_error(stated, rec)
            band = ctx.verbal.approx_band if claim.qualifier in ("~", "~<") else 0.0
            verdict = ("PASS" if abs(rel) <= 1e-9 or min(ratios) <= stated <= max(ratios) and band == 0
                       else "APPROX" if abs(rel) <= band else "WARN")
            out.append(Finding(
                "", "price_ratio", verdict,
                f"{pc.id}: stated '{claim.printed}{claim.printed_unit or ''}' of {pc.reference_name}'s cost vs list prices",
                "", stated, rec, min(ratios), max(ratios), "%", rel,
                "own price / (reference price × FX), per role",
                "; ".join(parts) + f"; reference: {pc.source}" + (f"; FX {pc.fx}" if pc.fx else ""),
                f"{rec:.2%} vs stated {stated:.0%} ({rel * 100:+.1f}%); APPROX band {band:.0%} for '约'; the ratio "
                "depends on the token mix and the exchange rate",
                ";".join([pc.claim, *pc.prices.values()])))
    return out


RULES: list[Callable[[CheckContext], list[Finding]]] = [
    rule_rate_vs_levels, rule_implied_levels, rule_cross_route, rule_sub_window, rule_path, rule_multiples,
    rule_shares, rule_segment_feasibility, rule_duplicates, rule_city_vs_national, rule_editions, rule_price_ratio,
    *TEXT_RULES,
]

#: (rule, first fact id) → id of the matching check in docs/research/seed-consistency.md
SEED_REFS = {
    ("claim_ranges", "pue_green_dc_level_2;pue_liquid_cooling"): "T01",
    ("product_limit", "scaleup_rack_gpus_72;gpu_power_max"): "S13",
    ("list_consistency", "city_genai_factors"): "T02",
    ("metric_names", ""): "T03",
    ("figure_order", "figure13_label_order"): "T04",
    ("event_date", "deepseek_r1_listed_2024;deepseek_r1_release_lag_months"): "T05",
    ("product_name", "microsoft_365_copilot"): "T06",
    ("rank_moves", "city_ai_compute_development"): "R03",
    ("rank_moves", "industry_ai_penetration"): "R05",
    ("price_ratio", "deepseek_r1_cost_vs_o1"): "X01",
    ("rate_vs_levels", "cn_ai_server_market_yoy_2025"): "G01",
    ("rate_vs_levels", "cn_intelligent_compute_yoy_2025"): "P03",
    ("rate_vs_levels", "cn_general_compute_yoy_2025"): "P04",
    ("implied_level", "cn_intelligent_compute_2028"): "C01",
    ("implied_level", "cn_general_compute_2028"): "C04",
    ("implied_level", "cn_ai_compute_service_market_2028"): "G07",
    ("implied_level", "cn_liquid_cooled_server_market_2028"): "G09",
    ("implied_level", "global_aidc_it_energy_2027"): "G15",
    ("implied_level", "global_data_volume_2028"): "G17",
    ("implied_level", "global_genai_spend_2028"): "G21",
    ("implied_level", "global_ai_storage_spend_2028"): "G23",
    ("implied_level", "cn_ai_server_market_2024"): "P07",
    ("cross_route", "cn_intelligent_compute_2028"): "P01",
    ("cross_route", "cn_intelligent_compute_2024"): "P01",
    ("cross_route", "cn_general_compute_2028"): "P02",
    ("cross_route", "cn_general_compute_2024"): "P02",
    ("sub_window_rate", "cn_intelligent_compute_2025;cn_intelligent_compute_2028"): "C02",
    ("sub_window_rate", "cn_general_compute_2025;cn_general_compute_2028"): "C05",
    ("sub_window_rate", "global_genai_spend_2025;global_genai_spend_2028"): "G20",
    ("sub_window_rate", "global_data_volume_2024;global_data_volume_2028"): "G19",
    ("sub_window_rate", "cn_ai_compute_service_market_2025;cn_ai_compute_service_market_2028"): "G08",
    ("sub_window_rate", "global_ai_storage_spend_2025;global_ai_storage_spend_2028"): "G23",
    ("sub_window_rate", "global_aidc_it_energy_2025;global_aidc_it_energy_2027"): "G14",
    ("sub_window_rate", "cn_ai_server_market_2025;cn_ai_server_market_2028"): "G02",
    ("sub_window_rate", "cn_ai_server_market_2024;cn_ai_server_market_2028"): "G03",
    ("sub_window_rate", "global_ai_server_market_2024;global_ai_server_market_2025"): "G04",
    ("sub_window_rate", "global_ai_server_market_2025;global_ai_server_market_2028"): "G05",
    ("path_vs_interpolation", "cn_intelligent_compute_2025;cn_intelligent_compute_2026"): "P06",
    ("path_vs_rate", "global_aidc_it_energy_2024"): "G16",
    ("verbal_multiple", "global_aidc_it_energy_5y_multiple"): "G11",
    ("verbal_multiple_alt_reading", "global_aidc_it_energy_5y_multiple"): "G12",
    ("verbal_multiple", "global_aidc_it_energy_2025_vs_2023"): "G13",
    ("verbal_multiple", "global_data_volume_2028_vs_2025_multiple"): "G18",
    ("verbal_multiple", "cn_intelligent_compute_2026_vs_2024"): "P05",
    ("stated_multiple", "cn_ai_server_market_2026_vs_2024"): "P08",
    ("shares_sum", "cn_ai_integration_service_share_2028"): "S01",
    ("shares_sum", "model_param_share_10_20b"): "S03",
    ("shares_sum", "genai_data_even_mix_share_2028"): "S04",
    ("shares_sum", "cn_ent_genai_testing_share"): "S05",
    ("segment_feasibility", "cn_ai_compute_service_cagr"): "S02",
    ("repeated_claims", ""): "D01",
    ("city_vs_national", ""): "S07",
    ("edition_rate_change", "cn_intelligent_compute_cagr_prev_edition"): "E01",
    ("edition_rate_change", "cn_general_compute_cagr_prev_edition"): "E01",
    ("edition_window", "cn_intelligent_compute_cagr_prev_edition"): "E02",
    ("edition_window", "cn_general_compute_cagr_prev_edition"): "E02",
    ("edition_level_revision", "prev_cn_intelligent_compute_2027"): "E03",
    ("edition_level_revision", "prev_cn_general_compute_2027"): "E04",
}


def run_checks(obs: pd.DataFrame, cfg: MarketsConfig, series: pd.DataFrame | None = None,
               rankings: pd.DataFrame | None = None,
               params: dict[str, tuple[float, float, float]] | None = None, *,
               rules: Sequence[Callable[[CheckContext], list[Finding]]] | None = None) -> pd.DataFrame:
    """Run every rule (or only ``rules``, a subset of :data:`RULES`); returns the findings table.

    Check ids count per rule prefix, so a subset gives its findings the same ids as a full run.
    ``rankings`` (the published rankings) feeds the rank-move and figure-order checks; ``params``
    maps a dotted edition parameter path to (value, low, high) for the claim-range checks.
    """
    ctx = CheckContext(obs, series, cfg, rankings, params or {})
    findings: list[Finding] = []
    for rule in RULES if rules is None else rules:
        findings += rule(ctx)
    counters: dict[str, int] = {}
    prefix = {"rate_vs_levels": "RV", "implied_level": "IL", "cross_route": "CR", "sub_window_rate": "SW",
              "path_vs_interpolation": "PI", "path_vs_rate": "PR", "verbal_multiple": "VM",
              "verbal_multiple_alt_reading": "VA", "stated_multiple": "SM", "shares_sum": "SS",
              "segment_feasibility": "SF", "repeated_claims": "DU", "city_vs_national": "CN",
              "edition_rate_change": "ER", "edition_window": "EW", "edition_level_revision": "EL", **TEXT_PREFIX}
    own_titles = edition_titles(cfg)
    for f in findings:
        f.title_zh = f.title_zh or title_zh(f.title, own_titles)
        p = prefix.get(f.rule, "X")
        counters[p] = counters.get(p, 0) + 1
        f.check_id = f"{p}{counters[p]:02d}"
        ids = f.facts.split(";") if f.facts else [""]
        two = ";".join(ids[:2])
        f.seed_ref = SEED_REFS.get((f.rule, two)) or SEED_REFS.get((f.rule, ids[0])) \
            or SEED_REFS.get((f.rule, ""), "")
        if f.rule in ("sub_window_rate", "path_vs_interpolation") and (f.rule, two) not in SEED_REFS:
            f.seed_ref = ""
    df = pd.DataFrame([asdict(f) for f in findings])
    if df.empty:
        df = pd.DataFrame(columns=list(Finding.__dataclass_fields__))
    return df


def verdict_counts(findings: pd.DataFrame) -> dict[str, int]:
    c = findings.verdict.value_counts().to_dict() if len(findings) else {}
    return {v: int(c.get(v, 0)) for v in VERDICTS}


def findings_markdown(findings: pd.DataFrame, title: str = "Market consistency checks") -> str:
    counts = verdict_counts(findings)
    lines = [f"# {title}", "", f"{len(findings)} checks: " + ", ".join(f"{k} {v}" for k, v in counts.items()), ""]
    order = {v: i for i, v in enumerate(VERDICTS)}
    lines += ["| id | verdict | seed | check | stated | recomputed | unit | rel. error | formula | detail |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    df = findings.assign(_o=findings.verdict.map(order)).sort_values(["_o", "check_id"])

    def num(x):
        return "" if x is None or (isinstance(x, float) and (math.isnan(x))) else f"{x:,.4g}"

    for r in df.itertuples():
        rel = "" if r.rel_error is None or (isinstance(r.rel_error, float) and math.isnan(r.rel_error)) \
            else f"{r.rel_error * 100:+.2f}%"
        cells = [r.check_id, r.verdict, r.seed_ref, r.title, num(r.stated), num(r.recomputed), r.unit, rel,
                 r.formula, r.detail]
        lines.append("| " + " | ".join(str(c).replace("|", "/").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + "\n"
