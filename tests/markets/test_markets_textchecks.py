"""Text-level checks (T01-T06, S13) and rank-move feasibility (R03, R05): the seed comes out as in
docs/research/seed-consistency.md, and perturbed inputs are flagged."""

import pytest
from markets_fixtures import EXTERNAL, FACTS

from suanli.edition import load_edition
from suanli.markets.checks import run_checks
from suanli.markets.rankmoves import check_ranking
from suanli.markets.series import load_observations
from suanli.markets.textchecks import read_rankings, resolve_params

TEXT_RULES = ("claim_ranges", "product_limit", "list_consistency", "metric_names", "figure_order", "event_date",
              "product_name", "rank_moves")
IMPROVED = ["上海", "广州", "成都", "天津", "厦门"]


@pytest.fixture(scope="module")
def ed():
    return load_edition()


@pytest.fixture(scope="module")
def inputs(ed):
    cfg = ed.markets
    obs = load_observations(FACTS, cfg, EXTERNAL)
    rk = read_rankings(ed.input_path(cfg.rankings))
    params = resolve_params(ed, [g.model for g in cfg.text_checks.ranges if g.model])
    return cfg, obs, rk, params


def text(obs, cfg, rk=None, params=None):
    f = run_checks(obs, cfg, None, rk, params)
    return f[f.rule.isin(TEXT_RULES)]


@pytest.fixture(scope="module")
def seed_text(inputs):
    cfg, obs, rk, params = inputs
    return text(obs, cfg, rk, params)


def ref(f, r):
    return f[f.seed_ref == r]


def test_seed_text_level_warnings(seed_text):
    f = seed_text
    for r in ("T01", "T02", "T03", "T04", "T05", "T06"):
        assert set(ref(f, r).verdict) == {"WARN"}, (r, ref(f, r)[["title", "detail"]])
    assert "1.1" in ref(f, "T01").detail.iloc[0] and "1.15" in ref(f, "T01").detail.iloc[0]
    # the energy model's liquid-cooling PUE (1.12) is above the "<1.1" claim: a WARN naming the parameter
    model = f[f.title.str.contains("model parameter")]
    assert model.verdict.tolist() == ["WARN"] and "energy.pue.liquid" in model.detail.iloc[0]
    assert "3 vs 5" in ref(f, "T02").detail.iloc[0]
    assert "图像技术" in ref(f, "T04").detail.iloc[0] and "语音技术" in ref(f, "T04").detail.iloc[0]
    assert "2025" in ref(f, "T05").detail.iloc[0]
    s13 = ref(f, "S13").iloc[0]
    assert s13.verdict == "PASS" and s13.recomputed == pytest.approx(50.4)
    assert (f.verdict != "FAIL").all()


def test_seed_rank_moves_match_research_note(seed_text):
    r03 = ref(seed_text, "R03").iloc[0]
    assert r03.verdict == "PASS"
    for part in ("北京=1", "杭州=2", "上海=4", "深圳=3", "成都=9", "天津=>10", "厦门=>10", "南京∈{5,6}",
                 "济南∈{5,6,7,8}", "广州∈{6,7,8,10,>10}"):
        assert part in r03.detail, part
    r05 = ref(seed_text, "R05").iloc[0]
    assert r05.verdict == "PASS"
    assert "金融=4" in r05.detail and "制造=5" in r05.detail and "运营商∈{2,3,6,7,>8}" in r05.detail


def _city(rk):
    return rk[rk.ranking == "city_ai_compute_development"].copy()


def test_rank_move_contradiction_is_reported(inputs):
    _, _, rk, _ = inputs
    rows = _city(rk)
    rows.loc[rows.name_zh == "上海", ["change", "previous_rank"]] = ["down 1", "2"]
    res = check_ranking("city", rows.to_dict("records"), True, IMPROVED)
    assert not res.feasible
    assert {c.entry for c in res.dropped} == {"上海", "杭州"}
    # a move that is still possible ("up 3": previous rank 6) stays feasible
    rows = _city(rk)
    rows.loc[rows.name_zh == "上海", ["change", "previous_rank"]] = ["up 3", ""]
    res = check_ranking("city", rows.to_dict("records"), True, IMPROVED)
    assert res.feasible and res.options["上海"] == [6] and res.options["南京"] == [3, 4, 5]


def test_rank_moves_fail_in_the_checker(inputs):
    cfg, obs, rk, params = inputs
    bad = rk.copy()
    bad.loc[(bad.ranking == "city_ai_compute_development") & (bad.name_zh == "上海"),
            ["change", "previous_rank"]] = ["down 1", "2"]
    r03 = ref(text(obs, cfg, bad, params), "R03").iloc[0]
    assert r03.verdict == "FAIL" and "杭州" in r03.detail
    # a derived previous rank the claims do not give is flagged too
    bad = rk.copy()
    bad.loc[(bad.ranking == "city_ai_compute_development") & (bad.name_zh == "杭州"), "previous_rank"] = "3"
    r03 = ref(text(obs, cfg, bad, params), "R03").iloc[0]
    assert r03.verdict == "FAIL" and "杭州: input says derived previous rank 3" in r03.detail


def test_rank_moves_small_programme():
    rows = [{"name_zh": "A", "rank": "1", "change": "same", "previous_rank_basis": "stated"},
            {"name_zh": "B", "rank": "2", "change": "up 1", "previous_rank_basis": "stated"},
            {"name_zh": "C", "rank": "3", "change": "down 1", "previous_rank_basis": "stated"}]
    res = check_ranking("t", rows)
    assert res.feasible and res.assignment == {"A": 1, "B": 3, "C": 2}
    rows.append({"name_zh": "D", "rank": "4", "previous_rank": "3", "previous_rank_basis": "stated"})
    res = check_ranking("t", rows)
    assert not res.feasible and len(res.dropped) == 1 and res.dropped[0].entry in ("B", "D")
    with pytest.raises(ValueError, match="sideways"):
        check_ranking("t", [{"name_zh": "A", "rank": "1", "change": "sideways", "previous_rank_basis": "stated"}])


