from __future__ import annotations

from pathlib import Path

import pytest

from suanli.survey.data import read_questionnaire

QUESTIONNAIRE = """question_id,figure,type,horizons,max_rank,question_zh,question_en,option_id,option_zh,option_en
stage,图3,single,now,,阶段,Stage,none,未开始,None
stage,图3,single,now,,阶段,Stage,test,测试,Testing
stage,图3,single,now,,阶段,Stage,prod,生产,Production
spend,图4,multi,now;18m,,支出,Spend,hw,硬件升级,Hardware
spend,图4,multi,now;18m,,支出,Spend,sw,软件,Software
spend,图4,multi,now;18m,,支出,Spend,cloud,云,Cloud
load,图13,rank,now,2,占用,Load,video,视频分析,Video
load,图13,rank,now,2,占用,Load,kg,知识图谱,Knowledge graph
load,图13,rank,now,2,占用,Load,image,图像技术,Image
"""


@pytest.fixture
def qfile(tmp_path: Path) -> Path:
    p = tmp_path / "questionnaire.csv"
    p.write_text(QUESTIONNAIRE, encoding="utf-8")
    return p


@pytest.fixture
def questionnaire(qfile: Path):
    return read_questionnaire(qfile)


@pytest.fixture
def write(tmp_path: Path):
    def _write(name: str, text: str) -> Path:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return p

    return _write
