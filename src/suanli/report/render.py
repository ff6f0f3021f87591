"""Write the report files: ``report.html``, ``report.pdf``, ``figures/`` and ``tables.xlsx``.

Languages: the first language in ``langs`` writes ``report.html``/``report.pdf``/``figures/``;
each further language writes ``report.<lang>.html``, ``report.<lang>.pdf`` and
``figures/<lang>/``. ``tables.xlsx`` is written once with zh and en headers.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from multiprocessing import get_context
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ..edition import Edition
from ..store import Store
from . import render_plotly
from .cache import Cache, code_salt, default_cache_dir, sha
from .data import ReportData
from .document import Document, build_document, build_figures
from .formats import FORMATS
from .margins import CHART_WIDTH, NARROW_WIDTH, text_width
from .plotlyjs import script_tags


@cache
def _env() -> Environment:
    return Environment(loader=PackageLoader("suanli.report", "templates"), autoescape=select_autoescape(
        enabled_extensions=("html", "j2", "xml"), default_for_string=True, default=True))


@cache
def _css(screen: bool = False) -> str:
    """The report's style sheet; ``screen``: with the rules for the browser page only (report-screen.css)."""
    tpl = Path(__file__).parent / "templates"
    css = (tpl / "report.css").read_text(encoding="utf-8")
    return css + (tpl / "report-screen.css").read_text(encoding="utf-8") if screen else css


def report_files(langs: list[str]) -> dict[str, dict[str, str]]:
    """File names per language (relative to the output folder)."""
    out = {}
    for i, lang in enumerate(langs):
        sfx = "" if i == 0 else f".{lang}"
        out[lang] = {"html": f"report{sfx}.html", "pdf": f"report{sfx}.pdf",
                     "figures": "figures" if i == 0 else f"figures/{lang}"}
    return out


def write_report(store: Store, edition: Edition, out: Path, langs: list[str] | None = None, *,
                 cache_dir: Path | None | bool = None, formats: tuple[str, ...] = FORMATS,
                 log: Callable[[str], None] | None = None) -> dict[str, object]:
    """Render every report file for ``langs`` into ``out`` (``formats``: any of
    :data:`~suanli.report.formats.FORMATS`).
    Returns a summary (files, figure counts, timings)."""
    langs = list(dict.fromkeys(langs or ["zh"]))
    out = Path(out)
    cdir = None if cache_dir is False else (Path(cache_dir) if cache_dir else default_cache_dir(out))
    cch = Cache(cdir)
    salt = code_salt()
    salt_mpl, salt_plotly = code_salt("mpl"), code_salt("plotly")
    names = report_files(langs)
    summary: dict[str, object] = {"files": [], "figures": {}, "timings": {}}
    docs: dict[str, Document] = {}
    t0 = time.perf_counter()
    sweep_font_folders()  # what a killed build's PDF worker left
    store_reference_facts(store)
    with _Pool() as pool:
        if cch.empty("fig"):
            # nothing drawn before: the render workers start now and load matplotlib, WeasyPrint and
            # the fonts while this process assembles the documents, instead of after
            pool.warm(pdfs=len(langs) if "pdf" in formats else 0)
        for lang in langs:
            rd = ReportData(store, lang)
            doc = build_document(rd, edition)
            others = [x for x in langs if x != lang]
            doc.other_lang_href = names[others[0]]["html"] if others else None
            docs[lang] = doc
        t1 = time.perf_counter()
        # The PDFs are the longest jobs and embed the PNGs, so the PNGs come first: the figure workers
        # lay out and draw them while this process waits. Then the PDF workers typeset the PDFs while
        # this process writes the HTML pages (plotly JSON) and the workbook, and the figure workers
        # write, at a lower CPU priority, the SVGs of the figures they still hold (the SVGs only go to
        # figures/: nothing waits for them but the end of the build).
        # which languages need PNGs: every one for its PDF or figures/, the first for the workbook
        svg = "figures" in formats
        every = bool({"pdf", "figures"} & set(formats))
        png = [lang for i, lang in enumerate(docs) if every or (i == 0 and "xlsx" in formats)]
        # A PDF needs only the size of each figure to be laid out, and that is known before the figure
        # is drawn: each PDF not in the cache is laid out now, in a PDF worker, beside the figure
        # workers, and written there once the PNGs are (see _PdfJob).
        figures = _Figures([f for lang in png for f in docs[lang].figures], cch, salt_mpl, pool, svg=svg)
        pdf_jobs = [_start_pdf(doc, out, names[lang], salt_mpl, cch, salt, pool, i)
                    for i, (lang, doc) in enumerate(docs.items())] if "pdf" in formats else []
        t2 = time.perf_counter()
        figures.wait_png()
        figures.start_svg()
        for lang, doc in docs.items():
            summary["figures"][lang] = len(doc.figures)
            if lang in png:
                _write_figures(doc, out / names[lang]["figures"], names[lang]["figures"], salt_mpl, svg)
        for job in pdf_jobs:
            job.figures_written()
        t3 = time.perf_counter()
        for lang, doc in docs.items():
            if "html" in formats:
                _write_html(doc, out / names[lang]["html"], cch, salt_plotly)
                summary["files"].append(names[lang]["html"])
            if "pdf" in formats:
                summary["files"].append(names[lang]["pdf"])
            if log:
                log(f"report[{lang}]: {len(doc.figures)} figures, {len(doc.findings)} key findings")
        if "xlsx" in formats:
            from .xlsx import write_workbook

            # the charts sheet names each chart's columns in both languages: the other language's
            # figures, from its document or (a one-language build) made for the workbook alone
            other_lang = next((x for x in docs if x != langs[0]), "en" if langs[0] == "zh" else "zh")
            other = docs[other_lang].figures if other_lang in docs else build_figures(ReportData(store, other_lang))
            write_workbook(store, out / "tables.xlsx", docs[langs[0]], out / names[langs[0]]["figures"], cch, salt,
                           other)
            summary["files"].append("tables.xlsx")
        t4 = time.perf_counter()
        figures.wait_svg()
        for lang, doc in docs.items():
            if svg:
                _write_svgs(doc, out / names[lang]["figures"], salt_mpl)
        for job in pdf_jobs:
            job.finish()
    t5 = time.perf_counter()
    summary["pdf"] = [job.how for job in pdf_jobs]
    summary["timings"] = {"documents": round(t1 - t0, 2), "figures_queued": round(t2 - t1, 2),
                          "png_pdf_start": round(t3 - t2, 2), "html_xlsx": round(t4 - t3, 2),
                          "svg_pdf_wait": round(t5 - t4, 2)}
    if log:
        log(f"report: cache {cch.hits} hits / {cch.misses} misses; timings {summary['timings']}; "
            f"PDF {', '.join(summary['pdf']) or 'none'}")
    cch.prune()
    summary["code_version"] = next(iter(docs.values())).code_version if docs else None
    summary["cache"] = {"hits": cch.hits, "misses": cch.misses, "missed": cch.missed, "folder": str(cdir) if cdir else None}
    return summary


