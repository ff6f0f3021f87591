"""Short text and HTML summaries of index objects for notebooks and consoles.

A ``Result`` holds every intermediate matrix of a build, so the dataclass default ``repr`` runs to
tens of thousands of characters; these summaries say what an object is (framework, units, years,
method, the top of the ranking) in a few lines, and ``_repr_html_`` shows the same as a small table.
"""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np

# The objects are typed ``Any`` on purpose: the classes call these functions from their ``__repr__``,
# so importing the classes here (even for type checking) would make an import circle.
Framework = Dataset = Panel = Result = Assessment = Any

TOP = 5


def _clip(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def framework_text(fw: Framework) -> str:
    name = fw.name_zh or fw.name_en
    levels = ", ".join(fw.level_name(L) for L in range(1, fw.max_level + 1))
    return (f"<Framework {fw.id!r}{' (' + _clip(name, 40) + ')' if name else ''}: {fw.n_ind} indicators, "
            f"{fw.n_nodes - fw.n_ind} aggregates, {fw.max_level} levels ({_clip(levels, 80)})>")


def dataset_text(ds: Dataset) -> str:
    miss = float(np.isnan(ds.X).mean()) if ds.X.size else 0.0
    year = f" year={ds.year}" if ds.year is not None else ""
    return (f"<Dataset framework={ds.framework.id!r}{year}: {ds.n_units} units × {ds.framework.n_ind} indicators, "
            f"{miss:.1%} missing>")


def panel_text(p: Panel) -> str:
    years = [y for y in p.year_list() if y is not None]
    units = max((d.n_units for d in p.years.values()), default=0)
    yrs = ", ".join(map(str, years)) if years else "one cross-section"
    return f"<Panel framework={p.framework.id!r}: years {yrs}; up to {units} units>"


def _method(spec: Any) -> str:
    parts = []
    for step in spec.to_list():
        name = step.get("step", "?")
        method = step.get("method")
        parts.append(f"{name}={method}" if method else str(name))
    return _clip(" → ".join(parts), 200)


def _top(r: Result, n: int = TOP) -> list[tuple[int, str, str, float]]:
    s = r.score()
    rk = r.rank()
    names = dict(zip(r.unit_ids, r.unit_names, strict=False))
    return [(int(rk[u]), str(u), str(names.get(u, u)), float(s[u])) for u in r.order()[:n] if np.isfinite(s[u])]


def result_text(r: Result) -> str:
    fw = r.framework
    year = f" {r.year}" if r.year is not None else ""
    top = "; ".join(f"{k}. {_clip(name, 20)} ({v:.4g})" for k, _, name, v in _top(r))
    return (f"<Result {fw.id!r}{year}: {len(r.unit_ids)} units, {fw.n_ind} indicators; method {_method(r.spec)}\n"
            f" top {TOP}: {top}>")


def result_html(r: Result, n: int = 10) -> str:
    rows = "".join(f"<tr><td>{k}</td><td>{escape(u)}</td><td>{escape(name)}</td><td>{v:.4g}</td></tr>"
                   for k, u, name, v in _top(r, n))
    return (f"<div><b>{escape(r.framework.id)}</b>{' ' + str(r.year) if r.year is not None else ''}: "
            f"{len(r.unit_ids)} units, {r.framework.n_ind} indicators<br><small>{escape(_method(r.spec))}</small>"
            f"<table><thead><tr><th>rank</th><th>unit_id</th><th>name</th><th>score</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>")


def assessment_text(a: Assessment) -> str:
    years = [y for y in a.results if y is not None]
    last = a.latest() if a.results else None
    top = "; ".join(f"{k}. {_clip(name, 20)}" for k, _, name, _ in _top(last)) if last is not None else "not built"
    return (f"<Assessment {a.framework.id!r}: years {', '.join(map(str, years)) or '-'}; "
            f"latest top {TOP}: {top}>")


def html_box(text: str) -> str:
    return f"<pre>{escape(text)}</pre>"


__all__ = ["assessment_text", "dataset_text", "framework_text", "html_box", "panel_text", "result_html",
           "result_text"]
