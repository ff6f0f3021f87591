"""Value classes: what every number in a build is.

* ``stated``: printed in a source (the source and its location are kept with the value);
* ``derived``: arithmetic on stated values only (interpolation, back-cast, CAGR, sum, share);
* ``modelled``: a forecast or model estimate, carried with its interval;
* ``synthetic``: generated data, or anything computed from generated data.

The classes are ordered by how far a value is from a source. A value computed from several
inputs takes the *furthest* class of its inputs, and computing anything from stated values makes
it at least derived: synthetic if any input is synthetic, else modelled if any input is modelled,
else derived (:func:`propagate`). :meth:`suanli.store.Store.write_table` enforces the words on
every table and the table-level form of the rule (a table computed from an input whose every
value is synthetic holds only synthetic rows; likewise for modelled).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

VALUE_CLASSES: tuple[str, ...] = ("stated", "derived", "modelled", "synthetic")
RANK = {c: i for i, c in enumerate(VALUE_CLASSES)}

LABELS = {
    "zh": {"stated": "公布值", "derived": "推算", "modelled": "模型估计", "synthetic": "合成数据"},
    "en": {"stated": "stated", "derived": "derived", "modelled": "modelled", "synthetic": "synthetic"},
}
MEANING = {
    "zh": {"stated": "来源中印刷的数值（保留来源与位置）",
           "derived": "仅由公布值经算术得到（插值、回推、复合增长率、求和、占比）",
           "modelled": "预测或模型估计，附区间",
           "synthetic": "生成的数据，或由其计算得到的任何数值"},
    "en": {"stated": "printed in a source (source and location kept)",
           "derived": "arithmetic on stated values only (interpolation, back-cast, CAGR, sum, share)",
           "modelled": "a forecast or model estimate, with its interval",
           "synthetic": "generated data, or anything computed from it"},
}


def check(value: Any) -> str:
    """``value`` if it is one of the four words, else ``ValueError``."""
    if value not in RANK:
        raise ValueError(f"value class {value!r} is not one of {', '.join(VALUE_CLASSES)}")
    return str(value)


def furthest(classes: Iterable[str]) -> str:
    """The class furthest from a source among ``classes`` (``stated`` for none)."""
    out = "stated"
    for c in classes:
        if RANK[check(c)] > RANK[out]:
            out = c
    return out


def propagate(*classes: str) -> str:
    """Class of a value computed from inputs of ``classes``: synthetic if any input is synthetic,
    else modelled if any is modelled, else derived (a computation on stated values is derived)."""
    return furthest(("derived", *classes))


def floor(classes: Iterable[str]) -> str:
    """The class nearest to a source among ``classes`` (what a whole table is at least)."""
    cs = [check(c) for c in classes]
    return min(cs, key=RANK.__getitem__) if cs else "stated"


def from_status(status: Any, *, computed: bool) -> str:
    """Class of a row from an older status word (``data_status`` / ``synthetic`` columns):
    ``synthetic`` and ``mixed`` (real and synthetic parts) are synthetic; ``real``/``observed``,
    ``target`` (a published target) and ``missing`` (no value, the row's class is its table's) are
    stated as read, derived once computed on; anything else is refused."""
    s = str(status).strip().lower()
    if s in ("synthetic", "mixed", "true"):
        return "synthetic"
    if s in ("real", "observed", "target", "missing", "false", "", "nan", "none", "<na>"):
        return "derived" if computed else "stated"
    if s in RANK:
        return s
    raise ValueError(f"status {status!r} has no value class")


def replace_status_columns(df: Any, *, computed: bool = True, synthetic: bool = False) -> Any:
    """``df`` with its ``data_status`` / ``synthetic`` columns folded into one ``value_class``.

    A row is synthetic if ``synthetic`` (the whole table comes from synthetic input), its
    ``synthetic`` flag or its ``data_status`` says so; otherwise derived when ``computed`` (a result
    of arithmetic on stated inputs), else stated."""
    import numpy as np

    out = df.copy()
    syn = np.full(len(out), bool(synthetic))
    if "synthetic" in out.columns:
        syn |= out["synthetic"].astype(str).str.lower().isin(("true", "1", "synthetic")).to_numpy()
    cls = np.full(len(out), "derived" if computed else "stated", dtype=object)
    if "data_status" in out.columns:
        cls = np.array([from_status(v, computed=computed) for v in out["data_status"]], dtype=object)
    cls[syn] = "synthetic"
    out = out.drop(columns=[c for c in ("synthetic", "data_status") if c in out.columns])
    out["value_class"] = cls
    return out
