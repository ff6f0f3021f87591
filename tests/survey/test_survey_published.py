"""The default edition's synthetic survey reproduces the report's published shares and orderings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from suanli.edition import load_edition
from suanli.store import write_csv
from suanli.survey.data import read_margins, read_published
from suanli.survey.stage import load_inputs, run_survey
from suanli.survey.synthetic import DEFAULT_N, DEFAULT_SEED, TARGETS, generate


@pytest.fixture(scope="module")
def built():
    ed = load_edition()
    inp = load_inputs(ed)
    return ed, inp, run_survey(inp, ed.survey)


def test_sample_is_large_and_labelled_synthetic(built):
    ed, inp, tables = built
    assert inp.data.n >= 1500 and inp.synthetic
    assert ed.inputs[ed.survey.respondents].synthetic and ed.inputs[ed.survey.margins].synthetic
    for name, df in tables.items():
        assert (df["value_class"] == "synthetic").all(), name


def test_every_published_value_and_ordering_reproduced(built):
    _, _, tables = built
    chk = tables["survey_checks"]
    assert len(chk) == 27
    assert set(chk["figure"]) == {"图3", "图4", "图10", "图12", "图13", "图14", "图15", "图16", "图18"}
    assert (chk["verdict"] == "PASS").all(), chk[chk["verdict"] != "PASS"][["question_id", "option_id", "detail"]]
    est = tables["survey_estimates"]
    pub = est[est["published_value"].notna()]
    assert len(pub) == 5 and pub["within_ci"].all()
    got = dict(zip(pub["option_id"], pub["share"], strict=True))
    assert got == pytest.approx({"testing_poc": 0.42, "production": 0.17, "b10_20": 0.37, "b6_10": 0.26,
                                 "gt_50b": 0.08}, abs=0.01)


def test_tables_have_chart_columns(built):
    _, _, tables = built
    est = tables["survey_estimates"]
    for c in ("question_id", "option_id", "option_zh", "option_en", "horizon", "share", "ci_low", "ci_high", "n",
              "n_eff", "method", "value_class", "published_value", "within_ci", "order"):
        assert c in est.columns
    assert (est["ci_low"] <= est["share"]).all() and (est["share"] <= est["ci_high"]).all()
    assert set(est["horizon"]) == {"now", "18m", "3y"}
    assert {"survey_questions", "survey_estimates_by_stratum", "survey_ranked", "survey_weighting",
            "survey_margins_fit", "survey_weights"} <= set(tables)
    w = tables["survey_weighting"].set_index("step")
    assert bool(w.loc["raked", "converged"]) and w.loc["raked", "max_margin_error"] < 1e-8
    assert set(tables["survey_estimates_by_stratum"]["by"]) == {"industry", "size", "region"}
    # Fig 14 is asked only of firms testing or in production: its base is smaller
    n14 = est.loc[est["question_id"] == "genai_param_band", "n"].iloc[0]
    assert 800 < n14 < inp_n(built)


def inp_n(built) -> int:
    return built[1].data.n


def test_generator_reproduces_the_shipped_file(built, tmp_path: Path):
    ed, inp, _ = built
    margins = read_margins(ed.input_path("survey_margins"), ["industry", "size", "region"])
    s = generate(inp.questionnaire, margins, ed.survey, n=DEFAULT_N, seed=DEFAULT_SEED)
    out = tmp_path / "r.csv"
    write_csv(s.respondents, out)
    assert out.read_bytes() == ed.input_path("survey_respondents").read_bytes()


def test_generator_targets_equal_published_values(built):
    ed, inp, _ = built
    pub = read_published(ed.input_path("survey_published"), inp.questionnaire)
    for rec in pub[pub["check"] == "value"].to_dict("records"):
        assert TARGETS[(rec["question_id"], rec["horizon"])][rec["option_id"]] == pytest.approx(rec["value"])
    for (qid, _), t in TARGETS.items():
        if inp.questionnaire.questions[qid].type == "single":
            assert sum(t.values()) == pytest.approx(1.0)


def test_other_seeds_also_reproduce(built):
    # not a lucky seed: a different seed passes every check too
    ed, inp, _ = built
    margins = read_margins(ed.input_path("survey_margins"), ["industry", "size", "region"])
    s = generate(inp.questionnaire, margins, ed.survey, n=1500, seed=7)
    from suanli.survey.data import read_respondents
    from suanli.survey.stage import SurveyInputs

    p = Path(__file__).parent / "_tmp_seed7.csv"
    try:
        write_csv(s.respondents, p)
        data = read_respondents(p, inp.questionnaire, strata=ed.survey.strata)
    finally:
        p.unlink(missing_ok=True)
    tables = run_survey(SurveyInputs(inp.questionnaire, data, inp.margins, inp.published, True), ed.survey)
    assert (tables["survey_checks"]["verdict"] == "PASS").all()


def test_cli_estimate_and_bad_weight(tmp_path: Path):
    import subprocess
    import sys

    ed = load_edition()
    src = ed.input_path("survey_respondents")
    run = [sys.executable, "-m", "suanli", "survey", "estimate", str(src), "--question", "genai_stage",
           "--weights", "design_weight", "--margins", str(ed.input_path("survey_margins")), "--out", str(tmp_path)]
    r = subprocess.run(run, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    est = pd.read_csv(tmp_path / "estimates.csv")
    assert set(est["option_id"]) == {"not_considering", "exploring", "planning", "testing_poc", "production"}
    assert "SYNTHETIC" in r.stdout
    bad = tmp_path / "bad.csv"
    lines = src.read_text(encoding="utf-8").splitlines()
    cells = lines[5].split(",")
    cells[4] = "-1"
    lines[5] = ",".join(cells)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run[5] = str(bad)
    r = subprocess.run(run, capture_output=True, text=True)
    assert r.returncode == 2
    assert "row 6" in r.stderr and "design_weight" in r.stderr and "not positive" in r.stderr
    assert "Traceback" not in r.stderr
