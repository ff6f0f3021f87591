"""Names as people write them: vendor prefixes, memory variants, TOP500 CPU strings and family rules,
checked against published peaks of well-known systems."""

import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from suanli.capacity.catalog import Catalog
from suanli.capacity.peak import inventory_peaks, read_inventory
from suanli.capacity.resolve import UnresolvedError

DATA = Path(__file__).parent / "data"


@pytest.fixture()
def cat():
    return Catalog.bundled()


@pytest.mark.parametrize("name,model", [
    ("华为昇腾910B", "Ascend 910B (910B2)"), ("Huawei Ascend 910B", "Ascend 910B (910B2)"),
    ("NVIDIA H100", "H100 SXM5 80GB"), ("英伟达H100", "H100 SXM5 80GB"), ("NVIDIA H20", "H20"),
    ("寒武纪思元370-X8", "MLU370-X8"), ("Cambricon MLU370-X8", "MLU370-X8"), ("昆仑芯RG800", "Kunlunxin RG800"),
    ("沐曦曦云C500", "C500 (曦云C500)"), ("AMD Instinct MI300X", "Instinct MI300X"),
    ("Intel Gaudi 2", "Gaudi 2 (HL-225)"), ("海光深算一号", "DCU Z100 ('Shensuan-1' 深算一号)"),
])
def test_vendor_prefixes_in_chinese_and_english(cat, name, model):
    assert cat.resolve(name) == model


def test_bare_h100_says_which_form_factor(cat):
    r = cat.lookup("NVIDIA H100")
    assert r.how == "alias" and "SXM5" in r.note


def test_vendor_prefix_on_cpus(cat):
    assert cat.resolve("鲲鹏920", "cpu") == "Kunpeng 920 (64-core, Hi1620)"
    assert cat.resolve("英特尔至强铂金8480+", "cpu") == "Xeon Platinum 8480+"


def test_declared_memory_variant(cat):
    r = cat.lookup("NVIDIA Tesla V100-SXM2-16GB")
    assert r.model == "Tesla V100 SXM2 32GB" and r.how == "variant" and "datasheet" in r.note and "16 GB" in r.note


def test_memory_in_the_name_matching_the_entry(cat):
    assert cat.lookup("L20 48GB").how == "memory"
    assert cat.resolve("NVIDIA H20 96GB") == "H20"


def test_undeclared_memory_variant_is_refused(cat):
    with pytest.raises(LookupError, match="memory variant counts only when declared"):
        cat.resolve("L20 96GB")


def test_ambiguity_is_kept(cat):
    with pytest.raises(LookupError, match="ambiguous"):
        cat.resolve("NVIDIA A100")


def cpu_peak(cat, name):
    r = cat.lookup(name, "cpu")
    return r, float(cat.cpus.set_index("model").loc[r.model, "fp64_peak_gflops"])


def test_top500_string_matching_catalog_is_stated(cat):
    r, g = cpu_peak(cat, "Fujitsu A64FX 48C 2.2GHz")
    assert r.model == "A64FX" and r.value_class == "stated" and g == pytest.approx(3379.2)


def test_stated_clock_wins_over_catalog(cat):
    # Fugaku's A64FX at its 2.0 GHz base clock: 48 × 2.0 × 32
    r, g = cpu_peak(cat, "A64FX 48C 2.0GHz")
    assert r.value_class == "derived" and g == pytest.approx(3072.0) and "win over the catalog" in r.note
    # Azure Eagle submits the 8480C with 48 cores although the 8480+ has 56
    r, g = cpu_peak(cat, "Xeon Platinum 8480+ 48C 2GHz")
    assert g == pytest.approx(48 * 2.0 * 32)


def test_catalog_entry_without_fpc_uses_family_rule(cat):
    # The catalog row C86-7490 has 8 FLOPs/cycle but no base clock; a TOP500 string supplies it.
    r, g = cpu_peak(cat, "Hygon C86-7490 64C 2.0GHz")
    assert g == pytest.approx(64 * 2.0 * 8) and r.value_class == "derived"


