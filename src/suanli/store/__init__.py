"""The build store: one DuckDB file per build plus CSV copies of every result table.

A build writes into a hidden temporary folder next to the target (``.out.building-XXXX``) and
swaps it into place only when everything is written (:func:`atomic_swap`): on Linux the two
folders are exchanged in one ``renameat2(RENAME_EXCHANGE)`` call, so a reader sees either the
old output or the new one, never a mix; a killed build leaves the previous folder untouched.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from ..errors import BuildError
from ..io.cells import csv_text
from .value_class import RANK, VALUE_CLASSES, check, floor, furthest

if TYPE_CHECKING:  # pandas and numpy are imported where a table is written or read, not by a
    import pandas as pd  # build that only reuses the previous output's tables

DB_NAME = "suanli.duckdb"
TABLES_DIR = "tables"


@dataclass
class Provenance:
    """Where a table came from."""

    table: str
    stage: str
    method: str
    params: dict[str, Any] = field(default_factory=dict)
    inputs: list[str] = field(default_factory=list)
    synthetic: bool = False
    description: str = ""
    kind: str = "result"  # result | input
    value_classes: list[str] = field(default_factory=list)  # the classes present, nearest to a source first


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    np = sys.modules.get("numpy")  # a numpy scalar means numpy is loaded
    if np is not None and isinstance(x, np.integer):
        return int(x)
    if np is not None and isinstance(x, np.floating):
        return float(x)
    if isinstance(x, Path):
        return str(x)
    return x


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Deterministic CSV: UTF-8, '\\n' line ends, shortest round-trip floats, no index.

    Text cells that a spreadsheet would run as a formula get a leading apostrophe
    (:func:`suanli.io.cells.csv_text`); numbers are never touched.
    """
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].map(csv_text)
    out.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


