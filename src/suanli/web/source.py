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
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ConfigError, InputError, SuanliError

TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,80}$")


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
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def unit_ids(self) -> np.ndarray:
        return self.result.unit_ids

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
        else:
            if p is not None and p.is_dir() and not (p / "edition.yaml").is_file():
                raise InputError("neither an edition folder (no edition.yaml) nor a build folder (no lineage.json)",
                                 file=str(p))
            src.edition = load_edition(p)
            src.path = src.edition.root
            src.notes.append("未构建的版本：算力与市场表在 'suanli build' 之后出现 / serving an edition without a "
                             "build: capacity and market tables appear after 'suanli build'")
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
            norm = next(s for s in spec.steps if s.step == "normalise")
            agg = next(s for s in spec.steps if s.step == "aggregate")
            view = AssessmentView(
                name, cfg.title_zh or fw.name_zh or name, cfg.title_en or fw.name_en or name, fw, result, rs,
                y, [int(v) for v in years if v is not None], cfg.group,
                bool(ed.inputs[cfg.data].synthetic or ed.inputs[cfg.framework].synthetic), spec.to_list(),
                base_normalisation=norm.method, base_aggregation=agg.method)
            # offer the methods that work on this data without extra parameters (tried once; the
            # normalised variants stay cached in the Rescorer, so later requests only aggregate)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                self._probe(view, rs, norm.method)
            self.assessments[name] = view

    @staticmethod
    def _probe(view: AssessmentView, rs: Any, base_norm: str) -> None:
        from ..index.aggregate import AGGREGATORS
        from ..index.normalise import NORMALISERS

        for m in NORMALISERS.names():
            try:
                X = rs.normalised(None if m == base_norm else m)
                if np.isfinite(X).any():
                    view.normalisations.append(m)
            except Exception:  # noqa: BLE001 - a method that needs parameters is simply not offered
                pass
        for m in AGGREGATORS.names():
            t0 = time.perf_counter()
            try:
                rs.rescore(aggregation=m)
            except InputError:
                pass  # depends on the data (e.g. gmean needs positive values): offered, the message is shown
            except Exception:  # noqa: BLE001 - needs parameters: not offered
                continue
            if time.perf_counter() - t0 < 0.5:
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

    def table_info(self, name: str) -> dict[str, Any]:
        t = (self.lineage.get("tables") or {}).get(name) or {}
        return {"name": name, "description": str(t.get("description") or ""), "stage": str(t.get("stage") or ""),
                "synthetic": bool(t.get("synthetic", False))}

    # -- re-scoring ---------------------------------------------------------------------------------
    def view(self, name: str) -> AssessmentView:
        if name not in self.assessments:
            raise KeyError(name)
        return self.assessments[name]


def rescore(view: AssessmentView, weights: dict[str, float] | None, normalisation: str | None,
            aggregation: str | None):
    """Scores and ranks for the given settings through the engine's Rescorer; also returns the
    weight vector and a Result view (for contributions). ``None`` = as built."""
    from ..index.aggregate import AGGREGATORS, AggregationPlan

    rs = view.rescorer
    fw = view.framework
    if normalisation == view.base_normalisation:
        normalisation = None
    if aggregation == view.base_aggregation and aggregation is not None:
        # the framework may set per-node/level aggregators: "as built" keeps them
        aggregation = None
    with view.lock:  # the Rescorer's normalisation cache is a plain dict
        out = rs.rescore(weights or None, normalisation, aggregation)
        Xn = rs.normalised(normalisation)
    w = rs.base_weights.copy()
    if weights:
        w = fw.weight_vector({**dict(zip(fw.ids, w, strict=True)), **weights})
    plan = rs.result.plan if aggregation is None else AggregationPlan(
        AGGREGATORS.create(aggregation), dat_thresh=rs.result.plan.dat_thresh)
    # the attributes :func:`suanli.index.explain.contributions` reads, for these settings
    res = SimpleNamespace(framework=fw, V=out.V, ranks=out.ranks, weights=w, plan=plan, normalised=Xn,
                          unit_ids=view.result.unit_ids, unit_names=view.result.unit_names)
    return out, res
