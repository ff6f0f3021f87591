"""Analysis of a composite ranking (cities or industries), written by rules that pick what is notable.

The rules look at the stored results and write only what holds: how far the leader is ahead
(a narrow lead is called narrow), which units moved most against the previous year, how many
held their place, what the rank intervals say about the order (which ranks are settled, which
are not), which modelling choice drives the rank shifts (Sobol total-order index) and, for
cities, where the leader is weakest. Every number is a claim tied to a stored value.
"""

from __future__ import annotations

from markupsafe import Markup

from .. import fmt
from ..claims import COUNT, DIFF, V, sentence
from ..findings import varied_inputs
from . import Context, Finding
from ._index import composite, input_label, label

TOP = {"city": 20, "industry": 14}


def _join(ctx: Context, items: list[str]) -> str:
    from .. import fmt

    return fmt.listing(items, ctx.rd.lang)


def ranking_paragraphs(ctx: Context, kind: str, section: str, *, uncertainty_summary: bool = True) -> list[Markup]:
    """Leader and lead, rank moves, what the rank intervals say, what drives the rank shifts.

    ``uncertainty_summary=False`` leaves out the settled-ranks sentence and the Sobol paragraph (the
    findings still note them for the recommendations) when the chapter prints the value-class
    summary of the rank intervals instead (:func:`suanli.report.findings.rank_uncertainty`), so the
    text does not say the same thing twice.
    """
    rd, cl, z = ctx.rd, ctx.cl, ctx.z
    t = f"index_{kind}_results"
    if not rd.has(t):
        return []
    c = composite(rd, kind)
    if len(c) < 3:
        return []
    y = int(c["year"].iloc[0])
    lvl = int(c["level"].iloc[0])
    n = min(TOP[kind], len(c))
    top = c.head(n)
    what = z("城市", "cities") if kind == "city" else z("行业", "industries")

    def sc(u: str) -> dict:
        return V(t, "score", year=y, unit_id=u, level=lvl)

    out: list[Markup] = []
    # 1. the leader and its lead
    u1, u2 = top["unit_id"].iloc[0], top["unit_id"].iloc[1]
    s1 = cl.number(f"{kind}_lead_score", sc(u1), 1)
    gap = cl.number(f"{kind}_lead_gap", DIFF(sc(u1), sc(u2)), 1)
    gap23 = float(top["score"].iloc[1] - top["score"].iloc[2])
    gapv = float(top["score"].iloc[0] - top["score"].iloc[1])
    close = gapv < max(2.0, 0.5 * gap23)
    p = sentence(z("{a}以{s1}分位居第一，领先第二名{b}{gap}分，" + ("优势不大" if close else "领先明显") + "；{c}位列第三。",
                   "{a} ranks first with {s1} points, {gap} ahead of {b} in second place" +
                   (", a narrow lead" if close else ", a clear lead") + "; {c} is third."),
                 a=label(rd, kind, top["unit_name"].iloc[0]), b=label(rd, kind, top["unit_name"].iloc[1]),
                 c=label(rd, kind, top["unit_name"].iloc[2]), s1=s1, gap=gap)
    out.append(p)
    ctx.note(Finding(f"{kind}_leader", section, p, "leader", {"unit": u1, "close": close}))
    # 2. moves against the previous year
    if "prev_rank" in top and top["prev_rank"].notna().any():
        m = top.dropna(subset=["prev_rank"]).assign(move=lambda d: d["prev_rank"] - d["rank"])
        base = f"year == {y} and level == {lvl} and rank <= {n} and prev_rank == prev_rank"
        up = cl.number(f"{kind}_n_up", COUNT(t, base + " and prev_rank > rank"), 0)
        down = cl.number(f"{kind}_n_down", COUNT(t, base + " and prev_rank < rank"), 0)
        same = cl.number(f"{kind}_n_same", COUNT(t, base + " and prev_rank == rank"), 0)
        txt = sentence(z("与上一年相比，前{n}名{what}中{up}个名次上升、{down}个下降、{same}个持平。",
                         "Against the previous year, of the top {n} {what} {up} moved up, {down} moved down and {same} "
                         "held their place."), n=n, up=up, down=down, same=same, what=what)
        seg = [Markup(txt)]
        seg += _biggest_moves(ctx, kind, t, m, y, lvl)
        new = m[m["prev_rank"] > n]
        if len(new):
            seg.append(Markup(sentence(z("新进入前{n}名的有：{names}。", "New in the top {n}: {names}."), n=n,
                                       names=_join(ctx, [label(rd, kind, u) for u in new["unit_name"]]))))
        p = Markup(("" if rd.lang == "zh" else " ").join(str(s) for s in seg))
        out.append(p)
        ctx.note(Finding(f"{kind}_moves", section, p, "moves"))
    # 3. what the rank intervals say
    ri = f"index_{kind}_rank_intervals"
    if rd.has(ri):
        r = rd.df(ri)
        if "node_id" in r:
            r = r[r["node_id"] == "index"]
        if "year" in r:
            r = r[r["year"] == r["year"].max()]
        r = r[r["unit_id"].isin(top["unit_id"])].copy()
        if len(r) and {"q05", "q95", "nominal_rank"} <= set(r.columns):
            r["width"] = r["q95"] - r["q05"]
            ry = int(r["year"].iloc[0]) if "year" in r else None
            settled = r[r["width"] == 0].sort_values("nominal_rank")
            wide = r.sort_values(["width", "nominal_rank"], ascending=[False, True]).iloc[0]
            ns = int(r["n_samples"].max()) if "n_samples" in r else None
            w = {"year": ry} if ry is not None else {}
            seg = []
            if len(settled) and (settled["unit_id"] == u1).any():
                ctx.note(Finding(f"{kind}_leader_settled", section, Markup(""), "settled"))
            if len(settled) and uncertainty_summary:
                # the 5-95 % range is one rank, which is not "in every draw": the sentence says the former
                seg.append(sentence(z("在{ns}次不确定性抽样中（{varied}同时变化，见附录一），"
                                      "{names}的名次在5%-95%区间内不变。",
                                      "Across {ns} uncertainty draws ({varied} varied together; see Appendix A), "
                                      "{names} keep their rank across the 5-95% range."),
                                    varied=varied_inputs(ctx.rd, kind),
                                    ns=cl.number(f"{kind}_n_samples", V(ri, "n_samples", unit_id=settled["unit_id"].iloc[0],
                                                                        node_id="index", **w), 0) if ns else "", names=_join(ctx, [label(rd, kind, u) for u in settled["unit_name"]])))
            if wide["width"] > 0:
                # every unit as unsettled as the widest is named (Foshan 16-19 and Taiyuan 20-23)
                tied = r[r["width"] == wide["width"]].sort_values("nominal_rank")
                parts = []
                for i, t_ in enumerate(tied.itertuples()):
                    sfx = "" if i == 0 else f"_{i + 1}"
                    parts.append({"u": label(rd, kind, t_.unit_name), **{
                        key: cl.number(f"{kind}_unsettled_{key}{sfx}", V(ri, col, unit_id=t_.unit_id, node_id="index", **w), 0)
                        for key, col in (("nom", "nominal_rank"), ("lo", "q05"), ("hi", "q95"))}})
                if len(parts) == 1:
                    seg.append(sentence(z("名次最不确定的是{u}：名义排名第{nom}名，但5%-95%区间为第{lo}至第{hi}名。",
                                          "The least settled is {u}: nominally {nom}, but between {lo} and {hi} in the "
                                          "5-95% range."), **parts[0]))
                else:
                    each = [sentence(z("{u}（名义第{nom}名，5%-95%区间第{lo}至第{hi}名）",
                                       "{u} (nominally {nom}, between {lo} and {hi})"), **pt) for pt in parts]
                    seg.append(sentence(z("名次最不确定的是{m}。", "The least settled are {m} in the 5-95% range."),
                                        m=Markup(fmt.listing(each, rd.lang))))
            border = r[(r["p_top10"] > 0.05) & (r["p_top10"] < 0.95)] if "p_top10" in r else r.iloc[0:0]
            if len(border) and kind == "city":
                seg.append(sentence(z("是否进入前10名并不确定的有：{names}。", "It is uncertain whether {names} "
                                      + ("makes" if len(border) == 1 else "make") + " the top 10."),
                                    names=_join(ctx, [label(rd, kind, u) for u in border.sort_values("nominal_rank")["unit_name"]])))
            wide_n = int((r["width"] >= 3).sum())
            if seg:
                p = Markup(("" if rd.lang == "zh" else " ").join(str(s) for s in seg))
                out.append(p)
                if wide_n:
                    ctx.note(Finding(f"{kind}_uncertainty", section, p, "uncertainty", {"wide": wide_n}))
    # 4. what drives the rank shifts (Sobol total-order index)
    so = f"index_{kind}_sobol"
    if rd.has(so):
        s = rd.df(so)
        s = s[(s["target"] == "mean_abs_rank_shift")] if "target" in s else s
        if "year" in s:
            s = s[s["year"] == s["year"].max()]
        if len(s) and "ST" in s:
            top_in = s.sort_values("ST", ascending=False).iloc[0]
            w = {"target": "mean_abs_rank_shift", "input": top_in["input"]}
            if "year" in s:
                w["year"] = int(top_in["year"])
            if "node_id" in s:
                w["node_id"] = top_in["node_id"]
            st = cl.number(f"{kind}_sobol_top", V(so, "ST", **w), 2)
            leader_settled = bool(ctx.notes and any(f.id == f"{kind}_leader_settled" for f in ctx.notes))
            tail = z("换用其他合理的做法，变动集中在中段名次，榜首不受影响。",
                     "Other reasonable choices move the middle of the table, not the top.") if leader_settled else ""
            p = sentence(z("名次变动主要来自“{inp}”（总效应指数{st}）。" + tail,
                           "Rank shifts come mainly from {inp} (total-order index {st}). " + tail),
                         inp=input_label(rd.lang, str(top_in["input"])), st=st)
            ctx.note(Finding(f"{kind}_sobol", section, p, "sensitivity"))
            if uncertainty_summary:
                out.append(p)
    return out


