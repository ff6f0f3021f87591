"""Seeded generator of the default edition's city and industry assessments.

Run ``python -m suanli.index.synthetic [--out DIR]`` to (re)write
``data/editions/2025/data/index_{city,industry}_{framework.yaml,indicators.csv}``.

The seed report publishes ranks only (no weights, data or method). We therefore:

1. declare a framework from the report's dimensions (weights are suanli's declared choice);
2. put the report's real facts in as real (or target) values for the units and year they concern;
3. generate every other value (labelled ``synthetic``) from a latent score per unit and year
   through monotone, indicator-specific transforms plus seeded noise and ~3 % missing cells;
4. adjust the latent scores, never the engine, until the *default* method (run through the
   ordinary engine) reproduces the published 2025 order and the stated moves from 2024.

The engine is never special-cased: the loop only changes data.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

SEED = 20250601

CITIES = [  # id, name, region
    ("beijing", "北京", "华北"), ("hangzhou", "杭州", "华东"), ("shanghai", "上海", "华东"), ("shenzhen", "深圳", "华南"),
    ("guangzhou", "广州", "华南"), ("nanjing", "南京", "华东"), ("chengdu", "成都", "西南"), ("jinan", "济南", "华东"),
    ("tianjin", "天津", "华北"), ("xiamen", "厦门", "华东"), ("suzhou", "苏州", "华东"), ("yinchuan", "银川", "西北"),
    ("hefei", "合肥", "华东"), ("chongqing", "重庆", "西南"), ("wuhan", "武汉", "华中"), ("xian", "西安", "西北"),
    ("changsha", "长沙", "华中"), ("zhengzhou", "郑州", "华中"), ("qingdao", "青岛", "华东"), ("ningbo", "宁波", "华东"),
    ("wuxi", "无锡", "华东"), ("fuzhou", "福州", "华东"), ("guiyang", "贵阳", "西南"), ("shenyang", "沈阳", "东北"),
    ("dalian", "大连", "东北"), ("harbin", "哈尔滨", "东北"), ("changchun", "长春", "东北"), ("kunming", "昆明", "西南"),
    ("nanning", "南宁", "华南"), ("shijiazhuang", "石家庄", "华北"), ("taiyuan", "太原", "华北"), ("nanchang", "南昌", "华中"),
    ("hohhot", "呼和浩特", "华北"), ("lanzhou", "兰州", "西北"), ("urumqi", "乌鲁木齐", "西北"), ("dongguan", "东莞", "华南"),
    ("foshan", "佛山", "华南"), ("zhuhai", "珠海", "华南"), ("changzhou", "常州", "华东"), ("wenzhou", "温州", "华东"),
    ("yantai", "烟台", "华东"), ("wuhu", "芜湖", "华东"), ("qingyang", "庆阳", "西北"), ("ulanqab", "乌兰察布", "华北"),
]

# Published 2025 top 10 (rankings.csv) + the two cities named as notable; 2024 order chosen to satisfy
# every stated move: 上海 4→3, 成都 9→7, 广州 7→5, 天津/厦门 from outside the top 10, 北京/杭州 unchanged,
# 深圳/南京/济南 not improved; exactly five top-10 cities improved.
CITY_ORDER = {
    2025: ["beijing", "hangzhou", "shanghai", "shenzhen", "guangzhou", "nanjing", "chengdu", "jinan", "tianjin",
           "xiamen", "suzhou", "yinchuan", "hefei", "wuhan", "chongqing"],
    2024: ["beijing", "hangzhou", "shenzhen", "shanghai", "nanjing", "jinan", "guangzhou", "suzhou", "chengdu",
           "hefei", "wuhan", "chongqing", "tianjin", "xian", "xiamen", "changsha", "yinchuan"],
}

INDUSTRIES = [
    ("internet", "互联网"), ("finance", "金融"), ("telecom", "运营商"), ("manufacturing", "制造"), ("government", "政府"),
    ("education", "教育（教科研）"), ("healthcare", "医疗"), ("energy", "能源"), ("transport", "交通"), ("retail", "零售"),
    ("services", "服务"), ("construction", "建筑"), ("media", "传媒"), ("agriculture", "农业"),
]
INDUSTRY_ORDER = {  # 2025: 金融 4→2, 制造 5→4, 教科研 8→6 (rankings.csv); the rest is suanli's choice
    2025: ["internet", "finance", "telecom", "manufacturing", "government", "education", "healthcare", "energy",
           "transport", "services", "retail", "media", "construction", "agriculture"],
    2024: ["internet", "telecom", "government", "finance", "manufacturing", "healthcare", "services", "education",
           "energy", "transport", "retail", "media", "construction", "agriculture"],
}

METHOD = [
    {"step": "treat", "method": "coinr", "params": {"winmax": 5, "skew_thresh": 2.0, "kurt_thresh": 3.5}},
    {"step": "normalise", "method": "minmax", "params": {"l_u": [0, 100]}},
    {"step": "aggregate", "method": "amean", "dat_thresh": 0.5},
]

# indicator: (zh, en, unit, kind, scale) — kind: "log" (counts/money, skewed) or "pct"/"score" (bounded)
CITY_TREE: list[tuple[str, str, str, float, list[tuple[str, str, str, float, list[tuple[str, str, str, str, str, float]]]]]] = [
    ("investment_scale", "人工智能投资规模", "AI investment scale", 0.30, [
        ("ai_compute_investment", "人工智能算力投资规模", "AI compute investment scale", 1, [
            ("public_ai_compute_pflops", "已建公共智能算力", "Public intelligent compute built", "PFLOPS", "log", 16000),
            ("ai_compute_capex_yi", "算力项目投资额", "Compute project investment", "亿元", "log", 400)]),
        ("other_ai_investment", "人工智能其他投资规模", "Other AI investment scale", 1, [
            ("ai_vc_funding_yi", "人工智能创投融资额", "AI venture funding", "亿元", "log", 300),
            ("ai_fund_size_yi", "人工智能产业基金规模", "AI industry fund size", "亿元", "log", 150)]),
        ("future_investment_plans", "未来投资计划", "Future investment plans", 1, [
            ("compute_target_pflops", "智能算力规划目标", "Intelligent compute target", "PFLOPS", "log", 60000),
            ("planned_ai_investment_yi", "计划人工智能投入", "Planned AI investment", "亿元", "log", 500)]),
        ("genai_investment_intensity", "大模型投资力度", "GenAI/LLM investment intensity", 1, [
            ("genai_investment_yi", "大模型相关投资额", "GenAI-related investment", "亿元", "log", 200)]),
        ("genai_construction_progress", "大模型建设进度", "GenAI/LLM construction progress", 1, [
            ("genai_compute_projects", "在建大模型算力项目数", "GenAI compute projects under way", "个", "log", 60)]),
        ("genai_planning_layout", "大模型规划布局", "GenAI/LLM planning and layout", 1, [
            ("genai_plan_score", "大模型规划布局评分", "GenAI planning score", "0-100", "score", 100)]),
    ]),
    ("policy_support", "人工智能相关政策支持力度", "AI policy support", 0.20, [
        ("policy_strength", "人工智能相关政策扶持力度", "Strength of AI policy support", 1, [
            ("ai_policy_documents", "人工智能政策文件数", "AI policy documents", "件", "log", 40),
            ("ai_policy_funding_yi", "财政扶持资金", "Public support funding", "亿元", "log", 80)]),
        ("policy_implementation_progress", "政策落地情况和实施进展", "Policy implementation and progress", 1, [
            ("policy_implementation_score", "政策落地评分", "Implementation score", "0-100", "score", 100)]),
        ("genai_policy_support", "大模型政策支持", "GenAI/LLM policy support", 1, [
            ("genai_policy_measures", "大模型专项政策措施数", "GenAI policy measures", "项", "log", 25)]),
    ]),
    ("technology_maturity", "人工智能技术成熟度", "AI technology maturity", 0.30, [
        ("ai_application_maturity", "人工智能技术应用成熟度", "AI application maturity", 1, [
            ("ai_application_scenarios", "人工智能示范应用场景数", "AI demonstration scenarios", "个", "log", 300)]),
        ("third_platform_maturity", "第三平台技术应用成熟度", "Third-platform maturity", 1, [
            ("cloud_adoption_pct", "企业上云率", "Enterprise cloud adoption", "%", "pct", 90)]),
        ("data_platform_maturity", "数据平台成熟度", "Data platform maturity", 1, [
            ("data_platform_score", "数据平台成熟度评分", "Data platform score", "0-100", "score", 100)]),
        ("genai_application_level", "大模型应用水平", "GenAI/LLM application level", 1, [
            ("registered_llms", "备案大模型数量", "Registered large models", "款", "log", 90)]),
    ]),
    ("labour_supply", "劳动供给", "Labour (talent) supply", 0.20, [
        ("ai_technical_staff_count_level", "人工智能相关技术人员数量和水平", "AI technical staff", 1, [
            ("ai_job_postings_share_pct", "人工智能岗位招聘占全国比例", "Share of national AI job postings", "%", "log", 16)]),
        ("ai_firm_staff_and_count", "AI企业人数/企业数量", "AI firms and staff", 1, [
            ("ai_firms_count", "人工智能企业数量", "AI firms", "家", "log", 2500)]),
        ("future_talent_reserve", "未来人才储备", "Future talent reserve", 1, [
            ("universities_ai_majors", "开设人工智能专业的高校数", "Universities with AI majors", "所", "log", 40)]),
    ]),
]

INDUSTRY_TREE = [
    ("technology_scenario_maturity", "人工智能技术场景成熟度", "AI technology-scenario maturity", 0.35, [
        ("ai_tech_scenarios", "已部署人工智能技术场景数", "AI technology scenarios deployed", "个", "log", 60),
        ("cv_nlp_adoption_pct", "视觉/语言技术采用率", "Vision/language technology adoption", "%", "pct", 85)]),
    ("application_scenario_maturity", "应用场景成熟度", "Application-scenario maturity", 0.35, [
        ("ai_use_cases_production", "投产人工智能应用数", "AI use cases in production", "个", "log", 120),
        ("genai_pilot_share_pct", "生成式AI试点企业占比", "Firms piloting GenAI", "%", "pct", 70),
        ("ai_process_coverage_pct", "业务流程AI覆盖率", "Business processes covered by AI", "%", "pct", 60)]),
    ("investment_scale", "投资规模", "Investment scale", 0.30, [
        ("ai_it_spend_yi", "人工智能IT支出", "AI IT spending", "亿元", "log", 900),
        ("ai_spend_share_pct", "AI支出占IT预算比例", "AI share of IT budget", "%", "pct", 30)]),
]

# (unit, indicator, year, value, status, source) — from the edition's data/facts.csv (the report text)
CITY_FACTS = [
    ("beijing", "public_ai_compute_pflops", 2025, 22000, "real", "bj_public_intelligent_compute: 已建公共智能算力2.2万P"),
    ("beijing", "registered_llms", 2025, 105, "real", "bj_registered_llms: 北京市备案大模型105款"),
    ("beijing", "ai_job_postings_share_pct", 2024, 19.1, "real",
     "bj_ai_job_postings_share_h1_2024: 2024年上半年AI岗位占全国19.1%"),
    ("yinchuan", "public_ai_compute_pflops", 2025, 3000, "real", "yc_intelligent_compute: 已形成智能算力3000P以上"),
    ("yinchuan", "ai_compute_capex_yi", 2025, 380.5, "real", "yc_signed_projects_value: 签约项目总金额380.5亿元"),
    ("xiamen", "compute_target_pflops", 2025, 1100, "target", "xm_intelligent_compute_target_2025: 1.1EFLOPS以上"),
    ("xiamen", "universities_ai_majors", 2025, 13, "real", "xm_universities_ai_majors: 13所高校"),
    ("shanghai", "compute_target_pflops", 2025, 100000, "target",
     "sh_intelligent_compute_target_2025: 2025年底智能算力突破100 EFLOPS (target)"),
    ("nanjing", "planned_ai_investment_yi", 2025, 60, "target", "nj_ai_investment_3y: 三年内投入超过60亿元 (plan)"),
    ("chengdu", "planned_ai_investment_yi", 2025, 559.89, "target",
     "sc_compute_projects_investment: 四川省算力项目预计投资559.89亿元 (province-level figure, reported under 成都)"),
    ("shenzhen", "ai_fund_size_yi", 2025, 10, "real", "sz_district_ai_fund: 首支区级人工智能专项基金10亿元"),
]


def _tree_yaml(fid: str, zh: str, en: str, tree: list, depth3: bool) -> dict[str, Any]:
    def ind(t):
        i, z, e, unit, kind, _scale = t
        return {"id": i, "name_zh": z, "name_en": e, "unit": unit, "direction": 1, "weight": 1.0,
                "data_status": "mixed" if fid == "city_ai_compute" and i in {f[1] for f in CITY_FACTS} else "synthetic"}

    children = []
    for dim in tree:
        d_id, d_zh, d_en, d_w, subs = dim
        if depth3:
            kids = [{"id": s_id, "name_zh": s_zh, "name_en": s_en, "weight": float(s_w), "children": [ind(t) for t in inds]}
                    for s_id, s_zh, s_en, s_w, inds in subs]
        else:
            kids = [ind(t) for t in subs]
        children.append({"id": d_id, "name_zh": d_zh, "name_en": d_en, "weight": d_w, "children": kids})
    levels = ["指标 indicator", "子维度 sub-dimension", "维度 dimension", "指数 index"] if depth3 else \
        ["指标 indicator", "维度 dimension", "指数 index"]
    return {
        "schema_version": 1, "id": fid, "name_zh": zh, "name_en": en,
        "description": "Declared by suanli from the seed report's dimensions (framework.yaml). The report publishes no "
                       "weights or method; the weights and method below are suanli's documented defaults.",
        "description_zh": "由 suanli 依据原报告的维度声明（framework.yaml）。原报告没有公布权重和方法；下列权重和方法是 suanli "
                          "记录在文档中的默认设置。",
        "level_names": levels, "groups": ["region"] if depth3 else [],
        "method": METHOD,
        "method_notes": "COINr defaults: skew/kurtosis outlier rule with winsorisation (≤5 points) else log; min-max "
                        "0-100 after direction; weighted arithmetic mean with weights renormalised over available "
                        "children; a group score needs ≥50% of its children (dat_thresh 0.5).",
        "method_notes_zh": "COINr 默认设置：偏度/峰度异常值规则，先缩尾（最多 5 个点），否则取对数；按方向调整后做最小-最大 0–100 "
                           "标准化；加权算术平均，权重在有数据的子节点之间重新归一；一个分组的得分至少需要 50% 的子节点有数据"
                           "（dat_thresh 0.5）。",
        "tree": {"id": "index", "name_zh": zh, "name_en": en, "children": children},
    }


def _leaves(tree: list, depth3: bool) -> list[tuple]:
    out = []
    for dim in tree:
        if depth3:
            for sub in dim[4]:
                out += sub[4]
        else:
            out += dim[4]
    return out


def _round(x: np.ndarray, kind: str, unit: str) -> np.ndarray:
    if unit in ("个", "件", "项", "款", "家", "所"):
        return np.maximum(np.round(x), 0)
    return np.round(x, 2)


def generate(kind: str, seed: int = SEED, max_iter: int = 400) -> tuple[dict[str, Any], pd.DataFrame]:
    """Return (framework dict, long indicator table) for ``kind`` = ``city`` or ``industry``."""
    from .data import read_data
    from .framework import framework_from_dict
    from .pipeline import build

    rng = np.random.default_rng(seed + (0 if kind == "city" else 1))
    if kind == "city":
        units, orders, tree, depth3 = [(u, n) for u, n, _ in CITIES], CITY_ORDER, CITY_TREE, True
        fdict = _tree_yaml("city_ai_compute", "中国人工智能计算力发展评估——城市排行", "China AI compute development — cities",
                           tree, True)
        facts = CITY_FACTS
        region = {u: r for u, _, r in CITIES}
    else:
        units, orders, tree, depth3 = INDUSTRIES, INDUSTRY_ORDER, INDUSTRY_TREE, False
        fdict = _tree_yaml("industry_ai_penetration", "中国人工智能行业应用渗透度", "AI penetration by industry",
                           tree, False)
        facts, region = [], {}
    fw = framework_from_dict(fdict)
    leaves = _leaves(tree, depth3)
    ids = [u for u, _ in units]
    names = dict(units)
    U, K = len(ids), len(leaves)
    years = sorted(orders)
    latent: dict[int, np.ndarray] = {}
    pool = list(np.array(ids)[rng.permutation(U)])  # one order of the other units, shared by both years
    for y in years:
        rest = [u for u in pool if u not in orders[y]]
        s = np.empty(U)
        for pos, u in enumerate(orders[y]):
            s[ids.index(u)] = 1.0 - 0.035 * pos
        base = 1.0 - 0.035 * len(orders[y])
        for k, u in enumerate(rest):
            s[ids.index(u)] = base - 0.012 * (k + 1)
        latent[y] = s
    prof = {y: 0.04 * rng.standard_normal((U, K)) for y in years}
    noise_draw = {y: rng.standard_normal((U, K)) for y in years}
    miss = {y: rng.random((U, K)) < 0.03 for y in years}
    fact_cells = {(ids.index(u), [lf[0] for lf in leaves].index(i), y): (v, st, src) for u, i, y, v, st, src in facts}
    for (r, c, y) in fact_cells:
        miss[y][r, c] = False
    top_rows = {y: [ids.index(u) for u in orders[y][:3]] for y in years}
    for y in years:
        miss[y][top_rows[y], :] = False

    def table() -> pd.DataFrame:
        rows = []
        for y in years:
            X = np.empty((U, K))
            for j, lf in enumerate(leaves):
                kind_j = lf[4]
                z = latent[y] + prof[y][:, j] + 0.03 * noise_draw[y][:, j]
                if kind_j == "log":
                    X[:, j] = lf[5] * np.exp(4.0 * (z - 1.0))
                elif kind_j == "pct":
                    X[:, j] = lf[5] * (0.25 + 0.75 / (1 + np.exp(-5 * (z - 0.5))))
                else:
                    X[:, j] = 25 + 70 * np.clip(z, 0, 1.05)
                # keep synthetic values below a real value of the top unit (e.g. 北京's 105 models)
                top = ids.index(orders[y][0])
                cap = fact_cells.get((top, j, y))
                if cap is not None and cap[1] == "real":
                    X[:, j] = np.minimum(X[:, j], 0.95 * cap[0])
                X[:, j] = _round(X[:, j], kind_j, lf[3])
            for r, u in enumerate(ids):
                for j, lf in enumerate(leaves):
                    cell = fact_cells.get((r, j, y))
                    if cell:
                        v, st, src = cell
                    elif miss[y][r, j]:
                        continue
                    else:
                        v, st, src = X[r, j], "synthetic", f"suanli.index.synthetic seed {seed}"
                    row = {"year": y, "unit_id": u, "unit_name": names[u], "indicator_id": lf[0], "value": float(v),
                           "data_status": st, "source": src}
                    if region:
                        row["region"] = region[u]
                    rows.append(row)
        return pd.DataFrame(rows)

    spec = fdict["method"]
    for _ in range(max_iter):
        df = table()
        panel = read_data(df, fw)
        ok = True
        for y in years:
            r = build(spec, panel[y])
            sc = r.score()
            want = orders[y]
            got = r.order()
            if got[: len(want)] == want:
                continue
            ok = False
            # nudge: a unit scoring below the next one in the wanted order moves up; outsiders above the
            # last wanted unit move down
            for a, b in zip(want, want[1:], strict=False):
                if not sc[a] > sc[b]:
                    latent[y][ids.index(a)] += 0.01
                    latent[y][ids.index(b)] -= 0.005
            floor = sc[want[-1]]
            for u in ids:
                if u not in want and sc[u] >= floor:
                    latent[y][ids.index(u)] -= 0.01
        if ok:
            return fdict, df.sort_values(["year", "unit_id", "indicator_id"]).reset_index(drop=True)
    raise RuntimeError(f"{kind}: could not reproduce the published order in {max_iter} iterations")


def write(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in ("city", "industry"):
        fdict, df = generate(kind)
        fp = out / f"index_{kind}_framework.yaml"
        header = (f"# Generated by `python -m suanli.index.synthetic` (seed {SEED}); edit the generator, not this file.\n"
                  "# yaml-language-server: $schema=../../../../schemas/index-framework.schema.json\n")
        fp.write_text(header + yaml.safe_dump(fdict, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8")
        dp = out / f"index_{kind}_indicators.csv"
        df.to_csv(dp, index=False, lineterminator="\n", encoding="utf-8")
        paths += [fp, dp]
    return paths


def main() -> None:
    from ..edition import default_edition_dir

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=default_edition_dir() / "data")
    args = ap.parse_args()
    for p in write(args.out):
        print(p)


if __name__ == "__main__":
    main()
