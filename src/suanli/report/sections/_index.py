"""Helpers for the ranking chapters (index and uncertainty stages)."""

from __future__ import annotations

import pandas as pd

from ..data import ReportData
from ..spec import FigureSpec
from ._sobol import NOTE as SOBOL_NOTE
from ._sobol import sobol_rows


def composite(rd: ReportData, kind: str) -> pd.DataFrame:
    r = rd.df(f"index_{kind}_results")
    top = int(r["level"].max())
    r = r[r["level"] == top]
    return r[r["year"] == r["year"].max()].sort_values("rank")


def label(rd: ReportData, kind: str, name: str) -> str:
    return rd.city(name) if kind == "city" else rd.industry(name)


def ranking_fig(rd: ReportData, kind: str, n: int) -> list[FigureSpec]:
    t = f"index_{kind}_results"
    c = composite(rd, kind).head(n)
    z = rd.zh_en
    y = int(c["year"].iloc[0])
    gaps = c["missing_indicators"].fillna(0).astype(int) if "missing_indicators" in c else pd.Series(0, index=c.index)
    imp = c["imputed"].astype(bool) if "imputed" in c else pd.Series(False, index=c.index)
    # a score resting on missing indicators says so in its label: imputed (the method's declared
    # impute step filled them) or skipped (the aggregation renormalised over the rest)
    mark = [(z(f"（{g}项补值）", f" ({g} imputed)") if i else z(f"（{g}项缺失）", f" ({g} missing)")) if g else ""
            for g, i in zip(gaps, imp, strict=True)]
    d = pd.DataFrame({"y": [f"{int(r)}. {label(rd, kind, u)}{m}" for r, u, m in
                            zip(c["rank"], c["unit_name"], mark, strict=True)],
                      "value": c["score"].astype(float)})
    title = (z(f"中国人工智能计算力发展评估——城市排行（{y}，前{len(c)}）", f"China AI compute development assessment: city ranking ({y}, top {len(c)})")
             if kind == "city" else z(f"中国人工智能行业应用渗透度（{y}）", f"AI application penetration by industry in China ({y})"))
    return [FigureSpec(f"index_{kind}_ranking", kind if kind == "city" else "industry", "hbar", title, d,
                       rd.source(t), [t], rd.synthetic(t), x_label=z("综合得分（0-100）", "Composite score (0-100)"),
                       opts={"decimals": 1}, height=max(420, 24 * len(c) + 120), lang=rd.lang)]


def slope_fig(rd: ReportData, kind: str, n: int) -> list[FigureSpec]:
    t = f"index_{kind}_results"
    c = composite(rd, kind).head(n)
    c = c[c["prev_rank"].notna()]
    if c.empty:
        return []
    z = rd.zh_en
    y = int(c["year"].iloc[0])
    rows = []
    # previous ranks are drawn where they were (an axis as deep as the lowest previous rank), never capped
    for r in c.itertuples():
        lab = label(rd, kind, r.unit_name)
        rows.append((lab, str(y - 1), float(r.prev_rank)))
        rows.append((lab, str(y), float(r.rank)))
    d = pd.DataFrame(rows, columns=["label", "x", "value"])
    d = d.sort_values(["x", "value"])
    return [FigureSpec(f"index_{kind}_slope", kind if kind == "city" else "industry", "slope",
                       z(f"排名变化：{y - 1}年与{y}年（本期前{n}）", f"Rank changes {y - 1} to {y} (current top {n})"),
                       d, rd.source(t), [t], rd.synthetic(t), y_label=z("排名", "Rank"), height=480, lang=rd.lang)]


