"""Respondent loader: layouts (single, multi delimited / per-option, ranked) and bad inputs."""

from __future__ import annotations

import numpy as np
import pytest

from suanli.errors import InputError
from suanli.survey.data import read_margins, read_published, read_questionnaire, read_respondents

STRATA = ["industry", "size"]
HEADER = "respondent_id,industry,size,design_weight,stage,spend.now,spend.18m,load\n"


def good_rows() -> str:
    return (HEADER
            + "r1,finance,large,10,prod,hw;sw,hw;cloud,video>kg\n"
            + "r2,finance,small,20,test,sw,hw,kg>image\n"
            + "r3,internet,small,30,未开始,,sw;cloud,video\n"
            + "r4,internet,large,40,Production,hw;sw;cloud,hw,\n")


def test_reads_all_layouts(questionnaire, write):
    d = read_respondents(write("r.csv", good_rows()), questionnaire, strata=STRATA)
    assert d.n == 4
    st = d.get("stage")
    # labels in zh/en are accepted as well as ids
    assert st.selected.argmax(axis=1).tolist() == [2, 1, 0, 2]
    sp = d.get("spend", "now")
    assert sp.answered.tolist() == [True, True, False, True]
    assert sp.selected.sum(axis=0).tolist() == [2, 3, 1]
    ld = d.get("load")
    assert ld.answered.tolist() == [True, True, True, False]
    assert ld.ranks[0].tolist()[:2] == [1, 2] and np.isnan(ld.ranks[0, 2])
    assert np.allclose(d.design_weight, [10, 20, 30, 40])


def test_per_option_columns(questionnaire, write):
    text = ("respondent_id,industry,size,design_weight,stage,spend.now.hw,spend.now.sw,spend.now.cloud,spend.18m,"
            "load.video,load.kg,load.image\n"
            "r1,a,b,1,prod,1,0,是,hw,1,2,\n"
            "r2,a,b,1,test,0,0,0,hw,,1,\n"
            "r3,a,b,1,test,,,,sw,,,\n")
    d = read_respondents(write("r.csv", text), questionnaire, strata=STRATA)
    sp = d.get("spend", "now")
    assert sp.answered.tolist() == [True, True, False]  # an all-zero row answered "none of these"
    assert sp.selected.tolist() == [[True, False, True], [False, False, False], [False, False, False]]
    ld = d.get("load")
    assert ld.ranks[0, :2].tolist() == [1, 2] and ld.answered.tolist() == [True, True, False]


@pytest.mark.parametrize("weight", ["0", "-3", "0.0"])
def test_weight_not_positive(questionnaire, write, weight):
    text = good_rows().replace("r2,finance,small,20", f"r2,finance,small,{weight}")
    with pytest.raises(InputError) as e:
        read_respondents(write("r.csv", text), questionnaire, strata=STRATA)
    p = e.value.problems[0]
    assert p.row == 3 and p.column == "design_weight" and "not positive" in p.message
    assert p.file.endswith("r.csv")


def test_weight_missing_and_text(questionnaire, write):
    text = good_rows().replace("r2,finance,small,20", "r2,finance,small,").replace("r3,internet,small,30",
                                                                                   "r3,internet,small,abc")
    with pytest.raises(InputError) as e:
        read_respondents(write("r.csv", text), questionnaire, strata=STRATA)
    rows = sorted(p.row for p in e.value.problems)
    assert rows == [3, 4]


def test_unknown_option_single_and_multi(questionnaire, write):
    text = good_rows().replace("r1,finance,large,10,prod,hw;sw", "r1,finance,large,10,prd,hw;gpu")
    with pytest.raises(InputError) as e:
        read_respondents(write("r.csv", text), questionnaire, strata=STRATA)
    msgs = {(p.row, p.column): p.message for p in e.value.problems}
    assert "unknown option 'prd'" in msgs[(2, "stage")]
    assert "unknown option 'gpu'" in msgs[(2, "spend.now")]
    assert "options: none, test, prod" in str(e.value)


def test_rank_problems(questionnaire, write):
    text = good_rows().replace("video>kg\n", "video>kg>image\n").replace("kg>image\n", "kg>kg\n")
    with pytest.raises(InputError) as e:
        read_respondents(write("r.csv", text), questionnaire, strata=STRATA)
    s = str(e.value)
    assert "at most 2" in s and "given twice" in s


def test_per_option_rank_ties(questionnaire, write):
    text = ("respondent_id,industry,size,design_weight,stage,spend.now,spend.18m,load.video,load.kg\n"
            "r1,a,b,1,prod,hw,hw,1,1\n")
    with pytest.raises(InputError, match="same rank"):
        read_respondents(write("r.csv", text), questionnaire, strata=STRATA)


def test_structure_problems(questionnaire, write):
    text = ("respondent_id,industry,size,design_weight,stage,spend.now,spend.18m.hw,spend.18m.gpu\n"
            "r1,a,,1,prod,hw,1,0\nr1,a,b,1,prod,hw,1,0\n")
    with pytest.raises(InputError) as e:
        read_respondents(write("r.csv", text), questionnaire, strata=STRATA)
    s = str(e.value)
    assert "appears twice" in s  # duplicate respondent id
    assert "every respondent needs a size" in s
    assert "no column for question load" in s
    assert "spend.18m.gpu" in s  # misspelt option column


def test_missing_stratum_column(questionnaire, write):
    with pytest.raises(InputError, match="missing required column"):
        read_respondents(write("r.csv", "respondent_id,industry,design_weight\nr1,a,1\n"), questionnaire,
                         strata=STRATA)


def test_questionnaire_errors(write):
    bad = ("question_id,type,horizons,question_zh,question_en,option_id,option_zh,option_en\n"
           "q1,pick,now,a,a,x,x,x\nq2,single,soon,a,a,x,x,x\nq3,multi,now,a,a,x,x,x\nq3,multi,now,a,a,x,x,x\n")
    with pytest.raises(InputError) as e:
        read_questionnaire(write("q.csv", bad))
    s = str(e.value)
    assert "unknown question type 'pick'" in s and "unknown horizon" in s and "appears twice" in s


def test_margins_errors(write):
    with pytest.raises(InputError, match="sum to 0.9000"):
        read_margins(write("m.csv", "variable,level,share\nsize,a,0.5\nsize,b,0.4\n"), ["size"])
    with pytest.raises(InputError, match="outside 0–100%"):
        read_margins(write("m.csv", "variable,level,share\nsize,a,150%\nsize,b,-50%\n"), ["size"])
    with pytest.raises(InputError, match="no margins for 'region'"):
        read_margins(write("m.csv", "variable,level,share\nsize,a,40%\nsize,b,60%\n"), ["size", "region"])
    m = read_margins(write("m.csv", "variable,level,share\nsize,a,40%\nsize,b,60%\n"), ["size"])
    assert m == {"size": {"a": pytest.approx(0.4), "b": pytest.approx(0.6)}}


def test_published_errors(questionnaire, write):
    text = ("question_id,horizon,option_id,check,value,rank_low\n"
            "stage,now,prod,value,140%,\nstage,18m,prod,rank,,1\nstage,now,nope,rank,,1\nspend,now,hw,rank,,\n")
    with pytest.raises(InputError) as e:
        read_published(write("p.csv", text), questionnaire)
    rows = sorted(p.row for p in e.value.problems)
    assert rows == [2, 3, 4, 5]
