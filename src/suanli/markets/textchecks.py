"""Text-level consistency rules (T01-T06 of ``docs/research/seed-consistency.md``) and the rank-move
rule. Each rule reads what the edition declares under ``markets.text_checks`` / ``markets.rank_moves``
(quotes and source lines included) and the facts those declarations name, and returns findings:

* ``claim_ranges`` (T01): claims on one quantity of one technology (attainable PUE of liquid
  cooling) kept as ranges; different thresholds are a WARN, disjoint ranges or a value outside the
  physically possible range a FAIL; a model parameter (the energy model's liquid-cooling PUE) is
  compared with the claims: its central value outside a claim is a WARN, its whole range outside a FAIL;
* ``product_limit`` (rack power density, S13): count × per-unit power fits within the stated rack maximum;
* ``list_consistency`` (T02): the same enumeration printed twice with different items;
* ``metric_names`` (T03): one series called by several names (text vs figure titles);
* ``figure_order`` (T04): a figure's label order against the ranking the text states;
* ``event_date`` (T05): an event listed under a year its own text (anchor + lag) or an external
  date puts elsewhere;
* ``product_name`` (T06): a product name printed differently from its real name;
* ``rank_moves`` (R03/R05): previous ranks and moved-up/down claims solved as an integer programme.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from .finding import Finding
from .rankmoves import check_ranking
from .registry import METRICS


def _finding(*args, **kw) -> Finding:
    return Finding(*args, **kw)


def _claim_range(r) -> tuple[float, float]:
    """(lo, hi) a fact allows, from its printed value and qualifier (< and ≤ are upper bounds)."""
    q = str(r.qualifier or "").strip()
    v = float(r.value)
    if q in ("<", "<=", "≤", "~<"):
        return (-math.inf, v)
    if q in (">", ">=", "≥"):
        return (v, math.inf)
    return (float(r.lo), float(r.hi)) if not (math.isnan(float(r.lo)) or math.isnan(float(r.hi))) else (v, v)


def _show(lo: float, hi: float) -> str:
    if math.isinf(lo) and math.isinf(hi):
        return "any"
    if math.isinf(lo):
        return f"≤ {hi:g}"
    if math.isinf(hi):
        return f"≥ {lo:g}"
    return f"{lo:g}" if lo == hi else f"[{lo:g}, {hi:g}]"


def rule_claim_ranges(ctx) -> list:
    out = []
    by_id = {r.obs_id: r for r in ctx.obs.itertuples()}
    for g in ctx.cfg.text_checks.ranges:
        rows = [by_id[f] for f in g.facts if f in by_id]
        missing = [f for f in g.facts if f not in by_id]
        if missing:
            out.append(_finding("", "claim_ranges", "INFO", f"{g.id}: facts not in this edition",
                                detail="missing fact ids: " + ", ".join(missing), facts=";".join(g.facts)))
            continue
        rng = {r.obs_id: _claim_range(r) for r in rows}
        lo = max(a for a, _ in rng.values())
        hi = min(b for _, b in rng.values())
        said = "; ".join(f"{r.obs_id} (§{r.section}, line {r.line}): '{r.quote}' → {_show(*rng[r.obs_id])}"
                         for r in rows)
        unit = str(rows[0].unit)
        verdict, detail = "PASS", "the claims agree"
        if lo > hi:
            verdict, detail = "FAIL", f"the claims exclude each other (together they need ≥ {lo:g} and ≤ {hi:g})"
        elif len({_show(*x) for x in rng.values()}) > 1:
            verdict, detail = "WARN", (f"different thresholds for the same quantity ({', '.join(sorted({_show(*x) for x in rng.values()}))}); "
                                       f"keep them as ranges, not one parameter: together {_show(lo, hi)}")
        if g.bounds is not None:
            # the printed threshold itself must be possible ("up to 900 kW" claims 900 kW is reached)
            bad = [r.obs_id for r in rows if not (g.bounds[0] <= float(r.value) <= g.bounds[1])]
            if bad:
                verdict = "FAIL"
                detail += f"; outside the possible range [{g.bounds[0]:g}, {g.bounds[1]:g}]: {', '.join(bad)}"
        out.append(_finding("", "claim_ranges", verdict, g.title or g.id, unit=unit, lo=lo, hi=hi,
                            formula="intersection of the claimed ranges", figures=said, detail=detail,
                            facts=";".join(g.facts)))
        if g.model:
            p = ctx.params.get(g.model)
            if p is None:
                out.append(_finding("", "claim_ranges", "INFO", f"{g.title or g.id}: model parameter {g.model} not set",
                                    detail="no such parameter in this edition", facts=";".join(g.facts)))
                continue
            value, plo, phi = p
            outside = [f for f, (a, b) in rng.items() if not (a <= value <= b)]
            disjoint = [f for f, (a, b) in rng.items() if phi < a or plo > b]
            v = "FAIL" if disjoint else "WARN" if outside else "PASS"
            d = (f"model {g.model} = {value:g} (range {plo:g}-{phi:g}); "
                 + (f"its whole range lies outside {', '.join(disjoint)}" if disjoint else
                    f"its central value lies outside {', '.join(outside)} (its range overlaps them)" if outside
                    else "inside every claim"))
            out.append(_finding("", "claim_ranges", v, f"{g.title or g.id}: model parameter against the claims",
                                stated=hi if not math.isinf(hi) else None, recomputed=value, lo=plo, hi=phi, unit=unit,
                                formula="model value and range vs each claimed range", figures=said, detail=d,
                                facts=";".join(g.facts)))
    return out


def rule_product_limit(ctx) -> list:
    out = []
    by_id = {r.obs_id: r for r in ctx.obs.itertuples()}
    for p in ctx.cfg.text_checks.products:
        ids = [p.count, p.per_unit, p.limit]
        if any(i not in by_id for i in ids):
            out.append(_finding("", "product_limit", "INFO", f"{p.id}: facts not in this edition",
                                detail="missing: " + ", ".join(i for i in ids if i not in by_id), facts=";".join(ids)))
            continue
        n, w, lim = (by_id[i] for i in ids)
        total = float(n.value) * float(w.value) * p.per_unit_scale
        ok = total <= float(lim.value)
        out.append(_finding("", "product_limit", "PASS" if ok else "FAIL", p.title or p.id, stated=float(lim.value),
                            recomputed=total, unit=str(lim.unit), rel_error=total / float(lim.value) - 1,
                            formula=f"{n.obs_id} × {w.obs_id} × {p.per_unit_scale:g} ≤ {lim.obs_id}",
                            figures=f"{float(n.value):g} × {float(w.value):g} {w.unit} = {total:g} {lim.unit} vs "
                                    f"'{lim.quote}' (line {lim.line})",
                            detail=(f"{total / float(lim.value):.0%} of the stated maximum; the rest is CPUs, network, "
                                    "cooling and power losses") if ok else
                                   f"{total:g} {lim.unit} exceeds the stated maximum {float(lim.value):g}",
                            facts=";".join(ids)))
    return out


def rule_list_consistency(ctx) -> list:
    out = []
    for c in ctx.cfg.text_checks.lists:
        sets = [(x.where, x.line, x.items) for x in c.lists]
        lens = {len(items) for _, _, items in sets}
        fig = "; ".join(f"{w} (line {ln}): {'、'.join(items)} ({len(items)})" for w, ln, items in sets)
        if len(lens) == 1 and all(sorted(sets[0][2]) == sorted(s[2]) for s in sets):
            v, d = "PASS", "the lists agree"
        else:
            longest = max(sets, key=lambda s: len(s[2]))
            short = [s for s in sets if s is not longest]
            covered = all(any(a in b or b in a for b in longest[2]) for s in short for a in s[2])
            v = "WARN" if covered else "FAIL"
            d = (f"{' vs '.join(str(len(s[2])) for s in sets)} items; "
                 + (f"the shorter lists are subsets of {longest[0]}: use that list" if covered
                    else "the lists name different items"))
        out.append(_finding("", "list_consistency", v, c.title or c.id, figures=fig, detail=d, facts=c.id))
    return out


_REGION = re.compile(r"^(中国|全球|国内)")
_TAIL = re.compile(r"(（.*?）|\(.*?\)|，?\d{4}\s*[-–]\s*\d{4}|规模|预测|整体)")


def _norm(name: str) -> str:
    return _TAIL.sub("", _REGION.sub("", str(name).strip())).strip()


def rule_metric_names(ctx) -> list:
    cur = ctx.obs[(ctx.obs.role == "current") & (ctx.obs.quantity == "level") & (ctx.obs.metric != "")]
    extra = ctx.cfg.text_checks.figure_names
    out = []
    keys = sorted({(f.metric, f.region) for f in extra})
    for metric, region in keys:
        rows = cur[(cur.metric == metric) & (cur.region == region) & (cur.segment == "total")]
        names = {str(n) for n in rows.metric_zh if str(n).strip()}
        shown = [f"text: {n}" for n in sorted(names)]
        for f in extra:
            if (f.metric, f.region) == (metric, region):
                names.add(f.name)
                shown.append(f"{f.figure} (line {f.line}): {f.name}")
        norm = {_norm(n) for n in names}
        m = METRICS.get(metric)
        known = {_norm(a) for a in ((m.zh, *m.aliases) if m else ())}
        unknown = sorted(n for n in norm if n not in known)
        v = "PASS" if len(norm) <= 1 else "WARN"
        d = ("one name" if len(norm) <= 1 else
             f"{len(norm)} names for one series ({', '.join(sorted(norm))}); the registry keeps one id "
             f"({metric}) with aliases" + (f"; not yet registered: {', '.join(unknown)}" if unknown else ""))
        out.append(_finding("", "metric_names", v, f"Names of {metric} ({region})", series=f"{metric}:{region}:total",
                            figures="; ".join(shown), detail=d, facts=";".join(rows.obs_id)))
    return out


def rule_figure_order(ctx) -> list:
    out = []
    rk = ctx.rankings
    for c in ctx.cfg.text_checks.orders:
        if rk is None or c.ranking not in set(rk["ranking"]):
            out.append(_finding("", "figure_order", "INFO", f"{c.id}: ranking {c.ranking} not available",
                                detail="no rankings input", facts=c.id))
            continue
        rows = rk[rk["ranking"] == c.ranking]
        first = rows[rows["rank"].astype(str).str.strip() == "1"]["name_zh"].astype(str).tolist()
        named = rows["name_zh"].astype(str).tolist()
        lead = c.labels[:c.top]
        ok_first = not first or lead[0] == first[0]
        text_set, fig_set = set(named[:c.top]), set(lead)
        ok = ok_first and text_set == fig_set
        d = (f"text top {c.top}: {'、'.join(named[:c.top])}; figure's first {c.top} labels: {'、'.join(lead)}"
             + ("" if ok else f"; only in the figure: {'、'.join(sorted(fig_set - text_set)) or '-'}; only in the text: "
                f"{'、'.join(sorted(text_set - fig_set)) or '-'} (labels may not be in value order)"))
        out.append(_finding("", "figure_order", "PASS" if ok else "WARN",
                            f"{c.figure} label order vs the text's ranking {c.ranking}", figures=d, detail=d,
                            facts=c.id))
    return out


def rule_event_date(ctx) -> list:
    out = []
    by_id = {r.obs_id: r for r in ctx.obs.itertuples()}
    for c in ctx.cfg.text_checks.dates:
        y, m = (int(x) for x in c.anchor.split("-"))
        start = y * 12 + m - 1
        lag = by_id.get(c.lag_fact) if c.lag_fact else None
        if lag is not None:
            q = str(lag.qualifier or "")
            months = float(lag.value) - (1e-9 if q == "<" else 0)
            end = start + int(math.floor(months)) + (1 if months % 1 else 0)
        else:
            end = start
        years = sorted({k // 12 for k in range(start, end + 1)})
        ext_year = int(c.external[:4]) if c.external else None
        if c.listed_year not in years:
            v, d = "FAIL", f"the text's own dates put {c.event} in {'/'.join(map(str, years))}, not {c.listed_year}"
        elif len(years) > 1 or (ext_year is not None and ext_year != c.listed_year):
            v = "WARN"
            d = (f"the text dates it {c.anchor} + {lag.printed if lag is not None else 0} {'month(s)' if lag is not None else ''}"
                 f" (qualifier '{lag.qualifier if lag is not None else ''}'), which spans {'/'.join(map(str, years))}")
            if ext_year is not None:
                d += f"; external date {c.external} ({c.external_source}) puts it in {ext_year}"
            d += "; date fields need month precision"
        else:
            v, d = "PASS", f"{c.event} falls in {c.listed_year}"
        out.append(_finding("", "event_date", v, f"{c.event} listed under {c.listed_year}",
                            figures=f"line {c.line}: '{c.quote}'; anchor {c.anchor}: '{c.anchor_quote}'", detail=d,
                            facts=";".join(x for x in (c.id, c.lag_fact or "") if x)))
    return out


def rule_product_name(ctx) -> list:
    out = []
    for c in ctx.cfg.text_checks.names:
        if c.printed not in c.quote:
            v, d = "INFO", f"'{c.printed}' is not in the quoted text"
        elif c.printed == c.expected:
            v, d = "PASS", "printed as the product is named"
        else:
            v, d = "WARN", f"printed '{c.printed}', the product is '{c.expected}' ({c.source}); an editorial error"
        out.append(_finding("", "product_name", v, f"Product name '{c.printed}'", figures=f"line {c.line}: '{c.quote}'",
                            detail=d, facts=c.id))
    return out


def rule_rank_moves(ctx) -> list:
    out = []
    rk = ctx.rankings
    for rm in ctx.cfg.rank_moves:
        if rk is None or rm.ranking not in set(rk["ranking"].astype(str)):
            out.append(_finding("", "rank_moves", "INFO", f"{rm.ranking}: ranking not available",
                                detail="no rankings input with this ranking", facts=rm.ranking))
            continue
        rows = rk[rk["ranking"].astype(str) == rm.ranking].to_dict("records")
        res = check_ranking(rm.ranking, rows, rm.improved_complete, rm.improved, rm.size)
        claims = "; ".join(f"{c.entry}: {c.text}" for c in res.claims)
        if not res.feasible:
            drop = "; ".join(f"{c.entry}: {c.text}" for c in res.dropped)
            out.append(_finding("", "rank_moves", "FAIL", f"Rank moves of {rm.ranking} contradict each other",
                                recomputed=0.0, unit="feasible assignments",
                                formula="0/1 programme (scipy.optimize.milp): one previous rank per entry, each "
                                        "previous rank once, every claim holds",
                                figures=claims, detail=f"no previous ranks satisfy every claim; the fewest claims to "
                                f"drop for the rest to hold: {drop}", facts=rm.ranking))
            continue
        fixed = {e: res.label(v[0]) for e, v in res.options.items() if len(v) == 1}
        open_ = {e: [res.label(k) for k in v] for e, v in res.options.items() if len(v) > 1}
        d = ("fixed: " + ", ".join(f"{e}={k}" for e, k in fixed.items())
             + ("; open: " + ", ".join(f"{e}∈{{{','.join(v)}}}" for e, v in open_.items()) if open_ else "")
             + ("; improved list taken as complete" if rm.improved_complete else ""))
        if res.mismatches:
            d += "; the input's derived previous ranks disagree: " + "; ".join(res.mismatches)
        out.append(_finding("", "rank_moves", "FAIL" if res.mismatches else "PASS",
                            f"Previous ranks of {rm.ranking} are feasible with the stated moves",
                            recomputed=float(len(fixed)), unit="entries fixed",
                            formula="0/1 programme (scipy.optimize.milp); feasible ranks per entry by fixing each in turn",
                            figures=claims, detail=d, facts=rm.ranking))
    return out


TEXT_RULES = [rule_claim_ranges, rule_product_limit, rule_list_consistency, rule_metric_names, rule_figure_order,
              rule_event_date, rule_product_name, rule_rank_moves]

#: rule → prefix of its check ids
PREFIX = {"claim_ranges": "TR", "product_limit": "TP", "list_consistency": "TL", "metric_names": "TN",
          "figure_order": "TO", "event_date": "TD", "product_name": "TX", "rank_moves": "RM"}


def resolve_params(edition, paths: list[str]) -> dict[str, tuple[float, float, float]]:
    """(value, low, high) of each dotted parameter path in ``edition`` (e.g. ``energy.pue.liquid``)."""
    out = {}
    for p in paths:
        obj = edition
        for part in p.split("."):
            obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
            if obj is None:
                break
        if obj is None:
            continue
        v, lo, hi = (obj.get(k) if isinstance(obj, dict) else getattr(obj, k, None) for k in ("value", "low", "high"))
        if v is not None:
            out[p] = (float(v), float(lo if lo is not None else v), float(hi if hi is not None else v))
    return out


def read_rankings(path) -> pd.DataFrame:
    from ..io.readers import read_raw_table

    return read_raw_table(path).frame.astype(str).replace({"nan": "", "None": ""})
