"""Seeded generator of the default edition's SYNTHETIC China server shipments, 2019–2025.

What is real: the hardware catalog (sourced specs), province and city names, the published
national totals the series is calibrated to (IDC 2025: intelligent compute 725.3 EFLOPS in 2024
and 1,037.3 in 2025, general compute 71.5 and 85.8), the intelligent path's anchors (the previous
edition's 259.9 for 2022, the 2023 base implied by the press growth rate) and CAICT's six-year
totals of general-server shipments, which the 2016-2022 unit path matches. What is synthetic: every
shipment row: the model mix by year, the split over provinces, cities, industries and server
vendors, the half-year split and the unit path's shape. Every row says ``data_status=synthetic``.

The starting stock is a spread of vintages: CPU-only servers from 2014 and accelerated servers
from 2017, so no single early year carries the whole installed base. **Calibration** (2024 and 2025
general compute, and each year's intelligent compute) is exact by construction: the flow is solved
from the target installed base minus the surviving earlier vintages, with the same survival model
the edition uses, and spread over rows with integer server counts (rounding moves totals by far
less than 0.1%). General compute before 2024 is not a target: it follows from units × CPU mix and
is checked against the published 2022 value and the implied 2023 base (``GENERAL_CHECKS``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .catalog import Catalog
from .config import CapacityConfig, SurvivalConfig
from .engine import measurement_times, placement_times, survival

SEED = 2025
YEARS = list(range(2014, 2026))  # CPU-only servers from 2014 (the starting stock), accelerators from 2017
AI_FIRST_YEAR = 2017

#: Intelligent-compute installed-base targets (EFLOPS, year end). 2024/2025: IDC 2025 edition (press
#: figures and the report) - the calibration; 2022: previous edition; 2023: 725.3/1.741 (press growth
#: rate); 2017-2021: synthetic shaping assumptions, not published figures.
TARGET_INTELLIGENT = {2017: 8.0, 2018: 18.0, 2019: 38.0, 2020: 75.0, 2021: 155.0, 2022: 259.9, 2023: 416.6,
                      2024: 725.3, 2025: 1037.3}
#: General compute: only 2024 and 2025 are calibrated (IDC 71.5 and 85.8 EFLOPS); earlier years follow
#: from the unit path below times the CPU mix, so the history is a spread of vintages, not one
#: year's jump.
TARGET_GENERAL = {2024: 71.5, 2025: 85.8}
#: CPU-only server units shipped per year (millions). 2016-2022 are consistent with CAICT's six-year
#: totals (more than 19.6 M general servers shipped 2016-2021 and 20.91 M 2017-2022, 《中国算力发展指数
#: 白皮书》 as summarised by 前瞻产业研究院; research/compute-anchors.md §2): 2016-2021 sums to 19.6 and
#: 2017-2022 to 20.91. The split within the windows, 2014-2015 and 2023 are synthetic shaping;
#: 2024-2025 units are solved from the calibration targets.
GENERAL_UNITS_M = {2014: 2.4, 2015: 2.6, 2016: 2.8, 2017: 3.0, 2018: 3.3, 2019: 3.2, 2020: 3.5, 2021: 3.8,
                   2022: 4.11, 2023: 3.0}
#: Published checks (not targets): IDC's previous edition 2022 value and the 2023 base implied by the
#: press growth rate (71.5 / 1.206).
GENERAL_CHECKS = {2022: 54.5, 2023: 59.29}

# (province, AI weight 2019, AI weight 2025, general weight, cities); names as in suanli.regions
PROVINCES: list[tuple[str, float, float, float, list[str]]] = [
    ("北京", 0.14, 0.10, 0.09, ["北京"]),
    ("天津", 0.02, 0.025, 0.02, ["天津"]),
    ("河北", 0.04, 0.05, 0.05, ["石家庄", "张家口", "廊坊"]),
    ("山西", 0.01, 0.015, 0.015, ["太原"]),
    ("内蒙古", 0.02, 0.06, 0.03, ["呼和浩特", "乌兰察布"]),
    ("辽宁", 0.015, 0.012, 0.02, ["沈阳", "大连"]),
    ("吉林", 0.006, 0.006, 0.01, ["长春"]),
    ("黑龙江", 0.006, 0.006, 0.01, ["哈尔滨"]),
    ("上海", 0.11, 0.09, 0.08, ["上海"]),
    ("江苏", 0.08, 0.07, 0.08, ["南京", "苏州", "无锡"]),
    ("浙江", 0.09, 0.08, 0.07, ["杭州", "宁波"]),
    ("安徽", 0.025, 0.035, 0.03, ["合肥", "芜湖"]),
    ("福建", 0.02, 0.025, 0.025, ["福州", "厦门"]),
    ("江西", 0.008, 0.01, 0.015, ["南昌"]),
    ("山东", 0.04, 0.045, 0.05, ["济南", "青岛"]),
    ("河南", 0.015, 0.02, 0.03, ["郑州"]),
    ("湖北", 0.025, 0.03, 0.03, ["武汉"]),
    ("湖南", 0.015, 0.02, 0.025, ["长沙"]),
    ("广东", 0.16, 0.12, 0.12, ["广州", "深圳", "东莞", "韶关"]),
    ("广西", 0.006, 0.008, 0.012, ["南宁"]),
    ("海南", 0.004, 0.005, 0.005, ["海口"]),
    ("重庆", 0.02, 0.025, 0.025, ["重庆"]),
    ("四川", 0.03, 0.04, 0.035, ["成都"]),
    ("贵州", 0.025, 0.045, 0.04, ["贵阳"]),
    ("云南", 0.006, 0.008, 0.012, ["昆明"]),
    ("西藏", 0.001, 0.002, 0.002, ["拉萨"]),
    ("陕西", 0.02, 0.02, 0.025, ["西安"]),
    ("甘肃", 0.008, 0.035, 0.015, ["兰州", "庆阳"]),
    ("青海", 0.003, 0.006, 0.005, ["西宁"]),
    ("宁夏", 0.01, 0.04, 0.02, ["银川", "中卫"]),
    ("新疆", 0.006, 0.01, 0.012, ["乌鲁木齐"]),
]

INDUSTRIES = [  # zh, AI weight, general weight
    ("互联网", 0.42, 0.30), ("运营商", 0.12, 0.14), ("金融", 0.09, 0.10), ("政府", 0.09, 0.12),
    ("制造", 0.06, 0.09), ("教育科研", 0.05, 0.05), ("医疗", 0.03, 0.04), ("能源", 0.03, 0.04),
    ("交通", 0.03, 0.04), ("零售", 0.02, 0.03), ("服务", 0.02, 0.03), ("建筑", 0.02, 0.02),
]

VENDORS = [("浪潮", 0.40), ("新华三", 0.14), ("宁畅", 0.08), ("超聚变", 0.10), ("华为", 0.09), ("联想", 0.07),
           ("中科曙光", 0.06), ("其他", 0.06)]

# year -> [(accelerator model, accelerators per server, share of the year's FP16 flow)]
ACCEL_MIX: dict[int, list[tuple[str, int, float]]] = {
    2017: [("Tesla V100 SXM2 16GB", 8, 0.6), ("Tesla V100 PCIe 16GB", 4, 0.4)],
    2018: [("Tesla V100 SXM2 16GB", 8, 0.35), ("Tesla V100 SXM2 32GB", 8, 0.25), ("Tesla T4", 4, 0.25),
           ("Tesla V100 PCIe 32GB", 4, 0.15)],
    2019: [("Tesla V100 SXM2 32GB", 8, 0.45), ("Tesla T4", 4, 0.20), ("Tesla V100 PCIe 32GB", 4, 0.15),
           ("Ascend 910 (910A)", 8, 0.12), ("Kunlun K200 (Kunlun 1st gen)", 4, 0.08)],
    2020: [("A100 SXM4 40GB", 8, 0.35), ("Tesla V100 SXM2 32GB", 8, 0.18), ("Tesla T4", 4, 0.12),
           ("Tesla V100S PCIe 32GB", 4, 0.10), ("Ascend 910 (910A)", 8, 0.17), ("Kunlun K200 (Kunlun 1st gen)", 4, 0.08)],
    2021: [("A100 SXM4 80GB", 8, 0.33), ("A100 PCIe 40GB", 8, 0.10), ("A30", 4, 0.05), ("A10", 4, 0.07),
           ("Ascend 910 (910A)", 8, 0.20), ("MLU370-X4", 8, 0.06), ("Kunlunxin R200 (Kunlun II)", 8, 0.07),
           ("DCU Z100 ('Shensuan-1' 深算一号)", 8, 0.04), ("Tiangai 100 (BI-V100 天垓100)", 8, 0.08)],
    2022: [("A100 SXM4 80GB", 8, 0.24), ("A800 SXM4 80GB", 8, 0.24), ("A30", 4, 0.05), ("A10", 4, 0.05),
           ("Ascend 910B (910B2)", 8, 0.22), ("MLU370-X8", 8, 0.07), ("Kunlunxin R200 (Kunlun II)", 8, 0.05),
           ("Tiangai 100 (BI-V100 天垓100)", 8, 0.03), ("DCU Z100 ('Shensuan-1' 深算一号)", 8, 0.05)],
    2023: [("A800 SXM4 80GB", 8, 0.22), ("H800 SXM5", 8, 0.20), ("L20", 8, 0.04), ("L40S", 8, 0.05),
           ("H20", 8, 0.06), ("Ascend 910B (910B2)", 8, 0.26), ("MLU370-X8", 8, 0.06),
           ("Kunlunxin RG800", 8, 0.05), ("C500 (曦云C500)", 8, 0.06)],
    2024: [("H20", 8, 0.28), ("L20", 8, 0.08), ("H800 SXM5", 8, 0.05), ("Ascend 910B (910B2)", 8, 0.30),
           ("Ascend 910C", 8, 0.06), ("MLU370-X8", 8, 0.05), ("Kunlunxin RG800", 8, 0.06),
           ("C500 (曦云C500)", 8, 0.07), ("MTT S4000", 8, 0.05)],
    2025: [("H20", 8, 0.18), ("L20", 8, 0.05), ("Ascend 910C", 8, 0.30), ("Ascend 910B (910B2)", 8, 0.20),
           ("Kunlunxin RG800", 8, 0.07), ("C500 (曦云C500)", 8, 0.09), ("MTT S4000", 8, 0.06),
           ("MLU370-X8", 8, 0.05)],
}

#: Host CPUs of accelerated servers. Some are written the TOP500 way (Xeon E5-2680v4 14C 2.4GHz is
#: TSUBAME3.0's string, Xeon Platinum 8160 24C 2.1GHz MareNostrum 4's), as trackers and inventories do.
HOST_CPUS: dict[int, list[str]] = {
    2017: ["Xeon E5-2680v4 14C 2.4GHz", "Intel Xeon Platinum 8160 24C 2.1GHz"],
    2018: ["Xeon Gold 6148", "Intel Xeon Platinum 8160 24C 2.1GHz", "Xeon E5-2680v4 14C 2.4GHz"],
    2019: ["Xeon Gold 6248", "Xeon Platinum 8280", "EPYC 7742"],
    2020: ["Xeon Gold 6248", "Xeon Platinum 8280", "EPYC 7742"],
    2021: ["Xeon Platinum 8358", "Xeon Platinum 8380", "EPYC 7H12"],
    2022: ["Xeon Platinum 8358", "Xeon Platinum 8380", "EPYC 7742"],
    2023: ["Xeon Platinum 8468", "Xeon Platinum 8480+", "EPYC 9654"],
    2024: ["Xeon Platinum 8468", "Xeon Platinum 8480+", "EPYC 9654"],
    2025: ["Xeon Platinum 8480+", "Xeon 6960P", "EPYC 9655"],
}

#: year -> [(cpu model, share of CPU-only server units)]. Real parts; the shares are synthetic and
#: lean to volume (Gold 5xxx/E5) parts, as general-purpose fleets do. Haswell/Broadwell strings are
#: TOP500 entries (Hazel Hen, ForHLR II, LLNL CTS-1, TSUBAME3.0); every part is a catalog row, so
#: the energy model finds (or imputes, flagged) its TDP.
GENERAL_MIX: dict[int, list[tuple[str, float]]] = {
    2014: [("Xeon E5-2692 v2", 0.40), ("Xeon E5-2660v3 10C 2.6GHz", 0.35), ("Xeon E5-2680v3 12C 2.5GHz", 0.25)],
    2015: [("Xeon E5-2680v3 12C 2.5GHz", 0.40), ("Xeon E5-2660v3 10C 2.6GHz", 0.60)],
    2016: [("Xeon E5-2680v3 12C 2.5GHz", 0.30), ("Xeon E5-2660v3 10C 2.6GHz", 0.20),
           ("Xeon E5-2680v4 14C 2.4GHz", 0.30), ("Xeon E5-2695v4 18C 2.1GHz", 0.20)],
    2017: [("Xeon E5-2680v4 14C 2.4GHz", 0.35), ("Xeon E5-2695v4 18C 2.1GHz", 0.20), ("Xeon Gold 5118", 0.25),
           ("Xeon Gold 6148", 0.10), ("Intel Xeon Platinum 8160 24C 2.1GHz", 0.10)],
    2018: [("Xeon Gold 5118", 0.45), ("Xeon Gold 6148", 0.20), ("Xeon E5-2680v4 14C 2.4GHz", 0.20),
           ("Intel Xeon Platinum 8160 24C 2.1GHz", 0.10), ("Xeon Platinum 8180", 0.05)],
    2019: [("Xeon Gold 5218", 0.40), ("Xeon Gold 5118", 0.15), ("Xeon Gold 6248", 0.20), ("Xeon Platinum 8280", 0.05),
           ("EPYC 7702", 0.05), ("EPYC 7402", 0.15)],
    2020: [("Xeon Gold 5218", 0.40), ("Xeon Gold 6248", 0.25), ("Xeon Gold 6252", 0.05), ("Xeon Platinum 8280", 0.05),
           ("EPYC 7742", 0.05), ("EPYC 7402", 0.20)],
    2021: [("Xeon Gold 5218", 0.35), ("Xeon Gold 6248", 0.25), ("Xeon Platinum 8358", 0.12),
           ("Xeon Platinum 8380", 0.05), ("EPYC 7742", 0.05), ("EPYC 7402", 0.18)],
    2022: [("Xeon Gold 5218", 0.30), ("Xeon Gold 6248", 0.20), ("Xeon Platinum 8358", 0.20),
           ("Xeon Platinum 8380", 0.10), ("EPYC 7742", 0.10), ("EPYC 9654", 0.05), ("EPYC 7402", 0.05)],
    2023: [("Xeon Platinum 8358", 0.25), ("Xeon Platinum 8468", 0.15), ("Xeon Gold 6248", 0.25),
           ("EPYC 9654", 0.10), ("Xeon Platinum 8380", 0.10), ("Xeon Gold 5218", 0.15)],
    2024: [("Xeon Platinum 8468", 0.20), ("Xeon Platinum 8358", 0.20), ("Xeon Platinum 8480+", 0.10),
           ("EPYC 9654", 0.10), ("Xeon Gold 6248", 0.20), ("Xeon Gold 5218", 0.15), ("Xeon 6960P", 0.05)],
    2025: [("Xeon Platinum 8468", 0.25), ("Xeon 6960P", 0.10), ("Xeon Platinum 8480+", 0.10), ("EPYC 9655", 0.05),
           ("EPYC 9654", 0.15), ("Xeon Platinum 8358", 0.15), ("Xeon Gold 6248", 0.20)],
}

H1_SHARE = {2014: 0.46, 2015: 0.46, 2016: 0.45, 2017: 0.45, 2018: 0.45, 2019: 0.44, 2020: 0.40, 2021: 0.45, 2022: 0.47, 2023: 0.43, 2024: 0.45, 2025: 0.46}


def default_config() -> CapacityConfig:
    return CapacityConfig(survival_intelligent=SurvivalConfig(kind="fixed", life_years=6.0),
                          survival_general=SurvivalConfig(kind="fixed", life_years=6.0))


def _combos(rng: np.random.Generator, year: int, k: int, ai: bool) -> pd.DataFrame:
    """Sample k distinct (province, city, industry, vendor) cells with synthetic weights."""
    t = min(max((year - 2019) / 6.0, 0.0), 1.0)
    pw = np.array([(1 - t) * p[1] + t * p[2] if ai else p[3] for p in PROVINCES])
    iw = np.array([i[1] if ai else i[2] for i in INDUSTRIES])
    vw = np.array([v[1] for v in VENDORS])
    cells, weights = [], []
    for pi, p in enumerate(PROVINCES):
        cities = p[4]
        cw = np.linspace(1.0, 0.4, len(cities))
        cw = cw / cw.sum()
        for ci, c in enumerate(cities):
            for ii, ind in enumerate(INDUSTRIES):
                for vi, v in enumerate(VENDORS):
                    cells.append((p[0], c, ind[0], v[0]))
                    weights.append(pw[pi] * cw[ci] * iw[ii] * vw[vi])
    w = np.asarray(weights)
    w = w * rng.gamma(2.0, 0.5, size=len(w))  # noise
    w = w / w.sum()
    idx = rng.choice(len(cells), size=min(k, len(cells)), replace=False, p=w)
    sel = pd.DataFrame([cells[i] for i in idx], columns=["province", "city", "industry", "vendor"])
    sel["w"] = w[idx] / w[idx].sum()
    return sel


def _spread(rng: np.random.Generator, total: int, combos: pd.DataFrame) -> np.ndarray:
    return rng.multinomial(total, combos["w"].to_numpy())


def generate_shipments(seed: int = SEED, catalog: Catalog | None = None,
                       cfg: CapacityConfig | None = None) -> pd.DataFrame:
    """The synthetic shipments table, calibrated to the targets under ``cfg``'s survival model."""
    cat = catalog or Catalog.bundled()
    cfg = cfg or default_config()
    rng = np.random.default_rng(seed)
    fp16 = cat.fp16_equivalent(cfg.fp16_equivalent).set_index("model")["fp16_equiv_tflops"]
    names = {m for mix in GENERAL_MIX.values() for m, _ in mix} | {m for hs in HOST_CPUS.values() for m in hs}
    models = {n: cat.resolve(n, "cpu") for n in sorted(names)}  # TOP500-style names add derived rows
    acc_names = {m for mix in ACCEL_MIX.values() for m, _, _ in mix}
    acc_models = {n: cat.resolve(n) for n in sorted(acc_names)}  # declared variants resolve to their entry
    cpu_g = cat.cpus.set_index("model")["fp64_peak_gflops"]
    cpu_of = {n: float(cpu_g[m]) for n, m in models.items()}
    fp16_of = {n: float(fp16[m]) for n, m in acc_models.items()}
    rows: list[pd.DataFrame] = []
    past: list[tuple[float, float, float]] = []  # (placement time, intelligent flops, general flops)
    for year in YEARS:
        meas = measurement_times(np.array([year]), cfg.stock_at)[0]
        surv_i = sum(f * float(survival(np.array(meas - t), cfg.survival_intelligent)) for t, f, _ in past)
        surv_g = sum(g * float(survival(np.array(meas - t), cfg.survival_general)) for t, _, g in past)
        halves = (1, 2)
        h1 = H1_SHARE[year]
        place = placement_times(np.array([year, year]), np.array(halves), cfg.timing)
        s_now_i = survival(meas - place, cfg.survival_intelligent)
        s_now_g = survival(meas - place, cfg.survival_general)
        year_rows = []
        acc_cpu_g = np.zeros(2)
        acc_int = np.zeros(2)
        if year >= AI_FIRST_YEAR:
            need_i = TARGET_INTELLIGENT[year] * 1e18 - surv_i
            flow_i = need_i / (h1 * s_now_i[0] + (1 - h1) * s_now_i[1])
            for hi, half in enumerate(halves):
                share_h = h1 if half == 1 else 1 - h1
                for model, per_server, share in ACCEL_MIX[year]:
                    flops = flow_i * share_h * share
                    servers = int(round(flops / (fp16_of[model] * 1e12 * per_server)))
                    combos = _combos(rng, year, 40, ai=True)
                    counts = _spread(rng, servers, combos)
                    host = rng.choice(HOST_CPUS[year], size=len(combos))
                    df = combos.drop(columns="w").assign(
                        period=f"{year}H{half}", accelerator_model=model, accelerators_per_server=per_server,
                        cpu_model=host, cpus_per_server=2, servers=counts)
                    df = df[df["servers"] > 0]
                    acc_int[hi] += float((df["servers"] * per_server).sum() * fp16_of[model] * 1e12)
                    acc_cpu_g[hi] += float((df["servers"] * 2 * df["cpu_model"].map(cpu_of)).sum() * 1e9)
                    year_rows.append(df)
        mix = GENERAL_MIX[year]
        per_server = sum(share * cpu_of[m] * 2 for m, share in mix) * 1e9  # FLOPS of an average server
        if year in TARGET_GENERAL:
            need_g = TARGET_GENERAL[year] * 1e18 - surv_g - float((acc_cpu_g * s_now_g).sum())
            units = need_g / (h1 * s_now_g[0] + (1 - h1) * s_now_g[1]) / per_server
        else:
            units = GENERAL_UNITS_M[year] * 1e6
        gen_g = np.zeros(2)
        for hi, half in enumerate(halves):
            share_h = h1 if half == 1 else 1 - h1
            for model, share in mix:
                servers = int(round(units * share_h * share))
                combos = _combos(rng, year, 60, ai=False)
                counts = _spread(rng, servers, combos)
                df = combos.drop(columns="w").assign(
                    period=f"{year}H{half}", accelerator_model="", accelerators_per_server=0,
                    cpu_model=model, cpus_per_server=2, servers=counts)
                df = df[df["servers"] > 0]
                gen_g[hi] += float((df["servers"] * 2).sum() * cpu_of[model] * 1e9)
                year_rows.append(df)
        for hi in range(2):
            past.append((float(place[hi]), acc_int[hi], acc_cpu_g[hi] + gen_g[hi]))
        rows.extend(year_rows)
    out = pd.concat(rows, ignore_index=True)
    keys = ["period", "province", "city", "industry", "vendor", "accelerator_model", "accelerators_per_server",
            "cpu_model", "cpus_per_server"]
    out = out.groupby(keys, as_index=False, sort=True)["servers"].sum()
    out["data_status"] = "synthetic"
    out["accelerators_per_server"] = out["accelerators_per_server"].astype(int)
    out["cpus_per_server"] = out["cpus_per_server"].astype(int)
    out["servers"] = out["servers"].astype(int)
    cols = ["period", "province", "city", "industry", "vendor", "accelerator_model", "accelerators_per_server",
            "cpu_model", "cpus_per_server", "servers", "data_status"]
    out = out[cols].sort_values(cols[:9], kind="mergesort").reset_index(drop=True)
    out.loc[out["accelerator_model"] == "", "accelerators_per_server"] = 0
    return out


def write_shipments(path: str | Path, seed: int = SEED) -> pd.DataFrame:
    df = generate_shipments(seed)
    df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return df
