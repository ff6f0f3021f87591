"""Generate the malformed-input corpus and its manifest: ``python tests/corpus/make_corpus.py``.

Every file under ``tests/corpus/files/`` is written by this script (text files in the encodings
Excel and WPS produce, XLSX workbooks with merged cells, hidden rows and formulas, truncated and
empty files), together with ``manifest.yaml``: for each file the loader that reads it and the
expected outcome, either ``ok`` with the documented coercion and expected values, or ``error``
with the substrings the message must contain (file name, row, column). The outputs are committed;
re-run the script after editing it. The 2 GB input is not committed: the manifest marks it with
``sparse_bytes`` and the test creates it as a sparse file.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
ENTRIES: list[dict[str, Any]] = []

SH = "period,province,city,industry,vendor,accelerator_model,accelerators_per_server,cpu_model,cpus_per_server,servers"
SH_ZH = "年份,省份,城市,行业,厂商,加速卡型号,每台加速卡数,CPU型号,每台CPU数,台数"
ROW = "2024,北京,北京,互联网,浪潮,A100 SXM4 80GB,8,Xeon Platinum 8280,2,100"
ROW2 = "2024,上海,上海,金融,华为,H800 SXM5,8,Xeon Platinum 8280,2,40"
INV = "name,accelerator_model,accelerator_count,cpu_model,cpu_count"
INV_ZH = "名称,加速卡型号,加速卡数量,CPU型号,CPU数量"
FACTS = "id,value,unit,kind,year,period,region,value_original,qualifier"
MARGINS = "variable,level,share"


def add(name: str, data: bytes | str | None, loader: str, what: str, expect: str, *,
        encoding: str = "utf-8", **kw: Any) -> None:
    path = FILES / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if data is not None:
        path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    named = kw.pop("named", True)
    entry = {"file": name, "loader": loader, "what": what, "expect": expect, **kw}
    if expect == "error" and named:
        entry.setdefault("contains", [])
        fname = Path(name).name
        if fname not in entry["contains"]:
            entry["contains"].insert(0, fname)
    ENTRIES.append(entry)


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def xlsx(rows: list[list[Any]], *, merges: list[str] = (), hidden: list[int] = (),
         cached: dict[str, str] | None = None) -> bytes:
    """An XLSX workbook; ``cached`` patches formula cells with a saved value (as Excel writes them)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    for h in hidden:
        ws.row_dimensions[h].hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    if not cached:
        return buf.getvalue()
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                for formula, value in cached.items():
                    text = text.replace(f"<f>{formula}</f><v></v>", f"<f>{formula}</f><v>{value}</v>")
                data = text.encode("utf-8")
            z.writestr(info, data)
    return out.getvalue()


def v(column: str, value: Any, row: int = 0, **where: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"column": column, "value": value}
    if where:
        d["where"] = where
    else:
        d["row"] = row
    return d


