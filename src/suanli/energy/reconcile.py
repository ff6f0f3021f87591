"""Reconciliation, not tuning: the estimate beside published totals, scopes made explicit.

Every comparison states geography (global / China / US), boundary (IT = servers + storage +
network, or facility = IT × PUE) and workloads (AI servers, or all servers) on both sides, and
reports the parameter the published figure *implies* (for example the China share of a global
total, or the share of a national data-centre total that the modelled servers explain) with its
Monte Carlo interval. Nothing here feeds back into the estimate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import EnergyConfig

#: the Chinese of the scope text's words
_SCOPE_ZH = {"geography": "地域", "boundary": "边界", "workloads": "负载", "global": "全球", "china": "中国", "us": "美国",
             "it": "IT", "facility": "设施", "ai": "人工智能", "all": "全部"}
#: per language: one comparison (what, same/differs, published, estimate), the two verdicts, the separator, words
#: the English of the scope words as a sentence prints them ("it vs it" read as a pronoun)
_SCOPE_EN = {"global": "global", "china": "China", "us": "US", "it": "IT", "facility": "facility", "ai": "AI",
             "all": "all"}
_SCOPE_FORMS = {"en": ("{w} {v} ({a} vs {b})", ("same", "differs"), "; ", _SCOPE_EN),
                "zh": ("{w}{v}（{a} 对 {b}）", ("相同", "不同"), "；", _SCOPE_ZH)}


def _scope_text(pub_geo: str, pub_bound: str, pub_work: str, est_geo: str, est_bound: str, est_work: str,
                lang: str = "en") -> str:
    """Geography, boundary and workloads of a published total against the estimate's, each the same
    or different, in ``lang`` (en, zh)."""
    form, (same, differs), sep, words = _SCOPE_FORMS[lang]
    return sep.join(form.format(w=words.get(what, what), v=same if a == b else differs, a=words.get(a, a),
                                b=words.get(b, b))
                    for what, a, b in (("geography", pub_geo, est_geo), ("boundary", pub_bound, est_bound),
                                       ("workloads", pub_work, est_work)))


def _scope_zh(pub_geo: str, pub_bound: str, pub_work: str, est_geo: str, est_bound: str, est_work: str) -> str:
    """:func:`_scope_text` in Chinese."""
    return _scope_text(pub_geo, pub_bound, pub_work, est_geo, est_bound, est_work, lang="zh")


def _q(x: np.ndarray, interval: float) -> tuple[float, float]:
    lo, hi = np.quantile(x, [(1 - interval) / 2, (1 + interval) / 2])
    return float(lo), float(hi)


def reconciliation(res, cfg: EnergyConfig, *, synthetic: bool) -> pd.DataFrame:
    """One row per published figure of ``energy.published``."""
    nat = res.tables["energy_national"].set_index("year")
    gen = res.tables.get("energy_general_national")
    gen = gen.set_index("year") if gen is not None else None
    dn = res.draws["national"]
    dg = res.draws.get("general")
    years = list(nat.index)
    rows = []
    for p in cfg.published:
        base = {"comparison": p.id, "published_label": p.label, "published_label_zh": p.label_zh,
                "published_year": p.year, "published_twh": p.value_twh,
                "published_geography": p.geography, "published_boundary": p.boundary,
                "published_workloads": p.workloads, "published_kind": p.kind, "source": p.source,
                "source_kind": p.source_kind}
        if p.year not in years:
            rows.append({**base, "estimate_label": "", "estimate_geography": "china", "estimate_boundary": p.boundary,
                         "estimate_workloads": p.workloads, "estimate_twh": np.nan, "estimate_lo": np.nan,
                         "estimate_hi": np.nan,
                         "scope": "no estimate: the capacity series ends in " + str(max(years)),
                         "implied_parameter": "", "implied_value": np.nan, "implied_lo": np.nan, "implied_hi": np.nan,
                         "reading": "outside the modelled years; shown for completeness",
                         "estimate_label_zh": "", "scope_zh": f"无估计：算力序列止于 {max(years)} 年",
                         "implied_parameter_zh": "", "reading_zh": "在模型年份之外；为完整起见列出"})
            continue
        yi = years.index(p.year)
        metric = "it_twh" if p.boundary == "it" else "facility_twh"
        ai_draw = dn[metric][:, yi, 0]
        ai_point = float(nat.loc[p.year, metric])
        all_servers = p.workloads == "all" and gen is not None and dg is not None
        if all_servers:
            est_draw = ai_draw + dg[metric][:, yi, 0]
            est_point = ai_point + float(gen.loc[p.year, metric])
            est_label = f"AI + CPU-only servers, {p.boundary.upper()} energy"
            est_label_zh = f"人工智能服务器 + 纯 CPU 服务器，{_SCOPE_ZH.get(p.boundary, p.boundary)}能耗"
            est_work = "all"
        else:
            est_draw, est_point = ai_draw, ai_point
            est_label = f"AI servers, {p.boundary.upper()} energy"
            est_label_zh = f"人工智能服务器，{_SCOPE_ZH.get(p.boundary, p.boundary)}能耗"
            est_work = "ai"
        lo, hi = _q(est_draw, cfg.interval)
        if p.geography == "global":
            param = "China share of the global figure (estimate / published)"
            reading = "no fit: the ratio is what the published global figure implies for China's share"
            param_zh = "中国占全球数字的份额（估计值 / 公布值）"
            reading_zh = "不做拟合：该比值是公布的全球数字对中国份额的隐含值"
        elif p.geography == "china":
            param = "share of the published China total explained by the modelled servers"
            reading = ("the rest is outside the modelled boundary (enterprise server rooms, telecom, storage-only "
                       "systems, edge) or a difference in method")
            param_zh = "模型中的服务器解释的公布中国总量的份额"
            reading_zh = "其余部分在模型边界之外（企业机房、电信、纯存储系统、边缘）或来自方法差异"
        else:
            param = "ratio of the China estimate to the US figure (method reference, not a target)"
            reading = "LBNL's bottom-up method is the reference; different country, no fit"
            param_zh = "中国估计值与美国数字之比（方法参照，不是目标）"
            reading_zh = "以 LBNL 的自下而上方法为参照；国家不同，不做拟合"
        ratio = est_draw / p.value_twh
        ilo, ihi = _q(ratio, cfg.interval)
        rows.append({**base, "estimate_label": est_label, "estimate_geography": "china",
                     "estimate_boundary": p.boundary, "estimate_workloads": est_work, "estimate_twh": est_point,
                     "estimate_lo": lo, "estimate_hi": hi,
                     "scope": _scope_text(p.geography, p.boundary, p.workloads, "china", p.boundary, est_work),
                     "implied_parameter": param, "implied_value": est_point / p.value_twh, "implied_lo": ilo,
                     "implied_hi": ihi, "reading": reading, "estimate_label_zh": est_label_zh,
                     "scope_zh": _scope_zh(p.geography, p.boundary, p.workloads, "china", p.boundary, est_work),
                     "implied_parameter_zh": param_zh, "reading_zh": reading_zh})
        if p.geography == "china" and p.workloads == "all":
            # the average draw share all modelled servers would need to match the published total
            share = ai_draw / np.maximum(est_draw, 1e-12)
            slo, shi = _q(share, cfg.interval)
            rows.append({**base, "comparison": p.id + "_ai_share", "estimate_label": "AI servers' share of the "
                         "modelled all-server facility energy", "estimate_geography": "china",
                         "estimate_boundary": p.boundary, "estimate_workloads": "ai", "estimate_twh": ai_point,
                         "estimate_lo": _q(ai_draw, cfg.interval)[0], "estimate_hi": _q(ai_draw, cfg.interval)[1],
                         "scope": _scope_text(p.geography, p.boundary, p.workloads, "china", p.boundary, "ai"),
                         "implied_parameter": "AI servers / all modelled servers (facility)",
                         "implied_value": ai_point / est_point, "implied_lo": slo, "implied_hi": shi,
                         "reading": "compare LBNL: US AI servers > 40 of 176 TWh in 2023",
                         "estimate_label_zh": "模型中全部服务器设施能耗里人工智能服务器的份额",
                         "scope_zh": _scope_zh(p.geography, p.boundary, p.workloads, "china", p.boundary, "ai"),
                         "implied_parameter_zh": "人工智能服务器 / 模型中全部服务器（设施）",
                         "reading_zh": "对照 LBNL：2023 年美国人工智能服务器超过 176 TWh 中的 40 TWh"})
    df = pd.DataFrame(rows)
    df["value_class"] = "synthetic" if synthetic else "modelled"
    return df


def pue_ladder(res, cfg: EnergyConfig, *, synthetic: bool) -> pd.DataFrame:
    """Policy PUE targets beside the modelled annual average PUE of AI servers (and CPU-only servers)."""
    nat = res.tables["energy_national"].set_index("year")
    gen = res.tables.get("energy_general_national")
    gen = gen.set_index("year") if gen is not None else None
    rows = []
    for t in cfg.pue_targets:
        y = t.year if t.year in nat.index else int(nat.index.max())
        r = nat.loc[y]
        g = gen.loc[y] if gen is not None and y in gen.index else None
        rows.append({"target": t.label_en, "target_zh": t.label_zh, "target_pue": t.value, "target_year": t.year,
                     "target_scope": t.scope, "source": t.source, "compared_year": y,
                     "modelled_ai_pue": r.pue, "modelled_ai_pue_lo": r.pue_lo, "modelled_ai_pue_hi": r.pue_hi,
                     "modelled_general_pue": np.nan if g is None else g.pue,
                     "ai_meets_target_share": float(np.mean(res.draws["national"]["pue"][:, list(nat.index).index(y), 0]
                                                            < t.value)),
                     "note": "targets cap new builds or set a national average; the model is the installed-base "
                             "annual average",
                     "value_class": "synthetic" if synthetic else "modelled"})
    return pd.DataFrame(rows)
