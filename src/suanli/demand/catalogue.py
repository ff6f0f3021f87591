"""The sourced catalogue of training runs and the demand anchors (token volumes, production figures).

Both inputs are long tables, one row per value, so every value keeps its own source, date, quote,
kind of source, confidence and status (``stated``, ``derived`` for our sum of stated parts, or
``disputed`` for figures whose basis is contested, such as DeepSeek-V3's US$5.576M or an MFU
whose peak is not named). :func:`read_runs` checks every row and names file, row and column of
each problem; :func:`runs_table` turns the values into one row per run with the derived
quantities (6·N·D, accelerator-hours at the stated MFU, implied MFU, days, energy).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..io.readers import Column, Schema, apply_schema, read_raw_table
from ..limits import limit, over_limit_hint
from ..units import UNIT_MAGNITUDES, UnitError, normalise_text, parse_count
from . import engine
from .energy import run_energy

NUMERIC_FIELDS = {
    "year", "params_total", "params_active", "tokens", "accelerator_count", "accelerator_hours",
    "accelerator_hours_pretraining", "accelerator_hours_per_trillion_tokens", "reported_flop", "epoch_flop",
    "mfu_low", "mfu_high", "cost_usd", "train_days", "kv_cache_reduction", "forward_flop_per_token",
}
TEXT_FIELDS = {"name", "organisation", "country", "architecture", "accelerator", "mfu_basis", "precision", "base_run"}
STATUSES = ("stated", "derived", "disputed")
SOURCE_KINDS = ("official_statistics", "government", "company", "press", "aggregator")
CONFIDENCES = ("high", "medium", "low")
PRECISIONS = ("fp16", "bf16", "fp8")

_COMMON = [
    Column("status", aliases=("状态",), allow_missing=False),
    Column("source", aliases=("来源",), allow_missing=False, help="every value needs its source"),
    Column("source_kind", aliases=("来源类型",), allow_missing=False),
    Column("date", aliases=("日期",), required=False),
    Column("quote", aliases=("原文",), required=False),
    Column("confidence", aliases=("可信度",), allow_missing=False),
    Column("note", aliases=("备注",), required=False),
]
RUNS_SCHEMA = Schema("training-run catalogue", [
    Column("run", aliases=("模型",), allow_missing=False),
    Column("field", aliases=("字段",), allow_missing=False),
    Column("value", aliases=("值",), required=True),
    Column("unit", aliases=("单位",), required=False),
    *_COMMON,
], key=("run", "field"), min_rows=1)
ANCHORS_SCHEMA = Schema("demand anchors", [
    Column("id", allow_missing=False),
    Column("subject", allow_missing=False),
    Column("quantity", allow_missing=False),
    Column("value", required=True),
    Column("unit", required=False),
    Column("qualifier", required=False),
    *_COMMON,
], key=("id",), min_rows=1)


#: the units a value may be given in, by field (runs) or quantity (anchors); a magnitude word may
#: precede them ("billion parameters", "万亿 tokens") and multiplies the value. Any other unit is an
#: error: a value is never read in a unit it was not written in.
_PARAMS = ("parameters", "params", "参数", "个参数")
_TOKENS = ("tokens", "token", "词元")
_SHARE = ("share", "fraction", "")
FIELD_UNITS: dict[str, tuple[str, ...]] = {
    "year": ("year", "年"), "params_total": _PARAMS, "params_active": _PARAMS, "tokens": _TOKENS,
    "accelerator_count": ("accelerators", "cards", "张", "卡"),
    "accelerator_hours": ("accelerator-hours", "gpu-hours", "gpu hours", "卡时"),
    "accelerator_hours_pretraining": ("accelerator-hours", "gpu-hours", "gpu hours", "卡时"),
    "accelerator_hours_per_trillion_tokens": ("accelerator-hours per 1e12 tokens",),
    "reported_flop": ("flop", "flops"), "epoch_flop": ("flop", "flops"),
    "forward_flop_per_token": ("flop per token",), "mfu_low": _SHARE, "mfu_high": _SHARE,
    "kv_cache_reduction": _SHARE, "cost_usd": ("usd", "美元", "$"), "train_days": ("days", "天"),
    "tokens_per_day": ("tokens per day",), "input_tokens_per_day": ("tokens per day",),
    "output_tokens_per_day": ("tokens per day",), "active_params": _PARAMS,
    "cached_input_share": _SHARE, "inference_share": _SHARE,
}
#: plausibility limit (suanli.limits) of a field or anchor quantity
FIELD_LIMITS = {
    "params_total": "demand.params", "params_active": "demand.params", "active_params": "demand.params",
    "tokens": "demand.tokens", "tokens_per_day": "demand.tokens", "input_tokens_per_day": "demand.tokens",
    "output_tokens_per_day": "demand.tokens", "accelerator_count": "demand.accelerator_count",
    "accelerator_hours": "demand.accelerator_hours", "accelerator_hours_pretraining": "demand.accelerator_hours",
    "cost_usd": "demand.cost_usd",
}
_SHARES = {"mfu_low", "mfu_high", "kv_cache_reduction", "cached_input_share", "inference_share"}


def unit_factor(field: str, unit: object, value: object) -> float:
    """The factor a value of ``field`` written with ``unit`` is multiplied by (1 without a magnitude
    word); raises :class:`UnitError` for a unit that is not one of the field's. Fields outside
    :data:`FIELD_UNITS` keep their unit as a label (counts of dims, heads, layers, nodes)."""
    u = normalise_text(unit).strip().lower()
    if field not in FIELD_UNITS or u == "":
        return 1.0
    accepted = FIELD_UNITS[field]
    if u in accepted:
        return 1.0
    for word, mult in sorted(UNIT_MAGNITUDES.items(), key=lambda kv: -len(kv[0])):
        if u.startswith(word) and u[len(word):].strip() in accepted and u[len(word):].strip():
            if any(ch.isalpha() or "\u4e00" <= ch <= "\u9fff" for ch in normalise_text(value).lower().replace("e", "")):
                raise UnitError(f"the value '{value}' carries its own magnitude and the unit '{unit}' another one")
            return mult
    shown = ", ".join(a for a in accepted if a) or "a share (0-1)"
    raise UnitError(f"'{unit}' is not a unit of {field} (accepted: {shown}, optionally after a magnitude such as "
                    "万/亿/万亿/million/billion)")


def _check_value(field: str, x: float, v: object, path: str, line: int, problems: list[Problem]) -> None:
    """Shares within 0-1 and values under their plausibility limit."""
    if field in _SHARES and x > 1:
        problems.append(Problem(f"{field} {v} is above 1", path, line, "value",
                                "a share or utilisation is at most 1 (100%)"))
    key = FIELD_LIMITS.get(field)
    lim = limit(key) if key else None
    if lim is not None and x > lim:
        problems.append(Problem(f"{field} {v} ({x:.3g}) is above the plausible maximum {lim:.3g}", path, line,
                                "value", over_limit_hint(key, x)))


def _check_common(df: pd.DataFrame, path: str, problems: list[Problem]) -> None:
    for col, allowed in (("status", STATUSES), ("source_kind", SOURCE_KINDS), ("confidence", CONFIDENCES)):
        for v, line in zip(df[col], df["_line"], strict=True):
            if v not in allowed:
                problems.append(Problem(f"'{v}' is not one of {', '.join(allowed)}", path, int(line), col))


def read_runs(path: str | Path) -> pd.DataFrame:
    """The run catalogue, checked: known fields, numbers readable, statuses and kinds from the vocabulary."""
    raw = read_raw_table(path)
    df = apply_schema(raw, RUNS_SCHEMA)
    problems: list[Problem] = []
    _check_common(df, raw.path, problems)
    nums = np.full(len(df), np.nan)
    units = df["unit"] if "unit" in df.columns else [""] * len(df)
    for i, (f, v, u, line) in enumerate(zip(df["field"], df["value"], units, df["_line"], strict=True)):
        if f in NUMERIC_FIELDS:
            try:
                x = parse_count(v)
            except UnitError as exc:
                problems.append(Problem(str(exc), raw.path, int(line), "value"))
                continue
            if x is not None:
                try:
                    x *= unit_factor(f, u, v)
                except UnitError as exc:
                    problems.append(Problem(str(exc), raw.path, int(line), "unit"))
                    continue
                if x < 0:
                    problems.append(Problem(f"{f} {v} is negative", raw.path, int(line), "value"))
                _check_value(f, x, v, raw.path, int(line), problems)
                nums[i] = x
        elif f not in TEXT_FIELDS:
            problems.append(Problem(f"unknown field '{f}'", raw.path, int(line), "field",
                                    f"known fields: {', '.join(sorted(NUMERIC_FIELDS | TEXT_FIELDS))}"))
        elif f == "precision" and v and v not in PRECISIONS:
            problems.append(Problem(f"precision '{v}' is not one of {', '.join(PRECISIONS)}", raw.path, int(line),
                                    "value"))
    if problems:
        raise InputError(problems=problems)
    df["number"] = nums
    return df


def read_anchors(path: str | Path) -> pd.DataFrame:
    """The anchors table, checked; ``number`` holds the parsed value (NaN for text values)."""
    raw = read_raw_table(path)
    df = apply_schema(raw, ANCHORS_SCHEMA)
    problems: list[Problem] = []
    _check_common(df, raw.path, problems)
    nums = np.full(len(df), np.nan)
    units = df["unit"] if "unit" in df.columns else [""] * len(df)
    for i, (q, v, u, line) in enumerate(zip(df["quantity"], df["value"], units, df["_line"], strict=True)):
        if q in ("accelerator",):
            continue
        try:
            x = parse_count(v)
            if x is not None:
                x *= unit_factor(q, u, v)
        except UnitError as exc:
            problems.append(Problem(str(exc), raw.path, int(line), "unit" if "unit" in str(exc) else "value"))
            continue
        if x is not None:
            _check_value(q, x, v, raw.path, int(line), problems)
        nums[i] = np.nan if x is None else x
    dates = pd.to_datetime(df["date"], errors="coerce", format="%Y-%m-%d")
    for d, raw_d, line in zip(dates, df["date"], df["_line"], strict=True):
        if raw_d and pd.isna(d):
            problems.append(Problem(f"'{raw_d}' is not a date (write YYYY-MM-DD)", raw.path, int(line), "date"))
    if problems:
        raise InputError(problems=problems)
    df["number"] = nums
    return df


@dataclass
class Run:
    """One run's values (numbers and text) with where each came from."""

    run: str
    values: dict[str, object]
    status: dict[str, str]

    def num(self, field: str) -> float:
        v = self.values.get(field)
        return float(v) if isinstance(v, (int, float)) and not (isinstance(v, float) and np.isnan(v)) else np.nan

    def text(self, field: str) -> str:
        v = self.values.get(field)
        return v if isinstance(v, str) else ""