# one example per family rule in cpu_families.csv: (name, FP64 FLOPs/cycle/core)
FAMILY_EXAMPLES = {
    "Sandy Bridge-EP": ("Xeon E5-2670 8C 2.6GHz", 8),
    "Ivy Bridge-EP": ("Intel Xeon E5-2697v2 12C 2.7GHz", 8),
    "Haswell-EP": ("Xeon E5-2690v3 12C 2.6GHz", 16),
    "Broadwell-EP": ("Xeon E5-2697v4 18C 2.3GHz", 16),
    "Knights Landing": ("Intel Xeon Phi 7250 68C 1.4GHz", 32),
    "Skylake-SP 2-FMA SKU": ("Xeon Gold 5122 4C 3.6GHz", 32),
    "Skylake-SP Platinum/Gold 6": ("Xeon Gold 6130 16C 2.1GHz", 32),
    "Skylake-SP Gold 5/Silver/Bronze": ("Xeon Silver 4116 12C 2.1GHz", 16),
    "Cascade Lake 2-FMA SKU": ("Xeon Gold 5222 4C 3.8GHz", 32),
    "Cascade Lake Platinum/Gold 6": ("Xeon Platinum 8268 24C 2.9GHz", 32),
    "Cascade Lake Gold 5/Silver/Bronze": ("Xeon Gold 5220 18C 2.2GHz", 16),
    "Ice Lake-SP Platinum/Gold 6": ("Xeon Platinum 8360Y 36C 2.4GHz", 32),
    "Sapphire Rapids Platinum/Gold 6/Max": ("Xeon Platinum 8470Q 52C 2.1GHz", 32),
    "Emerald Rapids Platinum/Gold 6": ("Xeon Platinum 8592+ 64C 1.9GHz", 32),
    "Granite Rapids (Xeon 6 P-core)": ("Intel Xeon 6972P 96C 2.4GHz", 32),
    "EPYC Naples": ("AMD EPYC 7551 32C 2GHz", 8),
    "EPYC Rome": ("AMD EPYC 7662 64C 2GHz", 16),
    "EPYC Milan/Trento": ("AMD EPYC 7763 64C 2.45GHz", 16),
    "EPYC Genoa/Bergamo": ("AMD EPYC 9534 64C 2.45GHz", 16),
    "EPYC Turin": ("AMD EPYC 9575F 64C 3.3GHz", 32),
    "A64FX": ("Fujitsu A64FX-2 48C 1.8GHz", 32),
    "Grace": ("NVIDIA Grace CPU Superchip 144C 3.1GHz", 16),
    "Altra": ("Ampere Altra Q64-22 64C 2.2GHz", 8),
    "Kunpeng 920 (TaiShan v110)": ("华为鲲鹏920 48C 2.6GHz", 4),
    "Hygon Dhyana (C86 gen 1)": ("海光7285 32C 2.0GHz", 8),
    "Loongson 3C5000/3D5000": ("龙芯3D5000 32C 2.0GHz", 16),
    "Sunway SW26010": ("NRCPC SW26010 (test) 260C 1.45GHz", 8.1231),
}


def test_every_family_rule_has_an_example(cat):
    assert set(FAMILY_EXAMPLES) == set(cat.families["family"])


@pytest.mark.parametrize("family", sorted(FAMILY_EXAMPLES))
def test_family_rule(cat, family):
    name, fpc = FAMILY_EXAMPLES[family]
    r, g = cpu_peak(cat, name)
    cores, ghz = (float(x) for x in pd.Series([name]).str.extract(r"(\d+)C ([\d.]+)GHz").iloc[0])
    assert r.value_class == "derived"
    assert g == pytest.approx(cores * ghz * fpc)


def test_unlisted_sku_without_rule_is_a_visible_gap(cat):
    with pytest.raises(LookupError, match="no microarchitecture rule"):
        cat.resolve("Xeon Gold 5318Y 24C 2.1GHz", "cpu")
    with pytest.raises(LookupError, match="no FP64 FLOPs/cycle"):
        cat.resolve("Phytium S2500 64C 2.1GHz", "cpu")


def test_trademark_marks_are_ignored(cat):
    assert cat.resolve("Intel(R) Xeon(R) Platinum 8280", "cpu") == "Xeon Platinum 8280"
    assert cat.lookup("Intel(R) Xeon(R) Platinum 8280 28C 2.7GHz", "cpu").how == "top500"