# ------------------------------------------------------------------------------------------ shipments
def shipments() -> None:
    s = "shipments/"
    add(s + "s01_gbk_cn_headers.csv", lines(SH_ZH, ROW, ROW2), "shipments",
        "GBK CSV with Chinese headers (Excel on Chinese Windows)", "ok", encoding="gbk",
        coercion="decoded as GB18030 (a GBK superset); Chinese headers matched through the schema aliases",
        rows=2, values=[v("servers", 100.0), v("province", "北京"), v("accelerator_model", "H800 SXM5", 1)])
    add(s + "s02_gb18030.csv", lines(SH, ROW.replace("互联网", "互联网䶮𠀀"), ROW2), "shipments",
        "GB18030 CSV with characters outside GBK", "ok", encoding="gb18030",
        coercion="decoded as GB18030", rows=2, values=[v("industry", "互联网䶮𠀀")])
    add(s + "s03_utf8_bom.csv", lines(SH, ROW), "shipments", "UTF-8 with BOM ('CSV UTF-8' from Excel)", "ok",
        encoding="utf-8-sig", coercion="BOM removed; first header is 'period' not '\\ufeffperiod'", rows=1,
        values=[v("period", "2024")])
    add(s + "s04_utf16_tab.txt", lines(SH.replace(",", "\t"), ROW.replace(",", "\t")), "shipments",
        "UTF-16 tab-separated ('Unicode text' from Excel)", "ok", encoding="utf-16",
        coercion="UTF-16 by its BOM; tab delimiter detected", rows=1, values=[v("servers", 100.0)])
    add(s + "s05_wan_qian.csv", lines(SH, ROW.replace(",100", ",2.2万"), ROW2.replace(",40", ",3千")),
        "shipments", "counts with 万/千 suffixes", "ok", coercion="2.2万 → 22000, 3千 → 3000",
        values=[v("servers", 22000.0), v("servers", 3000.0, 1)])
    add(s + "s06_fullwidth.csv", lines(SH, "２０２４Ｈ１，北京，北京，互联网，浪潮，A100 SXM4 80GB，８，Xeon Platinum 8280，２，\"１，２３４\"".replace("，", ",")),
        "shipments", "full-width digits, letters and thousands separator", "ok",
        coercion="NFKC: ２０２４Ｈ１ → 2024H1, １，２３４ → 1234", values=[v("servers", 1234.0), v("period", "2024H1")])
    add(s + "s07_thousands.csv", lines(SH, ROW.replace(",100", ',"12,345"')), "shipments",
        "quoted thousands separator", "ok", coercion='"12,345" → 12345', values=[v("servers", 12345.0)])
    add(s + "s08_servers_dash.csv", lines(SH, ROW, ROW2.replace(",40", ",—")), "shipments",
        "required count given as '—'", "error", contains=["row 3", "servers", "is missing"])
    add(s + "s09_missing_markers.csv",
        lines(SH, "2024,北京,北京,互联网,浪潮,暂无,N/A,Xeon Platinum 8280,2,100",
              "2024,上海,上海,金融,华为,-,—,Xeon Platinum 8280,2,40"),
        "shipments", "missing markers 暂无, N/A, -, — in optional columns (CPU-only servers)", "ok",
        coercion="暂无/N/A/-/— read as missing: a CPU-only row",
        values=[v("accelerator_model", ""), v("accelerator_model", "", 1), v("cpus_per_server", 2.0, 1)])
    add(s + "s10_negative.csv", lines(SH, ROW, ROW2.replace(",40", ",-40")), "shipments", "negative server count",
        "error", contains=["row 3", "servers", "below the minimum"])
    add(s + "s11_absurd_cards.csv", lines(SH, ROW.replace(",8,", ",80000,")), "shipments",
        "absurd accelerators per server (80000)", "error", contains=["row 2", "accelerators_per_server", "above the maximum"])
    add(s + "s12_percent_count.csv", lines(SH, ROW.replace(",100", ",50%")), "shipments",
        "a percentage where a server count is expected", "error", contains=["row 2", "servers", "percentage"])
    add(s + "s13_alias_duplicates.csv",
        lines(SH, ROW, ROW.replace("北京,北京", "北京市,北京市"), ROW.replace("北京,北京", "Beijing,Beijing")),
        "shipments", "one place under three names (北京/北京市/Beijing) with the same key", "error",
        contains=["row 3", "province", "duplicate rows", "北京"])
    add(s + "s14_alias_names.csv",
        lines(SH, ROW.replace("北京,北京", "北京市,北京市"), ROW2.replace("上海,上海", "Shanghai,SHANGHAI"),
              "2024,广西壮族自治区,南宁市,互联网,浪潮,A100 SXM4 80GB,8,Xeon Platinum 8280,2,7"),
        "shipments", "official and English province/city names", "ok",
        coercion="北京市 → 北京, Shanghai → 上海, 广西壮族自治区 → 广西, 南宁市 → 南宁",
        values=[v("province", "北京"), v("province", "上海", 1), v("city", "上海", 1), v("province", "广西", 2),
                v("city", "南宁", 2)])
    add(s + "s15_unknown_model.csv", lines(SH, ROW, ROW2.replace("H800 SXM5", "H999 Ultra")),
        "shipments_coded", "accelerator model not in the catalog", "error",
        contains=["row 3", "accelerator_model", "H999 Ultra", "not in the catalog"])
    add(s + "s16_truncated_quote.csv", lines(SH, ROW) + '2024,上海,上海,金融,"华为', "shipments",
        "file cut inside a quoted cell", "error", contains=["row 3", "unclosed quote"])
    add(s + "s17_truncated_row.csv", lines(SH, ROW) + "2024,上海,上海,金融,华为,H800", "shipments",
        "file cut in the middle of a row", "error", contains=["row 3", "servers", "is missing"])
    add(s + "s18_empty.csv", b"", "shipments", "empty file (0 bytes)", "error", contains=["is empty"])
    add(s + "s19_header_only.csv", lines(SH), "shipments", "header without data rows", "error",
        contains=["no data rows"])
    add(s + "s20_blank_lines.csv", "\n\n   \n", "shipments", "only blank lines", "error", contains=["no content"])
    add(s + "s21_quarter.csv", lines(SH, ROW.replace("2024,", "2024Q3,", 1)), "shipments",
        "a quarter where a year or half-year is expected", "error", contains=["row 2", "period", "quarter"])
    add(s + "s22_period_cn.csv", lines(SH, ROW.replace("2024,", "2024年上半年,", 1)), "shipments",
        "Chinese half-year label", "ok", coercion="2024年上半年 → 2024H1", values=[v("period", "2024H1")])
    add(s + "s23_text_count.csv", lines(SH, ROW, ROW2.replace(",40", ",about forty")), "shipments",
        "text in a count", "error", contains=["row 3", "servers", "not a number"])
    add(s + "s24_decimal_comma.csv", lines(SH, ROW.replace(",100", ',"1,5"')), "shipments",
        "decimal comma", "error", contains=["row 2", "servers", "thousands separators"])
    add(s + "s25_extra_cells.csv", lines(SH, ROW, ROW2 + ",1,234"), "shipments",
        "unquoted comma adds cells", "error", contains=["row 3", "header has 10 columns"])
    add(s + "s26_missing_column.csv", lines(SH.replace(",servers", ""), ROW.rsplit(",", 1)[0]), "shipments",
        "no servers column", "error", contains=["row 1", "servers", "missing required column"])
    add(s + "s27_old_xls.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "shipments",
        "old binary .xls", "error", contains=["old binary .xls", ".xlsx"])
    add(s + "s28_corrupt.xlsx", b"PK\x03\x04" + b"\x14\x00garbage" * 40, "shipments",
        "truncated/corrupt .xlsx", "error", contains=["not a readable .xlsx"])
    hdr = SH.split(",")
    r1 = ROW.split(",")
    r2 = ROW2.split(",")
    num = lambda r: [int(x) if isinstance(x, str) and x.isdigit() else x for x in r]  # noqa: E731
    add(s + "s29_merged_group_header.xlsx",
        xlsx([["时期", "地区", None, "分类", None, "加速卡", None, "CPU", None, "出货"],
              ["period", "province", "city", "industry", "vendor", "accelerator_model", "accelerators_per_server",
               "cpu_model", "cpus_per_server", "servers"], num(r1), num(r2)],
             merges=["B1:C1", "D1:E1", "F1:G1", "H1:I1"]),
        "shipments", "two-row header: merged group cells over the real column names", "ok",
        coercion="a first row with merged group cells is combined with the row below (the lower name wins)",
        rows=2, values=[v("servers", 100.0), v("city", "上海", 1)])
    add(s + "s30_merged_data.xlsx",
        xlsx([hdr, num(r1), num(r1[:1] + [None] + r1[2:5] + ["H800 SXM5"] + r1[6:]),
              num(r1[:1] + [None, "北京市"] + r1[3:5] + ["H20"] + r1[6:])], merges=["B2:B4"]),
        "shipments", "province cell merged down three rows", "ok",
        coercion="each cell of a merged range takes its top-left value", rows=3,
        values=[v("province", "北京", 2), v("city", "北京", 2)])
    add(s + "s31_hidden_rows.xlsx",
        xlsx([hdr, num(r1), num(r2[:-1] + ["999999"]), num(r2)], hidden=[3]),
        "shipments", "hidden row (an analyst's scratch line)", "ok",
        coercion="hidden rows are skipped; row numbers stay the spreadsheet's", rows=2,
        values=[v("servers", 40.0, 1)])
    add(s + "s32_hidden_row_error_line.xlsx",
        xlsx([hdr, num(r1), num(r2), num(r2[:-1] + ["-3"])], hidden=[3]),
        "shipments", "error after a hidden row keeps the spreadsheet row number", "error",
        contains=["row 4", "servers", "below the minimum"])
    add(s + "s33_formula_cached.xlsx",
        xlsx([hdr, num(r1[:-1]) + ["=50*2"], num(r2)], cached={"50*2": "100"}),
        "shipments", "formula with the value Excel saved", "ok",
        coercion="the cached value of a formula is used (never the formula text)", values=[v("servers", 100.0)])
    add(s + "s34_formula_uncached.xlsx", xlsx([hdr, num(r1[:-1]) + ["=50*2"], num(r2)]),
        "shipments", "formula without a saved value (written by a script, never opened in Excel)", "error",
        contains=["row 2", "servers", "formula", "J2"])
    add(s + "s35_utf16_no_bom.csv", lines(SH, ROW).encode("utf-16-le"), "shipments",
        "UTF-16 LE without BOM", "ok", coercion="UTF-16 detected from the NUL bytes", values=[v("servers", 100.0)])
    add(s + "s36_bad_utf16.csv", b"\xff\xfe" + lines(SH).encode("utf-16-le") + b"\x00\xd8", "shipments",
        "UTF-16 BOM then a lone surrogate (truncated)", "error", contains=["UTF-16"])
    add(s + "s37_duplicate_header.csv", lines(SH + ",servers", ROW + ",1"), "shipments",
        "a column twice", "error", contains=["row 1", "servers", "appears twice"])
    add(s + "s38_huge_2gb.csv", None, "shipments", "a 2 GB file (sparse; created by the test)", "error",
        sparse_bytes=2 * 1024 ** 3, contains=["input limit", "SUANLI_MAX_INPUT_MB"])
    add(s + "s39_huge_2gb.xlsx", None, "shipments", "a 2 GB workbook (sparse; created by the test)", "error",
        sparse_bytes=2 * 1024 ** 3, contains=["input limit"])
    add(s + "s40_nul_bytes.csv", lines(SH, ROW).encode() + b"\x00" * 3 + b"\n", "shipments",
        "NUL bytes at the end (disk full while saving)", "error", contains=["row 3"])