def runs_from_values(df: pd.DataFrame) -> list[Run]:
    out: dict[str, Run] = {}
    for r in df.itertuples(index=False):
        run = out.setdefault(r.run, Run(r.run, {}, {}))
        run.values[r.field] = float(r.number) if r.field in NUMERIC_FIELDS else r.value
        run.status[r.field] = r.status
    return [out[k] for k in sorted(out)]


def runs_table(df: pd.DataFrame, catalog, *, default_mfu: float = 0.35, edition=None) -> pd.DataFrame:
    """One row per run: the stated values and what follows from them (see the module docstring).

    ``catalog`` is the capacity :class:`~suanli.capacity.catalog.Catalog` (peaks, TDPs). A run whose
    accelerator is not in the catalog is an error naming the row; a run without hardware keeps
    empty hardware columns (a visible gap). ``default_mfu`` is used only for runs whose compute is
    known solely from accelerator-hours (the value is then ``modelled``). With ``edition`` (one
    that has an energy section) the energy columns come from the energy model.
    """
    runs = runs_from_values(df)
    lines = {(a, b): int(c) for a, b, c in zip(df["run"], df["field"], df["_line"], strict=True)}
    by_id = {r.run: r for r in runs}
    problems: list[Problem] = []
    rows = []
    for r in runs:
        params_total = r.num("params_total")
        active = r.num("params_active")
        arch = r.text("architecture")
        if np.isnan(active) and arch == "dense":
            active = params_total
        tokens = r.num("tokens")
        precision = r.text("precision") or "bf16"
        acc = r.text("accelerator")
        model = peak16 = peak_run = tdp = np.nan
        peak_basis = ""
        model = ""
        if acc:
            try:
                model = catalog.resolve(acc)
            except LookupError as exc:
                problems.append(Problem(str(exc), None, lines.get((r.run, "accelerator")), "value",
                                        "use a catalog name (suanli capacity resolve NAME) or add the part "
                                        "with its source in a catalog override"))
                continue
            peak_run, peak_basis = accelerator_peak(catalog, model, precision)
            peak16, _ = accelerator_peak(catalog, model, "bf16")
            tdp = float(catalog.accelerators.set_index("model").loc[model, "tdp_w"])
        hours = r.num("accelerator_hours")
        hours_basis = "stated" if not np.isnan(hours) else ""
        if r.status.get("accelerator_hours") == "derived":
            hours_basis = "sum of stated parts"
        per_t = r.num("accelerator_hours_per_trillion_tokens")
        if np.isnan(hours) and not np.isnan(per_t) and not np.isnan(tokens):
            hours = per_t * tokens / 1e12
            hours_basis = "stated hours per trillion tokens × tokens"
        if np.isnan(hours) and not np.isnan(r.num("train_days")) and not np.isnan(r.num("accelerator_count")):
            hours = r.num("accelerator_count") * r.num("train_days") * 24
            hours_basis = "accelerators × stated days × 24 (wall-clock, an upper bound of busy hours)"
        flop_6nd = engine.training_flop(active, tokens) if not (np.isnan(active) or np.isnan(tokens)) else np.nan
        reported = r.num("reported_flop")
        epoch = r.num("epoch_flop")
        mfu_lo, mfu_hi = r.num("mfu_low"), r.num("mfu_high")
        mfu = (mfu_lo + mfu_hi) / 2 if not np.isnan(mfu_lo) else np.nan
        base = r.text("base_run")
        if not np.isnan(flop_6nd):
            flop, flop_basis, vclass = flop_6nd, "6·N_active·D", "derived"
        elif not np.isnan(reported):
            flop, flop_basis, vclass = reported, "reported by the developer", "stated"
        elif not np.isnan(hours) and not np.isnan(peak16):
            flop = engine.flop_from_hours(hours, peak16 * 1e12, mfu if not np.isnan(mfu) else default_mfu)
            flop_basis = (f"accelerator-hours × BF16 peak × MFU {mfu if not np.isnan(mfu) else default_mfu:.2f}"
                          + (f" (increment on {base})" if base else ""))
            vclass = "derived" if not np.isnan(mfu) else "modelled"
        else:
            flop, flop_basis, vclass = np.nan, "no tokens, reported compute or hours: a gap", "stated"
        # accelerator-hours at the stated MFU, and the MFU the stated hours imply
        hours_at_mfu = (engine.accelerator_hours(flop, peak_run * 1e12, mfu)
                        if not (np.isnan(flop) or np.isnan(mfu) or np.isnan(peak_run)) else np.nan)
        implied16 = (flop_6nd / (hours * peak16 * 1e12 * 3600)
                     if not (np.isnan(flop_6nd) or np.isnan(hours) or np.isnan(peak16)) else np.nan)
        implied_run = (flop_6nd / (hours * peak_run * 1e12 * 3600)
                       if not (np.isnan(flop_6nd) or np.isnan(hours) or np.isnan(peak_run)) else np.nan)
        count = r.num("accelerator_count")
        days = hours / count / 24 if not (np.isnan(hours) or np.isnan(count)) else np.nan
        year = int(r.num("year")) if not np.isnan(r.num("year")) else None
        en = run_energy(model, hours, tdp, year, edition)
        disputed = sorted(f for f, s in r.status.items() if s == "disputed")
        src = df[df.run == r.run]
        conf = "low" if (src.confidence == "low").any() else "medium" if (src.confidence == "medium").any() else "high"
        base_flop = np.nan
        if base and base in by_id:
            b = by_id[base]
            b_act = b.num("params_active") if not np.isnan(b.num("params_active")) else b.num("params_total")
            base_flop = engine.training_flop(b_act, b.num("tokens"))
        rows.append({
            "run": r.run, "name": r.text("name") or r.run, "organisation": r.text("organisation"),
            "country": r.text("country"), "year": int(r.num("year")) if not np.isnan(r.num("year")) else None,
            "architecture": arch, "params_total": params_total, "params_active": active, "tokens": tokens,
            "accelerator": model or "", "accelerator_count": count, "precision": precision,
            "peak_tflops": peak_run, "peak_basis": peak_basis, "peak_bf16_tflops": peak16,
            "accelerator_hours": hours, "hours_basis": hours_basis,
            "flop": flop, "flop_basis": flop_basis, "flop_6nd": flop_6nd, "flop_reported": reported,
            "flop_epoch": epoch, "base_run": base, "flop_with_base": flop + base_flop if base else flop,
            "mfu_stated": mfu, "mfu_basis": r.text("mfu_basis"),
            "accelerator_hours_at_stated_mfu": hours_at_mfu,
            "hours_stated_over_at_mfu": hours / hours_at_mfu if not np.isnan(hours_at_mfu) else np.nan,
            "mfu_implied_bf16": implied16, "mfu_implied_run_precision": implied_run,
            "days": days, "accelerator_years": hours / engine.HOURS_PER_YEAR if not np.isnan(hours) else np.nan,
            "energy_it_mwh": en.it_mwh, "energy_facility_mwh": en.facility_mwh,
            "energy_facility_mwh_lo": en.facility_mwh_lo, "energy_facility_mwh_hi": en.facility_mwh_hi,
            "energy_basis": en.basis, "cost_usd": r.num("cost_usd"),
            "disputed": ", ".join(disputed), "confidence": conf,
            "sources": " | ".join(dict.fromkeys(src.source)), "value_class": vclass,
        })
    if problems:
        for p in problems:
            p.file = p.file or "demand_runs"
        raise InputError(problems=problems)
    return pd.DataFrame(rows)


