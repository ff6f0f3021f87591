"""Shipments → capacity: hand-computed cases and bad input."""

import pandas as pd
import pytest

from suanli.capacity.catalog import Catalog
from suanli.capacity.config import CapacityConfig, SurvivalConfig
from suanli.capacity.estimate import estimate, read_shipments
from suanli.errors import InputError

HEADER = "period,province,industry,vendor,accelerator_model,accelerators_per_server,cpu_model,cpus_per_server,servers\n"


@pytest.fixture(scope="module")
def cat():
    return Catalog.bundled()


def cfg(**kw):
    base = dict(years=(2024, 2025), survival_intelligent=SurvivalConfig(kind="fixed", life_years=6),
                survival_general=SurvivalConfig(kind="fixed", life_years=6), group_by=[["province"], ["origin"]])
    base.update(kw)
    return CapacityConfig(**base)


def write(tmp_path, body, name="s.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes((HEADER + body).encode(encoding))
    return p


def test_hand_computed(tmp_path, cat):
    # 125 servers × 8 H100 = 1000 H100 -> 989.5 PFLOPS FP16 dense; 2 × Xeon 8380 each = 250 × 2.944 TF
    p = write(tmp_path, "2024H1,北京,互联网,浪潮,H100 SXM5 80GB,8,Xeon Platinum 8380,2,125\n"
                        "2025,上海,金融,新华三,Ascend 910B2,8,,,10\n")
    res = estimate(read_shipments(p), cat, cfg())
    nat = res.tables["capacity_national"].set_index("year")
    assert nat.loc[2024, "intelligent_eflops"] == pytest.approx(0.9895)
    assert nat.loc[2025, "intelligent_eflops"] == pytest.approx(0.9895 + 80 * 376e-6)
    assert nat.loc[2024, "general_eflops"] == pytest.approx(250 * 2944e-9)
    org = res.tables["capacity_by_origin"]
    dom = org[(org.year == 2025) & (org.origin == "domestic")]["intelligent_eflops"].iloc[0]
    assert dom == pytest.approx(80 * 376e-6)
    flow = res.tables["capacity_flow_national"].set_index("year")
    assert flow.loc[2025, "accelerators_added"] == 80


def test_sparse_basis_doubles_only_sparse_capable(tmp_path, cat):
    p = write(tmp_path, "2024,北京,互联网,浪潮,H100 SXM5 80GB,8,,,125\n2024,北京,互联网,浪潮,Ascend 910B2,8,,,125\n")
    res = estimate(read_shipments(p), cat, cfg(sparsity="sparse"))
    assert res.tables["capacity_national"].iloc[0]["intelligent_eflops"] == pytest.approx(1.979 + 0.376)


def test_retirement_fixed_life(tmp_path, cat):
    p = write(tmp_path, "2018H1,北京,互联网,浪潮,Tesla V100 SXM2 32GB,8,,,100\n")
    res = estimate(read_shipments(p), cat, cfg(years=(2018, 2025)))
    nat = res.tables["capacity_national"].set_index("year")
    # placed 2018.25; at end of 2023 (2024.0) age 5.75 -> in; end of 2024 age 6.75 -> retired
    assert nat.loc[2023, "intelligent_eflops"] == pytest.approx(0.1)
    assert nat.loc[2024, "intelligent_eflops"] == 0


def test_gbk_encoded_chinese_headers(tmp_path, cat):
    body = ("年份,省份,行业,厂商,加速卡型号,每台加速卡数,CPU型号,每台CPU数,台数\n"
            "2024H2,广东,制造,浪潮,H20,8,,,１，０００\n")
    p = tmp_path / "gbk.csv"
    p.write_bytes(body.encode("gbk"))
    res = estimate(read_shipments(p), cat, cfg())
    assert res.tables["capacity_national"].set_index("year").loc[2024, "intelligent_eflops"] == pytest.approx(
        8000 * 148e-6)


def test_bom_and_wan_suffix(tmp_path, cat):
    p = write(tmp_path, "2024,浙江,互联网,浪潮,L20,8,,,0.2万\n", encoding="utf-8-sig")
    res = estimate(read_shipments(p), cat, cfg())
    assert res.tables["capacity_national"].iloc[0]["intelligent_eflops"] == pytest.approx(16000 * 119.5e-6)


def test_missing_columns(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("period,province,accelerator_model\n2024,北京,H20\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_shipments(p)
    msg = str(e.value)
    assert "m.csv" in msg and "row 1" in msg and "servers" in msg


def test_negative_counts(tmp_path):
    p = write(tmp_path, "2024,北京,互联网,浪潮,H20,8,,,10\n2024,上海,互联网,浪潮,H20,8,,,-5\n")
    with pytest.raises(InputError) as e:
        read_shipments(p)
    msg = str(e.value)
    assert "row 3" in msg and "'servers'" in msg and "negative" in msg


def test_unknown_model_names_row_and_suggests(tmp_path, cat):
    p = write(tmp_path, "2024,北京,互联网,浪潮,H20,8,,,10\n2024,北京,互联网,浪潮,H2O,8,,,10\n")
    with pytest.raises(InputError) as e:
        estimate(read_shipments(p), cat, cfg())
    msg = str(e.value)
    assert "row 3" in msg and "accelerator_model" in msg and "H2O" in msg and "closest known names" in msg


def test_duplicate_rows(tmp_path):
    p = write(tmp_path, "2024,北京,互联网,浪潮,H20,8,,,10\n2024,北京,互联网,浪潮,H20,8,,,10\n")
    with pytest.raises(InputError) as e:
        read_shipments(p)
    assert "duplicate" in str(e.value) and "lines 2, 3" in str(e.value)


def test_bad_number_cell(tmp_path):
    p = write(tmp_path, "2024,北京,互联网,浪潮,H20,8,,,ten\n")
    with pytest.raises(InputError) as e:
        read_shipments(p)
    assert "row 2" in str(e.value) and "'ten' is not a number" in str(e.value)


def test_int8_only_part_needs_explicit_rule(tmp_path, cat):
    p = write(tmp_path, "2024,北京,互联网,浪潮,MLU290-M5,8,,,10\n")
    with pytest.raises(InputError, match="int8/2"):
        estimate(read_shipments(p), cat, cfg())
    res = estimate(read_shipments(p), cat, cfg(fp16_equivalent=["fp16", "bf16", "int8/2"]))
    assert res.tables["capacity_national"].iloc[0]["intelligent_eflops"] == pytest.approx(80 * 256e-6)


def test_missing_cards_per_server(tmp_path):
    p = write(tmp_path, "2024,北京,互联网,浪潮,H20,,,,10\n")
    with pytest.raises(InputError, match="accelerators_per_server"):
        read_shipments(p)


def test_xlsx_input(tmp_path, cat):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    ws.append(["2024", "北京", "互联网", "浪潮", "H20", 8, None, None, 10])
    p = tmp_path / "s.xlsx"
    wb.save(p)
    res = estimate(read_shipments(p), cat, cfg())
    assert res.tables["capacity_national"].iloc[0]["intelligent_eflops"] == pytest.approx(80 * 148e-6)


def test_empty_and_truncated_files(tmp_path):
    e = tmp_path / "e.csv"
    e.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read_shipments(e)
    t = tmp_path / "t.csv"
    t.write_text(HEADER + '2024,北京,"互联网', encoding="utf-8")
    with pytest.raises(InputError):
        read_shipments(t)


def test_weibull_changes_stock_not_flow(tmp_path, cat):
    p = write(tmp_path, "2020,北京,互联网,浪潮,A100 SXM4 80GB,8,,,100\n")
    w = SurvivalConfig(kind="weibull", scale=5, shape=2)
    a = estimate(read_shipments(p), cat, cfg(years=(2020, 2025)))
    b = estimate(read_shipments(p), cat, cfg(years=(2020, 2025), survival_intelligent=w))
    na, nb = (r.tables["capacity_national"].set_index("year") for r in (a, b))
    assert nb.loc[2025, "intelligent_eflops"] < na.loc[2025, "intelligent_eflops"]
    fa, fb = (r.tables["capacity_flow_national"].set_index("year") for r in (a, b))
    pd.testing.assert_series_equal(fa["intelligent_added_eflops"], fb["intelligent_added_eflops"])


def test_precision_basis_fp8_and_int8(tmp_path, cat):
    p = write(tmp_path, "2024,北京,互联网,浪潮,H100 SXM5 80GB,8,,,125\n2024,北京,互联网,浪潮,Gaudi 2,8,,,125\n"
                        "2024,北京,互联网,浪潮,MLU290-M5,8,,,125\n")
    fp8 = estimate(read_shipments(p), cat, cfg(precision="fp8", fp8_equivalent=["fp8", "fp16*2", "bf16*2", "int8"]))
    # H100: FP8 dense 1979; Gaudi 2: no FP8 figure -> BF16 432 × 2; MLU290: INT8 512 (listed explicitly)
    assert fp8.tables["capacity_national"].iloc[0]["intelligent_eflops"] == pytest.approx(1.979 + 0.864 + 0.512)
    assert "FP8-equivalent" in fp8.tables["capacity_national"].iloc[0]["basis"]
    mix = fp8.tables["capacity_device_mix"].set_index("accelerator_model")
    assert mix.loc["Gaudi 2 (HL-225)", "equiv_basis"] == "bf16*2"
    with pytest.raises(InputError, match="int8_equivalent"):
        estimate(read_shipments(p), cat, cfg(precision="int8", int8_equivalent=["int8"]))


def test_empty_rule_is_a_config_error():
    import pydantic

    with pytest.raises(pydantic.ValidationError, match="at least one"):
        cfg(fp16_equivalent=[])