# ---------------------------------------------------------------------------------------- inventories
def inventories() -> None:
    s = "inventory/"
    add(s + "i01_gbk_cn.csv", lines(INV_ZH, "集群甲,A100 SXM4 80GB,1024,Xeon Platinum 8280,256"), "inventory",
        "GBK with Chinese headers", "ok", encoding="gbk", coercion="aliases 名称/加速卡型号/加速卡数量",
        values=[v("accelerator_count", 1024.0)])
    add(s + "i02_count_without_model.csv", lines(INV, "c1,,8,,"), "inventory", "count without a model", "error",
        contains=["row 2", "accelerator_model"])
    add(s + "i03_negative.csv", lines(INV, "c1,A100 SXM4 80GB,-8,,"), "inventory", "negative count", "error",
        contains=["row 2", "accelerator_count", "below the minimum"])
    add(s + "i04_unknown_model.csv", lines(INV, "c1,A100 SXM4 80GB,8,,", "c2,Z9000,8,,"), "inventory_peaks",
        "unknown accelerator", "error", contains=["row 3", "accelerator_model", "Z9000"])
    add(s + "i05_wan.csv", lines(INV, "c1,A100 SXM4 80GB,1万,,"), "inventory_peaks", "1万 cards", "ok",
        coercion="1万 → 10000 cards; 10000 × 312 TFLOPS = 3120 PFLOPS", values=[v("fp16_dense_pflops", 3120.0)])
    add(s + "i06_utf16.csv", lines(INV, "c1,H800 SXM5,8,Xeon Platinum 8280,2"), "inventory", "UTF-16", "ok",
        encoding="utf-16", values=[v("cpu_count", 2.0)])
    add(s + "i07_empty_name.csv", lines(INV, ",A100 SXM4 80GB,8,,"), "inventory", "empty system name", "error",
        contains=["row 2", "name", "is empty"])
    add(s + "i08_percent.csv", lines(INV, "c1,A100 SXM4 80GB,80%,,"), "inventory", "percent as a count", "error",
        contains=["row 2", "accelerator_count", "percentage"])
    add(s + "i09_alias_cpu.csv", lines(INV, "c1,,,Intel Xeon Platinum 8280,2"), "inventory_peaks",
        "CPU with vendor prefix", "ok", coercion="vendor words ignored when resolving names", rows=1)


# ---------------------------------------------------------------------------------- catalog overrides
def overrides() -> None:
    s = "catalog/"
    hdr = "model,vendor,source,fp16_dense_tflops"
    add(s + "c01_new_model.csv", lines(hdr, "X1 Test,NVIDIA,vendor datasheet 2025,500"), "override_accelerator",
        "new accelerator", "ok", coercion="new row with origin from vendors.csv",
        values=[v("fp16_dense_tflops", 500.0, model="X1 Test"), v("origin", "imported", model="X1 Test")])
    add(s + "c02_sparse_star.csv", lines(hdr, "A100 SXM4 80GB,,datasheet,624*"), "override_accelerator",
        "sparse figure marked with *", "ok", coercion="624* ÷ sparsity factor 2 → 312 dense",
        values=[v("fp16_dense_tflops", 312.0, model="A100 SXM4 80GB")])
    add(s + "c03_pflops.csv", lines(hdr, "X2 Test,Huawei,datasheet,0.5 PFLOPS"), "override_accelerator",
        "PFLOPS unit in the cell", "ok", coercion="0.5 PFLOPS → 500 TFLOPS",
        values=[v("fp16_dense_tflops", 500.0, model="X2 Test")])
    add(s + "c04_chinese_P.csv", lines(hdr, "X3 Test,Huawei,datasheet,1P"), "override_accelerator",
        "Chinese 'P' unit", "ok", coercion="1P → 1 PFLOPS = 1000 TFLOPS",
        values=[v("fp16_dense_tflops", 1000.0, model="X3 Test")])
    add(s + "c05_no_source.csv", lines(hdr, "X4 Test,NVIDIA,,500"), "override_accelerator", "no source", "error",
        contains=["row 2", "source"])
    add(s + "c06_negative.csv", lines(hdr, "X5 Test,NVIDIA,ds,-100"), "override_accelerator", "negative peak",
        "error", contains=["row 2", "fp16_dense_tflops", "negative"])
    add(s + "c07_tops.csv", lines(hdr, "X6 Test,NVIDIA,ds,500 TOPS"), "override_accelerator",
        "TOPS is not FLOPS", "error", contains=["row 2", "fp16_dense_tflops", "TOPS"])
    add(s + "c08_absurd.csv", lines(hdr, "X7 Test,NVIDIA,ds,5万P"), "override_accelerator",
        "absurd per-card peak (5万P = 50 EFLOPS)", "error", contains=["row 2", "fp16_dense_tflops", "implausible"])
    add(s + "c09_no_vendor.csv", lines(hdr, "X8 Test,,ds,100"), "override_accelerator", "new model without vendor",
        "error", contains=["row 2", "vendor"])
    add(s + "c10_cpu_fullwidth.csv", lines("model,source,base_ghz", "Xeon Platinum 8280,ARK,２．５"), "override_cpu",
        "full-width clock", "ok", coercion="２．５ → 2.5", values=[v("base_ghz", 2.5, model="Xeon Platinum 8280")])
    add(s + "c11_unit_in_header.csv", lines("model,vendor,source,FP16 (TFLOPS)", "X9 Test,NVIDIA,ds,100"),
        "override_accelerator", "unit in a header the schema does not know", "error",
        contains=["row 1", "FP16 (TFLOPS)", "unknown column"])
    add(s + "c12_gbk_cn.csv", lines("型号,厂商,来源,fp16_dense_tflops", "昇腾910B,,华为官网,376"),
        "override_accelerator", "GBK, Chinese headers and Chinese alias", "error", encoding="gbk",
        contains=["row 1", "厂商", "unknown column"])
    add(s + "c13_gbk_cn_ok.csv", lines("型号,来源,fp16_dense_tflops", "昇腾910B,华为官网,376"),
        "override_accelerator", "GBK, Chinese headers, model by its Chinese alias", "ok", encoding="gbk",
        coercion="昇腾910B → Ascend 910B (910B2)",
        values=[v("fp16_dense_tflops", 376.0, model="Ascend 910B (910B2)")])
    add(s + "c14_tflops_vs_pflops.csv", lines(hdr, "X10 Test,NVIDIA,ds,989.5 TFLOPS", "X11 Test,NVIDIA,ds,0.9895 PFLOPS"),
        "override_accelerator", "same figure in TFLOPS and PFLOPS", "ok", coercion="both → 989.5 TFLOPS",
        values=[v("fp16_dense_tflops", 989.5, model="X10 Test"), v("fp16_dense_tflops", 989.5, model="X11 Test")])