def test_cpuinfo_form_takes_cores_from_the_catalog_and_the_stated_clock(cat):
    r, g = cpu_peak(cat, "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz")
    assert r.model == "Xeon Gold 6148" and r.how == "cpuinfo" and r.value_class == "stated" and g == pytest.approx(1536.0)
    r, g = cpu_peak(cat, "Intel(R) Xeon(R) Gold 6148 CPU @ 2.00GHz")
    assert r.how == "cpuinfo" and r.value_class == "derived" and g == pytest.approx(20 * 2.0 * 32)
    # a catalog row without a base clock gets one from the name (Naples: 8 FLOPs/cycle in the row)
    r, g = cpu_peak(cat, "AMD EPYC 7601 CPU @ 2.2GHz")
    assert r.value_class == "derived" and g == pytest.approx(32 * 2.2 * 8)
    with pytest.raises(LookupError, match="no core count"):
        cat.resolve("Intel(R) Xeon(R) Gold 6154 CPU @ 3.00GHz", "cpu")


def test_amd_and_hygon_cpuinfo_form_states_the_core_count(cat):
    r, g = cpu_peak(cat, "AMD EPYC 7742 64-Core Processor")
    assert r.model == "EPYC 7742" and r.how == "cpuinfo" and r.value_class == "stated" and g == pytest.approx(2304.0)
    r, g = cpu_peak(cat, "AMD EPYC 7742 48-Core Processor")
    assert r.value_class == "derived" and g == pytest.approx(48 * 2.25 * 16)
    # Hygon's base clock comes from its prospectus (via a cited table); FLOPs/cycle from the Dhyana rule
    r, g = cpu_peak(cat, "Hygon C86 7285 32-core Processor")
    assert r.model == "C86 7285" and r.value_class == "derived" and g == pytest.approx(32 * 2.0 * 8)
    assert "prospectus" in cat.cpus.set_index("model").loc["C86 7285", "source"]
    with pytest.raises(LookupError, match="no clock"):
        cat.resolve("Hygon C86 7285H 32-core Processor", "cpu")


def test_catalog_row_without_fpc_takes_its_family_rule(cat):
    """A catalog CPU with cores and base clock but no FLOPs/cycle gets its rule's value, marked derived."""
    r = cat.lookup("鲲鹏920", "cpu")
    row = cat.cpus.set_index("model").loc[r.model]
    assert r.model == "Kunpeng 920 (64-core, Hi1620)" and r.value_class == "derived"
    assert row["fp64_peak_gflops"] == pytest.approx(64 * 2.6 * 4) and "wikichip" in row["source"].lower()
    assert row["origin_note"].startswith("derived") and "family rule" in r.note
    # rows the rule cannot complete stay visible gaps
    assert pd.isna(cat.cpus.set_index("model").loc["Tengyun S2500", "fp64_peak_gflops"])
    assert pd.isna(cat.cpus.set_index("model").loc["C86-7490 (C86-4G)", "fp64_peak_gflops"])


def test_override_of_a_family_filled_row_is_stated_and_recomputed(tmp_path, cat):
    p = tmp_path / "cpus.csv"
    p.write_text("model,cores,base_ghz,fp64_flops_per_cycle_per_core,source\n"
                 "\"Kunpeng 920 (64-core, Hi1620)\",48,2.6,8,my own measurement sheet 2026\n", encoding="utf-8")
    c2 = cat.with_overrides(p, "cpu")
    r = c2.lookup("Kunpeng 920 (64-core, Hi1620)", "cpu")
    assert r.value_class == "stated"
    assert c2.cpus.set_index("model").loc[r.model, "fp64_peak_gflops"] == pytest.approx(48 * 2.6 * 8)
    # the original catalog is untouched
    assert cat.lookup("鲲鹏920", "cpu").value_class == "derived"


def test_known_systems_within_two_percent(tmp_path):
    """Published peaks of well-known systems: FP64 Rpeak for CPU systems, FP16 dense for AI systems."""
    ref = pd.read_csv(DATA / "known_systems.csv", dtype={"accelerator_model": str, "cpu_model": str})
    inv = tmp_path / "inv.csv"
    ref.drop(columns=["published_pflops", "metric", "source"]).to_csv(inv, index=False)
    res = inventory_peaks(read_inventory(inv), Catalog.bundled(), path=str(inv)).set_index("name")
    assert len(res) == len(ref)
    for r in ref.itertuples():
        col = "fp64_pflops" if r.metric == "fp64" else "fp16_dense_pflops"
        assert res.loc[r.name, col] == pytest.approx(r.published_pflops, rel=0.02), r.name
    # TOP500 holdouts reproduce to the printed digit
    assert res.loc["Frontera", "fp64_pflops"] == pytest.approx(38.7459, abs=1e-4)
    assert res.loc["Internet Company A (China)", "fp64_pflops"] == pytest.approx(2.240, abs=1e-6)
    assert res.loc["Spruce B", "spec_class"] == "derived" and res.loc["Zin", "spec_class"] == "derived"
    assert res.loc["Fugaku", "spec_class"] == "stated"
    # the inventory really mixes the name forms: TOP500 strings (catalog and family rule), declared
    # memory variants, memory in the name, Chinese and English vendor prefixes
    cat = Catalog.bundled()
    how = {n: cat.lookup(n).how for n in ref["accelerator_model"].dropna()}
    how |= {n: cat.lookup(n, "cpu").how for n in ref["cpu_model"].dropna()}
    assert {"variant", "top500", "family", "token"} <= set(how.values())
    names = list(how)
    assert any(re.search(r"[\u4e00-\u9fff]", n) for n in ref["accelerator_model"].dropna())
    assert any(re.search(r"[\u4e00-\u9fff]", n) for n in ref["cpu_model"].dropna())
    assert any(re.search(r"\d+GB", n) for n in names) and any(n.startswith(("NVIDIA", "AMD", "Intel")) for n in names)
    assert ref["source"].str.len().gt(40).all()


