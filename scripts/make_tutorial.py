"""Writes docs/tutorial.ipynb (the notebook is generated so that its cells stay reviewable as code)."""
import nbformat as nbf

nb = nbf.v4.new_notebook()
md = nbf.v4.new_markdown_cell
code = nbf.v4.new_code_cell
cells = [
md("""# suanli 教程 · suanli tutorial

**中文**：本教程在 Jupyter 中使用 suanli 的 Python 接口：打开一次构建（只读）、回答一个算力问题、调整城市指数的权重、运行不确定性分析、检查市场数据的一致性。默认版本的出货量、指标和问卷数据是**合成数据**（按 IDC 2025 报告公布的数字校准），所有结果都会标明。

**English**: this notebook walks through suanli's Python API: open a build (read-only), answer a capacity question, re-weight the city index, run an uncertainty analysis and check market figures for consistency. The default edition's shipments, indicators and survey answers are **synthetic** (calibrated to the figures IDC published), and every result says so."""),
md("""## 1. 打开一次构建 · Open a build

`suanli.open_build(path)` 只读打开 `suanli build` 的输出目录：不写任何文件，也不占用写锁（`suanli serve` 可以同时读取）。如果还没有构建，这里用 `suanli.build()` 构建默认版本（为节省时间，不生成报告文件）。

`suanli.open_build(path)` opens the output folder of `suanli build` read-only: it writes nothing and takes no write lock (so `suanli serve` can read the same folder). If there is no build yet, `suanli.build()` makes one here (without the report files, to save time)."""),
code("""from pathlib import Path

import suanli

if Path("out/lineage.json").is_file():
    b = suanli.open_build("out")
else:
    ed = suanli.load_edition()          # the bundled 2025 edition
    ed.outputs.report = False           # tables only: the report files are not needed here
    ed.outputs.capacity_page = False
    b = suanli.build(ed, out="tutorial-out")
b"""),
code("""b.tables[:12]"""),
md("""## 2. 一个算力问题 · A capacity question

**中文**：2025 年中国智能算力（FP16 等效）是多少？国产加速卡占多少？每个表都带有单位和来源（`DataFrame.attrs`）。

**English**: how much intelligent compute (FP16-equivalent) did China have in 2025, and what share is domestic? Every table carries its units and provenance in `DataFrame.attrs`."""),
code("""nat = b.table("capacity_national")
print(nat.attrs["units"])
print("stage:", nat.attrs["provenance"]["stage"], "| synthetic inputs:", nat.attrs["provenance"]["synthetic"])
nat[["year", "intelligent_eflops", "general_eflops"]]"""),
code("""origin = b.table("capacity_by_origin")
y = origin["year"].max()
last = origin[origin["year"] == y].set_index("origin")["intelligent_eflops"]
share = last.get("domestic", 0.0) / last.sum()
print(f"{y}: domestic accelerators carry {share:.1%} of intelligent compute (synthetic shipments)")"""),
md("""## 3. 调整城市指数的权重 · Re-weight the city index

**中文**：用版本中声明的框架和数据重建城市指数，然后把"人工智能投资规模"的权重加倍，比较两次排名（与 COINr 的 `compare_coins` 相同）。

**English**: rebuild the city index from the edition's framework and data, double the weight of AI investment scale, and compare the two rankings (as COINr's `compare_coins`)."""),
code("""from suanli.index import build, compare, framework_spec, load_framework, read_data
from suanli.index.comparison import summary

ed = suanli.load_edition()
fw = load_framework(ed.input_path("index_city_framework"))
panel = read_data(ed.input_path("index_city_indicators"), fw)
year = panel.year_list()[-1]
base = build(framework_spec(fw), panel[year], previous=panel.previous(year))
base"""),
code("""w0 = base.weights_dict()["investment_scale"]
spec = base.spec.with_step({"step": "weight", "method": "given", "params": {"weights": {"investment_scale": 2 * w0}}},
                           before="aggregate")
reweighted = build(spec, panel[year], previous=panel.previous(year))
diff = compare(base, reweighted, labels=("as_built", "investment_x2"))
print(summary(diff))
diff.head(10)"""),
md("""## 4. 排名的不确定性 · How solid are the ranks?

**中文**：在权重（±25%）和归一化方法之间做蒙特卡洛抽样，得到每个城市排名的 5%–95% 区间。这里只抽 300 次以便快速运行；构建时使用版本中声明的抽样次数。

**English**: Monte Carlo over the weights (±25%) and the normalisation method gives each city's 5–95% rank interval. 300 samples here to keep the notebook fast; a build uses the samples the edition declares."""),
code("""from suanli.index.uncertainty import run_uncertainty

uspec = {"samples": 300, "seed": 1, "inputs": [
    {"kind": "weights", "levels": [2], "spread": 0.25},
    {"kind": "normalise", "alternatives": [
        {"method": "minmax", "params": {"l_u": [1, 100]}, "label": "min-max 1-100"},
        {"method": "zscore", "params": {"m_sd": [10, 2]}, "label": "z-score 10±2"}]},
]}
unc = run_uncertainty(uspec, panel[year], base.spec)
unc.rank_intervals().head(10)"""),
md("""## 5. 市场数据一致性检查 · Check the published market figures

**中文**：把报告中的每一个数字放在一起检查：增长率与水平值、份额之和、文字中的"两倍""翻番"等。结论为 PASS/APPROX/INFO/WARN/FAIL。

**English**: every figure of the report text checked against the others: growth rates against levels, shares against totals, verbal quantities such as 两倍 (twice) and 翻番 (doubled). Verdicts PASS/APPROX/INFO/WARN/FAIL."""),
code("""from suanli.markets.factcheck import check_facts

run = check_facts(ed.input_path("market_facts"), ed.markets, previous=ed.input_path("market_facts_external"))
print(run.counts())
run.findings[run.findings["verdict"].isin(["WARN", "FAIL"])][["check_id", "verdict", "title"]].head()"""),
]
nb["cells"] = cells
nb["metadata"] = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                  "language_info": {"name": "python"}}
nbf.write(nb, str(__import__("pathlib").Path(__file__).resolve().parents[1] / "docs" / "tutorial.ipynb"))