def _with(obs, fid, **kw):
    o = obs.copy()
    for k, v in kw.items():
        o.loc[o.obs_id == fid, k] = v
    return o


def test_pue_and_rack_claims_against_ranges(inputs):
    cfg, obs, rk, params = inputs
    # disjoint claims on the same technology: FAIL
    f = text(_with(obs, "pue_liquid_cooling", value=1.3, qualifier=">", lo=1.3, hi=float("inf")), cfg, rk, params)
    assert ref(f, "T01").verdict.iloc[0] == "FAIL"
    # a PUE below 1 is impossible
    f = text(_with(obs, "pue_liquid_cooling", value=0.9, lo=-float("inf"), hi=0.95), cfg, rk, params)
    assert ref(f, "T01").verdict.iloc[0] == "FAIL" and "possible range" in ref(f, "T01").detail.iloc[0]
    # a model parameter wholly outside the claims: FAIL; inside every claim: PASS
    f = text(obs, cfg, rk, {"energy.pue.liquid": (1.5, 1.4, 1.6)})
    assert f[f.title.str.contains("model parameter")].verdict.tolist() == ["FAIL"]
    f = text(obs, cfg, rk, {"energy.pue.liquid": (1.08, 1.05, 1.1)})
    assert f[f.title.str.contains("model parameter")].verdict.tolist() == ["PASS"]
    # 72 GPUs at 2 kW do not fit a 130 kW rack
    f = text(_with(obs, "gpu_power_max", value=2000.0), cfg, rk, params)
    s13 = ref(f, "S13").iloc[0]
    assert s13.verdict == "FAIL" and s13.recomputed == pytest.approx(144.0)
    # a rack above the possible range
    f = text(_with(obs, "rack_power_max", value=900.0), cfg, rk, params)
    assert f[f.title.str.startswith("Server rack power")].verdict.tolist() == ["FAIL"]


def test_lists_orders_dates_names_flag_and_clear(inputs):
    cfg, obs, rk, params = inputs
    tc = cfg.text_checks
    same = tc.lists[0].lists[1]
    other = same.model_copy(update={"items": ["人才", "能源"]})
    c = cfg.model_copy(update={"text_checks": tc.model_copy(update={
        "lists": [tc.lists[0].model_copy(update={"lists": [same, same]}),
                  tc.lists[0].model_copy(update={"id": "x", "lists": [same, other]})],
        "orders": [tc.orders[0].model_copy(update={"labels": ["视频分析", "图像技术", "知识图谱", "AR与VR"]})],
        "dates": [tc.dates[0].model_copy(update={"listed_year": 2023}),
                  tc.dates[0].model_copy(update={"anchor": "2024-06", "external": "2024-06-20"})],
        "names": [tc.names[0].model_copy(update={"expected": tc.names[0].printed})],
        "figure_names": []})})
    f = text(obs, c, rk, params)
    assert f[f.rule == "list_consistency"].verdict.tolist() == ["PASS", "FAIL"]
    assert f[f.rule == "figure_order"].verdict.tolist() == ["PASS"]
    assert f[f.rule == "event_date"].verdict.tolist() == ["FAIL", "PASS"]
    assert f[f.rule == "product_name"].verdict.tolist() == ["PASS"]
    assert f[f.rule == "metric_names"].empty


def test_edition_parameters_resolve(ed):
    p = resolve_params(ed, ["energy.pue.liquid", "energy.pue.nothing"])
    assert list(p) == ["energy.pue.liquid"]
    v, lo, hi = p["energy.pue.liquid"]
    assert lo <= v <= hi


def test_titles_the_edition_wrote_carry_its_chinese(inputs):
    """A check title built on the edition's own title (exact, or with the checker's suffix) gets the
    Chinese the edition gives beside it; the checker's template titles are left to the template
    translation, and a title without Chinese stays empty."""
    from suanli.markets.config import ShareGroup, edition_titles, title_zh

    cfg, obs, rk, params = inputs
    f = run_checks(obs, cfg, None, rk, params)
    own = f[f.title_zh != ""].set_index("title")["title_zh"]
    assert own["72 GPUs at the stated 700 W maximum fit within the stated 130 kW rack"].startswith("72块GPU")
    assert own["DeepSeek-R1 release listed under 2024"] == "DeepSeek-R1 发布列于 2024 年下"
    assert own["Attainable data-centre PUE with liquid cooling (original report §1.2 vs §2.3): model parameter against "
               "the claims"] == "液冷数据中心可达到的PUE（原报告§1.2与§2.3）：模型参数与各项说法对比"
    shares = f[f.rule == "shares_sum"]
    edition_groups = shares[shares.title.str.startswith(("Model-parameter", "GenAI-generated", "China GenAI"))]
    assert len(edition_groups) == 3 and edition_groups.title_zh.str.endswith("≤ 100%").all()
    # every title the edition wrote has its Chinese; titles from the checker's templates have none here
    assert len(own) == 9 and (f.loc[f.rule == "rate_vs_levels", "title_zh"] == "").all()
    pairs = edition_titles(cfg.model_copy(update={"share_groups": [ShareGroup(id="x", title="Only English",
                                                                                facts=["a"])]}))
    assert title_zh("Only English: 10% <= 100%", pairs) == ""
    assert title_zh("Something else: model parameter x.y not set", [("Something else", "其他")]) \
        == "其他：模型参数 x.y 未设置"
