"""The report's file kinds (no imports: the CLI, the stage and the renderer all read it)."""

#: The report's file kinds: the pages, the PDF, the workbook, and ``figures/`` (a PNG and an SVG of
#: every figure, with ``index.csv``). The PDF and the workbook embed the PNGs, so with either of them
#: ``figures/`` holds the PNGs and ``index.csv`` even when ``figures`` is not asked for (the workbook
#: only the first language's); the SVGs are written only for ``figures``, and the pages alone need no
#: figure file (no matplotlib at all).
FORMATS = ("html", "pdf", "xlsx", "figures")