# ------------------------------------------------------------------------------------ indicator data
def indicators() -> None:
    s = "indicators/"
    H = "year,unit_id,unit_name,indicator_id,value,region"
    add(s + "x01_long_ok.csv", lines(H, "2024,beijing,北京,registered_llms,105,华北", "2024,shanghai,上海,registered_llms,80,华东"),
        "index_city", "minimal long table", "ok", values=[v("value", 105.0, unit_id="beijing")])
    add(s + "x02_unknown_indicator.csv", lines(H, "2024,beijing,北京,registered_llms,105,华北", "2024,beijing,北京,gpu_count,9,华北"),
        "index_city", "unknown indicator id", "error", contains=["row 3", "indicator_id", "gpu_count"])
    add(s + "x03_alias_units.csv", lines(H, "2024,beijing,北京,registered_llms,105,华北", "2024,bj,北京市,registered_llms,99,华北"),
        "index_city", "the same city under two ids (北京 / 北京市)", "error",
        contains=["row 3", "unit", "same place", "北京"])
    add(s + "x04_wan.csv", lines(H, "2024,beijing,北京,ai_firms_count,1.2万,华北"), "index_city", "1.2万", "ok",
        coercion="1.2万 → 12000", values=[v("value", 12000.0, unit_id="beijing")])
    add(s + "x05_missing_markers.csv",
        lines(H, "2024,beijing,北京,registered_llms,—,华北", "2024,shanghai,上海,registered_llms,N/A,华东",
              "2024,guangzhou,广州,registered_llms,暂无,华南", "2024,shenzhen,深圳,registered_llms,-,华南",
              "2024,hangzhou,杭州,registered_llms,12,华东"),
        "index_city", "missing markers", "ok", coercion="—/N/A/暂无/- → missing (NaN)",
        values=[v("value", None, unit_id="beijing"), v("value", 12.0, unit_id="hangzhou")])
    add(s + "x06_bad_number.csv", lines(H, "2024,beijing,北京,registered_llms,lots,华北"), "index_city",
        "text value", "error", contains=["row 2", "value", "lots"])
    add(s + "x07_blank_line_row.csv", lines(H, "2024,beijing,北京,registered_llms,105,华北", "", "",
                                              "2024,shanghai,上海,registered_llms,lots,华东"),
        "index_city", "error after blank lines names the real line", "error", contains=["row 5", "value"])
    add(s + "x08_year_text.csv", lines(H, "二〇二四,beijing,北京,registered_llms,105,华北"), "index_city",
        "year in Chinese numerals", "error", contains=["row 2", "year"])
    add(s + "x09_fullwidth.csv", lines(H, "２０２４,beijing,北京,registered_llms,１０５,华北"), "index_city",
        "full-width digits", "ok", coercion="１０５ → 105; ２０２４ → 2024", values=[v("value", 105.0, unit_id="beijing"),
                                                                          v("year", 2024, unit_id="beijing")])
    add(s + "x10_percent.csv", lines(H, "2024,beijing,北京,cloud_adoption_pct,46.2%,华北"), "index_city",
        "percent string", "ok", coercion="46.2% → 0.462 (a fraction)", values=[v("value", 0.462, unit_id="beijing")])
    add(s + "x11_wide_unknown_col.csv", lines("unit_id,unit_name,year,registered_llms,gpu_count", "beijing,北京,2024,1,2"),
        "index_city", "wide table with a column not in the framework", "error", contains=["row 1", "gpu_count"])
    add(s + "x12_dup_long.csv", lines(H, "2024,beijing,北京,registered_llms,105,华北", "2024,beijing,北京,registered_llms,106,华北"),
        "index_city", "two values for one cell", "error", contains=["row 3", "indicator_id", "two values"])
    add(s + "x13_gbk.csv", lines(H, "2024,beijing,北京,registered_llms,105,华北"), "index_city", "GBK", "ok",
        encoding="gbk", values=[v("unit_name", "北京", unit_id="beijing")])
    add(s + "x14_english_alias.csv", lines(H, "2024,beijing,Beijing,registered_llms,105,华北", "2024,bj2,北京,registered_llms,1,华北"),
        "index_city", "the same city in English and Chinese", "error", contains=["row 3", "same place"])


