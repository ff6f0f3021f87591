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

import copy
import difflib
import functools
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
FLOPS_COLUMNS = {"fp16_dense_tflops", "bf16_dense_tflops", "fp8_dense_tflops", "fp32_tflops", "fp64_tflops",
                 "fp64_matrix_tflops"}

#: Words that carry no identity in a model name.
VENDOR_WORDS = {
    "nvidia", "tesla", "amd", "instinct", "intel", "huawei", "hisilicon", "cambricon", "hygon",
    "kunlunxin", "baidu", "enflame", "biren", "metax", "moore", "threads", "iluvatar", "corex",
    "google", "amazon", "aws", "ampere", "fujitsu", "gpu", "card", "accelerator", "module", "the",
    "ascend", "mthreads", "data", "center", "loongson", "phytium", "sunway", "nrcpc",
    "processor", "cpu",
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


#: Chinese brand and vendor words as people prefix model names (华为昇腾910B, 英伟达H100, 海光7285):
#: each becomes its English word before tokenising, so vendor words drop out the same way in both
#: languages. 思元 is Cambricon's MLU line (思元370 = MLU370); 曦云 is MetaX's C-series line.
CHINESE_BRANDS: dict[str, str] = {
    "华为": " huawei ", "海思": " hisilicon ", "昇腾": " ascend ", "英伟达": " nvidia ", "辉达": " nvidia ",
    "超威": " amd ", "英特尔": " intel ", "寒武纪": " cambricon ", "思元": " mlu", "海光": " hygon ",
    "深算": " dcu ", "昆仑芯": " kunlunxin ", "百度": " baidu ", "沐曦": " metax ", "摩尔线程": " moore threads ",
    "天数智芯": " iluvatar ", "燧原": " enflame ", "壁仞": " biren ", "鲲鹏": " kunpeng ", "飞腾": " phytium ",
    "腾云": " tengyun ", "龙芯": " loongson ", "申威": " sunway ", "富士通": " fujitsu ", "谷歌": " google ",
    "亚马逊": " amazon ", "曦云": " ", "至强": " xeon ", "铂金": " platinum ", "金牌": " gold ", "银牌": " silver ",
}
_BRAND_RE = re.compile("|".join(sorted(map(re.escape, CHINESE_BRANDS), key=len, reverse=True)))
#: Spelling variants folded before tokenising ("3rd Generation" = "3rd Gen").
_WORD_FOLDS = {"generation": "gen"}


#: a word of four or more letters glued to a number ("Ascend910B"), tried apart when the name is unknown
_GLUED_RE = re.compile(r"(?i)(?<![a-z])([a-z]{4,})(\d)")


def translate_brands(name: str) -> str:
    """华为昇腾910B → ' huawei  ascend 910B' (Chinese brand words to their English vendor words)."""
    return _BRAND_RE.sub(lambda m: CHINESE_BRANDS[m.group(0)], normalise_text(name))


def _tokens(name: str) -> list[str]:
    s = translate_brands(name).lower()
    s = _TRADEMARK_RE.sub(" ", s)  # Intel(R) Xeon(R) as /proc/cpuinfo and lscpu print it
    s = s.replace("+", " plus ")
    raw = re.findall(r"[a-z0-9]+(?:\.[0-9]+)?|[\u4e00-\u9fff]+", s)
    out = []
    for t in raw:
        if t in VENDOR_WORDS:
            continue
        t = _WORD_FOLDS.get(t, t)
        t = re.sub(r"^sxm\d*$", "sxm", t)
        t = re.sub(r"^(\d+)g$", r"\1gb", t)
        t = re.sub(r"^pci[e]?$", "pcie", t)
        if t == "plus":
            continue
        m = re.fullmatch(r"(\d{3,})(v\d)", t)  # E5-2692v2 = E5-2692 v2
        if m:
            out.extend(m.groups())
            continue
        out.append(t)
    return out


def token_key(name: str) -> str:
    return " ".join(sorted(set(_tokens(name))))


_TRADEMARK_RE = re.compile(r"\((?:r|tm)\)|®")
#: the way /proc/cpuinfo and lscpu name Intel CPUs: "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz"
CPUINFO_CPU_RE = re.compile(r"^(?P<base>.*?)\s+(?:cpu\s+)?@\s*(?P<ghz>\d+(?:\.\d+)?)\s*GHz\s*$", re.I)
#: the way /proc/cpuinfo names AMD and Hygon CPUs: "AMD EPYC 7742 64-Core Processor", "Hygon C86 7285 32-core Processor"
CORES_CPU_RE = re.compile(r"^(?P<base>.*?)\s+(?P<cores>\d+)-core\s+processor\s*$", re.I)
TOP500_CPU_RE = re.compile(r"^(?P<base>.*?)[\s,]+(?P<cores>\d+)\s*C\s+(?P<ghz>\d+(?:\.\d+)?)\s*GHz\s*$", re.I)
FAMILY_COLUMNS = ["family", "vendor", "pattern", "microarchitecture", "fp64_flops_per_cycle_per_core", "source", "notes"]


@dataclass(frozen=True)
class Resolution:
    """How one name resolved: ``how`` is exact, alias, variant, token, completion, memory, top500,
    cpuinfo or family; ``value_class`` is ``stated`` (the catalog row's own values) or ``derived`` (a peak computed
    from cores and clock stated in the name, or from a microarchitecture rule)."""

    name: str
    model: str
    how: str
    value_class: str
    note: str = ""


@functools.lru_cache(maxsize=1)
def _vendors() -> pd.DataFrame:
    return pd.read_csv(Path(str(resources.files("suanli") / "data" / "catalog" / "vendors.csv")),
                       dtype=str, keep_default_na=False)


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
    #: microarchitecture rules for CPUs named with cores and clock (``cpu_families.csv``)
    families: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FAMILY_COLUMNS))
    #: declared memory variants: token key of the variant name -> (model, memory GB, source)
    variants: dict[str, tuple[str, float, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index = {
            "accelerator": self._build_index(self.accelerators),
            "cpu": self._build_index(self.cpus),
        }
        self._alias_notes: dict[str, str] = {}
        self._derived: set[str] = set()
        #: catalog rows whose FP64 FLOPs/cycle/core came from a family rule (model -> note)
        self._family_filled: dict[str, str] = {}
        self._variant_tokens: dict[str, tuple[set[str], str, float, str]] = {}
        self._lookups: dict[tuple[str, str], Resolution] = {}
        if "fp64_matrix_tflops" not in self.accelerators.columns:
            self.accelerators = self.accelerators.assign(fp64_matrix_tflops=np.nan)

    # ---------------------------------------------------------------- loading
    @classmethod
    def bundled(cls) -> Catalog:
        """The catalog shipped with the package (the shared spec tables and our sourced additions).
        Read once per process (a build asks for it in several stages); each call gets its own copy."""
        return copy.deepcopy(_bundled(cls))

    @classmethod
    def _read_bundled(cls) -> Catalog:
        base = Path(str(resources.files("suanli") / "data" / "catalog"))
        # the shared spec tables unchanged, plus our own sourced additions
        acc = pd.concat([_read_catalog_csv(base / "accelerators.csv", ACCEL_NUMERIC),
                         _read_catalog_csv(base / "accelerators_added.csv", ACCEL_NUMERIC)], ignore_index=True)
        cpu = pd.concat([_read_catalog_csv(base / "server_cpus.csv", CPU_NUMERIC),
                         _read_catalog_csv(base / "server_cpus_added.csv", CPU_NUMERIC)], ignore_index=True)
        vendors = pd.read_csv(base / "vendors.csv", dtype=str, keep_default_na=False)
        sp = pd.read_csv(base / "accelerator_sparsity.csv", dtype=str, keep_default_na=False)
        acc = _attach_vendor(acc, vendors)
        cpu = _attach_vendor(cpu, vendors)
        acc["sparsity_factor"] = acc["model"].map(dict(zip(sp["model"], sp["sparsity_factor"].astype(float), strict=True))).fillna(1.0)
        acc["origin_note"] = "bundled"
        cpu["origin_note"] = "bundled"
        acc = _complete_cpu_or_acc(acc)
        cpu = _complete_cpu(cpu)
        mx = pd.read_csv(base / "accelerator_fp64_matrix.csv", dtype=str, keep_default_na=False)
        acc["fp64_matrix_tflops"] = acc["model"].map(
            dict(zip(mx["model"], mx["fp64_matrix_tflops"].astype(float), strict=True)))
        fam = pd.read_csv(base / "cpu_families.csv", dtype=str, keep_default_na=False)
        fam["fp64_flops_per_cycle_per_core"] = fam["fp64_flops_per_cycle_per_core"].astype(float)
        var = pd.read_csv(base / "accelerator_variants.csv", dtype=str, keep_default_na=False)
        al = pd.read_csv(base / "aliases.csv", dtype=str, keep_default_na=False)
        cat = cls(acc, cpu, families=fam)
        cat._fill_from_families()
        for v, m, mem, src in zip(var["variant"], var["model"], var["memory_gb"], var["source"], strict=True):
            cat.add_variant(v, m, float(mem), src)
        for a, m, note in zip(al["alias"], al["model"], al["note"], strict=True):
            cat.add_alias(a, m, note)
        return cat

    def _fill_from_families(self) -> None:
        """Catalog CPUs with cores and a base clock but no FP64 FLOPs/cycle/core take their
        microarchitecture rule (``cpu_families.csv``): the peak is derived, the source says so, and
        every look-up of the row is marked derived (wider spec uncertainty in the intervals)."""
        c = self.cpus
        todo = c["fp64_flops_per_cycle_per_core"].isna() & c["cores"].notna() & c["base_ghz"].notna()
        for i in c.index[todo]:
            fam = self.family_for(str(c.at[i, "model"]))
            if fam is None:
                continue
            fpc = float(fam["fp64_flops_per_cycle_per_core"])
            c.at[i, "fp64_flops_per_cycle_per_core"] = fpc
            c.at[i, "fp64_peak_gflops"] = cpu_peak_gflops(float(c.at[i, "cores"]), float(c.at[i, "base_ghz"]), fpc)
            c.at[i, "source"] = f"{c.at[i, 'source']}; FP64 FLOPs/cycle/core: family rule '{fam['family']}' ({fam['source']})"
            c.at[i, "origin_note"] = f"derived from the family rule '{fam['family']}'"
            self._family_filled[str(c.at[i, "model"])] = (
                f"FP64 peak derived: {float(c.at[i, 'cores']):g} cores × {float(c.at[i, 'base_ghz']):g} GHz × "
                f"{fpc:g} FLOPs/cycle/core from the family rule '{fam['family']}'")
        self.cpus = c

    def add_alias(self, alias: str, model: str, note: str = "") -> None:
        kind = "accelerator" if model in set(self.accelerators["model"]) else "cpu"
        if model not in set(self.accelerators["model"]) | set(self.cpus["model"]):
            raise InputError(f"alias '{alias}' points to '{model}', which is not in the catalog")
        self._index[kind]["alias"][normalise_text(alias).lower()] = model
        self._index[kind]["alias_names"].append(normalise_text(alias))
        k = token_key(alias)
        if k:
            self._index[kind]["alias_keys"][k] = model
        if note:
            self._alias_notes[model + "\0" + normalise_text(alias).lower()] = note
            self._alias_notes[model + "\0" + k] = note
        self._lookups.clear()

    def add_variant(self, variant: str, model: str, memory_gb: float, source: str) -> None:
        """Declare ``variant`` (a name differing only in memory) as the catalog entry ``model``."""
        if model not in set(self.accelerators["model"]):
            raise InputError(f"variant '{variant}' points to '{model}', which is not in the accelerator catalog")
        if not normalise_text(source):
            raise InputError(f"variant '{variant}' has no source; a declared variant needs one")
        for v in (variant, _primary(variant), *_paren_codes(variant)):
            if token_key(v):
                self.variants[token_key(v)] = (model, memory_gb, source)
        self._variant_tokens[variant] = (set(_tokens(variant)), model, memory_gb, source)
        self._lookups.clear()

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
        return {"exact": exact, "keys": keys, "tokens": tok, "alias": {}, "alias_keys": {}, "alias_names": []}

    # ---------------------------------------------------------------- resolution
    def resolve(self, name: str, kind: str = "accelerator") -> str:
        """Catalog model name for ``name``; raises ``LookupError`` with the closest names."""
        return self.lookup(name, kind).model

    def lookup(self, name: str, kind: str = "accelerator") -> Resolution:
        """How ``name`` resolves: the catalog row, the rule used and whether the peak is stated or derived.

        CPUs written the TOP500 way (``<vendor> <model> <n>C <clock>GHz``) take the stated cores and
        clock (they win over the catalog's); an unlisted model of a known microarchitecture gets its
        peak from its family's FP64 FLOPs/cycle/core (``cpu_families.csv``), marked derived. The
        derived row is added to ``self.cpus`` so every later look-up and table sees it.
        """
        key = (kind, normalise_text(name))
        hit = self._lookups.get(key)
        if hit is not None:
            return hit
        n = key[1]
        m = TOP500_CPU_RE.match(n) if kind == "cpu" else None
        c = CPUINFO_CPU_RE.match(n) if kind == "cpu" and m is None else None
        k = CORES_CPU_RE.match(n) if kind == "cpu" and m is None and c is None else None
        if m:
            res = self._lookup_cpu_string(n, m)
        elif c:
            res = self._lookup_cpuinfo(n, c)
        elif k:
            res = self._lookup_cores_processor(n, k)
        else:
            res = self._lookup_plain(n, kind)
        if kind == "cpu" and res.value_class == "stated" and res.model in self._family_filled:
            note = "; ".join(x for x in (res.note, self._family_filled[res.model]) if x)
            res = Resolution(res.name, res.model, res.how, "derived", note)
        self._lookups[key] = res
        return res

    def _lookup_plain(self, name: str, kind: str) -> Resolution:
        idx = self._index[kind]
        n = normalise_text(name)
        low = n.lower()
        if low in idx["exact"]:
            return Resolution(name, idx["exact"][low], "exact", "stated")
        if low in idx["alias"]:
            model = idx["alias"][low]
            return Resolution(name, model, "alias", "stated", self._alias_notes.get(model + "\0" + low, ""))
        k = token_key(n)
        if kind == "accelerator" and k in self.variants:
            model, mem, src = self.variants[k]
            return Resolution(name, model, "variant", "stated",
                              f"declared variant ({mem:g} GB) of '{model}' with identical compute ({src})")
        if k in idx["alias_keys"]:
            model = idx["alias_keys"][k]
            return Resolution(name, model, "alias", "stated", self._alias_notes.get(model + "\0" + k, ""))
        hits = idx["keys"].get(k, set())
        if len(hits) == 1:
            return Resolution(name, next(iter(hits)), "token", "stated")
        if len(hits) > 1:
            raise LookupError(f"'{name}' is ambiguous: it matches {', '.join(sorted(hits))}; give the full name")
        q = set(_tokens(n))
        vhits = {v for v, (t, *_rest) in self._variant_tokens.items() if q and q <= t} if kind == "accelerator" else set()
        if len(vhits) == 1:
            _t, model, mem, src = self._variant_tokens[vhits.pop()]
            return Resolution(name, model, "variant", "stated",
                              f"declared variant ({mem:g} GB) of '{model}' with identical compute ({src})")
        sup = self._completions(q, kind)
        if len(sup) == 1:
            return Resolution(name, sup[0], "completion", "stated")
        if len(sup) > 1:
            raise LookupError(
                f"'{name}' is ambiguous: it matches {', '.join(sup)}; give the full name "
                "(all fields of the catalog, such as memory and form factor, are per entry)"
            )
        mem = {t for t in q if re.fullmatch(r"\d+gb", t)}
        if kind == "accelerator" and mem and q - mem:
            rest = q - mem
            cands = sorted(idx["keys"].get(" ".join(sorted(rest)), set())) or self._completions(rest, kind)
            if len(cands) == 1:
                model = cands[0]
                stated = float(next(iter(mem))[:-2]) if len(mem) == 1 else float("nan")
                have = float(self.accelerators.loc[self.accelerators["model"] == model, "memory_gb"].iloc[0])
                if stated == have:
                    return Resolution(name, model, "memory", "stated",
                                      f"memory stated in the name ({stated:g} GB) matches '{model}'")
                raise LookupError(
                    f"'{name}' states {', '.join(sorted(mem))} but the catalog's '{model}' has "
                    f"{have:g} GB; a memory variant counts only when declared with its source "
                    "(accelerator_variants.csv) or added in an override file")
        # a family word glued to its number (Ascend910B, HUAWEI-Ascend910B): read as written apart
        spaced = _GLUED_RE.sub(r"\1 \2", n)
        if spaced != n:
            try:
                return self._lookup_plain(spaced, kind)
            except LookupError:
                pass
        raise LookupError(f"'{name}' is not in the catalog{self._suggest(name, kind)}")

    def _completions(self, q: set[str], kind: str) -> list[str]:
        if not q:
            return []
        return sorted(m for m, t in self._index[kind]["tokens"].items() if q <= t)

    def family_for(self, name: str) -> pd.Series | None:
        """The first microarchitecture rule whose pattern matches ``name`` (None when none does)."""
        text = re.sub(r"\s+", " ", translate_brands(name).lower()).strip()
        for _, row in self.families.iterrows():
            if re.search(row["pattern"], text):
                return row
        return None

    def _lookup_cpu_string(self, name: str, m: re.Match) -> Resolution:
        base = m.group("base").strip(" ,")
        cores = int(m.group("cores"))
        ghz = float(m.group("ghz"))
        fam = self.family_for(base)
        try:
            plain = self._lookup_plain(base, "cpu")
        except LookupError as exc:
            plain, err = None, exc
        if plain is not None:
            row = self.cpus.loc[self.cpus["model"] == plain.model].iloc[0]
            fpc = float(row["fp64_flops_per_cycle_per_core"])
            fpc_src = "catalog"
            if np.isnan(fpc) and fam is not None:
                fpc, fpc_src = float(fam["fp64_flops_per_cycle_per_core"]), f"family rule '{fam['family']}'"
            if np.isnan(fpc):
                raise LookupError(
                    f"'{name}' is '{plain.model}', which has no FP64 FLOPs/cycle/core in the catalog and no "
                    "microarchitecture rule; a sourced value is needed")
            same = (cores == row["cores"]) and abs(ghz - float(row["base_ghz"])) < 1e-9 if not pd.isna(
                row["base_ghz"]) else False
            if same and not np.isnan(float(row["fp64_peak_gflops"])):
                return Resolution(name, plain.model, "top500", "stated",
                                  f"cores and clock stated in the name match '{plain.model}'")
            cat_desc = (f"catalog: {row['cores']:g} cores, {row['base_ghz']:g} GHz" if not pd.isna(row["base_ghz"])
                        else f"catalog: {row['cores']:g} cores, no base clock")
            note = (f"{cores} cores × {ghz:g} GHz stated in the name win over the catalog ({cat_desc}); "
                    f"{fpc:g} FP64 FLOPs/cycle/core from the {fpc_src}")
            model = self._add_derived_cpu(f"{plain.model} [{cores}C {ghz:g}GHz]", row["vendor"], cores, ghz, fpc,
                                          f"derived from the name and '{plain.model}' ({row['source']})", note,
                                          row.get("tdp_w"))
            return Resolution(name, model, "top500", "derived", note)
        if fam is None:
            raise LookupError(f"'{name}' is not in the catalog and no microarchitecture rule matches '{base}'"
                              f"{self._suggest(base, 'cpu')}") from err
        fpc = float(fam["fp64_flops_per_cycle_per_core"])
        note = (f"unlisted {fam['family']} part: {cores} cores × {ghz:g} GHz (stated) × {fpc:g} FP64 "
                f"FLOPs/cycle/core ({fam['microarchitecture']})")
        model = self._add_derived_cpu(f"{normalise_text(base)} {cores}C {ghz:g}GHz", fam["vendor"], cores, ghz, fpc,
                                      f"derived: family rule '{fam['family']}' ({fam['source']})", note, np.nan)
        return Resolution(name, model, "family", "derived", note)

    def _catalog_cpu(self, name: str, base: str, states: str, top500: str) -> tuple[Resolution, pd.Series]:
        """The catalog CPU a cpuinfo-style name is based on (its resolution and row), or an error that
        says how to write the name the TOP500 way (``top500``) instead."""
        try:
            plain = self._lookup_plain(base, "cpu")
        except LookupError as exc:
            raise LookupError(
                f"'{name}' states {states} and '{base}' is not in the catalog; write it the "
                f"TOP500 way ('{top500}') or add the model with a source{self._suggest(base, 'cpu')}"
            ) from exc
        return plain, self.cpus.loc[self.cpus["model"] == plain.model].iloc[0]

    def _lookup_cpuinfo(self, name: str, m: re.Match) -> Resolution:
        """``<model> CPU @ <clock>GHz`` (cpuinfo/lscpu): the model gives the cores, the stated clock wins."""
        base = m.group("base").strip(" ,")
        ghz = float(m.group("ghz"))
        plain, row = self._catalog_cpu(name, base, "a clock but no core count", f"{base} <cores>C {ghz:g}GHz")
        if not pd.isna(row["base_ghz"]) and abs(ghz - float(row["base_ghz"])) < 1e-9:
            return Resolution(name, plain.model, "cpuinfo", plain.value_class,
                              f"clock stated in the name ({ghz:g} GHz) matches '{plain.model}'")
        fpc = float(row["fp64_flops_per_cycle_per_core"])
        if np.isnan(fpc) or pd.isna(row["cores"]):
            raise LookupError(f"'{name}' is '{plain.model}', which lacks cores or FP64 FLOPs/cycle/core in the "
                              "catalog; a sourced value is needed")
        cores = int(row["cores"])
        note = (f"{ghz:g} GHz stated in the name wins over the catalog's "
                f"{'no base clock' if pd.isna(row['base_ghz']) else format(float(row['base_ghz']), 'g') + ' GHz'}; "
                f"{cores} cores and {fpc:g} FP64 FLOPs/cycle/core from '{plain.model}'")
        model = self._add_derived_cpu(f"{plain.model} [{cores}C {ghz:g}GHz]", row["vendor"], cores, ghz, fpc,
                                      f"derived from the name and '{plain.model}' ({row['source']})", note,
                                      row.get("tdp_w"))
        return Resolution(name, model, "cpuinfo", "derived", note)

    def _lookup_cores_processor(self, name: str, m: re.Match) -> Resolution:
        """``<model> <n>-Core Processor`` (AMD/Hygon cpuinfo): the model gives the clock; the core count
        must agree with the catalog's, or the stated one wins (derived) when the row has a base clock."""
        base = m.group("base").strip(" ,")
        cores = int(m.group("cores"))
        plain, row = self._catalog_cpu(name, base, "a core count but no clock", f"{base} {cores}C <clock>GHz")
        if not pd.isna(row["cores"]) and int(row["cores"]) == cores:
            return Resolution(name, plain.model, "cpuinfo", plain.value_class,
                              f"core count stated in the name ({cores}) matches '{plain.model}'")
        fpc = float(row["fp64_flops_per_cycle_per_core"])
        if np.isnan(fpc) or pd.isna(row["base_ghz"]):
            raise LookupError(f"'{name}' states {cores} cores but '{plain.model}' has "
                              f"{'no core count' if pd.isna(row['cores']) else format(float(row['cores']), 'g') + ' cores'}"
                              " and no base clock or FLOPs/cycle to recompute the peak; give the clock the TOP500 way")
        ghz = float(row["base_ghz"])
        note = (f"{cores} cores stated in the name win over the catalog's {float(row['cores']):g}; "
                f"{ghz:g} GHz and {fpc:g} FP64 FLOPs/cycle/core from '{plain.model}'")
        model = self._add_derived_cpu(f"{plain.model} [{cores}C {ghz:g}GHz]", row["vendor"], cores, ghz, fpc,
                                      f"derived from the name and '{plain.model}' ({row['source']})", note,
                                      row.get("tdp_w"))
        return Resolution(name, model, "cpuinfo", "derived", note)

    def _add_derived_cpu(self, model: str, vendor: str, cores: int, ghz: float, fpc: float, source: str,
                         note: str, tdp: object) -> str:
        if model in set(self.cpus["model"]):
            return model
        row = {c: np.nan for c in CPU_NUMERIC}
        row.update({"vendor": vendor, "model": model, "cores": float(cores), "base_ghz": ghz,
                    "fp64_flops_per_cycle_per_core": fpc, "fp64_peak_gflops": cores * ghz * fpc,
                    "tdp_w": float(tdp) if tdp is not None and not pd.isna(tdp) else np.nan,
                    "source": source, "notes": note, "origin_note": "derived from the name"})
        v = _vendors().set_index("vendor")
        row["country"] = v["country"].get(vendor, "unknown")
        row["origin"] = v["origin"].get(vendor, "unknown")
        self.cpus = pd.concat([self.cpus, pd.DataFrame([row])], ignore_index=True)
        self._index["cpu"]["exact"][normalise_text(model).lower()] = model
        self._derived.add(model)
        return model

    def closest(self, name: str, kind: str, n: int = 6) -> list[str]:
        """Up to ``n`` known names closest to ``name`` (spelling, then shared tokens)."""
        idx = self._index[kind]
        names = [m for m in idx["exact"].values() if m not in self._derived] + list(idx["alias_names"])
        lowered = {normalise_text(x).lower(): x for x in names}
        close = difflib.get_close_matches(normalise_text(name).lower(), list(lowered), n=5, cutoff=0.4)
        q = set(_tokens(name))
        partial = [m for m, t in idx["tokens"].items() if q & t]
        return list(dict.fromkeys([lowered[c] for c in close] + partial))[:n]

    def _suggest(self, name: str, kind: str) -> str:
        cands = self.closest(name, kind)
        if not cands:
            idx = self._index[kind]
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

    def accelerator_fp64(self, basis: str = "vector") -> pd.DataFrame:
        """Per accelerator: FP64 TFLOPS on ``basis`` and the basis actually used.

        ``vector`` is the non-tensor FP64 peak (NVIDIA's "FP64", AMD's "FP64 vector"). ``matrix`` is the
        tensor/matrix-core FP64 peak where the vendor publishes one (H100 67 vs 34 TFLOPS); parts without
        FP64 matrix units keep their vector figure and say so.
        """
        if basis not in ("vector", "matrix"):
            raise ValueError(f"FP64 basis must be 'vector' or 'matrix', not {basis!r}")
        vec = self.accelerators["fp64_tflops"].to_numpy(dtype=float)
        if basis == "vector":
            used = np.where(np.isnan(vec), "", "vector")
            return pd.DataFrame({"model": self.accelerators["model"].to_numpy(), "fp64_tflops": vec,
                                 "fp64_basis": used})
        mat = self.accelerators["fp64_matrix_tflops"].to_numpy(dtype=float)
        val = np.where(np.isnan(mat), vec, mat)
        used = np.where(~np.isnan(mat), "matrix", np.where(np.isnan(vec), "", "vector (no matrix figure)"))
        return pd.DataFrame({"model": self.accelerators["model"].to_numpy(), "fp64_tflops": val, "fp64_basis": used})

    def cpu_fp64_gflops(self) -> pd.Series:
        return pd.Series(self.cpus["fp64_peak_gflops"].to_numpy(dtype=float), index=self.cpus["model"].to_numpy())

    # ---------------------------------------------------------------- overrides
    def with_overrides(self, path: str | Path, kind: str) -> Catalog:
        """A new catalog with user rows added or replacing fields of existing rows."""
        raw = read_raw_table(path)
        numeric = [*ACCEL_NUMERIC, "fp64_matrix_tflops"] if kind == "accelerator" else CPU_NUMERIC
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
                problems.append(Problem("model is empty", raw.path, line, "model"))
                continue
            if not rec["source"]:
                problems.append(Problem("source is empty", raw.path, line, "source",
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
                    problems.append(Problem(str(exc), raw.path, line, c))
            if not existing and kind == "accelerator" and "vendor" not in new:
                problems.append(Problem(f"new model '{model}' needs a vendor", raw.path, line, "vendor"))
            rows.append((pos, model, existing, new))
        if problems:
            raise InputError(problems=problems)
        for _, model, existing, new in rows:
            if existing:
                i = base.index[base["model"] == model][0]
                if kind == "cpu" and "fp64_peak_gflops" not in new and {
                        "cores", "base_ghz", "fp64_flops_per_cycle_per_core"} & set(new):
                    base.loc[i, "fp64_peak_gflops"] = np.nan  # recomputed from the overridden parts below
                for k, v in new.items():
                    base.loc[i, k] = v
            else:
                new.setdefault("sparsity_factor", 1.0)
                base = pd.concat([base, pd.DataFrame([new])], ignore_index=True)
        vendors = _vendors()
        base = base.drop(columns=[c for c in ("country", "origin") if c in base.columns])
        base = _attach_vendor(base, vendors)
        if kind == "accelerator":
            cat = Catalog(_complete_cpu_or_acc(base), self.cpus.copy(), families=self.families,
                          variants=dict(self.variants))
        else:
            cat = Catalog(self.accelerators.copy(), _complete_cpu(base), families=self.families,
                          variants=dict(self.variants))
        cat._variant_tokens.update(self._variant_tokens)
        for k in ("accelerator", "cpu"):
            cat._index[k]["alias"].update(self._index[k]["alias"])
            cat._index[k]["alias_keys"].update(self._index[k]["alias_keys"])
            cat._index[k]["alias_names"].extend(self._index[k]["alias_names"])
        cat._alias_notes.update(self._alias_notes)
        overridden = {model for _, model, existing, _ in rows if existing} if kind == "cpu" else set()
        cat._family_filled = {m: n for m, n in self._family_filled.items() if m not in overridden}
        return cat


def _read_catalog_csv(path: Path, numeric: list[str]) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for c in numeric:
        df[c] = pd.to_numeric(df[c].mask(df[c] == ""))
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
    if "fp64_matrix_tflops" in df.columns:
        df["fp64_matrix_tflops"] = pd.to_numeric(df["fp64_matrix_tflops"])
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


@functools.cache
def _bundled(cls: type[Catalog]) -> Catalog:
    return cls._read_bundled()
