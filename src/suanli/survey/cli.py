"""``suanli survey …`` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Survey analytics: weights and raking, shares with confidence intervals, the synthetic survey.",
                  no_args_is_help=True)


def _edition_cfg(edition: Path | None):
    from ..edition import load_edition
    from .config import SurveyConfig

    ed = load_edition(edition)
    return ed, (ed.survey or SurveyConfig())


def _questionnaire(path: Path | None, edition: Path | None, sheet: str | None = None):
    from .data import read_questionnaire

    ed, cfg = _edition_cfg(edition)
    return read_questionnaire(path or ed.input_path(cfg.questionnaire), sheet=sheet if path else None), ed, cfg


def _strata(text: str | None, cfg) -> list[str]:
    return [s.strip() for s in text.split(",") if s.strip()] if text else list(cfg.strata)


@app.command()
def estimate(
    data: Annotated[Path, typer.Argument(help="Respondent file (CSV/TSV/XLSX).")],
    question: Annotated[list[str] | None, typer.Option("--question", "-q", help="Question id (repeatable; default all).")] = None,
    questionnaire: Annotated[Path | None, typer.Option(help="Questionnaire file (default: the edition's).")] = None,
    weights: Annotated[str | None, typer.Option(help="Design-weight column; omit for an unweighted survey.")] = None,
    margins: Annotated[Path | None, typer.Option(help="Known margins to rake to (variable, level, share).")] = None,
    strata: Annotated[str | None, typer.Option(help="Stratum columns, comma-separated (default: industry,size,region).")] = None,
    method: Annotated[str, typer.Option(help="Weighted interval: linearised or kish.")] = "linearised",
    confidence: Annotated[float, typer.Option(help="Confidence level.")] = 0.95,
    by: Annotated[str | None, typer.Option(help="Also tabulate within each level of this stratum column.")] = None,
    edition: Annotated[Path | None, typer.Option(help="Edition folder for defaults (default: bundled 2025).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for estimates.csv (and by_stratum.csv).")] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Worksheet of a workbook DATA (default: the first "
                                                              "visible worksheet with content).")] = None,
    questionnaire_sheet: Annotated[str | None, typer.Option(
        "--questionnaire-sheet", help="Worksheet of a workbook --questionnaire (default: the first visible "
                                      "worksheet with content).")] = None,
    margins_sheet: Annotated[str | None, typer.Option(
        "--margins-sheet", help="Worksheet of a workbook --margins (default: the first visible worksheet "
                                "with content).")] = None,
) -> None:
    """Weighted (or unweighted) shares with confidence intervals for QUESTION(s) of DATA."""
    from ..store import write_csv
    from .config import WeightingConfig
    from .data import read_margins, read_respondents
    from .estimates import METHODS, estimate_all
    from .weights import compute_weights

    if method not in METHODS:
        raise typer.BadParameter(f"unknown method {method!r}; use {', '.join(METHODS)}")
    if not 0.5 < confidence < 1:
        raise typer.BadParameter("confidence must be between 0.5 and 1")
    from ..limits import limits_in_force

    qn, ed, cfg = _questionnaire(questionnaire, edition, questionnaire_sheet)
    st = _strata(strata, cfg)
    if by and by not in st:
        raise typer.BadParameter(f"--by {by} is not a stratum column ({', '.join(st)})")
    with limits_in_force(ed.limits):  # the edition's plausibility limits (design weights)
        sd = read_respondents(data, qn, strata=st, weight_column=weights, questions=question or None, sheet=sheet)
    w = None
    if weights or margins:
        wc = WeightingConfig(rake_on=st if margins else [], design_weight=weights or "design_weight")
        m = read_margins(margins, st, sheet=margins_sheet) if margins else None
        w = compute_weights(sd, m, wc, margins_path=str(margins)).final
    vs = [c for c in cfg.variance_strata if c in st] if w is not None else []
    est = estimate_all(sd, w, confidence=confidence, method=method, variance_strata=vs, top_k=cfg.top_k)
    est["data_status"] = "synthetic" if sd.synthetic else "observed"
    cols = ["question_id", "horizon", "option_id", "option_en", "statistic", "share", "ci_low", "ci_high", "n", "n_eff",
            "method"]
    typer.echo(est[cols].to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    if sd.synthetic:
        typer.echo("(SYNTHETIC data)")
    if out:
        out.mkdir(parents=True, exist_ok=True)
        write_csv(est, out / "estimates.csv")
        if by:
            write_csv(estimate_all(sd, w, confidence=confidence, method=method, variance_strata=vs,
                                   top_k=cfg.top_k, by=by), out / "by_stratum.csv")
        typer.echo(f"wrote {out}")


@app.command("weights")
def weights_cmd(
    data: Annotated[Path, typer.Argument(help="Respondent file.")],
    margins: Annotated[Path, typer.Option(help="Known margins (variable, level, share).")],
    weights: Annotated[str, typer.Option(help="Design-weight column.")] = "design_weight",
    strata: Annotated[str | None, typer.Option(help="Columns to rake on, comma-separated.")] = None,
    trim: Annotated[float | None, typer.Option(help="Cap weights at this multiple of the mean (omit: no trimming).")] = None,
    edition: Annotated[Path | None, typer.Option(help="Edition folder for defaults.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for weights.csv, steps.csv, margins.csv.")] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Worksheet of a workbook DATA (default: the first "
                                                              "visible worksheet with content).")] = None,
    margins_sheet: Annotated[str | None, typer.Option(
        "--margins-sheet", help="Worksheet of a workbook --margins (default: the first visible worksheet "
                                "with content).")] = None,
) -> None:
    """Rake DATA's design weights to MARGINS (and trim); print the convergence report."""
    from ..store import write_csv
    from .config import TrimConfig, WeightingConfig
    from .data import read_margins, read_questionnaire, read_respondents
    from .weights import compute_weights

    ed, cfg = _edition_cfg(edition)
    st = _strata(strata, cfg)
    qn = read_questionnaire(ed.input_path(cfg.questionnaire))
    from ..limits import limits_in_force

    with limits_in_force(ed.limits):  # the edition's plausibility limits (design weights)
        sd = read_respondents(data, qn, strata=st, weight_column=weights, questions=[], sheet=sheet)
    wc = WeightingConfig(design_weight=weights, rake_on=st, trim=TrimConfig(max_ratio=trim) if trim else None)
    wt = compute_weights(sd, read_margins(margins, st, sheet=margins_sheet), wc, margins_path=str(margins))
    typer.echo(wt.steps.to_string(index=False))
    for m in wt.messages:
        typer.echo(m)
    if out:
        import pandas as pd

        out.mkdir(parents=True, exist_ok=True)
        write_csv(pd.DataFrame({"respondent_id": sd.respondents["respondent_id"], "design_weight": wt.design,
                                "final_weight": wt.final}), out / "weights.csv")
        write_csv(wt.steps, out / "steps.csv")
        write_csv(wt.margins, out / "margins.csv")
        typer.echo(f"wrote {out}")


@app.command()
def generate(
    out: Annotated[Path, typer.Option("--out", "-o", help="Respondent CSV to write.")],
    seed: Annotated[int, typer.Option(help="Random seed.")] = 2025,
    n: Annotated[int, typer.Option(help="Respondents.", min=50)] = 1600,
    edition: Annotated[Path | None, typer.Option(help="Edition whose questionnaire and margins to use.")] = None,
) -> None:
    """Write the SYNTHETIC respondent file (the bundled one is seed 2025, n 1600)."""
    from ..store import write_csv
    from .data import read_margins
    from .synthetic import generate as gen

    qn, ed, cfg = _questionnaire(None, edition)
    margins = read_margins(ed.input_path(cfg.margins or "survey_margins"), ["industry", "size", "region"])
    s = gen(qn, margins, cfg, n=n, seed=seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_csv(s.respondents, out)
    typer.echo(f"wrote {len(s.respondents)} SYNTHETIC respondents to {out}")