def accelerator_peak(catalog, model: str, precision: str) -> tuple[float, str]:
    """Dense peak (TFLOPS) of ``model`` at ``precision`` from the catalog, and a sentence naming it.

    bf16 and fp16 fall back on each other (the same tensor throughput on every part in the catalog
    that lists both); fp8 is used only when asked for. Raises ``LookupError`` when the catalog has
    no value at that precision.
    """
    row = catalog.accelerators.set_index("model").loc[model]
    order = {"bf16": ["bf16", "fp16"], "fp16": ["fp16", "bf16"], "fp8": ["fp8"]}[precision]
    for p in order:
        v = row.get(f"{p}_dense_tflops")
        if v is not None and not pd.isna(v):
            return float(v), f"{p.upper()} dense {float(v):,.1f} TFLOPS ({model}, catalog)"
    raise LookupError(f"the catalog has no dense {precision.upper()} peak for {model}")


def anchor_value(anchors: pd.DataFrame, subject: str, quantity: str) -> float:
    sel = anchors[(anchors.subject == subject) & (anchors.quantity == quantity)]
    if sel.empty:
        raise InputError(f"no anchor with subject '{subject}' and quantity '{quantity}'",
                         file="demand_anchors", hint="add the row with its source, or change the edition's demand "
                         "section")
    return float(sel.number.iloc[0])


def anchor_text(anchors: pd.DataFrame, subject: str, quantity: str) -> str:
    sel = anchors[(anchors.subject == subject) & (anchors.quantity == quantity)]
    if sel.empty:
        raise InputError(f"no anchor with subject '{subject}' and quantity '{quantity}'", file="demand_anchors")
    return str(sel.value.iloc[0])
