"""What the dashboard serves: an edition (assessments computed at start-up) or a build folder
(its result tables plus the edition it was built from).

A build folder is read from its ``tables/*.csv`` copies, never by holding ``suanli.duckdb``
open: DuckDB lets one process hold a database read-write and then refuses every other opener,
so a dashboard holding the file would block the next ``suanli build`` (and a running build would
block the dashboard). Tables without a CSV copy are read once from the database in read-only
mode and the connection is closed straight away.

The re-weighting uses the composite-index engine itself: one :class:`~suanli.index.fast.Rescorer`
per assessment, built from the edition's framework and data for the latest year, exactly as the
``index`` stage and ``suanli index build`` run them.
"""

from __future__ import annotations

import json
import re
import threading
import time
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ConfigError, InputError, SuanliError
from .names import NORM_NAMES as _NORM_NAMES  # one catalogue of method names

TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,80}$")


#: aggregations that solve one optimisation problem per unit (cost grows about with n²)
PER_UNIT_PROGRAMS = {"bod"}


def _norm_key(method: str, params: dict[str, Any]) -> str:
    """A URL-safe key for a method with parameters: ``minmax`` + ``{l_u: [1, 100]}`` → ``minmax_1_100``."""
    vals: list[str] = []
    for k in sorted(params):
        v = params[k]
        vals += [str(x) for x in v] if isinstance(v, (list, tuple)) else [str(v)]
    slug = re.sub(r"[^a-z0-9]+", "_", "_".join(vals).lower()).strip("_")
    return f"{method}_{slug}"[:40] if slug else method


def _norm_label(method: str, params: dict[str, Any], lang: str) -> str:
    zh, en = _NORM_NAMES.get(method, (method, method))
    name = zh if lang == "zh" else en
    if method == "minmax" and "l_u" in params:
        lo, hi = params["l_u"]
        return f"{name} {lo:g}–{hi:g}"
    if method == "zscore" and "m_sd" in params:
        m, sd = params["m_sd"]
        return f"{name} {m:g}±{sd:g}"
    if params:
        return name + " (" + ", ".join(f"{k}={v}" for k, v in sorted(params.items())) + ")"
    return name


def _unscored(view: AssessmentView, out: Any) -> str | None:
    """None when every unit that has data got a score, else what went wrong (engine-independent guard)."""
    fw = view.framework
    root = out.V[:, fw.root]
    has = np.isfinite(out.V[:, : fw.n_ind]).any(1)
    if has.any() and not np.isfinite(root[has]).any():
        return "no unit was scored"
    return None


class Scored:
    """Scores ``V[unit, node]`` for some settings. The ranks of every node are computed when first
    asked for (a unit profile needs them); a ranking answer needs the index's only (``root_ranks``),
    and ranking 41 nodes would cost a third of the aggregation again."""

    def __init__(self, V: np.ndarray, root: int, ranks: np.ndarray | None = None) -> None:
        self.V = V
        self.root = root
        if ranks is not None:
            self.__dict__["ranks"] = ranks

    @cached_property
    def ranks(self) -> np.ndarray:
        from ..index.ranks import rank_scores

        return rank_scores(self.V)

    @cached_property
    def root_ranks(self) -> np.ndarray:
        if "ranks" in self.__dict__:
            return self.ranks[:, self.root]
        from ..index.ranks import rank_scores

        return rank_scores(self.V[:, self.root])


@dataclass
class NormOption:
    """One normalisation the page offers: a registered method with parameters. ``key`` is what
    ``Settings.normalisation`` carries; the edition's uncertainty section contributes the
    parameterised variants the build itself samples (min-max 1–100, z-score 10±2, …)."""

    key: str
    method: str
    params: dict[str, Any]
    label_zh: str
    label_en: str
    origin: str                      # "as built" | "uncertainty" | "registry"