REFERENCE_FACTS = "report_reference_facts"


def store_reference_facts(store: Store) -> None:
    """Put the vendored reference facts the report cites (``data/report/model_facts.csv``) into the store
    as an input table, so every number the report prints, these included, is a stored value."""
    from .sections._facts import reference_facts

    df = reference_facts().copy()
    df["value"] = df["value"].astype(float)
    df["value_class"] = "stated"
    store.write_input(REFERENCE_FACTS, df, path="src/suanli/data/report/model_facts.csv", synthetic=False,
                      source="model developers' technical reports (see the source column)")


_png: dict[str, bytes] = {}
_svg: dict[str, bytes] = {}


class _Pool:
    """Worker processes (forked) for matplotlib and WeasyPrint; inline when there is one core.

    ``SUANLI_REPORT_WORKERS`` sets the number of figure workers (0 = render everything in this
    process). Each worker is its own single-process executor: a figure worker writes the SVG of a
    figure it laid out and still holds; a PDF worker writes the PDF it laid out (as many PDF workers,
    one per PDF up to that number).
    """

    def __init__(self) -> None:
        n = os.environ.get("SUANLI_REPORT_WORKERS")
        self.n = int(n) if n is not None else min(2, os.cpu_count() or 1)
        self._figure_workers: list[ProcessPoolExecutor] = []
        self._pdf_workers: list[ProcessPoolExecutor] = []

    @staticmethod
    def _new(workers: int = 1) -> ProcessPoolExecutor:
        import multiprocessing as mp

        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        return ProcessPoolExecutor(max_workers=workers, mp_context=get_context(method))

    def figure_workers(self) -> list[ProcessPoolExecutor]:
        if self.n > 0 and not self._figure_workers:
            self._figure_workers = [self._new() for _ in range(self.n)]
        return self._figure_workers

    def pdf_worker(self, i: int) -> ProcessPoolExecutor | None:
        """The PDF worker of the ``i``-th PDF (``None``: typeset in this process)."""
        if self.n <= 0:
            return None
        while len(self._pdf_workers) < min(i + 1, self.n):
            self._pdf_workers.append(self._new())
        return self._pdf_workers[i % self.n]

    def warm(self, pdfs: int) -> None:
        """Start the figure workers and the PDF workers of ``pdfs`` PDFs now, each loading what it will
        need (:func:`_warm_figures`, :func:`_warm_pdf`): forked before this process has imported
        matplotlib, they import it themselves, beside the documents' assembly, where forked after
        they would inherit it but this process would import it first, alone."""
        for ex in self.figure_workers():
            ex.submit(_warm_figures)
        for i in range(pdfs):
            worker = self.pdf_worker(i)
            if worker is not None and i < self.n:
                worker.submit(_warm_pdf)

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc) -> None:
        for ex in [*self._figure_workers, *self._pdf_workers]:
            ex.shutdown(wait=True, cancel_futures=True)


