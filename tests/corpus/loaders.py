"""The file loaders the corpus (and ``fuzz/fuzz_loaders.py``) exercise, each returning a DataFrame.

Each entry reads one input kind the way a build or a CLI command does, with the bundled 2025
edition supplying whatever else the loader needs (catalog, framework, questionnaire, config).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pandas as pd


@cache
def _edition():
    from suanli.edition import load_edition

    return load_edition(None)


@cache
def _catalog():
    from suanli.capacity.catalog import Catalog

    return Catalog.bundled()


@cache
def _city_framework():
    from suanli.index.framework import load_framework

    ed = _edition()
    return load_framework(ed.input_path(ed.assessments.root["city"].framework))


@cache
def _questionnaire():
    from suanli.survey.data import read_questionnaire

    return read_questionnaire(_edition().input_path("survey_questionnaire"))


def shipments(p: Path) -> pd.DataFrame:
    from suanli.capacity.estimate import read_shipments

    return read_shipments(p)


def shipments_coded(p: Path) -> pd.DataFrame:
    from suanli.capacity.estimate import code_shipments, read_shipments

    df = read_shipments(p)
    code_shipments(df, _catalog(), _edition().capacity, str(p))
    return df


def inventory(p: Path) -> pd.DataFrame:
    from suanli.capacity.peak import read_inventory

    return read_inventory(p)


def inventory_peaks(p: Path) -> pd.DataFrame:
    from suanli.capacity.peak import inventory_peaks as peaks
    from suanli.capacity.peak import read_inventory

    return peaks(read_inventory(p), _catalog(), path=str(p))


def override_accelerator(p: Path) -> pd.DataFrame:
    return _catalog().with_overrides(p, "accelerator").accelerators


def override_cpu(p: Path) -> pd.DataFrame:
    return _catalog().with_overrides(p, "cpu").cpus


def index_city(p: Path) -> pd.DataFrame:
    from suanli.index.data import read_data

    fw = _city_framework()
    panel = read_data(p, fw)
    rows = []
    for y in panel.year_list():
        ds = panel[y]
        names = ds.unit_names if ds.unit_names is not None else ds.unit_ids
        for i, u in enumerate(ds.unit_ids):
            for j, ind in enumerate(fw.indicator_ids):
                val = ds.X[i, j]
                rows.append({"year": y, "unit_id": u, "unit_name": names[i], "indicator_id": ind, "value": val})
    df = pd.DataFrame(rows, columns=["year", "unit_id", "unit_name", "indicator_id", "value"])
    # one row per unit: the first indicator with a value (or NaN)
    df["has"] = df["value"].notna()
    return df.sort_values(["unit_id", "has"], ascending=[True, False]).drop_duplicates("unit_id").drop(columns="has")


def framework(p: Path) -> pd.DataFrame:
    from suanli.index.framework import load_framework

    fw = load_framework(p)
    return pd.DataFrame({"id": fw.ids, "weight": fw.weight, "level": fw.level, "direction": fw.direction,
                         "name_zh": [s.name_zh for s in fw.specs], "name_en": [s.name_en for s in fw.specs]})


def facts(p: Path) -> pd.DataFrame:
    from suanli.markets.series import read_facts

    return read_facts(p, _edition().markets)


def survey_questionnaire(p: Path) -> pd.DataFrame:
    from suanli.survey.data import read_questionnaire

    q = read_questionnaire(p)
    return pd.DataFrame([{"question_id": k, "option_id": o.id} for k, qq in q.questions.items() for o in qq.options])


def survey_respondents(p: Path) -> pd.DataFrame:
    from suanli.survey.data import read_respondents

    return read_respondents(p, _questionnaire(), strata=["industry", "size", "region"],
                            questions=["genai_stage"]).respondents


def survey_margins(p: Path) -> pd.DataFrame:
    from suanli.survey.data import read_margins

    m = read_margins(p, ["industry", "size", "region"])
    return pd.DataFrame([{"variable": k, "level": lv, "share": s} for k, d in m.items() for lv, s in d.items()])


def survey_published(p: Path) -> pd.DataFrame:
    from suanli.survey.data import read_published

    return read_published(p, _questionnaire())


def demand_runs(p: Path) -> pd.DataFrame:
    from suanli.demand.catalogue import read_runs

    return read_runs(p)


def open_facts(p: Path) -> pd.DataFrame:
    from suanli.opendata.derive import read_facts

    return read_facts(p)


def open_centres(p: Path) -> pd.DataFrame:
    from suanli.opendata.derive import read_centres

    return read_centres(p)


def open_anchors(p: Path) -> pd.DataFrame:
    from suanli.opendata.derive import read_anchors

    return read_anchors(p)


def edition(p: Path) -> pd.DataFrame:
    from suanli.edition import load_edition

    ed = load_edition(p)
    return pd.DataFrame([{"id": ed.id, "year": ed.year, "title_zh": ed.title.zh, "synthetic": ed.synthetic}])


def edition_validate(p: Path) -> pd.DataFrame:
    from suanli.validate import validate_edition

    df = edition(p)
    from suanli.edition import load_edition

    validate_edition(load_edition(p))
    return df


LOADERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    f.__name__: f for f in (shipments, shipments_coded, inventory, inventory_peaks, override_accelerator,
                            override_cpu, index_city, framework, facts, survey_questionnaire, survey_respondents,
                            survey_margins, survey_published, demand_runs, open_facts, open_centres, open_anchors,
                            edition, edition_validate)
}