@dataclass
class AssessmentView:
    """One assessment ready for re-scoring."""

    name: str
    title_zh: str
    title_en: str
    framework: Any
    result: Any            # base Result (latest year, as built)
    rescorer: Any          # Rescorer over ``result``
    year: int | None
    years: list[int]
    group: str | None
    synthetic: bool
    spec: list[dict[str, Any]]
    normalisations: list[str] = field(default_factory=list)
    aggregations: list[str] = field(default_factory=list)
    base_normalisation: str = ""
    base_aggregation: str = ""
    norm_options: dict[str, NormOption] = field(default_factory=dict)
    # aggregation → normalisation key → None (scores every unit with data) or the engine's reason
    compat: dict[str, dict[str, str | None]] = field(default_factory=dict)
    hidden: dict[str, str] = field(default_factory=dict)   # method → why it is not offered
    uspec: Any = None                                      # the edition's uncertainty spec, if any
    previous: Any = None                                   # (year, Result) of the year before, as built
    data: Any = None                                       # the Dataset of ``year`` (for the uncertainty engine)
    previous_data: Any = None                              # the Dataset of the year before, if any

    @property
    def unit_ids(self) -> np.ndarray:
        return self.result.unit_ids

    def result_scored(self) -> Any:
        """The as-built scores and ranks (what a re-score with no changes returns)."""
        return Scored(self.result.V, self.framework.root, self.result.ranks)

    def previous_year(self) -> int | None:
        return self.previous[0] if self.previous else None

    def previous_result(self) -> Any:
        return self.previous[1] if self.previous else None

    def names_en(self) -> list[str]:
        """English unit names: place names from the region catalogue (:func:`suanli.regions.city_en`),
        industries from the report's labels, else the id in words."""
        from ..regions import city_en
        from ..report.data import INDUSTRY_EN

        out = []
        for uid, zh in zip(self.result.unit_ids, self.result.unit_names, strict=True):
            en = INDUSTRY_EN.get(str(zh)) or city_en(str(zh))
            out.append(en if en != str(zh) else str(uid).replace("_", " ").capitalize())
        return out

    def group_of(self) -> np.ndarray:
        if self.group and self.group in self.result.groups:
            return np.asarray(self.result.groups[self.group], dtype=object)
        return np.full(len(self.result.unit_ids), "", dtype=object)