def _warm_figures() -> None:
    """In a figure worker: import matplotlib, register the CJK font and draw one text (which loads
    the font's face), so that the first figure waits for none of it."""
    from . import render_mpl

    render_mpl.setup_fonts()
    fig = render_mpl.plt.figure(figsize=(1, 1))
    try:
        fig.text(0.5, 0.5, "算力 AI")
        fig.canvas.draw()
    finally:
        render_mpl.plt.close(fig)


def _warm_pdf() -> None:
    """In a PDF worker: import WeasyPrint and extract the PDF's font face (once per machine)."""
    import weasyprint  # noqa: F401
    import weasyprint.text.fonts  # noqa: F401

    _font_css()


def _png_many(items: list) -> list[bytes]:
    """:func:`render_mpl.png_many` in a figure worker (this process need not import matplotlib)."""
    from . import render_mpl

    return render_mpl.png_many(items)


def _svg_many(items: list, background: bool = False) -> list[bytes]:
    """:func:`render_mpl.svg_many` in a figure worker."""
    from . import render_mpl

    return render_mpl.svg_many(items, background)


class _Figures:
    """Renders every figure not in the cache: first the PNGs (the PDF needs them), then the SVGs.

    A figure identical in both languages (same content hash) is rendered once. With worker processes
    the figures are dealt round-robin to the figure workers; each keeps the figures it laid out open
    until it has written their SVGs."""

    def __init__(self, figs: list, cch: Cache, salt: str, pool: _Pool, svg: bool = True) -> None:
        self.cch = cch
        todo_png: dict[str, object] = {}
        todo_svg: dict[str, object] = {}
        for f in figs:
            key = f.content_hash(salt)
            if key in todo_png or key in todo_svg:
                continue
            png = cch.get("fig", key, "png")
            if png is not None:
                _png[key] = png
            else:
                todo_png[key] = f
            if not svg:
                continue
            if (data := cch.get("fig", key, "svg")) is not None:
                _svg[key] = data
            else:
                todo_svg[key] = f
        self.todo_png, self.todo_svg = sorted(todo_png.items()), sorted(todo_svg.items())
        workers = pool.figure_workers() if len(self.todo_png) + len(self.todo_svg) >= 4 else []
        self.workers = workers
        self.png_futs: list = []
        self.svg_futs: list = []
        self.png_items: list[tuple[str, object, bool]] = []
        if not (self.todo_png or self.todo_svg):
            return
        svg_keys = set(todo_svg)
        # (key, spec, keep the figure open for its SVG)
        self.png_items = [(key, f, key in svg_keys) for key, f in self.todo_png]
        if workers:
            k = len(workers)
            # the figures are dealt round-robin: worker i lays out figures i, i + k, ... and keeps them
            batches = [self.png_items[i::k] for i in range(k)]
            self.png_futs = [(b, workers[i].submit(_png_many, b)) for i, b in enumerate(batches) if b]

    def wait_png(self) -> None:
        self._store("png", _png, self.png_futs, self.png_items, _png_many)

    def start_svg(self) -> None:
        if not self.workers or not self.todo_svg:
            return
        k = len(self.workers)
        where = {key: i for i in range(k) for key, _, _ in self.png_items[i::k]}
        batches: list[list] = [[] for _ in range(k)]
        for n, (key, f) in enumerate(self.todo_svg):
            batches[where.get(key, n % k)].append((key, f))
        self.svg_futs = [(b, self.workers[i].submit(_svg_many, b, True)) for i, b in enumerate(batches) if b]

    def wait_svg(self) -> None:
        self._store("svg", _svg, self.svg_futs, self.todo_svg, _svg_many)

    def _store(self, kind: str, into: dict[str, bytes], futs: list, items: list, inline: Callable) -> None:
        """Collect the ``kind`` bytes of every figure from the workers' futures (or render ``items``,
        each ``(key, spec, ...)``, in this process) and put them in the cache and ``into``."""
        if self.workers:
            results = [(item[0], r) for b, fu in futs for item, r in zip(b, fu.result(), strict=True)]
        elif items:
            results = list(zip([item[0] for item in items], inline(items), strict=True))
        else:
            results = []
        for key, data in sorted(results):
            self.cch.put("fig", key, kind, data)
            into[key] = data