def waterfalls(rd: ReportData, kind: str, n: int) -> list[FigureSpec]:
    t, wt = f"index_{kind}_results", f"index_{kind}_weights"
    if not rd.has(wt):
        return []
    r = rd.df(t)
    w = rd.df(wt)
    top_level = int(r["level"].max())
    y = int(r["year"].max())
    dims = w[w["level"] == top_level - 1][["node_id", "name_zh", "name_en", "weight"]]
    comp = composite(rd, kind).head(n)
    z = rd.zh_en
    out = []
    for row in comp.itertuples():
        sub = r[(r["year"] == y) & (r["unit_id"] == row.unit_id) & (r["level"] == top_level - 1)]
        m = dims.merge(sub[["node_id", "score"]], on="node_id")
        contrib = m["weight"].astype(float) * m["score"].astype(float)
        if abs(contrib.sum() - float(row.score)) > 1e-6 * max(1.0, abs(float(row.score))):
            # non-additive aggregation: show the weighted parts and the remainder explicitly
            m = pd.concat([m, pd.DataFrame({"name_zh": ["聚合余项"], "name_en": ["aggregation remainder"]})])
            contrib = pd.concat([contrib, pd.Series([float(row.score) - contrib.sum()])])
        lab = label(rd, kind, row.unit_name)
        d = pd.DataFrame({"label": m["name_zh" if rd.lang == "zh" else "name_en"].astype(str).tolist(),
                          "value": contrib.astype(float).tolist()})
        out.append(FigureSpec(f"index_{kind}_waterfall_{row.unit_id}", kind if kind == "city" else "industry",
                              "waterfall",
                              z(f"{lab}（第{int(row.rank)}名）综合得分的维度贡献", f"{lab} (rank {int(row.rank)}): contributions to the composite score"),
                              d, rd.source(t, wt), [t, wt], rd.synthetic(t, wt),
                              y_label=z("得分贡献（权重×维度得分）", "Contribution (weight × dimension score)"),
                              opts={"total_label": z("综合得分", "Composite")}, height=380, lang=rd.lang))
    return out


def dimension_fig(rd: ReportData, kind: str, n: int) -> list[FigureSpec]:
    t, wt = f"index_{kind}_results", f"index_{kind}_weights"
    r = rd.df(t)
    top_level = int(r["level"].max())
    y = int(r["year"].max())
    comp = composite(rd, kind).head(n)
    sub = r[(r["year"] == y) & (r["level"] == top_level - 1) & r["unit_id"].isin(comp["unit_id"])]
    if sub.empty:
        return []
    order = {u: i for i, u in enumerate(comp["unit_id"])}
    sub = sub.assign(o=sub["unit_id"].map(order)).sort_values(["node_id", "o"])
    z = rd.zh_en
    name_col = "node_name"
    if rd.lang == "en" and rd.has(wt):
        en = rd.df(wt).set_index("node_id")["name_en"]
        sub = sub.assign(node_name=sub["node_id"].map(en).fillna(sub["node_name"]))
    d = pd.DataFrame({"y": [label(rd, kind, u) for u in sub["unit_name"]], "series": sub[name_col].astype(str),
                      "value": sub["score"].astype(float)})
    d["o"] = sub["o"].to_numpy()
    d = d.sort_values(["o"]).drop(columns="o")
    return [FigureSpec(f"index_{kind}_dimensions", "city", "hbar",
                       z(f"前{n}城市各维度得分（{y}）", f"Dimension scores of the top {n} cities ({y})"), d,
                       rd.source(t), [t], rd.synthetic(t), x_label=z("维度得分（0-100）", "Dimension score (0-100)"),
                       height=620, lang=rd.lang)]


def interval_cols(cols: set[str]) -> dict[str, str] | None:
    lo = next((c for c in ("q05", "rank_lo", "rank_low", "rank_p05", "rank_q05", "lo", "ci_low") if c in cols), None)
    hi = next((c for c in ("q95", "rank_hi", "rank_high", "rank_p95", "rank_q95", "hi", "ci_high") if c in cols), None)
    mid = next((c for c in ("nominal_rank", "rank_nominal", "rank", "median_rank") if c in cols), None)
    name = next((c for c in ("unit_name", "city", "name", "unit_id") if c in cols), None)
    return {"lo": lo, "hi": hi, "mid": mid, "name": name} if lo and hi and mid and name else None


