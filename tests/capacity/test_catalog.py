import pytest

from suanli.capacity.catalog import Catalog, cpu_peak_gflops
from suanli.errors import InputError


@pytest.fixture(scope="module")
def cat():
    return Catalog.bundled()


@pytest.mark.parametrize("name", ["A100-SXM4-80GB", "NVIDIA A100 80GB SXM", "A100 SXM4 80GB", "a100 sxm4 80g"])
def test_aliases_resolve_to_one_entry(cat, name):
    assert cat.resolve(name) == "A100 SXM4 80GB"


@pytest.mark.parametrize("name,model", [("昇腾910B", "Ascend 910B (910B2)"), ("H800", "H800 SXM5"),
                                        ("HL-225", "Gaudi 2 (HL-225)"), ("MI300X", "Instinct MI300X"),
                                        ("Xeon 8480+", "Xeon Platinum 8480+")])
def test_tracker_and_chinese_names(cat, name, model):
    kind = "cpu" if "Xeon" in name else "accelerator"
    assert cat.resolve(name, kind) == model


def test_ambiguous_name_lists_candidates(cat):
    with pytest.raises(LookupError, match="ambiguous.*A100 PCIe 40GB.*A100 SXM4 80GB"):
        cat.resolve("A100")


def test_unknown_name_lists_closest(cat):
    with pytest.raises(LookupError) as e:
        cat.resolve("H1OO SXM")
    assert "not in the catalog" in str(e.value) and "closest known names" in str(e.value)


def test_all_peaks_dense_and_h100(cat):
    fp = cat.fp16_equivalent(["fp16", "bf16"]).set_index("model")
    assert fp.loc["H100 SXM5 80GB", "fp16_equiv_tflops"] == 989.5
    # BF16-only parts are substituted and flagged, never silently
    assert fp.loc["Gaudi 2 (HL-225)", "fp16_basis"] == "bf16"
    # INT8-only parts have no FP16-equivalent without an explicit rule
    assert fp.loc["MLU290-M5", "fp16_basis"] == ""
    with_int8 = cat.fp16_equivalent(["fp16", "bf16", "int8/2"]).set_index("model")
    assert with_int8.loc["MLU290-M5", "fp16_equiv_tflops"] == 256
    assert with_int8.loc["MLU290-M5", "fp16_basis"] == "int8/2"


def test_cpu_peak_top500_style(cat):
    assert cpu_peak_gflops(48, 2.2, 32) == pytest.approx(3379.2)
    assert cat.cpu_fp64_gflops()["A64FX"] == pytest.approx(3379.2)
    # filled from cores × base × FLOPs/cycle where the table had the parts only
    assert cat.cpu_fp64_gflops()["Xeon Platinum 8380"] == pytest.approx(40 * 2.3 * 32)


def test_override_sparse_value_is_halved_and_flagged(cat, tmp_path):
    p = tmp_path / "ov.csv"
    p.write_text("model,vendor,fp16_dense_tflops,source\nH20,NVIDIA,296*,vendor sheet (sparse)\n"
                 "NewChip X1,Acme,100 TFLOPS,Acme datasheet 2025\n", encoding="utf-8")
    c2 = cat.with_overrides(p, "accelerator")
    fp = c2.fp16_equivalent(["fp16"]).set_index("model")
    assert fp.loc["H20", "fp16_equiv_tflops"] == pytest.approx(148.0)
    assert "halved from a sparse figure" in c2.accelerators.set_index("model").loc["H20", "notes"]
    assert fp.loc["NewChip X1", "fp16_equiv_tflops"] == 100
    assert c2.resolve("newchip x1") == "NewChip X1"
    # the bundled catalog is unchanged
    assert cat.fp16_equivalent(["fp16"]).set_index("model").loc["H20", "fp16_equiv_tflops"] == 148


def test_override_without_source_is_refused(cat, tmp_path):
    p = tmp_path / "ov.csv"
    p.write_text("model,fp16_dense_tflops,source\nH20,150,\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        cat.with_overrides(p, "accelerator")
    msg = str(e.value)
    assert "ov.csv" in msg and "row 2" in msg and "source" in msg


def test_override_pflops_unit(cat, tmp_path):
    p = tmp_path / "ov.csv"
    p.write_text("model,fp16_dense_tflops,source\nL20,0.1195 PFLOPS,test\n", encoding="utf-8")
    c2 = cat.with_overrides(p, "accelerator")
    assert c2.fp16_equivalent(["fp16"]).set_index("model").loc["L20", "fp16_equiv_tflops"] == pytest.approx(119.5)


def test_catalog_tables_state_their_fp64_basis():
    from suanli.capacity.estimate import catalog_table, cpu_catalog_table
    from suanli.edition import load_edition

    c = Catalog.bundled()
    base = load_edition().capacity
    for basis, h100_sxm, h100_pcie in (("vector", 34.0, 26.0), ("matrix", 67.0, 51.0)):
        t = catalog_table(c, base.model_copy(update={"fp64_basis": basis})).set_index("model")
        assert t.loc["H100 SXM5 80GB", "fp64_used_tflops"] == h100_sxm
        assert t.loc["H100 PCIe 80GB", "fp64_used_tflops"] == h100_pcie
        assert t.loc["H100 SXM5 80GB", "fp64_basis"] == basis
    # a part without a published matrix figure keeps its vector value and says so
    assert t.loc["H100 NVL 94GB", "fp64_basis"] == "vector (no matrix figure)"
    assert set(cpu_catalog_table(c)["fp64_basis"]) == {"vector"}
