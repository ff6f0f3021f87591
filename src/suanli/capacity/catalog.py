"""Hardware catalog: accelerators and server CPUs with dense peaks, and name resolution.

The bundled tables (``data/catalog/``) are copies of the sourced spec tables in the project's
shared data, unchanged, plus three small files of our own, each with its sources:
``vendors.csv`` (vendor → country, domestic/imported for China), ``accelerator_sparsity.csv``
(the 2:4 structured-sparsity factor vendors use for their "with sparsity" figures) and
``aliases.csv`` (tracker and Chinese names).

All peaks are **dense**. A user override marked sparse (a trailing ``*`` or ``basis=sparse``) is
converted to dense by dividing by the entry's sparsity factor and flagged; sparse and dense are
never mixed. FP8/INT8 never enter "FP16-equivalent" unless the edition's rule lists them.

Name resolution (:meth:`Catalog.resolve`): exact name, explicit alias, then a token key that
ignores vendor words, punctuation, order and form-factor generations, so "A100-SXM4-80GB",
"NVIDIA A100 80GB SXM" and "A100 SXM4 80GB" are one entry. A unique completion is accepted
("H800" → "H800 SXM5"); an ambiguous or unknown name is an error listing the closest names.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..io.readers import Column, Schema, read_raw_table
from ..units import UnitError, normalise_text, parse_flops, parse_number

ACCEL_NUMERIC = [
    "release_year", "fp16_dense_tflops", "bf16_dense_tflops", "fp8_dense_tflops", "int8_dense_tops",
    "fp32_tflops", "fp64_tflops", "memory_gb", "memory_bw_gbs", "tdp_w",
]
CPU_NUMERIC = ["release_year", "cores", "base_ghz", "fp64_flops_per_cycle_per_core", "fp64_peak_gflops", "tdp_w"]
#: A per-accelerator peak above this (100 PFLOPS) is a unit mistake, not a product.
MAX_CARD_TFLOPS = 100_000.0
FLOPS_COLUMNS = {"fp16_dense_tflops", "bf16_dense_tflops", "fp8_dense_tflops", "fp32_tflops", "fp64_tflops"}

#: Words that carry no identity in a model name.
VENDOR_WORDS = {
    "nvidia", "tesla", "amd", "instinct", "intel", "huawei", "hisilicon", "cambricon", "hygon",
    "kunlunxin", "baidu", "enflame", "biren", "metax", "moore", "threads", "iluvatar", "corex",
    "google", "amazon", "aws", "ampere", "fujitsu", "gpu", "card", "accelerator", "module", "the",
    "ascend", "mthreads", "data", "center",
}

#: Equivalence-rule vocabulary: rule item → (catalog column, multiplier). A rule is an ordered list;
#: the first item with a catalog value wins. "fp8/2" = FP8 dense ÷ 2 as an FP16-equivalent; "fp16*2"
#: = FP16 dense × 2 as an FP8-equivalent. INT8 TOPS enter only through an item that names them.
EQUIVALENCE_SOURCES: dict[str, tuple[str, float]] = {
    "fp16": ("fp16_dense_tflops", 1.0),
    "bf16": ("bf16_dense_tflops", 1.0),
    "fp8": ("fp8_dense_tflops", 1.0),
    "int8": ("int8_dense_tops", 1.0),
    "fp8/2": ("fp8_dense_tflops", 0.5),
    "int8/2": ("int8_dense_tops", 0.5),
    "fp16*2": ("fp16_dense_tflops", 2.0),
    "bf16*2": ("bf16_dense_tflops", 2.0),
}
FP16_SOURCES = {k: v for k, v in EQUIVALENCE_SOURCES.items() if k in ("fp16", "bf16", "fp8/2", "int8/2")}


def _tokens(name: str) -> list[str]:
    s = normalise_text(name).lower()
    s = s.replace("+", " plus ")
    raw = re.findall(r"[a-z0-9]+(?:\.[0-9]+)?|[\u4e00-\u9fff]+", s)
    out = []
    for t in raw:
        if t in VENDOR_WORDS:
            continue
        t = re.sub(r"^sxm\d*$", "sxm", t)
        t = re.sub(r"^(\d+)g$", r"\1gb", t)
        t = re.sub(r"^pci[e]?$", "pcie", t)
        if t == "plus":
            continue
        out.append(t)
    return out


def token_key(name: str) -> str:
    return " ".join(sorted(set(_tokens(name))))


def _primary(name: str) -> str:
    return name.split("(", 1)[0].strip()


def _paren_codes(name: str) -> list[str]:
    inside = re.findall(r"\(([^)]*)\)", name)
    return [c.strip() for c in inside if re.search(r"\d", c) and " " not in c.strip() and "," not in c]


@dataclass
class Catalog:
    """Accelerator and CPU tables plus their name indexes."""

    accelerators: pd.DataFrame
    cpus: pd.DataFrame
    aliases: dict[str, str] = field(default_factory=dict)  # normalised alias -> model

    def __post_init__(self) -> None:
        self._index = {
            "accelerator": self._build_index(self.accelerators),
            "cpu": self._build_index(self.cpus),
        }

    # ---------------------------------------------------------------- loading
    @classmethod
    def bundled(cls) -> Catalog:
        base = Path(str(resources.files("suanli") / "data" / "catalog"))
        acc = _read_catalog_csv(base / "accelerators.csv", ACCEL_NUMERIC)
        cpu = _read_catalog_csv(base / "server_cpus.csv", CPU_NUMERIC)
        vendors = pd.read_csv(base / "vendors.csv", dtype=str, keep_default_na=False)
        sp = pd.read_csv(base / "accelerator_sparsity.csv", dtype=str, keep_default_na=False)
        acc = _attach_vendor(acc, vendors)
        cpu = _attach_vendor(cpu, vendors)
        acc["sparsity_factor"] = acc["model"].map(dict(zip(sp["model"], sp["sparsity_factor"].astype(float), strict=True))).fillna(1.0)
        acc["origin_note"] = "bundled"
        cpu["origin_note"] = "bundled"
        acc = _complete_cpu_or_acc(acc)
        cpu = _complete_cpu(cpu)
        al = pd.read_csv(base / "aliases.csv", dtype=str, keep_default_na=False)
        cat = cls(acc, cpu)
        for a, m in zip(al["alias"], al["model"], strict=True):
            cat.add_alias(a, m)
        return cat

    def add_alias(self, alias: str, model: str) -> None:
        kind = "accelerator" if model in set(self.accelerators["model"]) else "cpu"
        if model not in set(self.accelerators["model"]) | set(self.cpus["model"]):
            raise InputError(f"alias '{alias}' points to '{model}', which is not in the catalog")
        self._index[kind]["alias"][normalise_text(alias).lower()] = model

    @staticmethod
    def _build_index(df: pd.DataFrame) -> dict[str, dict]:
        exact: dict[str, str] = {}
        keys: dict[str, set[str]] = {}
        tok: dict[str, set[str]] = {}
        for m in df["model"]:
            exact[normalise_text(m).lower()] = m
            tok[m] = set(_tokens(m))
            for variant in (m, _primary(m), *_paren_codes(m)):
                k = token_key(variant)
                if k:
                    keys.setdefault(k, set()).add(m)
        return {"exact": exact, "keys": keys, "tokens": tok, "alias": {}}

    # ---------------------------------------------------------------- resolution
    def resolve(self, name: str, kind: str = "accelerator") -> str:
        """Catalog model name for ``name``; raises ``LookupError`` with the closest names."""
        idx = self._index[kind]
        n = normalise_text(name)
        low = n.lower()
        if low in idx["exact"]:
            return idx["exact"][low]
        if low in idx["alias"]:
            return idx["alias"][low]
        k = token_key(n)
        hits = idx["keys"].get(k, set())
        if len(hits) == 1:
            return next(iter(hits))
        if len(hits) > 1:
            raise LookupError(f"'{name}' is ambiguous: it matches {', '.join(sorted(hits))}; give the full name")
        q = set(_tokens(n))
        if q:
            sup = sorted(m for m, t in idx["tokens"].items() if q <= t)
            if len(sup) == 1:
                return sup[0]
            if len(sup) > 1:
                raise LookupError(
                    f"'{name}' is ambiguous: it matches {', '.join(sup)}; give the full name "
                    "(all fields of the catalog, such as memory and form factor, are per entry)"
                )
        raise LookupError(f"'{name}' is not in the catalog{self._suggest(name, kind)}")

    def _suggest(self, name: str, kind: str) -> str:
        idx = self._index[kind]
        names = list(idx["exact"].values()) + list(idx["alias"].keys())
        lowered = {normalise_text(x).lower(): x for x in names}
        close = difflib.get_close_matches(normalise_text(name).lower(), list(lowered), n=5, cutoff=0.4)
        q = set(_tokens(name))
        partial = [m for m, t in idx["tokens"].items() if q & t]
        cands = list(dict.fromkeys([lowered[c] for c in close] + partial))[:6]
        if not cands:
            return f"; known {kind} models include {', '.join(sorted(idx['exact'].values())[:6])}, …"
        return f"; closest known names: {', '.join(cands)}"

    def resolve_many(
        self, names: Sequence[str], kind: str, *, file: str | None = None, lines: Sequence[int] | None = None,
        column: str | None = None,
    ) -> np.ndarray:
        """Resolve a column of names (each distinct name once) into catalog model names."""
        uniq = pd.unique(pd.Series(list(names), dtype=object))
        mapping: dict[str, str] = {}
        problems: list[Problem] = []
        first_line: dict[str, int] = {}
        if lines is not None:
            for nm, ln in zip(names, lines, strict=True):
                first_line.setdefault(nm, int(ln))
        for nm in uniq:
            if nm == "" or nm is None:
                continue
            try:
                mapping[nm] = self.resolve(nm, kind)
            except LookupError as exc:
                problems.append(
                    Problem(str(exc), file, first_line.get(nm), column,
                            "fix the name, or add the model with its source in a catalog override file")
                )
        if problems:
            raise InputError(problems=problems)
        return pd.Series(list(names), dtype=object).map(lambda x: mapping.get(x, "")).to_numpy(dtype=object)

    # ---------------------------------------------------------------- peaks
    def equivalent_peaks(self, rule: Iterable[str]) -> pd.DataFrame:
        """Per accelerator: dense TFLOPS under an equivalence ``rule`` and the rule item used."""
        vals = np.full(len(self.accelerators), np.nan)
        basis = np.array([""] * len(self.accelerators), dtype=object)
        for step in rule:
            col, mult = EQUIVALENCE_SOURCES[step]
            v = self.accelerators[col].to_numpy(dtype=float) * mult
            take = np.isnan(vals) & ~np.isnan(v)
            vals[take] = v[take]
            basis[take] = step
        return pd.DataFrame({"model": self.accelerators["model"].to_numpy(), "equiv_tflops": vals,
                             "equiv_basis": basis})

    def fp16_equivalent(self, rule: Iterable[str]) -> pd.DataFrame:
        """Per accelerator: FP16-equivalent dense TFLOPS and the basis used under ``rule``."""
        return self.equivalent_peaks(rule).rename(
            columns={"equiv_tflops": "fp16_equiv_tflops", "equiv_basis": "fp16_basis"})

    def cpu_fp64_gflops(self) -> pd.Series:
        return pd.Series(self.cpus["fp64_peak_gflops"].to_numpy(dtype=float), index=self.cpus["model"].to_numpy())

    # ---------------------------------------------------------------- overrides
    def with_overrides(self, path: str | Path, kind: str) -> Catalog:
        """A new catalog with user rows added or replacing fields of existing rows."""
        raw = read_raw_table(path)
        numeric = ACCEL_NUMERIC if kind == "accelerator" else CPU_NUMERIC
        schema = Schema(
            f"{kind} catalog override",
            [Column("model", "str", aliases=("型号", "name")), Column("source", "str", aliases=("来源",))]
            + [Column(c, "str", required=False) for c in ["vendor", "basis", "notes", "form_factor"]]
            + [Column(c, "str", required=False) for c in numeric],
            extra="error",
        )
        from ..io.readers import apply_schema

        df = apply_schema(raw, schema)
        base = (self.accelerators if kind == "accelerator" else self.cpus).copy()
        problems: list[Problem] = []
        rows = []
        for pos, rec in enumerate(df.to_dict("records")):
            line = int(rec["_line"])
            if not rec["model"]:
                problems.append(Problem("model is empty", str(path), line, "model"))
                continue
            if not rec["source"]:
                problems.append(Problem("source is empty", str(path), line, "source",
                                        "every catalog value needs a citable source; guesses are not accepted"))
                continue
            try:
                model = self.resolve(rec["model"], kind)
                existing = True
            except LookupError:
                model, existing = rec["model"], False
            sparse_row = normalise_text(rec.get("basis") or "").lower() in {"sparse", "稀疏", "with sparsity"}
            new = {"model": model, "source": rec["source"], "origin_note": f"override ({path})"}
            if rec.get("vendor"):
                new["vendor"] = rec["vendor"]
            if rec.get("notes"):
                new["notes"] = rec["notes"]
            for c in numeric:
                cell = rec.get(c) or ""
                if not normalise_text(cell):
                    continue
                try:
                    if c in FLOPS_COLUMNS:
                        f = parse_flops(cell, default_unit="TFLOPS")
                        if f is None:
                            continue
                        v = f.flops / 1e12
                        if f.sparse or sparse_row:
                            factor = float(base.loc[base["model"] == model, "sparsity_factor"].iloc[0]) if (
                                existing and "sparsity_factor" in base) else 2.0
                            v = v / factor
                            new["notes"] = (new.get("notes", "") + f" {c} halved from a sparse figure (÷{factor:g}).").strip()
                    else:
                        v = parse_number(cell)
                        if v is None:
                            continue
                    if v < 0:
                        raise UnitError(f"{cell} is negative")
                    if c in FLOPS_COLUMNS and v > MAX_CARD_TFLOPS:
                        raise UnitError(
                            f"'{cell}' is {v:,.0f} TFLOPS per accelerator, implausible (the fastest cards are "
                            f"a few thousand TFLOPS); check the unit (TFLOPS vs PFLOPS, 'P' means PFLOPS)")
                    new[c] = v
                except UnitError as exc:
                    problems.append(Problem(str(exc), str(path), line, c))
            if not existing and kind == "accelerator" and "vendor" not in new:
                problems.append(Problem(f"new model '{model}' needs a vendor", str(path), line, "vendor"))
            rows.append((pos, model, existing, new))
        if problems:
            raise InputError(problems=problems)
        for _, model, existing, new in rows:
            if existing:
                i = base.index[base["model"] == model][0]
                for k, v in new.items():
                    base.loc[i, k] = v
            else:
                new.setdefault("sparsity_factor", 1.0)
                base = pd.concat([base, pd.DataFrame([new])], ignore_index=True)
        vendors = pd.read_csv(Path(str(resources.files("suanli") / "data" / "catalog" / "vendors.csv")),
                              dtype=str, keep_default_na=False)
        base = base.drop(columns=[c for c in ("country", "origin") if c in base.columns])
        base = _attach_vendor(base, vendors)
        if kind == "accelerator":
            cat = Catalog(_complete_cpu_or_acc(base), self.cpus.copy())
        else:
            cat = Catalog(self.accelerators.copy(), _complete_cpu(base))
        for k in ("accelerator", "cpu"):
            cat._index[k]["alias"].update(self._index[k]["alias"])
        return cat


def _read_catalog_csv(path: Path, numeric: list[str]) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for c in numeric:
        df[c] = pd.to_numeric(df[c].replace("", np.nan))
    return df


def _attach_vendor(df: pd.DataFrame, vendors: pd.DataFrame) -> pd.DataFrame:
    m = vendors.set_index("vendor")
    df = df.copy()
    df["country"] = df["vendor"].map(m["country"]).fillna("unknown")
    df["origin"] = df["vendor"].map(m["origin"]).fillna("unknown")
    return df


def _complete_cpu_or_acc(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for c in ACCEL_NUMERIC:
        df[c] = pd.to_numeric(df[c])
    return df


def _complete_cpu(df: pd.DataFrame) -> pd.DataFrame:
    """Fill FP64 peak from cores × base GHz × FLOPs/cycle where the table left it empty."""
    df = df.copy()
    for c in CPU_NUMERIC:
        df[c] = pd.to_numeric(df[c])
    calc = df["cores"] * df["base_ghz"] * df["fp64_flops_per_cycle_per_core"]
    df["fp64_peak_gflops"] = df["fp64_peak_gflops"].fillna(calc)
    return df


def cpu_peak_gflops(cores: float, base_ghz: float, flops_per_cycle: float) -> float:
    """TOP500-style Rpeak of one CPU: cores × base clock × FP64 FLOPs per cycle per core."""
    return cores * base_ghz * flops_per_cycle