def test_all_unresolved_rows_reported_at_once(tmp_path, cat):
    p = tmp_path / "inv.csv"
    p.write_text("name,accelerator_model,accelerator_count,cpu_model,cpu_count\n"
                 "a,H1000,8,,\nb,H100 SXM5 80GB,8,,\nc,H1000,4,,\nd,,,Xeon Gold 5318Y 24C 2.1GHz,2\n"
                 "e,,,飞腾S2500,2\n", encoding="utf-8")
    with pytest.raises(UnresolvedError) as e:
        inventory_peaks(read_inventory(p), cat, path=str(p))
    text = str(e.value)
    assert "rows 2, 4" in text and "5318Y" in text and "S2500" in text and "closest known names" in text
    res = inventory_peaks(read_inventory(p), cat, path=str(p), skip_unknown=True)
    assert list(res["name"]) == ["b"]
    assert sorted(res.attrs["unresolved"]["row"]) == [2, 4, 5, 6]


def test_fp64_basis_vector_and_matrix(tmp_path, cat):
    p = tmp_path / "inv.csv"
    p.write_text("name,accelerator_model,accelerator_count\nh,H100 SXM5 80GB,1000\nl,L40S,10\n", encoding="utf-8")
    vec = inventory_peaks(read_inventory(p), cat, path=str(p)).set_index("name")
    mat = inventory_peaks(read_inventory(p), cat, path=str(p), fp64_basis="matrix").set_index("name")
    assert vec.loc["h", "fp64_pflops"] == pytest.approx(34.0) and mat.loc["h", "fp64_pflops"] == pytest.approx(67.0)
    assert set(vec["fp64_basis"]) == {"vector"} and set(mat["fp64_basis"]) == {"matrix"}