class Source:
    """Everything the app shows. ``Source.open(path)``: an edition folder, a build folder or
    ``None`` for the bundled default edition."""

    def __init__(self) -> None:
        self.kind = "edition"
        self.path: Path | None = None
        self.edition: Any = None
        self.lineage: dict[str, Any] = {}
        self.assessments: dict[str, AssessmentView] = {}
        self.notes: list[str] = []
        self.notes_i18n: list[dict[str, str]] = []     # the same notes, one language each
        self._tables: dict[str, Path | None] = {}   # name → CSV path (None: read from the database)
        self._cache: dict[str, pd.DataFrame] = {}
        self._db: Path | None = None
        self._lock = threading.Lock()

    # -- opening ------------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path | None = None) -> Source:
        from ..edition import load_edition

        src = cls()
        p = Path(path) if path is not None else None
        if p is not None and not p.exists():
            raise InputError("no such edition or build folder", file=str(p),
                             hint="pass an edition folder (with edition.yaml) or a folder written by 'suanli build'")
        if p is not None and (p / "lineage.json").is_file():
            src.kind = "build"
            src.path = p.resolve()
            try:
                src.lineage = json.loads((p / "lineage.json").read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise InputError(f"lineage.json cannot be read ({exc})", file=str(p / "lineage.json")) from None
            folder = Path(str(src.lineage.get("edition_folder", "")))
            if not (folder / "edition.yaml").is_file():
                raise InputError(
                    f"the edition this build was made from ({folder}) is no longer there",
                    file=str(p / "lineage.json"),
                    hint="serve the edition folder itself, or rebuild with 'suanli build'")
            src.edition = load_edition(folder)
            src._scan_tables(p)
            recorded = src.lineage.get("input_hashes") or {}
            try:
                now = src.edition.input_hashes()
            except (OSError, SuanliError):
                now = {}
            changed = sorted(k for k, v in recorded.items() if now.get(k) not in (None, v))
            if changed:
                src.notes.append("构建后输入已更改 / inputs changed since this build: " + ", ".join(changed)
                                 + "（重新加权使用当前输入 / the re-weighting uses the current inputs）")
                src.notes_i18n.append({"zh": "构建后输入已更改：" + "、".join(changed) + "（重新加权使用当前输入）",
                                       "en": "inputs changed since this build: " + ", ".join(changed)
                                             + " (the re-weighting uses the current inputs)"})
        else:
            if p is not None and p.is_dir() and not (p / "edition.yaml").is_file():
                raise InputError("neither an edition folder (no edition.yaml) nor a build folder (no lineage.json)",
                                 file=str(p))
            src.edition = load_edition(p)
            src.path = src.edition.root
            src.notes.append("未构建的版本：算力与市场表在 'suanli build' 之后出现 / serving an edition without a "
                             "build: capacity and market tables appear after 'suanli build'")
            src.notes_i18n.append({"zh": "未构建的版本：算力与市场表在运行 suanli build 之后出现。",
                                   "en": "serving an edition without a build: capacity and market tables appear "
                                         "after 'suanli build'"})
        src._load_assessments()
        return src

    def _scan_tables(self, folder: Path) -> None:
        tdir = folder / "tables"
        if tdir.is_dir():
            for f in sorted(tdir.glob("*.csv")):
                if TABLE_NAME.match(f.stem):
                    self._tables[f.stem] = f
        for name in (self.lineage.get("tables") or {}):
            if TABLE_NAME.match(name) and name not in self._tables and not name.startswith("input_"):
                self._tables[name] = None
        if (folder / "suanli.duckdb").is_file():
            self._db = folder / "suanli.duckdb"

    def _load_assessments(self) -> None:
        from ..index.fast import Rescorer
        from ..index.pipeline import build
        from ..index.stage import load_assessment

        ed = self.edition
        if not getattr(ed, "assessments", None):
            return
        for name, cfg in ed.assessments.items():
            fw, panel, spec = load_assessment(ed, name, cfg)
            years = [y for y in panel.year_list() if cfg.years is None or y in cfg.years]
            if not years:
                raise ConfigError(f"assessment '{name}' has no data for its years {cfg.years}")
            y = years[-1]
            result = build(spec, panel[y], previous=panel.previous(y))
            rs = Rescorer(result)
            prev = None
            if len(years) > 1:
                py = years[-2]
                prev = (int(py), build(spec, panel[py], previous=panel.previous(py)))
            norm = next(s for s in spec.steps if s.step == "normalise")
            agg = next(s for s in spec.steps if s.step == "aggregate")
            view = AssessmentView(
                name, cfg.title_zh or fw.name_zh or name, cfg.title_en or fw.name_en or name, fw, result, rs,
                y, [int(v) for v in years if v is not None], cfg.group,
                bool(ed.inputs[cfg.data].synthetic or ed.inputs[cfg.framework].synthetic), spec.to_list(),
                base_normalisation=norm.method, base_aggregation=agg.method)
            view.previous = prev
            view.data, view.previous_data = panel[y], panel.previous(y)
            # offer the methods that score this data (tried once at start-up; the normalised
            # variants stay cached in the Rescorer, so later requests only aggregate)
            uspec = (ed.uncertainty.assessments.get(name) if getattr(ed, "uncertainty", None) else None)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                self._probe(view, rs, norm, uspec)
            view.uspec = uspec
            self.assessments[name] = view

    @staticmethod
    def _probe(view: AssessmentView, rs: Any, norm: Any, uspec: Any) -> None:
        """Which normalisations and aggregations the page offers, and which pairs work.

        Normalisations: the one as built, the parameterised alternatives of the edition's
        uncertainty section, and every registered method that runs without parameters, except
        ``none`` (it would add PFLOPS to 亿元). Aggregations: those that score every unit with data
        under at least one offered normalisation within 0.5 s; ``compat`` keeps the engine's
        reason for every pair that fails, so the page can say why before anyone picks it."""
        from ..index.aggregate import AGGREGATORS
        from ..index.normalise import NORMALISERS

        opts: dict[str, NormOption] = {}
        base_params = dict(norm.params or {})
        opts[norm.method] = NormOption(norm.method, norm.method, base_params,
                                       _norm_label(norm.method, base_params, "zh") + "（默认）",
                                       _norm_label(norm.method, base_params, "en") + " (as built)", "as built")
        for inp in (uspec.inputs if uspec is not None else []):
            if getattr(inp, "kind", "") != "normalise":
                continue
            for alt in inp.alternatives:
                m = alt.method or norm.method
                params = dict(alt.params) if alt.method else {**base_params, **alt.params}
                if m == norm.method and params == base_params:
                    continue
                key = _norm_key(m, params)
                # the edition labels its alternatives in English; the Chinese label comes from the catalogue
                opts.setdefault(key, NormOption(key, m, params, _norm_label(m, params, "zh"),
                                                alt.label or _norm_label(m, params, "en"), "uncertainty"))
        for m in NORMALISERS.names():
            if m in opts or m == "none":
                if m == "none":
                    view.hidden["none"] = ("adds indicators in their own units (PFLOPS to 亿元); "
                                           "not offered / 不同单位直接相加，不提供")
                continue
            opts[m] = NormOption(m, m, {}, _norm_label(m, {}, "zh"), _norm_label(m, {}, "en"), "registry")
        for key, o in list(opts.items()):
            try:
                X = rs.normalised(None if key == norm.method else o.method, None if key == norm.method else o.params)
                if not np.isfinite(X).any():
                    raise ValueError("no finite value")
            except Exception as exc:  # noqa: BLE001 - a method that needs parameters is simply not offered
                view.hidden[key] = f"{type(exc).__name__}: {str(exc)[:200]}"
                del opts[key]
        view.norm_options = opts
        view.normalisations = list(opts)
        fw = view.framework
        n_units, n_groups = len(view.unit_ids), fw.n_nodes - fw.n_ind
        Y0 = rs.normalised(None)[:12]
        for m in AGGREGATORS.names():
            ok: dict[str, str | None] = {}
            # a method that solves one optimisation per unit over all units (bod) is timed on 12
            # units and extrapolated (n programs, each growing with n), never run whole at start-up
            t0 = time.perf_counter()
            try:
                if m not in PER_UNIT_PROGRAMS:
                    raise LookupError
                AGGREGATORS.create(m).aggregate(np.abs(np.nan_to_num(Y0, nan=0.0)) + 1.0, np.ones(Y0.shape[1]))
            except Exception:  # noqa: BLE001 - the real probe below says what is wrong
                pass
            est = (time.perf_counter() - t0) * n_groups * (max(n_units, 12) / 12) ** 2
            if m in PER_UNIT_PROGRAMS and est > 0.5:
                view.hidden[m] = (f"solves one optimisation per unit and group ({n_units} units): too slow to "
                                  "re-score while a slider moves / 每个单位求解一次优化，交互过慢")
                continue
            t0 = time.perf_counter()
            for i, key in enumerate(opts):
                o = opts[key]
                try:
                    out = rs.rescore(None, None if key == norm.method else o.method, aggregation=m,
                                     normalisation_params=None if key == norm.method else o.params)
                    ok[key] = _unscored(view, out)
                except InputError as exc:
                    ok[key] = str(exc)[:600]
                except Exception as exc:  # noqa: BLE001 - needs parameters: not offered
                    ok = {}
                    view.hidden[m] = f"{type(exc).__name__}: {str(exc)[:200]}"
                    break
                if i == 0 and time.perf_counter() - t0 > 0.5:
                    view.hidden[m] = f"too slow for interactive use ({time.perf_counter() - t0:.1f} s per re-score)"
                    ok = {}
                    break
            if ok and all(v is not None for v in ok.values()):
                view.hidden[m] = "scores no unit under any offered normalisation: " + next(iter(ok.values()))[:300]
                ok = {}
            if ok:
                view.compat[m] = ok
                view.aggregations.append(m)

    # -- tables -------------------------------------------------------------------------------------
    def table_names(self) -> list[str]:
        return sorted(self._tables)

    def has_table(self, name: str) -> bool:
        return name in self._tables

    def table(self, name: str) -> pd.DataFrame | None:
        """A result table of the build (cached), or ``None`` when the build has no such table."""
        if not TABLE_NAME.match(name) or name not in self._tables:
            return None
        with self._lock:
            if name in self._cache:
                return self._cache[name]
            path = self._tables[name]
            if path is not None:
                df = pd.read_csv(path, encoding="utf-8", keep_default_na=True)
            else:
                df = self._read_db(name)
            self._cache[name] = df
            return df

    def _read_db(self, name: str) -> pd.DataFrame:
        import duckdb

        if self._db is None:
            raise InputError(f"table '{name}' has no CSV copy and the build has no database")
        try:
            con = duckdb.connect(str(self._db), read_only=True)
        except duckdb.Error as exc:
            raise InputError(f"the build database is busy or unreadable ({exc})", file=str(self._db),
                             hint="another process (a running 'suanli build'?) holds it; retry when it ends") from None
        try:
            return con.execute(f'SELECT * FROM "{name}"').df()
        finally:
            con.close()

    def file(self, name: str) -> Path | None:
        """A file the build wrote at its top level (``report.html``), or None."""
        if self.kind != "build" or self.path is None or name not in ("report.html",):
            return None
        f = self.path / name
        return f if f.is_file() else None

    def has_file(self, name: str) -> bool:
        return self.file(name) is not None

    def table_info(self, name: str) -> dict[str, Any]:
        t = (self.lineage.get("tables") or {}).get(name) or {}
        return {"name": name, "description": str(t.get("description") or ""), "stage": str(t.get("stage") or ""),
                "synthetic": bool(t.get("synthetic", False))}

    # -- re-scoring ---------------------------------------------------------------------------------
    def view(self, name: str) -> AssessmentView:
        if name not in self.assessments:
            raise KeyError(name)
        return self.assessments[name]


def _methods(view: AssessmentView, normalisation: str | None, aggregation: str | None
             ) -> tuple[str | None, dict[str, Any] | None, str | None]:
    """The engine's (normalisation method, its parameters, aggregation) for page settings;
    ``None`` = as built (a normalisation is a key of ``view.norm_options``)."""
    if normalisation == view.base_normalisation:
        normalisation = None
    if aggregation == view.base_aggregation and aggregation is not None:
        # the framework may set per-node/level aggregators: "as built" keeps them
        aggregation = None
    opt = view.norm_options.get(normalisation) if normalisation else None
    return (opt.method if opt else normalisation), (opt.params if opt else None), aggregation


def is_fast(view: AssessmentView, normalisation: str | None, aggregation: str | None) -> bool:
    """Whether a re-score with these settings is the engine's sub-millisecond path (normalisation
    cached, power means only): the caller may then answer without a thread hop."""
    method, params, aggregation = _methods(view, normalisation, aggregation)
    return bool(view.rescorer.is_fast(method, aggregation, normalisation_params=params))


def rescore(view: AssessmentView, weights: dict[str, float] | None, normalisation: str | None,
            aggregation: str | None):
    """Scores and ranks for the given settings through the engine's Rescorer; also returns the
    weight vector and a Result view (for contributions). ``None`` = as built; ``normalisation`` is
    a key of ``view.norm_options``. An answer where nobody is scored is an ``InputError``."""
    rs = view.rescorer
    fw = view.framework
    method, params, aggregation = _methods(view, normalisation, aggregation)
    w = rs.weights(weights or None)
    Xn = rs.normalised(method, params)           # cached per method (the Rescorer locks a first computation)
    plan, powers = rs.plan(aggregation)
    out = Scored(rs.scores_for(w, Xn, plan, powers), fw.root)
    why = _unscored(view, out)
    if why:
        raise InputError(f"{why}: aggregation '{aggregation or view.base_aggregation}' after normalisation "
                         f"'{normalisation or view.base_normalisation}' leaves every unit without a score",
                         hint="choose another aggregation or normalisation")
    # the attributes :func:`suanli.index.explain.contributions` reads, for these settings
    res = _Settled(out, framework=fw, V=out.V, weights=w, plan=plan, normalised=Xn,
                   unit_ids=view.result.unit_ids, unit_names=view.result.unit_names)
    return out, res


class _Settled(SimpleNamespace):
    """A Result-like view of one re-score (its ranks are computed only if read)."""

    def __init__(self, out: Scored, **kw: Any) -> None:
        super().__init__(**kw)
        self._out = out

    @property
    def ranks(self) -> np.ndarray:
        return self._out.ranks