def _write_html(doc: Document, path: Path, cch: Cache, salt: str) -> None:
    fig_json = {}
    for f in doc.figures:
        key = f.content_hash(salt)
        b = cch.get("plotly", key, "json")
        if b is None:
            b = render_plotly.safe_json(f).encode("utf-8")
            cch.put("plotly", key, "json", b)
        fig_json[f.id] = Markup(b.decode("utf-8"))
    html = _env().get_template("report.html.j2").render(
        doc=doc, mode="html", css=Markup(_css(screen=True)), plotly_js=Markup(script_tags()),
        plotly_template=Markup(render_plotly.template_json()), fig_json=fig_json, fig_png={}, table_height=table_height,
        narrow_column=NARROW_WIDTH, class_key=render_plotly.class_key)
    path.write_text(html, encoding="utf-8")


#: Width (px) of the PDF's text column: A4 (210 mm) less the page's 16 mm side margins (report.css
#: ``@page``), at CSS's 96 px to the inch.
PDF_COLUMN = (210 - 2 * 16) / 25.4 * 96
#: Body font size (px) of the PDF (``body.pdf``: 10 pt) and of the page (``body``: 15 px).
PDF_FONT, PAGE_FONT = 10 * 96 / 72, 15.0


def _table_metrics(small: bool, font: float) -> tuple[float, float, float, float]:
    """(font size, line height, vertical and horizontal cell padding with border) of a table, in px,
    for a body font of ``font`` px (report.css: ``table`` .88em, ``.small table`` .75em, line height
    1.65, cell padding .25em .5em, 1 px borders)."""
    size = font * (0.75 if small else 0.88)
    return size, 1.65 * size, 0.5 * size + 1, size + 1