# --------------------------------------------------------------------------------------- frameworks
def frameworks() -> None:
    s = "framework/"
    add(s + "f01_cycle.yaml", """id: t
nodes:
  - {id: index}
  - {id: a, parent: b}
  - {id: b, parent: a}
  - {id: x, parent: a}
""", "framework", "cycle between two groups", "error", contains=["cycle"])
    add(s + "f02_unknown_parent.yaml", """id: t
nodes:
  - {id: index}
  - {id: a, parent: index}
  - {id: x, parent: nowhere}
""", "framework", "unknown parent id", "error", contains=["nowhere", "not an id"])
    add(s + "f03_bad_yaml.yaml", "id: t\ntree:\n  id: index\n   children: [\n", "framework", "broken YAML", "error",
        contains=["not valid YAML", "row"])
    add(s + "f04_negative_weight.yaml", """id: t
tree:
  id: index
  children:
    - {id: a, weight: -1}
    - {id: b}
""", "framework", "negative weight", "error", contains=["weight", "≥ 0"])
    add(s + "f05_dup_id.yaml", """id: t
tree:
  id: index
  children:
    - {id: a}
    - {id: a}
""", "framework", "duplicate id", "error", contains=["duplicate id 'a'"])
    add(s + "f06_empty.yaml", "", "framework", "empty YAML", "error", contains=["mapping"])
    add(s + "f07_utf16.yaml", "id: t\ntree:\n  id: index\n  children:\n    - {id: a, name_zh: 指标}\n    - {id: b}\n",
        "framework", "YAML saved as UTF-16 (Notepad 'Unicode')", "ok", encoding="utf-16",
        coercion="decoded by its BOM", values=[v("id", "a"), v("name_zh", "指标")])
    add(s + "f08_gbk.yaml", "id: t\ntree:\n  id: index\n  children:\n    - {id: a, name_zh: 指标}\n    - {id: b}\n",
        "framework", "YAML saved as GBK", "ok", encoding="gbk", coercion="decoded as GB18030",
        values=[v("name_zh", "指标")])
    C = "iCode,iName,Level,Parent,Direction,Weight,Type"
    add(s + "f09_coinr_ok.csv", lines(C, "a,A,1,g,1,1,Indicator", "b,B,1,g,-1,2,Indicator", "g,G,2,index,1,1,Aggregate",
                                       "index,Index,3,,1,1,Aggregate", "region,Region,,,,,Group"),
        "framework", "COINr iMeta", "ok", values=[v("weight", 2.0, id="b"), v("direction", -1.0, id="b")])
    add(s + "f10_coinr_missing_col.csv", lines("iCode,Level,Parent,Weight,Type", "a,1,index,1,Indicator"),
        "framework", "COINr metadata without Direction", "error", contains=["Direction"])
    add(s + "f11_coinr_bad_direction.csv", lines(C, "a,A,1,index,up,1,Indicator", "index,I,2,,1,1,Aggregate"),
        "framework", "Direction 'up'", "error", contains=["row 2", "Direction"])
    add(s + "f12_coinr_cycle.csv", lines(C, "a,A,1,g,1,1,Indicator", "g,G,2,h,1,1,Aggregate", "h,H,3,g,1,1,Aggregate",
                                         "index,I,4,,1,1,Aggregate"),
        "framework", "COINr cycle", "error", contains=["cycle"])
    add(s + "f13_coinr_weight_text.csv", lines(C, "a,A,1,index,1,heavy,Indicator", "index,I,2,,1,1,Aggregate"),
        "framework", "text weight", "error", contains=["row 2", "Weight", "heavy"])
    add(s + "f14_coinr_gbk.csv", lines(C, "a,指标甲,1,index,1,1,Indicator", "index,指数,2,,1,1,Aggregate"),
        "framework", "COINr in GBK", "ok", encoding="gbk", values=[v("name_en", "指标甲", id="a")])
    add(s + "f15_unknown_key.yaml", "id: t\nweights: 3\ntree:\n  id: index\n  children: [{id: a}]\n", "framework",
        "unknown top-level key", "error", contains=["weights", "Extra inputs"])
    add(s + "f16_coinr_fullwidth_weight.csv", lines(C, "a,A,1,index,1,０.５,Indicator", "b,B,1,index,1,1,Indicator",
                                                     "index,I,2,,1,1,Aggregate"),
        "framework", "full-width weight", "ok", coercion="０.５ → 0.5", values=[v("weight", 0.5, id="a")])
    add(s + "f17_truncated.yaml", "id: t\ntree:\n  id: index\n  children:\n    - {id: a, wei", "framework",
        "YAML cut mid-line", "error", contains=["not valid YAML"])


# ------------------------------------------------------------------------------------- market facts
def facts() -> None:
    s = "facts/"
    add(s + "m01_ok.csv", lines(FACTS, "cn_intelligent_compute_2024,725.3,EFLOPS,actual,2024,,china,,"), "facts",
        "one level fact", "ok", values=[v("value", 725.3)])
    add(s + "m02_unknown_kind.csv", lines(FACTS, "x,1,EFLOPS,guess,2024,,china,,"), "facts", "unknown kind",
        "error", contains=["row 2", "kind", "guess"])
    add(s + "m03_rate_no_window.csv", lines(FACTS, "cn_x_growth,12,%,cagr,2024,,china,,"), "facts",
        "growth rate without a window", "error", contains=["row 2", "period", "window"])
    add(s + "m04_share_over_100.csv", lines(FACTS, "cn_x_share,120,%,share,2024,,china,,"), "facts", "share 120%",
        "error", contains=["row 2", "value", "over 100%"])
    add(s + "m05_negative_market.csv", lines(FACTS, "cn_ai_server_market_2024,-5,亿美元,actual,2024,,china,,"),
        "facts", "negative market size", "error", contains=["row 2", "value", "negative"])
    add(s + "m06_wan.csv", lines(FACTS, "cn_intelligent_compute_2024,7253千,PFLOPS,actual,2024,,china,,"), "facts",
        "千 suffix and PFLOPS", "ok", coercion="7253千 PFLOPS → 7253 EFLOPS", values=[v("value", 7253.0)])
    add(s + "m07_bad_value.csv", lines(FACTS, "x,about ten,EFLOPS,actual,2024,,china,,"), "facts", "text value",
        "error", contains=["row 2", "value", "about ten"])
    add(s + "m08_rate_printed_qualifier.csv",
        lines(FACTS, "cn_x_cagr,12,%,cagr,2028,2023-2028,china,约12%,约"), "facts",
        "a rate printed with a qualifier (约12%)", "ok", coercion="12% → 0.12 with an interval",
        values=[v("value", 0.12)])
    add(s + "m09_gbk.csv", lines("编号,数值,单位,类型,年份,地区", "cn_intelligent_compute_2024,725.3,EFLOPS,actual,2024,china"),
        "facts", "GBK with Chinese headers", "ok", encoding="gbk", values=[v("value", 725.3)])
    add(s + "m10_missing_id.csv", lines(FACTS, ",1,EFLOPS,actual,2024,,china,,"), "facts", "empty id", "error",
        contains=["row 2", "id", "is empty"])
    add(s + "m11_fullwidth_percent.csv", lines(FACTS, "cn_x_share,４２％,,share,2024,,china,,"), "facts",
        "full-width percent", "ok", coercion="４２％ → 0.42", values=[v("value", 0.42)])
    add(s + "m12_window_fullwidth.csv", lines(FACTS, "cn_x_cagr,33.9,%,cagr,2028,２０２３－２０２８,china,,"),
        "facts", "window with full-width digits and dash", "ok", coercion="２０２３－２０２８ → 2023-2028",
        values=[v("start_year", 2023.0), v("end_year", 2028.0)])
    add(s + "m13_printed_percent.csv", lines(FACTS, "cn_x_cagr,12,%,cagr,2028,2023-2028,china,12%,",
                                               "cn_y_cagr,7,%,cagr,2028,2023-2028,china,１.２.３%,"), "facts",
        "rates whose printed value carries a % sign, or is not a number", "ok",
        coercion="printed 12% → rounding interval [11.5%, 12.5%]; an unreadable printed value leaves a point interval",
        values=[v("value", 0.12), v("lo", 0.115), v("hi", 0.125), v("lo", 0.07, 1)])