def _biggest_moves(ctx: Context, kind: str, t: str, m, y: int, lvl: int) -> list[Markup]:
    """The biggest riser and faller of the top units, every unit tied with them named too."""
    rd, cl, z = ctx.rd, ctx.cl, ctx.z

    def ref(col: str, u: str) -> dict:
        return V(t, col, year=y, unit_id=u, level=lvl)

    out: list[Markup] = []
    for sign, key in ((1, "riser"), (-1, "faller")):
        step = sign * float(m["move"].max() if sign > 0 else m["move"].min())
        if step <= 0:
            continue
        tied = m[m["move"] * sign == step].sort_values("rank")
        moves = []
        for i, r in enumerate(tied.itertuples()):
            sfx = "" if i == 0 else f"_{i + 1}"
            parts = {"u": label(rd, kind, r.unit_name),
                     "p": cl.number(f"{kind}_{key}_prev{sfx}", ref("prev_rank", r.unit_id), 0),
                     "r": cl.number(f"{kind}_{key}_rank{sfx}", ref("rank", r.unit_id), 0)}
            if len(tied) == 1:
                moves.append(sentence(z("{u}，从第{p}名" + ("升至" if sign > 0 else "降至") + "第{r}名", "{u}, from {p} to {r}"),
                                      **parts))
            else:
                moves.append(sentence(z("{u}（第{p}名→第{r}名）", "{u} ({p} to {r})"), **parts))
        if len(moves) == 1:
            out.append(sentence(z("上升最多的是{m}。" if sign > 0 else "下降最多的是{m}。",
                                  "The biggest riser is {m}." if sign > 0 else "The biggest faller is {m}."), m=moves[0]))
            continue
        first = tied["unit_id"].iloc[0]
        places = cl.number(f"{kind}_{key}_places", DIFF(ref("prev_rank", first), ref("rank", first)) if sign > 0
                           else DIFF(ref("rank", first), ref("prev_rank", first)), 0)
        names = Markup(fmt.listing(moves, rd.lang))
        out.append(sentence(z("上升最多的是{m}，各上升{n}位。" if sign > 0 else "下降最多的是{m}，各下降{n}位。",
                              "The biggest risers, {n} places each, are {m}." if sign > 0
                              else "The biggest fallers, {n} places each, are {m}."), n=places, m=names))
    return out