def table_columns(columns: list, rows: list, small: bool = False, numeric: list | None = None,
                  column: float = CHART_WIDTH, font: float = PAGE_FONT, break_words: bool = True) -> list[float]:
    """Column widths (px, cell padding included) of a table in a text column ``column`` px wide, as
    the automatic table layout gives them: each column as wide as its widest cell (max-content) when
    they all fit. Otherwise it depends on the engine. A number column never wraps (``white-space:
    nowrap``), so it keeps its widest cell in both. Chromium (the page, ``break_words``) breaks even
    inside words in the cells (``word-break: break-word``), and the text columns share the rest in
    proportion to their widest cells. WeasyPrint (the PDF) keeps a Latin word or a number whole: each
    text column gets at least its longest unbreakable run (min-content) and the room left is shared in
    proportion to how much wider each column would like to be. Chinese text breaks between any two
    characters in both. Where WeasyPrint's rule would break a short Chinese column a character a line
    beside a long one, the PDF keeps that column whole (:data:`SHORT_CELL`)."""
    size, _, _, side = _table_metrics(small, font)
    table = [list(columns), *[list(r) for r in rows]]
    ncol = max(len(r) for r in table)
    cells = [[str(r[j]) for r in table if j < len(r)] for j in range(ncol)]
    # the header row is bold; the PDF has one face, which WeasyPrint emboldens, widening each glyph by
    # about 1/24 em (FreeType's synthetic bold): measured as regular, a header lost its last letter to
    # the next line ("Publishe|d", "Scena|rio")
    bold = 0.0 if break_words else size / 24

    def width(text: str, head: bool) -> float:
        return text_width(text, size) + (bold * len(text) if head else 0.0)

    widest = [max((width(c, i == 0) for i, c in enumerate(col)), default=0.0) + side for col in cells]
    if sum(widest) <= column:
        return widest
    nowrap = [bool(numeric and j < len(numeric) and numeric[j]) for j in range(ncol)]
    if break_words:
        # chromium: number columns keep their width, text columns share the rest (at least a quarter
        # of the column: past that the table overflows its scrolling box) in proportion to their
        # widest cells (fitted against chromium's layout of the report: test_report_charts.py)
        fixed = sum(w for w, n in zip(widest, nowrap, strict=True) if n)
        text = sum(w for w, n in zip(widest, nowrap, strict=True) if not n) or 1.0
        room = max(column - fixed, column / 4)
        return [w if n else max(room * w / text, 2 * side) for w, n in zip(widest, nowrap, strict=True)]
    # a short text column (a few characters: 分布, 三角分布, a range) is kept on one line: wrapped, each
    # of its cells would take two or three lines for a few pixels given to a long column beside it
    # (with a character's slack: WeasyPrint's cells come out a little narrower than computed); a
    # longer one is never narrower than that either: Chinese breaks between any two characters, so
    # its min-content is one character, and beside a long column it would get little more (权重（第
    # 二、三层）one character a line beside a list of twenty indicators)
    short = SHORT_CELL * size + side

    def runs(j: int, header_only: bool = False) -> float:  # the longest unbreakable run of column j's cells
        col = cells[j][:1] if header_only else cells[j]
        return max((width(w, i == 0) for i, c in enumerate(col) for w in unbreakable_runs(c)), default=0.0)

    # a number column keeps its numbers on one line (td.n), but its header wraps like any text: its
    # least width is its widest number or its header's longest word, not the whole header (a long
    # header over percentages took a third of the table and squeezed the names beside it: "Scena|rio")
    least = [max(max((width(c, False) for c in cells[j][1:]), default=0.0), runs(j, header_only=True)) + side
             if nowrap[j] else widest[j] + size if widest[j] <= short else max(short, runs(j) + side)
             for j in range(ncol)]
    room = column - sum(least)
    want = sum(widest) - sum(least)
    if room <= 0:
        # even the longest unbreakable runs do not fit (long table names side by side, or ten columns
        # of English). First give up what only Chinese needs: a short column's header may wrap
        # between its words ("Source / kind" over "press": a Chinese header has no spaces and stays
        # whole), and a longer column with no Chinese needs no more than its longest word (the 7.5 em
        # floor above is for Chinese, which breaks anywhere). Without this every column of the
        # English centre table fell below its longest word and every word broke (Langfan|g,
        # Operato|r, construc|tion).
        keep = [nowrap[j] or widest[j] <= short for j in range(ncol)]
        least = [max(max((width(c, False) for c in cells[j][1:]), default=0.0),
                     max((width(w, True) for w in cells[j][0].split()), default=0.0)) + side + size
                 if keep[j] and not nowrap[j] else
                 runs(j) + side if not keep[j] and not any(_CJK.search(c) for c in cells[j]) else lo
                 for j, lo in enumerate(least)]
        room = column - sum(least)
        if room >= 0:  # they fit so: the room left goes as it does above
            want = sum(widest) - sum(least)
            return [lo + room * (hi - lo) / want if want > 0 else lo for lo, hi in zip(least, widest, strict=True)]
        # still too wide: the short and number columns keep their width, the others share the rest in
        # proportion to their runs, which the PDF's style sheet then lets break (overflow-wrap:
        # anywhere) instead of overflowing
        fixed = sum(lo for lo, k in zip(least, keep, strict=True) if k)
        rest = sum(lo for lo, k in zip(least, keep, strict=True) if not k) or 1.0
        share = max(column - fixed, column / 4)
        return [lo if k else share * lo / rest for lo, k in zip(least, keep, strict=True)]
    if want <= 0:
        return least
    return [lo + room * (hi - lo) / want for lo, hi in zip(least, widest, strict=True)]


#: In the PDF, a text column whose widest cell is at most this many em (about as many Chinese
#: characters) gets its whole width (see :func:`table_columns`).
SHORT_CELL = 7.5

_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def cell_lines(cell: object) -> list[str]:
    """A table cell's lines: its parts between ``<br>`` (measured by :func:`text_width`, which drops
    tags and decodes entities)."""
    return _BR.split(str(cell))


#: a hyphen the line may break after: one before a letter (Accelerator-|hours, Qwen3-235B-|A22B), as
#: the Unicode line-breaking rules WeasyPrint follows allow; never before a digit (Qwen2.5-72B, 2020-2025)
_HYPHEN_BREAK = re.compile(r"(?<=\w-)(?=[^\W\d_])")
#: Chinese, CJK punctuation and full-width forms
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
#: A run of text the automatic table layout does not break: letters and digits between spaces
#: (wide, Chinese and full-width characters break between any two); a full-width opening bracket
#: stays with the run after it and closing punctuation with the run before it, as line breaking keeps
#: them (（PFLOPS） is one run, not PFLOPS between two breaks).
_UNBREAKABLE = re.compile(r"[（【《“‘]?[^\s\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef<>]+[）】》”’，。、；：！？]?")


#: a break opportunity that only a name too long for its column uses (see :func:`unbreakable_runs`)
_WBR = re.compile(r"<wbr\s*/?>", re.IGNORECASE)


def unbreakable_runs(text: str) -> list[str]:
    """The runs of ``text`` a line cannot break: letters and digits between spaces and breakable
    hyphens (Chinese breaks between any two characters, so it makes no run). A ``<wbr>`` does not
    split a run here: the widths are worked out for whole names, and the mark only says where a name
    wider than its column breaks (after an underscore rather than between any two letters)."""
    return _UNBREAKABLE.findall(_HYPHEN_BREAK.sub(" ", _WBR.sub("", text)))


