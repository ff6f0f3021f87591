"""Build stage ``report`` (last): read the store, write report.html, report.pdf, tables.xlsx, figures/."""

from __future__ import annotations

from ..edition import Edition
from ..stage import BuildContext, Stage


class ReportStage(Stage):
    name = "report"
    cacheable = False  # always renders; its figures, PDF and workbook have their own cache (cache.py)

    def applies(self, edition: Edition) -> bool:
        return edition.outputs.report

    def validate(self, edition: Edition) -> list[str]:
        from importlib import resources

        from ..errors import ConfigError

        tpl = resources.files("suanli.report") / "templates"
        missing = [n for n in ("report.html.j2", "report.css") if not (tpl / n).is_file()]
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
        formats = tuple(ctx.options.get("report_formats") or ("html", "pdf", "xlsx"))
        summary = write_report(ctx.store, ctx.edition, ctx.out, langs, cache_dir=cache_dir, formats=formats,
                               log=ctx.log)
        ctx.log(f"report: wrote {', '.join(summary['files'])}")


STAGE = ReportStage()