def test_skip_unknown_cli_writes_unresolved_csv(tmp_path, suanli_cmd):
    p = tmp_path / "inv.csv"
    p.write_text("name,accelerator_model,accelerator_count,cpu_model,cpu_count\n"
                 "a,华为昇腾910B,8,Intel Xeon Platinum 8160 24C 2.1GHz,2\nb,H1000,8,,\n", encoding="utf-8")
    r = subprocess.run([*suanli_cmd, "capacity", "peak", str(p)], capture_output=True, text=True)
    assert r.returncode == 2 and "H1000" in r.stderr and "--skip-unknown" in r.stderr
    out = tmp_path / "o" / "peaks.csv"
    r = subprocess.run([*suanli_cmd, "capacity", "peak", str(p), "--skip-unknown", "--out", str(out), "--fp64",
                        "matrix"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    un = pd.read_csv(tmp_path / "o" / "unresolved.csv")
    assert list(un["name"]) == ["H1000"] and "H100" in un["closest"].iloc[0]
    res = pd.read_csv(out)
    assert list(res["name"]) == ["a"] and res["fp64_basis"].iloc[0] == "matrix"


def test_china_market_parts(cat):
    assert cat.resolve("Intel Gaudi 2 HL-225B") == "Gaudi 2 (HL-225)"
    g3 = cat.accelerators.set_index("model").loc["Gaudi 3 China (HL-328 OAM)"]
    assert g3["tdp_w"] == 450 and pd.isna(g3["fp16_dense_tflops"]) and pd.isna(g3["bf16_dense_tflops"])
    assert cat.resolve("HL-388") == "Gaudi 3 China (HL-388 PCIe)"
    c = cat.cpus.set_index("model")
    assert c.loc["Loongson 3C5000", "fp64_peak_gflops"] == 560 and c.loc["Loongson 3D5000", "cores"] == 32
    assert c.loc["Loongson 3C5000", "origin"] == "domestic"


@pytest.mark.parametrize("model", ["Gaudi 3 China (HL-328 OAM)", "AMD Instinct MI308X"])
def test_unpublished_peak_is_reported_not_zero(tmp_path, cat, model):
    p = tmp_path / "inv.csv"
    p.write_text(f"name,accelerator_model,accelerator_count\ng,{model},8\n", encoding="utf-8")
    with pytest.raises(UnresolvedError, match="no FP16-equivalent"):
        inventory_peaks(read_inventory(p), cat, path=str(p))


def test_mi308x_is_a_sourced_row_without_peaks(cat):
    row = cat.accelerators.set_index("model").loc[cat.resolve("MI308X")]
    assert row["vendor"] == "AMD" and "80" in row["source"] and "rocMLIR" in row["source"]
    for col in ("fp16_dense_tflops", "bf16_dense_tflops", "fp8_dense_tflops", "int8_dense_tops", "fp64_tflops"):
        assert pd.isna(row[col]), col


@pytest.mark.parametrize("file", ["accelerators_added.csv", "server_cpus_added.csv", "cpu_families.csv",
                                  "accelerator_variants.csv", "accelerator_fp64_matrix.csv"])
def test_every_added_catalog_row_has_a_source(file):
    from importlib import resources

    df = pd.read_csv(Path(str(resources.files("suanli") / "data" / "catalog" / file)), dtype=str,
                     keep_default_na=False)
    assert len(df) and (df["source"].str.len() > 20).all()


def test_unique_completion(cat):
    r = cat.lookup("A800 SXM4")
    assert r.model == "A800 SXM4 80GB" and r.how == "completion" and r.value_class == "stated"


def test_estimate_reports_every_unusable_row_and_skips_them_on_request(tmp_path, suanli_cmd):
    p = tmp_path / "ship.csv"
    p.write_text("period,province,accelerator_model,accelerators_per_server,cpu_model,cpus_per_server,servers\n"
                 "2024,北京,华为昇腾910B,8,鲲鹏920 64C 2.6GHz,2,100\n"
                 "2024,上海,H1000,8,Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz,2,50\n"
                 "2025,广东,NVIDIA H20 96GB,8,飞腾S2500,2,40\n"
                 "2025,浙江,H1000,8,Xeon Platinum 8480+,2,30\n", encoding="utf-8")
    r = subprocess.run([*suanli_cmd, "capacity", "estimate", str(p), "--out", str(tmp_path / "a")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "H1000" in r.stderr and "S2500" in r.stderr and "--skip-unknown" in r.stderr
    out = tmp_path / "b"
    r = subprocess.run([*suanli_cmd, "capacity", "estimate", str(p), "--out", str(out), "--skip-unknown"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    un = pd.read_csv(out / "unresolved.csv")
    assert sorted(set(un["name"])) == ["H1000", "飞腾S2500"] and sorted(set(un["row"])) == [3, 4, 5]
    nat = pd.read_csv(out / "capacity_national.csv").set_index("year")
    # only the Beijing row is left: 800 × 376 TF (910B2) and 200 × 665.6 GFLOPS (Kunpeng 920, derived)
    assert nat.loc[2024, "intelligent_eflops"] == pytest.approx(800 * 376e-6, rel=1e-9)
    assert nat.loc[2024, "general_eflops"] == pytest.approx(200 * 665.6e-9, rel=1e-9)
    assert set(nat["fp64_basis"]) == {"vector"}


def test_cpu_catalog_table_says_which_peaks_are_stated_derived_or_missing(cat):
    from suanli.capacity.estimate import cpu_catalog_table

    cat.resolve("Xeon Gold 6130 16C 2.1GHz", "cpu")  # a family-rule row derived from a name
    t = cpu_catalog_table(cat).set_index("model")
    assert t.loc["Xeon Gold 6148", "spec_class"] == "stated"
    assert t.loc["Kunpeng 920 (64-core, Hi1620)", "spec_class"] == "derived"
    assert t.loc["Xeon Gold 6130 16C 2.1GHz", "spec_class"] == "derived"
    assert t.loc["Tengyun S2500", "spec_class"] == "missing" and pd.isna(t.loc["Tengyun S2500", "fp64_peak_gflops"])