def table_height(columns: list, rows: list, small: bool = False, numeric: list | None = None,
                 column: float = CHART_WIDTH) -> int:
    """Estimated height (px) of a table of the page in a text column ``column`` px wide (the page's
    column, which tables and charts fill: :data:`~suanli.report.margins.CHART_WIDTH` on a desktop,
    :data:`~suanli.report.margins.NARROW_WIDTH` on a phone), for its
    ``contain-intrinsic-size`` (report-screen.css): the browser skips the layout of tables off
    screen and uses this height for them until they are shown once.

    Columns as :func:`table_columns` lays them out; a row is then as many lines as its most wrapped
    cell."""
    size, line, pad, side = _table_metrics(small, PAGE_FONT)
    widths = table_columns(columns, rows, small, numeric, column)
    table = [list(columns), *[list(r) for r in rows]]
    # a cell as wide as its column is one line (the small allowance absorbs rounding); a cell with
    # ``<br>`` is the lines of its parts (text_width measures only the widest)
    lines = [max([1] + [sum(max(1, math.ceil(text_width(x, size) / max(widths[j] - side, 1.0) - 1e-6))
                            for x in cell_lines(c)) for j, c in enumerate(r)]) for r in table]
    caption, source = 1.65 * PAGE_FONT + 0.6 * PAGE_FONT, 1.65 * 0.82 * PAGE_FONT
    return round(sum(line * n + pad for n in lines) + caption + source)


def pdf_column_percents(columns: list, rows: list, small: bool = False, numeric: list | None = None) -> list[str]:
    """CSS widths (``"12.3%"``) of a table's columns in the PDF, from :func:`table_columns` at the PDF's
    column width and font size. The PDF lays its tables out with ``table-layout: fixed`` and these
    widths (report.css), which gives the columns the automatic layout would but spares WeasyPrint
    measuring the smallest and largest width of every cell (about an eighth of the PDF's time)."""
    widths = table_columns(columns, rows, small, numeric, PDF_COLUMN, PDF_FONT, break_words=False)
    total = sum(widths) or 1.0
    return [f"{100 * w / total:.2f}%" for w in widths]


def _write_figures(doc: Document, figdir: Path, rel: str, salt: str, svg: bool) -> dict[str, str]:
    """PNG of every figure and ``index.csv`` (the SVGs, when ``svg``, follow: :func:`_write_svgs`).
    Returns id → relative PNG path."""
    from ..io.cells import csv_text

    figdir.mkdir(parents=True, exist_ok=True)
    paths = _png_paths(doc, rel)
    rows = []
    for f in doc.figures:
        key = f.content_hash(salt)
        stem = _stem(f)
        (figdir / f"{stem}.png").write_bytes(_png[key])
        rows.append([f.number, f.id, f.section, f.kind, f.title, f.source, " ".join(f.tables),
                     "synthetic" if f.synthetic else "real", f"{stem}.png", f"{stem}.svg" if svg else ""])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["number", "id", "section", "kind", "title", "source", "tables", "data", "png", "svg"])
    for r in rows:
        w.writerow([csv_text(x) for x in r])
    (figdir / "index.csv").write_text(buf.getvalue(), encoding="utf-8")
    return paths


def _write_svgs(doc: Document, figdir: Path, salt: str) -> None:
    for f in doc.figures:
        (figdir / f"{_stem(f)}.svg").write_bytes(_svg[f.content_hash(salt)])


def _png_paths(doc: Document, rel: str) -> dict[str, str]:
    """id → path (relative to the output folder) of each figure's PNG."""
    return {f.id: f"{rel}/{_stem(f)}.png" for f in doc.figures}


def _stem(f) -> str:
    return f"fig{f.number:02d}_{f.id}"


@cache
def _font_css() -> str:
    """@font-face for WeasyPrint: the SC face of the PyPI Noto CJK collection, extracted once."""
    from .fonts import sc_font_path

    p = sc_font_path()
    if p is None:
        return ""
    return (f'@font-face {{ font-family: "Noto Sans CJK SC"; src: url("{p.resolve().as_uri()}"); font-weight: 100 900; }}\n')


#: prefix of the folders where WeasyPrint copies the PDF's fonts, followed by the process id and "-"
FONT_FOLDER_PREFIX = "suanli-weasyprint-"


