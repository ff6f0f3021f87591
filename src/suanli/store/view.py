"""A read-only view of a finished build, for notebooks and scripts.

``suanli.open_build("out")`` returns a :class:`BuildView`: the build's tables as pandas
DataFrames (with units and provenance in ``DataFrame.attrs``), the provenance of each table, the
lineage record and the report's figures as plotly figures. Opening a build writes nothing into it
and takes no write lock: the DuckDB store is opened read-only for each read and closed again, so a
view works while ``suanli serve`` reads the same folder, and a later ``suanli build`` can still
replace the folder atomically.
"""

from __future__ import annotations

import json
from functools import cached_property
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

    from ..edition import Edition

DB_NAME = "suanli.duckdb"  # same as suanli.store.DB_NAME (not imported: that pulls in DuckDB and pandas)


class BuildView:
    """A finished build folder (the ``--out`` of ``suanli build``), read-only."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).resolve()
        lin = self.path / "lineage.json"
        if not lin.is_file() or not (self.path / DB_NAME).is_file():
            raise ConfigError("is not a finished build folder (needs lineage.json and suanli.duckdb)",
                              file=self.path, hint="build one with `suanli build --out DIR` or suanli.build(out=DIR)")
        try:
            self.lineage: dict[str, Any] = json.loads(lin.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"lineage.json cannot be read ({exc})", file=lin) from None

    # -- what the build is ------------------------------------------------------------------
    @property
    def edition_id(self) -> str:
        return str(self.lineage.get("edition", ""))

    @property
    def code_version(self) -> str:
        return str(self.lineage.get("code_version", ""))

    @property
    def synthetic(self) -> bool:
        """True when any input of the edition is synthetic (every output says so)."""
        return bool(self.lineage.get("synthetic"))

    @property
    def finished(self) -> str:
        return str(self.lineage.get("finished", ""))

    @cached_property
    def tables(self) -> list[str]:
        """Names of every table in the build's store: results first, then inputs (``input_*``)."""
        prov = self.lineage.get("tables") or {}
        results = sorted(k for k, v in prov.items() if v.get("kind") != "input")
        inputs = sorted(k for k, v in prov.items() if v.get("kind") == "input")
        return results + inputs

    # -- reading --------------------------------------------------------------------------------
    def _connect(self):
        import duckdb

        return duckdb.connect(str(self.path / DB_NAME), read_only=True)

    def _check(self, name: str) -> None:
        if name not in self.tables:
            from difflib import get_close_matches

            near = get_close_matches(name, self.tables, n=3, cutoff=0.5)
            raise ConfigError(f"build has no table {name!r}", file=self.path,
                              hint=f"did you mean {', '.join(near)}?" if near else "see .tables for the names")

    def table(self, name: str) -> pd.DataFrame:
        """Table ``name`` as a DataFrame; ``.attrs`` holds ``provenance``, ``units`` (column → unit,
        where known) and ``table``."""
        self._check(name)
        con = self._connect()
        try:
            df = con.execute(f'SELECT * FROM "{name}"').df()
        finally:
            con.close()
        df.attrs["table"] = name
        df.attrs["provenance"] = self.provenance(name)
        df.attrs["units"] = column_units(df.columns)
        return df

    def provenance(self, name: str) -> dict[str, Any]:
        """Where table ``name`` came from: stage, method, parameters, input tables, synthetic flag."""
        self._check(name)
        return dict((self.lineage.get("tables") or {})[name])

    @cached_property
    def edition(self) -> Edition:
        """The edition as it was built (from the lineage record's parameters)."""
        from ..edition import Edition

        ed = Edition.model_validate(self.lineage.get("parameters") or {})
        folder = Path(str(self.lineage.get("edition_folder", "")))
        ed._root = folder
        ed._file = folder / "edition.yaml"
        return ed

    def figures(self, lang: str = "zh") -> pd.DataFrame:
        """The report's figures: number, id, section, kind, title."""
        import pandas as pd

        doc = self._document(lang)
        return pd.DataFrame([{"number": f.number, "id": f.id, "section": f.section, "kind": f.kind, "title": f.title}
                             for f in doc.figures])

    def figure(self, id: str | int, lang: str = "zh") -> go.Figure:
        """The report's figure ``id`` (its id, e.g. ``"capacity_national"``, or its number) as a plotly figure."""
        from ..report.render_plotly import figure as to_plotly

        doc = self._document(lang)
        for f in doc.figures:
            if f.id == id or (isinstance(id, int) and f.number == id):
                return to_plotly(f)
        raise ConfigError(f"the report has no figure {id!r}",
                          hint="figure ids: " + ", ".join(f.id for f in doc.figures[:60]))

    def _document(self, lang: str):
        if lang not in ("zh", "en"):
            raise ConfigError(f"unknown language {lang!r}; use zh or en")
        cache = self.__dict__.setdefault("_docs", {})
        if lang not in cache:
            from ..report.data import ReportData
            from ..report.document import build_document
            from . import Store

            store = Store.open_read_only(self.path)
            try:
                cache[lang] = build_document(ReportData(store, lang), self.edition)
            finally:
                store.con.close()
        return cache[lang]

    # -- display -----------------------------------------------------------------------------------
    def __repr__(self) -> str:
        kinds = self.lineage.get("tables") or {}
        n_res = sum(1 for v in kinds.values() if v.get("kind") != "input")
        shown = ", ".join(t for t in self.tables if not t.startswith("input_"))
        if len(shown) > 900:
            shown = shown[:900].rsplit(", ", 1)[0] + ", …"
        return (f"<suanli build {self.path}\n edition {self.edition_id}, code {self.code_version}, "
                f"finished {self.finished[:19]}\n"
                f" {'SYNTHETIC data: outputs computed from generated inputs' if self.synthetic else 'no synthetic input'}\n"
                f" {n_res} result tables, {len(self.tables) - n_res} input tables: {shown}>")

    def _repr_html_(self) -> str:
        kinds = self.lineage.get("tables") or {}
        rows = "".join(
            f"<tr><td><code>{escape(t)}</code></td><td>{escape(str(kinds[t].get('stage', '')))}</td>"
            f"<td>{'synthetic' if kinds[t].get('synthetic') else ''}</td></tr>"
            for t in self.tables if not t.startswith("input_"))
        badge = ('<b style="color:#b00">SYNTHETIC data</b>: every output computed from generated inputs'
                 if self.synthetic else "no synthetic input")
        return (f"<div><b>suanli build</b> <code>{escape(str(self.path))}</code><br>edition "
                f"<b>{escape(self.edition_id)}</b>, code {escape(self.code_version)}, finished "
                f"{escape(self.finished[:19])}<br>{badge}<details><summary>{len(self.tables)} tables</summary>"
                f"<table><thead><tr><th>table</th><th>stage</th><th>data</th></tr></thead><tbody>{rows}"
                f"</tbody></table></details></div>")


def column_units(columns: Any) -> dict[str, str]:
    """Unit of each known column (the report's column catalogue), e.g. ``intelligent_eflops`` → EFLOPS."""
    from ..report.i18n import column_header

    out = {}
    for c in columns:
        unit = column_header(str(c), "en")[1]
        if unit:
            out[str(c)] = unit
    return out


def open_build(path: str | Path = "out") -> BuildView:
    """A read-only view of the finished build in ``path``."""
    return BuildView(path)


__all__ = ["BuildView", "column_units", "open_build"]