# ------------------------------------------------------------------------------------------ surveys
def surveys() -> None:
    s = "survey/"
    add(s + "v01_margins_sum.csv", lines(MARGINS, "industry,internet,0.5", "industry,finance,0.3",
                                         "size,small,1", "region,east,1"),
        "survey_margins", "shares not summing to 1", "error", contains=["industry", "sum"])
    add(s + "v02_margins_percent.csv", lines(MARGINS, "industry,internet,60%", "industry,finance,40%",
                                             "size,small,100%", "region,east,1"),
        "survey_margins", "shares as percent strings", "ok", coercion="60% → 0.6",
        values=[v("share", 0.6, variable="industry", level="internet")])
    add(s + "v03_margins_negative.csv", lines(MARGINS, "industry,internet,1.2", "industry,finance,-0.2",
                                              "size,small,1", "region,east,1"),
        "survey_margins", "negative share", "error", contains=["row 3", "share"])
    add(s + "v04_margins_utf16.csv", lines(MARGINS, "industry,internet,0.6", "industry,finance,0.4",
                                           "size,small,1", "region,east,1"),
        "survey_margins", "UTF-16 margins", "ok", encoding="utf-16", values=[v("share", 0.4, level="finance")])
    add(s + "v05_respondents_missing_col.csv", lines("respondent_id,industry,size", "S1,internet,small"),
        "survey_respondents", "no region/design_weight columns", "error",
        contains=["row 1", "region", "missing required column"])
    add(s + "v06_respondents_unknown_option.csv",
        lines("respondent_id,industry,size,region,design_weight,genai_stage", "S1,internet,small,east,1,production",
              "S2,internet,small,east,1,flying"),
        "survey_respondents", "answer not among the options", "error", contains=["row 3", "genai_stage", "flying"])
    add(s + "v07_respondents_negative_weight.csv",
        lines("respondent_id,industry,size,region,design_weight,genai_stage", "S1,internet,small,east,-1,production"),
        "survey_respondents", "negative design weight", "error", contains=["row 2", "design_weight"])
    add(s + "v08_respondents_dup_id.csv",
        lines("respondent_id,industry,size,region,design_weight,genai_stage", "S1,internet,small,east,1,production",
              "S1,internet,small,east,1,production"),
        "survey_respondents", "duplicate respondent id", "error", contains=["row 3", "respondent_id"])
    add(s + "v09_respondents_zh_options.csv",
        lines("respondent_id,industry,size,region,design_weight,genai_stage", "S1,internet,small,east,1,尚未考虑"),
        "survey_respondents", "option given by its Chinese label", "ok", encoding="gbk",
        coercion="尚未考虑 → not_considering (labels matched case/width-insensitively)", rows=1)
    add(s + "v10_questionnaire_bad_type.csv",
        lines("question_id,type,horizons,question_zh,question_en,option_id,option_zh,option_en",
              "q1,pick,now,问,Q,a,甲,A"),
        "survey_questionnaire", "unknown question type", "error", contains=["row 2", "type", "pick"])
    add(s + "v11_published_unknown_question.csv",
        lines("figure,question_id,horizon,option_id,check,value", "图3,no_such_q,now,x,value,42%"),
        "survey_published", "unknown question", "error", contains=["row 2", "question_id", "no_such_q"])
    add(s + "v12_published_share_200.csv",
        lines("figure,question_id,horizon,option_id,check,value", "图3,genai_stage,now,production,value,200%"),
        "survey_published", "published share of 200%", "error", contains=["row 2", "value"])
    add(s + "v13_questionnaire_empty.csv", b"\xef\xbb\xbf", "survey_questionnaire", "UTF-8 BOM and nothing else",
        "error", contains=["no content"])


# ------------------------------------------------------------------------------------------ edition
EDITION_MIN = """schema_version: 1
id: test-ed
year: 2025
title: {zh: 测试, en: Test}
synthetic: true
"""


def editions() -> None:
    s = "edition/"
    add(s + "e01_ok_min.yaml", EDITION_MIN, "edition", "minimal edition", "ok", values=[v("id", "test-ed")])
    add(s + "e02_bad_yaml.yaml", EDITION_MIN + "inputs:\n  a: [\n", "edition", "broken YAML", "error",
        contains=["not valid YAML", "row"])
    add(s + "e03_unknown_key.yaml", EDITION_MIN + "colour: red\n", "edition", "unknown key", "error",
        contains=["colour", "Extra inputs"])
    add(s + "e04_traversal.yaml", EDITION_MIN + "inputs:\n  shipments: {path: ../../etc/passwd, kind: shipments, synthetic: false}\n",
        "edition", "input path escaping the edition folder", "error", contains=["inputs.shipments.path", "inside the edition folder"])
    add(s + "e05_absolute.yaml", EDITION_MIN + "inputs:\n  shipments: {path: /etc/passwd, kind: shipments, synthetic: false}\n",
        "edition", "absolute input path", "error", contains=["inputs.shipments.path"])
    add(s + "e06_empty.yaml", "", "edition", "empty file", "error", contains=["mapping"])
    add(s + "e07_utf16.yaml", EDITION_MIN, "edition", "edition.yaml saved as UTF-16", "ok", encoding="utf-16",
        coercion="decoded by its BOM", values=[v("title_zh", "测试")])
    add(s + "e08_gbk.yaml", EDITION_MIN, "edition", "edition.yaml saved as GBK", "ok", encoding="gbk",
        coercion="decoded as GB18030", values=[v("title_zh", "测试")])
    add(s + "e09_year_text.yaml", EDITION_MIN.replace("year: 2025", "year: 二〇二五"), "edition", "year in Chinese",
        "error", contains=["year"])
    add(s + "e10_undeclared_input.yaml", EDITION_MIN + "capacity:\n  shipments: nope\n", "edition_validate",
        "a section refers to an undeclared input", "error", contains=["nope", "not declared"])
    add(s + "e11_missing_file.yaml",
        EDITION_MIN + "inputs:\n  shipments: {path: data/none.csv, kind: shipments, synthetic: true}\n"
        "capacity:\n  shipments: shipments\n", "edition_validate", "declared input file missing", "error",
        contains=["none.csv", "not found"], named=False)
    add(s + "e12_yaml_bomb.yaml", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n", "edition",
        "YAML alias bomb (billion laughs)", "error", contains=["e12_yaml_bomb.yaml"])


