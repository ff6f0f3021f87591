"""Write the report files: ``report.html``, ``report.pdf``, ``figures/`` and ``tables.xlsx``.

Languages: the first language in ``langs`` writes ``report.html``/``report.pdf``/``figures/``;
each further language writes ``report.<lang>.html``, ``report.<lang>.pdf`` and
``figures/<lang>/``. ``tables.xlsx`` is written once with zh and en headers.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import plotly
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ..edition import Edition
from ..store import Store
from . import render_mpl, render_plotly
from .cache import Cache, code_salt, default_cache_dir, sha
from .data import ReportData
from .document import Document, build_document


@cache
def _env() -> Environment:
    return Environment(loader=PackageLoader("suanli.report", "templates"), autoescape=select_autoescape(
        enabled_extensions=("html", "j2", "xml"), default_for_string=True, default=True))


@cache
def _plotly_js() -> str:
    p = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    js = p.read_text(encoding="utf-8")
    if "</script" in js.lower():  # would end the inline <script> early
        js = js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")
    return js


@cache
def _css() -> str:
    return (Path(__file__).parent / "templates" / "report.css").read_text(encoding="utf-8")


def report_files(langs: list[str]) -> dict[str, dict[str, str]]:
    """File names per language (relative to the output folder)."""
    out = {}
    for i, lang in enumerate(langs):
        sfx = "" if i == 0 else f".{lang}"
        out[lang] = {"html": f"report{sfx}.html", "pdf": f"report{sfx}.pdf",
                     "figures": "figures" if i == 0 else f"figures/{lang}"}
    return out


def write_report(store: Store, edition: Edition, out: Path, langs: list[str] | None = None, *,
                 cache_dir: Path | None | bool = None, formats: tuple[str, ...] = ("html", "pdf", "xlsx"),
                 log: Callable[[str], None] | None = None) -> dict[str, object]:
    """Render every report file for ``langs`` into ``out``. Returns a summary (files, figure counts, timings)."""
    langs = list(dict.fromkeys(langs or ["zh"]))
    out = Path(out)
    cdir = None if cache_dir is False else (Path(cache_dir) if cache_dir else default_cache_dir(out))
    cch = Cache(cdir)
    salt = code_salt()
    names = report_files(langs)
    summary: dict[str, object] = {"files": [], "figures": {}, "timings": {}}
    docs: dict[str, Document] = {}
    for lang in langs:
        t0 = time.perf_counter()
        rd = ReportData(store, lang)
        doc = build_document(rd, edition)
        others = [x for x in langs if x != lang]
        doc.other_lang_href = names[others[0]]["html"] if others else None
        docs[lang] = doc
        figdir = out / names[lang]["figures"]
        fig_png = _write_figures(doc, figdir, names[lang]["figures"], cch, salt)
        summary["figures"][lang] = len(doc.figures)
        t1 = time.perf_counter()
        if "html" in formats:
            fig_json = {}
            for f in doc.figures:
                key = f.content_hash(salt)
                b = cch.get("plotly", key, "json")
                if b is None:
                    b = render_plotly.safe_json(f).encode("utf-8")
                    cch.put("plotly", key, "json", b)
                fig_json[f.id] = Markup(b.decode("utf-8"))
            html = _env().get_template("report.html.j2").render(
                doc=doc, mode="html", css=Markup(_css()), plotly_js=Markup(_plotly_js()), fig_json=fig_json, fig_png={})
            (out / names[lang]["html"]).write_text(html, encoding="utf-8")
            summary["files"].append(names[lang]["html"])
        t2 = time.perf_counter()
        if "pdf" in formats:
            _write_pdf(doc, out, names[lang]["pdf"], fig_png, cch, salt)
            summary["files"].append(names[lang]["pdf"])
        t3 = time.perf_counter()
        summary["timings"][lang] = {"document+figures": round(t1 - t0, 2), "html": round(t2 - t1, 2),
                                    "pdf": round(t3 - t2, 2)}
        if log:
            log(f"report[{lang}]: {len(doc.figures)} figures, {len(doc.findings)} key findings "
                f"({t3 - t0:.1f} s; cache {cch.hits} hits / {cch.misses} misses)")
    if "xlsx" in formats:
        from .xlsx import write_workbook

        first = docs[langs[0]]
        fig_dir = out / names[langs[0]]["figures"]
        write_workbook(store, out / "tables.xlsx", first, fig_dir, cch, salt)
        summary["files"].append("tables.xlsx")
    cch.prune()
    summary["cache"] = {"hits": cch.hits, "misses": cch.misses, "folder": str(cdir) if cdir else None}
    return summary


def _write_figures(doc: Document, figdir: Path, rel: str, cch: Cache, salt: str) -> dict[str, str]:
    """PNG + SVG of every figure (cached); also ``index.csv``. Returns id → relative PNG path."""
    figdir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, str] = {}
    rows = []
    for f in doc.figures:
        key = f.content_hash(salt)
        png, svg = cch.get("fig", key, "png"), cch.get("fig", key, "svg")
        if png is None or svg is None:
            png, svg = render_mpl.render(f)
            cch.put("fig", key, "png", png)
            cch.put("fig", key, "svg", svg)
        stem = f"fig{f.number:02d}_{f.id}"
        (figdir / f"{stem}.png").write_bytes(png)
        (figdir / f"{stem}.svg").write_bytes(svg)
        paths[f.id] = f"{rel}/{stem}.png"
        rows.append([f.number, f.id, f.section, f.kind, f.title, f.source, " ".join(f.tables),
                     "synthetic" if f.synthetic else "real", f"{stem}.png", f"{stem}.svg"])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["number", "id", "section", "kind", "title", "source", "tables", "data", "png", "svg"])
    for r in rows:
        w.writerow([("'" + x) if isinstance(x, str) and x[:1] in "=+-@" else x for x in r])
    (figdir / "index.csv").write_text(buf.getvalue(), encoding="utf-8")
    return paths


@cache
def _font_css() -> str:
    """@font-face for WeasyPrint: the SC face of the PyPI Noto CJK collection, extracted once."""
    from .fonts import sc_font_path

    p = sc_font_path()
    if p is None:
        return ""
    return (f'@font-face {{ font-family: "Noto Sans CJK SC"; src: url("{p.resolve().as_uri()}"); font-weight: 100 900; }}\n')


def _write_pdf(doc: Document, out: Path, name: str, fig_png: dict[str, str], cch: Cache, salt: str) -> None:
    html = _env().get_template("report.html.j2").render(
        doc=doc, mode="pdf", css=Markup(_font_css() + _css()), plotly_js="", fig_json={}, fig_png=fig_png)
    img_hash = sha(*[(out / p).read_bytes() for p in sorted(fig_png.values())])
    key = sha(html, img_hash, salt)
    pdf = cch.get("pdf", key, "pdf")
    if pdf is None:
        from weasyprint import HTML

        pdf = HTML(string=html, base_url=str(out.resolve()) + "/").write_pdf()
        cch.put("pdf", key, "pdf", pdf)
    (out / name).write_bytes(pdf)