def rank_interval_fig(rd: ReportData, kind: str, n: int) -> list[FigureSpec]:
    t = f"index_{kind}_rank_intervals"
    d = rd.df(t)
    c = interval_cols(set(d.columns))
    if c is None:
        return []
    if "node_id" in d and (d["node_id"] == "index").any():
        d = d[d["node_id"] == "index"]
    if "year" in d:
        d = d[d["year"] == d["year"].max()]
    d = d.sort_values(c["mid"]).head(n)
    z = rd.zh_en
    out = pd.DataFrame({"label": [label(rd, kind, str(x)) for x in d[c["name"]]], "value": d[c["mid"]].astype(float),
                        "lo": d[c["lo"]].astype(float), "hi": d[c["hi"]].astype(float)})
    ns = int(d["n_samples"].max()) if "n_samples" in d else None
    what = z("城市", "cities") if kind == "city" else z("行业", "industries")
    title = z(f"{what}排名的不确定性区间（前{len(out)}，5%-95%分位" + (f"，{ns:,}次抽样）" if ns else "）"),
              f"Rank intervals of the top {len(out)} {what} (5th-95th percentile" + (f", {ns:,} samples)" if ns else ")"))
    return [FigureSpec(f"uncertainty_{kind}_rank_intervals", kind if kind == "city" else "industry", "rank_interval",
                       title, out, rd.source(t), [t], rd.synthetic(t), x_label=z("排名", "Rank"),
                       height=max(300, 26 * len(out) + 80), lang=rd.lang)]


def sobol_fig(rd: ReportData, kind: str) -> list[FigureSpec]:
    t = f"index_{kind}_sobol"
    d = rd.df(t)
    cols = set(d.columns)
    name = next((c for c in ("input", "factor", "parameter", "name") if c in cols), None)
    if not name or not ({"S1", "ST"} & cols):
        return []
    z = rd.zh_en
    if "target" in d:
        tgt = "mean_abs_rank_shift" if (d["target"] == "mean_abs_rank_shift").any() else d["target"].iloc[0]
        d = d[d["target"] == tgt]
    if "year" in d:
        d = d[d["year"] == d["year"].max()]
    d = d.drop_duplicates(name)
    what = z("城市", "city") if kind == "city" else z("行业", "industry")
    return [FigureSpec(f"uncertainty_{kind}_sobol", "methodology", "hbar",
                       z(f"{what}排名的敏感性分析：Sobol指数（目标：平均排名变动）",
                         f"Sensitivity of the {what} ranking: Sobol indices (target: mean absolute rank shift)"),
                       sobol_rows(rd, d, name, lambda n: input_label(rd.lang, n)), rd.source(t), [t],
                       rd.synthetic(t), x_label=z("指数", "Index"), opts={"decimals": 2}, note=z(*SOBOL_NOTE),
                       lang=rd.lang)]


def tree_order(w: pd.DataFrame):
    kids: dict[str, list] = {}
    for r in w.itertuples():
        kids.setdefault("" if pd.isna(r.parent_id) else r.parent_id, []).append(r)
    out = []

    def walk(pid: str) -> None:
        for r in kids.get(pid, []):
            out.append(r)
            walk(r.node_id)
    walk("")
    return out


INPUTS = {"weights L2+3": ("权重（第二、三层）", "weights (levels 2 and 3)"),
          "weights L1+2": ("权重（第一、二层）", "weights (levels 1 and 2)"),
          "weights L2": ("权重（第二层）", "weights (level 2)"), "weights L3": ("权重（第三层）", "weights (level 3)"), "normalisation": ("归一化方法", "normalisation"),
          "aggregation": ("聚合方法", "aggregation"), "outlier treatment": ("异常值处理", "outlier treatment"),
          "imputation": ("缺失值插补", "imputation"), "measurement noise": ("测量误差", "measurement error"),
          "exclude one indicator": ("指标取舍（逐一剔除）", "leaving one indicator out")}


def input_label(lang: str, name: str) -> str:
    """Sobol input names in the report's language."""
    zh, en = INPUTS.get(name, (name, name))
    return zh if lang == "zh" else en