# ------------------------------------------------------------------------------------------ hostile
def _book(sheets: list[tuple[str, list[list[Any]], str]]) -> bytes:
    """A workbook with several worksheets (title, rows, state: visible/hidden)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, state in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        ws.sheet_state = state
    visible = [i for i, (_, _, st) in enumerate(sheets) if st == "visible"]
    wb.active = visible[0] if visible else 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def hostile() -> None:
    """Classes of inputs found mishandled in analysts' real files: sheets, titles, encodings,
    magnitudes, names, units, YAML expansion."""
    s = "shipments/"
    hdr = SH.split(",")

    def num(r: str) -> list[Any]:
        return [int(x) if x.isdigit() else x for x in r.split(",")]

    add(s + "s41_hidden_first_sheet.xlsx",
        _book([("旧版勿用", [hdr, num(ROW.replace(",100", ",1000"))], "hidden"), ("出货", [hdr, num(ROW)], "visible")]),
        "shipments", "hidden first worksheet (an old copy marked 勿用)", "ok",
        coercion="the first visible worksheet is read; the hidden one only by name", values=[v("servers", 100.0)])
    add(s + "s42_empty_first_sheet.xlsx", _book([("封面", [], "visible"), ("出货", [hdr, num(ROW)], "visible")]),
        "shipments", "empty first worksheet, data on the second", "ok",
        coercion="an empty worksheet is passed over", values=[v("servers", 100.0)])
    add(s + "s43_title_row.csv", lines("2024年服务器出货统计（单位：台）", "", SH, ROW, ROW2), "shipments",
        "a title and a blank line above the header", "ok", coercion="title rows skipped; rows keep their lines",
        rows=2, values=[v("_line", 4), v("_line", 5, 1)])
    add(s + "s44_title_row_error.xlsx",
        _book([("Data", [["出货统计"], hdr, num(ROW), num(ROW2.replace(",40", ",-1"))], "visible")]),
        "shipments", "title row above the header; an error two rows below it", "error",
        contains=["sheet 'Data'", "row 4", "servers", "below the minimum"])
    add(s + "s45_xlsx_named_csv.csv", _book([("Sheet1", [hdr, num(ROW)], "visible")]), "shipments",
        "a workbook saved with a .csv name", "ok", coercion="read as a workbook by its content",
        values=[v("servers", 100.0)])
    add(s + "s46_mixed_utf8_gbk.csv", (lines(SH, ROW)).encode("utf-8") + lines(ROW2).encode("gbk"), "shipments",
        "UTF-8 file with a row pasted from a GBK file", "error", contains=["row 3", "mixes encodings"])
    add(s + "s47_absurd_servers.csv", lines(SH, ROW.replace(",100", ",3.2亿")), "shipments",
        "3.2亿 servers in one row", "error", contains=["row 2", "servers", "plausible maximum", "shipments.servers"])
    add(s + "s48_unknown_province.csv", lines(SH, ROW, ROW2.replace("上海,上海", "湖被,武汉")), "shipments",
        "a one-character typo of a province", "error", contains=["row 3", "province", "湖北"])
    add(s + "s49_short_forms.csv",
        lines(SH, ROW.replace("北京,北京", "内蒙,呼和浩特"), ROW2.replace("上海,上海", "内蒙古自治区,包头市")),
        "shipments", "内蒙 and 内蒙古自治区", "ok", coercion="both → 内蒙古",
        values=[v("province", "内蒙古"), v("province", "内蒙古", 1), v("city", "包头", 1)])
    add(s + "s50_unknown_city.csv", lines(SH, ROW.replace("北京,北京", "广东,深训")), "shipments",
        "a misspelt city", "error", contains=["row 2", "city", "深训", "nearest"])
    add(s + "s51_big_cell.csv", lines(SH, ROW.replace("互联网", "互联网" + "备注" * 80_000)), "shipments",
        "a 320 KB cell (over Python's 128 KB csv limit) with its quotes closed", "ok",
        coercion="read (cells up to 1 MB)", rows=1, values=[v("servers", 100.0)])
    f = "facts/"
    add(f + "m20_billion_usd.csv", lines(FACTS, "cn_ai_server_market_2024,19,十亿美元,actual,2024,,china,,"),
        "facts", "market value in 十亿美元", "ok", coercion="19 十亿美元 → 1.9e10 USD", values=[v("value", 1.9e10)])
    add(f + "m21_wan_p.csv", lines(FACTS, "cn_intelligent_compute_2024,72.53,万P,actual,2024,,china,,"), "facts",
        "compute in 万P", "ok", coercion="72.53 万P → 725.3 EFLOPS", values=[v("value", 725.3)])
    add(f + "m22_unknown_unit.csv", lines(FACTS, "cn_ai_server_market_2024,19,十亿美圆,actual,2024,,china,,"),
        "facts", "a misspelt currency unit", "error", contains=["row 2", "unit", "十亿美圆", "not a known unit"])
    add(f + "m23_absurd_market.csv", lines(FACTS, "cn_ai_server_market_2024,1000000,亿美元,actual,2024,,china,,"),
        "facts", "a market of 10^14 USD (亿 typed for 万)", "error",
        contains=["row 2", "value", "plausible maximum", "facts.market_value_usd"])
    add(f + "m24_absurd_cagr.csv", lines(FACTS, "cn_ai_server_market__cagr,4500,%,cagr,,2023-2028,china,,"),
        "facts", "a CAGR of 4500% (a fraction written as percent twice)", "error",
        contains=["row 2", "value", "facts.growth_rate"])
    add(f + "m25_shi_p.csv", lines(FACTS, "cn_intelligent_compute_2024,3,十P,actual,2024,,china,,"), "facts",
        "compute in 十P", "ok", coercion="3 十P → 0.03 EFLOPS", values=[v("value", 0.03)])
    add("inventory/i10_absurd_count.csv", lines(INV, "c1,A100 SXM4 80GB,3.2亿,,"), "inventory",
        "3.2亿 accelerators in one system", "error",
        contains=["row 2", "accelerator_count", "inventory.accelerator_count"])
    add("survey/v20_absurd_weight.csv",
        lines("respondent_id,industry,size,region,design_weight,genai_stage", "S1,internet,small,east,1,production",
              "S2,internet,small,east,3.2亿,production"),
        "survey_respondents", "a design weight of 3.2亿 for one respondent", "error",
        contains=["row 3", "design_weight", "survey.design_weight"])
    d = "demand/"
    runs = "run,field,value,unit,status,source,source_kind,confidence"
    add(d + "r01_magnitude_unit.csv", lines(runs, "r1,tokens,15.6,万亿 tokens,stated,s,company,high"),
        "demand_runs", "training tokens with 万亿 in the unit column", "ok", coercion="15.6 万亿 tokens → 1.56e13",
        values=[v("number", 15.6e12)])
    add(d + "r02_unknown_unit.csv", lines(runs, "r1,tokens,15.6,万亿 bytes,stated,s,company,high"),
        "demand_runs", "a unit that is not the field's", "error", contains=["row 2", "unit", "not a unit of tokens"])
    add(d + "r03_absurd_params.csv", lines(runs, "r1,params_total,4.05e17,parameters,stated,s,company,high"),
        "demand_runs", "10^17 parameters", "error", contains=["row 2", "value", "demand.params"])
    sh = "shipments/"
    add(sh + "s52_sheet_named_in_limits.xlsx",
        _book([("Data", [["出货统计"], hdr, num(ROW.replace(",100", ",3.2亿"))], "visible")]), "shipments",
        "an absurd value on a workbook sheet below a title", "error",
        contains=["sheet 'Data'", "row 3", "servers", "shipments.servers"])
    e = "edition/"
    add(e + "e13_bomb_untyped_field.yaml", EDITION_MIN + "markets:\n  params: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"x{i}: &a{i} [" + ", ".join(["*a" if i == 0 else f"*a{i - 1}"] * 9) + "]\n" for i in range(9)),
        "edition", "alias bomb under an untyped field", "error", contains=["YAML nodes"])


OPEN_FACTS = "table,key,name,value,unit,year,date,source,url,source_kind,quote,note"
OPEN_SRC = "2024,2025-03-01,统计公报,https://example.org/a,official_statistics,原文"
CENTRES = ("id,name,province,city,operator,announced_pflops,precision,capacity_kind,year,status,source_title,"
           "source_url,source_date,quote,source_kind,note")
ANCHORS = "id,metric,value,unit,precision,scope,as_of,date,source,url,source_kind,quote"


def opendata() -> None:
    """The open-data edition's sourced statements: magnitudes by unit, plausibility limits, real lines."""
    o = "opendata/"
    add(o + "o01_persons_in_10k_column.csv",
        lines(OPEN_FACTS, f"higher_ed_students,wuhan,武汉,1341000,10k persons,{OPEN_SRC},"), "open_facts",
        "absurd: persons written in a 10k-persons column (1.34×10^10 persons)", "error",
        contains=["row 2", "value", "open_data.persons"])
    add(o + "o02_share_over_100.csv",
        lines(OPEN_FACTS, f"rd_intensity,shenzhen,深圳,611,%,{OPEN_SRC},"), "open_facts",
        "absurd: an R&D intensity of 611 percent", "error", contains=["row 2", "value", "open_data.percent"])
    add(o + "o03_gdp_100m_cny.csv",
        lines(OPEN_FACTS, f"gdp,shanghai,上海,53926.71,100m CNY,{OPEN_SRC},",
              f"gdp,beijing,北京,4.98万,100m CNY,{OPEN_SRC},"), "open_facts",
        "GDP in 100m CNY (亿元), one written with 万", "ok", coercion="4.98万 → 49800 (100m CNY)",
        values=[v("value", 53926.71, 0), v("value", 49800.0, 1)])
    add(o + "o04_gdp_in_yuan_as_100m.csv",
        lines(OPEN_FACTS, f"gdp,shanghai,上海,5392671000000,100m CNY,{OPEN_SRC},"), "open_facts",
        "absurd: GDP in yuan written in a 100m-CNY column", "error", contains=["row 2", "open_data.value_cny"])
    add(o + "o05_not_a_number.csv",
        lines(OPEN_FACTS, f"gdp,shanghai,上海,见附表,100m CNY,{OPEN_SRC},"), "open_facts",
        "unknown: a text (见附表) in the value cell is an error, not a silent gap", "error",
        contains=["row 2", "value", "见附表"])
    add(o + "o06_title_and_blank_lines.csv",
        "开放数据 城市事实表\n\n" + lines(OPEN_FACTS, f"gdp,shanghai,上海,53926.71,100m CNY,{OPEN_SRC},",
                                    f"rd_intensity,shenzhen,深圳,611,%,{OPEN_SRC},"), "open_facts",
        "absurd share below a title row and a blank line: the file's real line", "error",
        contains=["row 5", "open_data.percent"])
    centre = "icc900,某智算中心,宁夏,中卫,,VALUE,FP16,in operation,2025,operating,报道,https://example.org/c,2025-01,原文,press,"
    add(o + "o07_centre_3_2yi_p.csv", lines(CENTRES, centre.replace("VALUE", "3.2亿")), "open_centres",
        "absurd: 3.2亿 P in one project", "error",
        contains=["row 2", "announced_pflops", "intelligent_computing_centres.announced_pflops"])
    add(o + "o08_centre_wan_p.csv", lines(CENTRES, centre.replace("VALUE", "2.4万")), "open_centres",
        "a project of 2.4万 P (tens of thousands of P are legitimate)", "ok", coercion="2.4万 → 24000 P",
        values=[v("announced_pflops", 24000.0)])
    add(o + "o09_centre_negative.csv", lines(CENTRES, centre.replace("VALUE", "-300")), "open_centres",
        "negative capacity", "error", contains=["row 2", "announced_pflops", "negative"])
    anchor = "a1,China intelligent compute,VALUE,UNIT,FP16,in use,2025-06-30,2025-08,工信部,https://example.org/n,government,原文"
    add(o + "o10_anchor_eflops_in_flops.csv",
        lines(ANCHORS, anchor.replace("VALUE", "7.88e20").replace("UNIT", "EFLOPS")), "open_anchors",
        "absurd: a national total in FLOPS under an EFLOPS unit", "error",
        contains=["row 2", "value", "open_data.compute_eflops"])
    add(o + "o11_anchor_wan_p.csv",
        lines(ANCHORS, anchor.replace("VALUE", "7.88").replace("UNIT", "万P"),
              anchor.replace("a1,", "a2,").replace("VALUE", "1085").replace("UNIT", "10k standard racks")),
        "open_anchors", "a national total in 万P and racks in 10k standard racks", "ok",
        coercion="read as written; limits by unit (7.88万P = 78.8 EFLOPS)", values=[v("value", 7.88, 0), v("value", 1085.0, 1)])


def main() -> None:
    import shutil

    if FILES.exists():
        shutil.rmtree(FILES)
    for fn in (shipments, inventories, overrides, indicators, frameworks, facts, surveys, editions, hostile,
               opendata):
        fn()
    head = ("# Malformed-input corpus: generated by make_corpus.py (edit that, not this file).\n"
            "# expect: ok → the loader returns and `values` hold (the documented `coercion`);\n"
            "# expect: error → an InputError/ConfigError whose message contains every `contains` string.\n")
    (HERE / "manifest.yaml").write_text(
        head + yaml.safe_dump({"files": ENTRIES}, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    print(f"{len(ENTRIES)} corpus entries written to {FILES}")


if __name__ == "__main__":
    main()
