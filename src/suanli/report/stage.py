"""Build stage ``report`` (last): read the store, write report.html, report.pdf, tables.xlsx, figures/."""

from __future__ import annotations

from ..edition import Edition
from ..stage import BuildContext, Stage
from .formats import FORMATS

#: Libraries whose version changes the bytes of the report's files (pages, figures, PDF, workbook).
RENDER_DEPENDENCIES = ("matplotlib", "plotly", "weasyprint", "pydyf", "pillow", "jinja2", "markupsafe",
                       "noto-cjk-sans-otc", "fonttools")


class ReportStage(Stage):
    """Writes the report. When nothing it reads changed (upstream stages, edition, options, code version,
    rendering libraries), the build copies the previous build's report files instead (the stage cache);
    otherwise it renders, and figures, chart JSON, PDF and workbook still come from the report cache
    (``cache.py``) where their own content did not change."""

    name = "report"
    options = ("lang", "report_formats")

    def key_extra(self) -> dict[str, object]:
        from .. import code_version
        from ..stagecache import dependency_versions

        return {"code_version": code_version(), "render": dependency_versions(RENDER_DEPENDENCIES)}

    def applies(self, edition: Edition) -> bool:
        return edition.outputs.report

    def validate(self, edition: Edition) -> list[str]:
        from importlib import resources

        from ..errors import ConfigError

        tpl = resources.files("suanli.report") / "templates"
        missing = [n for n in ("report.html.j2", "report.css", "report-screen.css") if not (tpl / n).is_file()]
        if missing:
            raise ConfigError(f"report templates missing from the installation: {', '.join(missing)}")
        try:
            import noto_cjk_sans_otc  # noqa: F401
        except ImportError:
            raise ConfigError("the PDF needs the CJK font package", hint="pip install noto-cjk-sans-otc") from None
        return ["report: templates and the Noto Sans CJK SC font are available"]

    def run(self, ctx: BuildContext) -> None:
        from .render import write_report

        langs = ctx.options.get("lang") or ["zh"]
        if isinstance(langs, str):
            langs = [x.strip() for x in langs.split(",") if x.strip()]
        cache_dir = ctx.options.get("report_cache")  # None → beside the output; False → no cache
        formats = tuple(ctx.options.get("report_formats") or FORMATS)
        summary = write_report(ctx.store, ctx.edition, ctx.out, langs, cache_dir=cache_dir, formats=formats,
                               log=ctx.log)
        ctx.log(f"report: wrote {', '.join(summary['files'])}")


STAGE = ReportStage()