class Store:
    """A DuckDB database in a build folder, with provenance for every table."""

    def __init__(self, folder: Path, *, write_csv_tables: bool = True) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / TABLES_DIR).mkdir(exist_ok=True)
        self.con = duckdb.connect(str(self.folder / DB_NAME))
        self.write_csv_tables = write_csv_tables
        self.provenance: dict[str, Provenance] = {}
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS provenance (table_name VARCHAR PRIMARY KEY, kind VARCHAR, stage VARCHAR,"
            " method VARCHAR, params VARCHAR, inputs VARCHAR, synthetic BOOLEAN, description VARCHAR,"
            " value_classes VARCHAR)"
        )

    @classmethod
    def open_read_only(cls, folder: Path) -> Store:
        """The store of a finished build, opened read-only: nothing is written (no WAL, no tables
        created) and DuckDB takes no write lock, so other readers such as ``suanli serve`` keep
        working. ``write_table`` on it raises DuckDB's read-only error."""
        folder = Path(folder)
        db = folder / DB_NAME
        if not db.is_file():
            raise BuildError(f"{folder} is not a build folder (no {DB_NAME})")
        self = cls.__new__(cls)
        self.folder = folder
        self.con = duckdb.connect(str(db), read_only=True)
        self.write_csv_tables = False
        self.provenance = {}
        return self

    # -- tables -------------------------------------------------------------------------------
    def write_table(
        self,
        name: str,
        df: pd.DataFrame,
        *,
        stage: str,
        method: str,
        params: dict[str, Any] | None = None,
        inputs: Sequence[str] = (),
        synthetic: bool = False,
        description: str = "",
        csv: bool = True,
        value_class: str | None = None,
    ) -> None:
        """Store ``df`` as table ``name`` (and ``tables/name.csv``) with its provenance.

        Every table carries a ``value_class`` column (stated / derived / modelled / synthetic, see
        :mod:`suanli.store.value_class`): ``df``'s own column, or ``value_class`` for every row.
        The store refuses other words, missing classes, and rows nearer to a source than their
        inputs allow: if an input table (named in ``inputs``, as a table or an edition input) is
        synthetic throughout, or ``synthetic=True`` declares a synthetic input, every row must be
        synthetic; if an input is modelled or synthetic throughout, every row must be at least
        modelled.
        """
        if not name.replace("_", "").isalnum():
            raise ValueError(f"table {name!r} must be letters, digits and underscores")
        df = df.reset_index(drop=True)
        if "value_class" not in df.columns:
            if value_class is None:
                raise BuildError(f"table {name} ({stage} stage) has no value_class column: every table says for each "
                                 f"row whether it is {', '.join(VALUE_CLASSES)} (add the column, or pass "
                                 "value_class= when the whole table is one class)")
            try:
                df = df.assign(value_class=check(value_class))
            except ValueError as e:
                raise BuildError(f"table {name}: {e}") from None
        classes = df["value_class"]
        bad = ~classes.isin(VALUE_CLASSES)
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise BuildError(f"table {name} ({stage} stage), row {i + 1}: value_class {classes.iloc[i]!r} is not one "
                             f"of {', '.join(VALUE_CLASSES)} ({int(bad.sum())} such rows)")
        needs = [(self.input_floor(i), i) for i in inputs] + ([("synthetic", "synthetic=True")] if synthetic else [])
        need = furthest(c for c, _ in needs)
        # the rule binds synthetic and modelled inputs; a stated value may pass through a table that
        # also uses derived inputs, so 'derived' is not forced on every row
        if RANK[need] >= RANK["modelled"]:
            low = classes.map(RANK).to_numpy() < RANK[need]
            if low.any():
                i = int(low.nonzero()[0][0])
                why = next(src for c, src in needs if c == need)
                raise BuildError(f"table {name} ({stage} stage), row {i + 1}: value_class {classes.iloc[i]!r}, but "
                                 f"input {why} is {need} throughout, so everything computed from it is at least "
                                 f"{need} ({int(low.sum())} such rows)")
        present = sorted(set(classes), key=RANK.__getitem__)
        self.con.register("_df", df)
        try:
            self.con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _df')
        finally:
            self.con.unregister("_df")
        syn = bool(synthetic or "synthetic" in present)
        prov = Provenance(name, stage, method, _jsonable(params or {}), list(inputs), syn, description,
                          "input" if stage == "ingest" else "result", present)
        self.provenance[name] = prov
        self.con.execute("DELETE FROM provenance WHERE table_name = ?", [name])
        self.con.execute(
            "INSERT INTO provenance VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [name, prov.kind, stage, method, json.dumps(prov.params, ensure_ascii=False, sort_keys=True),
             json.dumps(prov.inputs, ensure_ascii=False), syn, description, ",".join(present)],
        )
        if csv and self.write_csv_tables and prov.kind == "result":
            write_csv(df, self.folder / TABLES_DIR / f"{name}.csv")

    def input_floor(self, name: str) -> str:
        """The class every value of input ``name`` is at least (``stated`` when unknown or empty)."""
        prov = self.provenance.get(name) or self.provenance.get(f"input_{name}")
        if prov is None or not prov.value_classes:
            return "synthetic" if prov is not None and prov.synthetic else "stated"
        return floor(prov.value_classes)

    def write_input(self, name: str, df: pd.DataFrame, *, path: str, synthetic: bool, source: str = "") -> None:
        """Store an input table as read (typed), so a build's store holds everything it used.

        An input declared synthetic is synthetic throughout; any other input is stated (printed in
        its source) unless it carries its own ``value_class`` column."""
        df = df.drop(columns=[c for c in df.columns if c == "_line"])
        vc = "synthetic" if synthetic else (None if "value_class" in df.columns else "stated")
        if synthetic and "value_class" in df.columns:
            df = df.drop(columns=["value_class"])
        self.write_table(f"input_{name}", df, stage="ingest", method="read", params={"path": path},
                         synthetic=synthetic, description=source, csv=False, value_class=vc)

    def read_table(self, name: str) -> pd.DataFrame:
        return self.con.execute(f'SELECT * FROM "{name}"').df()

    def has_table(self, name: str) -> bool:
        # fetchall, not fetchone: a half-read result blocks the connection's next register()
        return bool(self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchall()[0][0])

    def tables(self) -> list[str]:
        return [r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY table_name").fetchall()]

    # -- runs ---------------------------------------------------------------------------------
    def record_run(self, *, edition: str, code_version: str, input_hashes: dict[str, str],
                   parameters: dict[str, Any], started: datetime, finished: datetime) -> None:
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS runs (edition VARCHAR, code_version VARCHAR, input_hashes VARCHAR,"
            " parameters VARCHAR, started TIMESTAMP, finished TIMESTAMP)"
        )
        self.con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?)",
            [edition, code_version, json.dumps(input_hashes, sort_keys=True),
             json.dumps(_jsonable(parameters), ensure_ascii=False, sort_keys=True),
             started.replace(tzinfo=None), finished.replace(tzinfo=None)],
        )

    def close(self) -> None:
        try:
            self.con.execute("CHECKPOINT")
        finally:
            self.con.close()


def now() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------------------------
# Atomic output folders
# --------------------------------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2_exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(_AT_FDCWD, os.fsencode(str(a)), _AT_FDCWD, os.fsencode(str(b)), _RENAME_EXCHANGE)
    return rc == 0


def staging_dir(target: Path) -> Path:
    """A fresh hidden folder beside ``target`` for a build to write into."""
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    d = target.parent / f".{target.name}.building-{uuid.uuid4().hex[:10]}"
    d.mkdir()
    return d


def recover(target: Path) -> None:
    """Clean up after a build killed mid-swap: restore a lone backup, drop stale staging dirs."""
    target = Path(target).resolve()
    parent = target.parent
    if not parent.exists():
        return
    olds = sorted(parent.glob(f".{target.name}.old-*"))
    if not target.exists() and olds:
        os.rename(olds[-1], target)
        olds = olds[:-1]
    for d in olds + list(parent.glob(f".{target.name}.building-*")):
        shutil.rmtree(d, ignore_errors=True)


def atomic_swap(staging: Path, target: Path) -> None:
    """Put ``staging`` in place of ``target``; the previous ``target`` is removed afterwards."""
    target = Path(target).resolve()
    staging = Path(staging).resolve()
    if target.exists() and not target.is_dir():
        raise BuildError(f"{target} exists and is not a folder; choose another --out")
    if target.exists():
        if _renameat2_exchange(staging, target):
            shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old build
            return
        backup = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:10]}"
        os.rename(target, backup)
        os.rename(staging, target)
        shutil.rmtree(backup, ignore_errors=True)
    else:
        os.rename(staging, target)