def _font_config():
    """A WeasyPrint font configuration of our own, for :func:`_drop_fonts` to clean up. Its folder
    (which WeasyPrint would create as ``weasyprint-*`` on first use) is made here, named after this
    process, so that :func:`sweep_font_folders` can remove the folder of a PDF worker that was killed
    before it could (a build killed while typesetting)."""
    import tempfile

    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    fonts._folder = Path(tempfile.mkdtemp(prefix=f"{FONT_FOLDER_PREFIX}{os.getpid()}-"))
    return fonts


def sweep_font_folders() -> int:
    """Remove the font folders (:func:`_font_config`) in the temporary directory whose process is
    gone; returns how many. A folder of a process that still runs is kept: it may be typesetting."""
    import tempfile

    from .cache import _alive

    n = 0
    for p in Path(tempfile.gettempdir()).glob(f"{FONT_FOLDER_PREFIX}*-*"):
        pid = p.name[len(FONT_FOLDER_PREFIX):].partition("-")[0]
        if p.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(p, ignore_errors=True)
            n += 1
    return n


def _drop_fonts(font_config) -> None:
    """Remove the folder where WeasyPrint copied the document's ``@font-face`` fonts (the 16 MB CJK
    face, once per PDF). WeasyPrint removes it only when the configuration is garbage-collected,
    which never happens in a PDF worker (a pool worker leaves with ``os._exit``): every build left
    a 16 MB ``weasyprint-*`` folder in the temporary directory."""
    folder = getattr(font_config, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        font_config._folder = None


def pdf_bytes(html: str, base_url: str) -> bytes:
    """WeasyPrint (runs in a worker process when the pool has one)."""
    from weasyprint import HTML

    _embed_png_as_is()
    fonts = _font_config()
    try:
        return HTML(string=html, base_url=base_url).write_pdf(font_config=fonts)
    finally:
        _drop_fonts(fonts)


def png_idat(data: bytes) -> bytes | None:
    """The image data (the IDAT chunks, joined) of a PNG that a PDF can embed as it is: 8-bit RGB,
    not interlaced (the figures :mod:`.render_mpl` writes); ``None`` for any other file."""
    if len(data) < 33 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    depth, colour, interlace = data[24], data[25], data[28]
    if depth != 8 or colour != 2 or interlace != 0:
        return None
    pos, idat = 8, []
    while pos + 8 <= len(data):
        n = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        if pos + 12 + n > len(data):  # a truncated file: WeasyPrint's own way reports it
            return None
        if kind == b"IDAT":
            idat.append(data[pos + 8:pos + 8 + n])
        elif kind == b"IEND":
            break
        pos += 12 + n
    return b"".join(idat) or None


def _embed_png_as_is() -> None:
    """Let WeasyPrint embed the figures' PNG data in the PDF as it is.

    For every PNG image WeasyPrint decodes the file and encodes the pixels again with Pillow only to
    take the IDAT chunks (the PDF's FlateDecode stream with PNG predictors is exactly that data):
    about a tenth of the PDF's time for the report's figures. Their PNGs are written by Pillow with
    the same settings (``render_mpl._png_rgb``), so the chunks of the file are the bytes WeasyPrint
    would make (tested), and the PDF is byte-identical. Any other image goes WeasyPrint's way."""
    from weasyprint.images import RasterImage

    original = RasterImage.__dict__.get("_get_png_data")
    if not isinstance(original, staticmethod) or getattr(original.__func__, "suanli_as_is", False):
        return
    slow = original.__func__

    def get_png_data(pillow_image):
        fp = getattr(pillow_image, "fp", None)
        data = fp.getvalue() if hasattr(fp, "getvalue") else None
        fast = png_idat(data) if data is not None and pillow_image.mode == "RGB" else None
        return fast if fast is not None else slow(pillow_image)

    get_png_data.suanli_as_is = True
    get_png_data.__wrapped__ = slow
    RasterImage._get_png_data = staticmethod(get_png_data)


#: PDFs laid out in this (PDF worker) process and not written yet: token → (document, its image
#: cache, HTML, base URL, path → pixel size of each figure, its font configuration).
_LAID_OUT: dict[str, tuple] = {}


def _file_path(url: str) -> str | None:
    """The local path of a ``file:`` URL (``None`` for any other URL)."""
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    parts = urlsplit(url)
    return os.path.normpath(url2pathname(parts.path)) if parts.scheme == "file" else None


@cache
def _blank_png(size: tuple[int, int]) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, "white").save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def pdf_layout(token: str, html: str, base_url: str, figures: dict[str, tuple[int, int]]) -> None:
    """Lay out (paginate) a PDF before its figures are drawn, in a PDF worker; :func:`pdf_write` then
    writes it. ``figures``: absolute path → (width, height) in pixels of each figure's PNG.

    WeasyPrint needs only an image's size to lay it out; it reads the pixels when it writes the PDF.
    So each figure is a blank PNG of its size for now, and :func:`pdf_write` puts the real file in."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            size = figures.get(_file_path(url) or "")
            if size is not None:
                return URLFetcherResponse(url, _blank_png(size), {"Content-Type": "image/png"})
            return super().fetch(url, headers)

    _embed_png_as_is()
    images: dict = {}  # WeasyPrint's image cache: URL → image (and the data of images not read from a file)
    fonts = _font_config()  # kept until the PDF is written: it embeds the fonts from their copies
    document = HTML(string=html, base_url=base_url, url_fetcher=Fetcher()).render(cache=images, font_config=fonts)
    _LAID_OUT[token] = (document, images, html, base_url, figures, fonts)


def pdf_write(token: str) -> tuple[bytes, bool]:
    """The PDF :func:`pdf_layout` laid out in this process, its figures read from their files, which
    now exist. Returns (PDF bytes, whether the early layout was used). A figure whose file is not
    of the size the layout assumed (or that the layout did not load) makes it typeset the whole
    PDF again from the files, so the PDF is always that of the real figures."""
    document, images, html, base_url, figures, fonts = _LAID_OUT.pop(token)
    try:
        return _write_laid_out(document, images, html, base_url, figures)
    finally:
        _drop_fonts(fonts)


def _write_laid_out(document, images: dict, html: str, base_url: str, figures: dict) -> tuple[bytes, bool]:
    from PIL import Image
    from weasyprint.images import LazyLocalImage, RasterImage

    found = {}
    for url, image in images.items():
        path = _file_path(url) if isinstance(url, str) else None
        if path in figures and isinstance(image, RasterImage):
            found[path] = image
    for path in figures:
        image = found.get(path)
        with Image.open(path) as real:  # the header only
            ok = image is not None and real.size == (image.width, image.height) and real.mode == image.mode
        if not ok:
            return pdf_bytes(html, base_url), False
    for path, image in found.items():
        image.image_data = LazyLocalImage(path)  # as WeasyPrint does for an image file it found on disk
    return document.write_pdf(), True


class _PdfJob:
    """One PDF: from the report cache, or laid out by a PDF worker while the figures are drawn
    (:func:`pdf_layout`) and written there once their PNGs are in the output folder
    (:meth:`figures_written`, :func:`pdf_write`); typeset in this process when there are no workers."""

    def __init__(self, path: Path, html: str, base: str, key: str, cch: Cache, worker: ProcessPoolExecutor | None,
                 figures: dict[str, tuple[int, int]]) -> None:
        self.path, self.html, self.base, self.key, self.cch = path, html, base, key, cch
        self.worker = worker
        self.data = cch.get("pdf", key, "pdf")
        #: "cache", "early" (laid out while the figures were drawn), "again" (laid out early, then
        #: typeset again: a figure's size differed) or "here" (in this process, without workers)
        self.how = "cache" if self.data is not None else "here"
        self.layout = self.write = None
        if self.data is None and worker is not None:
            self.layout = worker.submit(pdf_layout, key, html, base, figures)

    def figures_written(self) -> None:
        if self.layout is not None:
            self.write = self.worker.submit(pdf_write, self.key)

    def finish(self) -> None:
        if self.data is None:
            if self.layout is not None:
                self.layout.result()  # the layout's own error, if it failed
                self.data, early = self.write.result()
                self.how = "early" if early else "again"
            else:
                self.data = pdf_bytes(self.html, self.base)
            self.cch.put("pdf", self.key, "pdf", self.data)
        self.path.write_bytes(self.data)


def _start_pdf(doc: Document, out: Path, names: dict[str, str], salt_mpl: str, cch: Cache, salt: str,
               pool: _Pool, slot: int) -> _PdfJob:
    """The PDF of ``doc`` (``names``: its files, :func:`report_files`), started: see :class:`_PdfJob`.

    Its cache key holds the figures' content hashes (the figure cache's keys, which fix their PNG
    bytes) instead of the PNGs, which are not drawn yet."""
    from .spec import png_size

    fig_png = _png_paths(doc, names["figures"])
    html = _env().get_template("report.html.j2").render(
        doc=doc, mode="pdf", css=Markup(_font_css() + _css()), plotly_js="", fig_json={}, fig_png=fig_png,
        pdf_columns=pdf_column_percents)
    key = sha(html, *[f.content_hash(salt_mpl) for f in doc.figures], salt)
    root = out.resolve()
    figures = {os.path.normpath(root / fig_png[f.id]): png_size(f) for f in doc.figures}
    return _PdfJob(out / names["pdf"], html, str(root) + "/", key, cch, pool.pdf_worker(slot), figures)
