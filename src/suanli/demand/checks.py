"""Demand-side checks of the seed's claims, recomputed from the run catalogue and the anchors.

* "DeepSeek R1 训练算力只有Llama3的1/10": the ratio depends on what "R1" and "Llama3" mean: the
  final V3 run (the base of R1) by 6·N·D or by GPU-hours, R1 including the V3 base, R1's own RL
  stage, Llama 3.1 405B or Llama 3 70B. Each reading is one finding.
* "推理阶段缓存数据量降低了50倍" (MLA): KV elements per token of MLA against multi-head attention
  of the same shape, against grouped-query attention (Llama 3.1 405B) and against DeepSeek 67B.
* 源2.0-M32 "单Token下训练和推理所需的算力资源仅为Llama-70B的1/19": active parameters and forward
  FLOPs per token.

Verdicts follow the markets checker: PASS inside the rounding interval of the printed figure
(1/10 covers 1/10.5 to 1/9.5), APPROX within the verbal band, WARN within the warn band, FAIL beyond.
A claim that understates a reduction (57× where 50× is said) or overstates a cost (1/11.6 where 1/10
is said) errs on the safe side: within the warn band it counts as APPROX and the detail says so.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import pandas as pd

from . import engine
from .catalogue import anchor_value


@dataclass
class DemandFinding:
    check_id: str
    claim: str
    quote: str
    basis: str
    primary: bool
    verdict: str
    stated: float
    recomputed: float
    rel_error: float
    unit: str
    formula: str
    figures: str
    detail: str
    facts: str
    value_class: str = "derived"
    #: the claim and the basis in Chinese (a closed set written here)
    claim_zh: str = ""
    basis_zh: str = ""


def _round_interval(x: float, kind: str) -> tuple[float, float]:
    """Interval of values that print as the stated figure: 1/10 → (1/10.5, 1/9.5); 50× → [49.5, 50.5)."""
    if kind == "fraction":
        d = 1 / x
        return 1 / (d + 0.5), 1 / (d - 0.5)
    return x - 0.5, x + 0.5


def _verdict(stated: float, rec: float, kind: str, safe: str, approx: float, warn: float) -> tuple[str, float, str]:
    lo, hi = _round_interval(stated, kind)
    rel = rec / stated - 1
    if lo <= rec < hi:
        return "PASS", rel, "inside the rounding interval of the printed figure"
    a = abs(rel)
    on_safe_side = (safe == "higher" and rec > stated) or (safe == "lower" and rec < stated)
    if a <= approx:
        return "APPROX", rel, "within the verbal band"
    if a <= warn and on_safe_side:
        return "APPROX", rel, "the claim errs on the safe side (understates the gain)"
    if a <= warn:
        return "WARN", rel, "outside the verbal band"
    return "FAIL", rel, "the claim does not hold on this basis"


#: the claims and bases below in Chinese (every text :func:`run_demand_checks` writes)
CLAIM_ZH = {
    "DeepSeek-R1 training compute = 1/10 of Llama 3": "DeepSeek-R1 的训练算力 = Llama 3 的 1/10",
    "MLA cuts the KV cache 50×": "MLA 把 KV 缓存降低 50 倍",
    "源2.0-M32 per-token compute = 1/19 of Llama-70B": "源2.0-M32 每 Token 计算量 = Llama-70B 的 1/19",
}
BASIS_ZH = {
    "DeepSeek-V3 final run (6·N_active·D) vs Llama 3.1 405B reported compute":
        "DeepSeek-V3 最终训练（6·N_active·D）对比 Llama 3.1 405B 公布的计算量",
    "GPU-hours: V3 full training + R1 RL stage (H800) vs Llama 3.1 405B (H100; same dense peak)":
        "GPU 小时：V3 完整训练 + R1 强化学习阶段（H800）对比 Llama 3.1 405B（H100；稠密峰值相同）",
    "Epoch AI's R1 estimate incl. its base model vs Llama 3.1 405B":
        "Epoch AI 对 R1 的估计（含其基础模型）对比 Llama 3.1 405B",
    "R1's own RL stage only (GPU-hours) vs Llama 3.1 405B": "仅 R1 自身的强化学习阶段（GPU 小时）对比 Llama 3.1 405B",
    "V3 + R1 GPU-hours vs Llama 3 70B (the other 'Llama 3')": "V3 + R1 的 GPU 小时对比 Llama 3 70B（另一个“Llama 3”）",
    "MLA vs multi-head attention of the same shape (DeepSeek-V3: 61 layers, 128 heads × 128)":
        "MLA 对比同形状的多头注意力（DeepSeek-V3：61 层，128 个头 × 128）",
    "V3's MLA vs Llama 3.1 405B's grouped-query attention (8 KV heads)":
        "V3 的 MLA 对比 Llama 3.1 405B 的分组查询注意力（8 个 KV 头）",
    "DeepSeek-V2's stated reduction vs DeepSeek 67B (−93.3%)": "DeepSeek-V2 公布的相对 DeepSeek 67B 的降幅（−93.3%）",
    "active parameters (training 6·N and inference 2·N per token scale alike; attention excluded)":
        "激活参数量（训练 6·N 与推理每 Token 2·N 同比例变化；不计注意力）",
    "stated forward FLOPs per token (7.4 GFLOPs) vs 2·N for Llama 3 70B":
        "公布的每 Token 前向计算量（7.4 GFLOPs）对比 Llama 3 70B 的 2·N",
}


def run_demand_checks(runs: pd.DataFrame, anchors: pd.DataFrame, facts: pd.DataFrame | None,
                      approx_band: float = 0.10, warn_band: float = 0.25) -> pd.DataFrame:
    """Every reading of the three claims as a finding (see the module docstring)."""
    facts = facts if facts is not None else pd.DataFrame(columns=["id", "value", "quote"])
    fx = {r.id: r for r in facts.itertuples(index=False)}
    r = runs.set_index("run")
    out: list[DemandFinding] = []

    def fact(fid: str, default: float) -> tuple[float, str, str]:
        f = fx.get(fid)
        if f is None:
            return default, "", ""
        return float(f.value), str(getattr(f, "quote", "")), fid

    def add(claim, basis, primary, stated, rec, unit, formula, figures, kind, safe, quote, fid):
        v, rel, why = _verdict(stated, rec, kind, safe, approx_band, warn_band)
        shown = f"1/{1 / rec:.1f}" if kind == "fraction" else f"{rec:.1f}×"
        out.append(DemandFinding("", claim, quote, basis, primary, v, stated, rec, rel, unit, formula, figures,
                                 f"{shown} on this basis ({rel * 100:+.1f}%): {why}", fid,
                                 claim_zh=CLAIM_ZH.get(claim, ""), basis_zh=BASIS_ZH.get(basis, "")))

    # --- R1 vs Llama 3 training compute -------------------------------------------------------
    stated, quote, fid = fact("deepseek_r1_train_compute_vs_llama3", 0.1)
    claim = "DeepSeek-R1 training compute = 1/10 of Llama 3"
    have = all(k in r.index for k in ("deepseek_v3", "deepseek_r1", "llama31_405b"))
    if have:
        v3, r1, l405 = r.loc["deepseek_v3"], r.loc["deepseek_r1"], r.loc["llama31_405b"]
        add(claim, "DeepSeek-V3 final run (6·N_active·D) vs Llama 3.1 405B reported compute", True, stated,
            v3.flop_6nd / l405.flop_reported, "ratio", "6·37e9·14.8e12 / 3.8e25",
            f"V3 {v3.flop_6nd:.3g} FLOP; Llama 3.1 405B {l405.flop_reported:.3g} FLOP", "fraction", "lower",
            quote, fid)
        both = v3.accelerator_hours + r1.accelerator_hours
        add(claim, "GPU-hours: V3 full training + R1 RL stage (H800) vs Llama 3.1 405B (H100; same dense peak)",
            False, stated, both / l405.accelerator_hours, "ratio", "(2.788M + 0.147M) / 30.84M",
            f"V3 {v3.accelerator_hours:,.0f} h + R1 {r1.accelerator_hours:,.0f} h; Llama {l405.accelerator_hours:,.0f} h",
            "fraction", "lower", quote, fid)
        if not math.isnan(r1.flop_epoch):
            add(claim, "Epoch AI's R1 estimate incl. its base model vs Llama 3.1 405B", False, stated,
                r1.flop_epoch / l405.flop_reported, "ratio", "5.17e24 / 3.8e25",
                f"Epoch R1 {r1.flop_epoch:.3g} FLOP (Epoch's V3 row: {v3.flop_epoch:.3g}; inconsistent)", "fraction",
                "lower", quote, fid)
        add(claim, "R1's own RL stage only (GPU-hours) vs Llama 3.1 405B", False, stated,
            r1.accelerator_hours / l405.accelerator_hours, "ratio", "147K / 30.84M",
            f"R1 RL {r1.accelerator_hours:,.0f} H800-h", "fraction", "lower", quote, fid)
        if "llama3_70b" in r.index:
            l70 = r.loc["llama3_70b"]
            add(claim, "V3 + R1 GPU-hours vs Llama 3 70B (the other 'Llama 3')", False, stated,
                both / l70.accelerator_hours, "ratio", "(2.788M + 0.147M) / 6.4M",
                f"Llama 3 70B {l70.accelerator_hours:,.0f} H100-h", "fraction", "lower", quote, fid)

    # --- MLA KV cache 50× ---------------------------------------------------------------------
    stated, quote, fid = fact("deepseek_r1_cache_reduction", 50.0)
    claim = "MLA cuts the KV cache 50×"
    layers = int(anchor_value(anchors, "deepseek_v3", "n_layers"))
    heads = int(anchor_value(anchors, "deepseek_v3", "n_heads"))
    hd = int(anchor_value(anchors, "deepseek_v3", "head_dim"))
    dc = int(anchor_value(anchors, "deepseek_v3", "kv_latent_dim"))
    dr = int(anchor_value(anchors, "deepseek_v3", "rope_head_dim"))
    mla = engine.kv_elements_mla(layers, dc, dr)
    mha = engine.kv_elements_mha(layers, heads, hd)
    add(claim, "MLA vs multi-head attention of the same shape (DeepSeek-V3: 61 layers, 128 heads × 128)", True,
        stated, mha / mla, "×", "2·l·n_h·d_h / (l·(d_c + d_rope))",
        f"MHA {mha:,} vs MLA {mla:,} elements per token", "multiple", "higher", quote, fid)
    try:
        gl = int(anchor_value(anchors, "llama31_405b", "n_layers"))
        gk = int(anchor_value(anchors, "llama31_405b", "n_kv_heads"))
        gd = int(anchor_value(anchors, "llama31_405b", "head_dim"))
        gqa = engine.kv_elements_mha(gl, gk, gd)
        add(claim, "V3's MLA vs Llama 3.1 405B's grouped-query attention (8 KV heads)", False, stated, gqa / mla,
            "×", "2·126·8·128 / (61·576)", f"GQA {gqa:,} vs MLA {mla:,} elements per token", "multiple", "higher",
            quote, fid)
    except Exception:  # noqa: BLE001 - the comparison needs the anchors; without them it is skipped
        pass
    try:
        red = anchor_value(anchors, "deepseek_v2", "kv_cache_reduction")
        add(claim, "DeepSeek-V2's stated reduction vs DeepSeek 67B (−93.3%)", False, stated, 1 / (1 - red), "×",
            "1 / (1 − 0.933)", "DeepSeek-V2 paper: KV cache −93.3% vs DeepSeek 67B", "multiple", "higher", quote, fid)
    except Exception:  # noqa: BLE001
        pass

    # --- 源2.0-M32 1/19 of Llama-70B ----------------------------------------------------------
    stated, quote, fid = fact("yuan2_m32_compute_vs_llama70b", 1 / 19)
    claim = "源2.0-M32 per-token compute = 1/19 of Llama-70B"
    a32 = anchor_value(anchors, "yuan2_m32", "active_params")
    a70 = anchor_value(anchors, "llama3_70b", "active_params")
    add(claim, "active parameters (training 6·N and inference 2·N per token scale alike; attention excluded)", True,
        stated, a32 / a70, "ratio", "3.7e9 / 70e9", f"M32 {a32:.3g} active vs Llama 3 70B {a70:.3g}", "fraction",
        "lower", quote, fid)
    f32 = anchor_value(anchors, "yuan2_m32", "forward_flop_per_token")
    add(claim, "stated forward FLOPs per token (7.4 GFLOPs) vs 2·N for Llama 3 70B", False, stated,
        f32 / engine.inference_flop_per_token(a70), "ratio", "7.4e9 / (2·70e9)",
        f"M32 {f32:.3g} FLOP/token vs {engine.inference_flop_per_token(a70):.3g}", "fraction", "lower", quote, fid)

    for i, f in enumerate(out, 1):
        f.check_id = f"DM{i:02d}"
    return pd.DataFrame([asdict(f) for f in out])
