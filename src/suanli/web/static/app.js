/* suanli dashboard. Every data string reaches the page through textContent (never innerHTML);
   chart labels are entity-escaped for plotly. Scores always come from the server's engine. */
"use strict";

const BOOT = JSON.parse(document.body.dataset.boot || "{}");
const T = {
  zh: {
    nav_overview: "概览", nav_industries: "行业", nav_cities: "城市", nav_compare: "对比", nav_methodology: "方法",
    synthetic_banner: "本版本含合成数据：所有数值仅用于演示方法，不是实测值。",
    overview: "概览", capacity: "全国算力规模", intelligent: "智能算力 (EFLOPS, FP16)", general: "通用算力 (EFLOPS, FP64)",
    vs_published: "与已发布数值对比", year: "年份", metric: "指标", computed: "计算值", published: "发布值", rel_diff: "相对差",
    provinces: "各省智能算力（最新年份，前15）", markets: "市场", series: "序列", top10: "前十名",
    no_build: "未找到构建结果中的算力与市场表（请先运行 suanli build 并以构建目录启动）。",
    weights: "权重", normalisation: "标准化方法", aggregation: "汇总方法", reset: "恢复默认", share: "分享链接",
    copy: "复制", copied: "已复制", download_csv: "下载 CSV", download_xlsx: "下载 XLSX", rank: "排名",
    change: "变化", name: "名称", group: "分组", score: "得分", base_rank: "原排名", as_built: "（默认）",
    compare: "对比", compare_two: "两个单位对比", unit_a: "单位 A", unit_b: "单位 B", difference: "差值",
    profile: "概况", strengths: "优势指标", weaknesses: "劣势指标", contributions: "各指标对总分的贡献",
    indicator: "指标", value: "标准化值", raw: "原始值", weight_in_index: "总权重", contribution: "贡献",
    rank_interval: "排名不确定区间", median_rank: "中位排名", nominal_rank: "名义排名", p_top10: "进入前十概率",
    no_interval: "本构建没有排名区间表（不确定性分析未运行）。", dims: "各维度得分", median: "中位数",
    node: "节点", level: "层级", direction: "方向", unit: "单位", effective_weight: "有效权重",
    method_steps: "方法步骤", tables: "结果表", synthetic: "合成", edition: "版本", code_version: "代码版本",
    methods_offered: "可选方法", back_to_ranking: "返回排名", of: "共", units: "个单位",
    exact: "精确分解（算术平均）", approx: "近似分解（非加性汇总）", rescore_ms: "重新计分耗时",
    token_title: "需要访问令牌", token_help: "此仪表板绑定在非本机地址，请输入 suanli serve 打印的令牌。", token_go: "进入",
    custom: "自定义设置", description: "说明", notes: "备注", assessments: "评估", sources: "数据来源",
    bad_param: "链接参数无效：", unknown_node: "没有这个维度或子维度，已忽略", weight_range: "权重须在 0–1 之间，已截断",
    not_number: "不是数字，已忽略", choose_from: "可选：", url_warning: "链接中有无法使用的设置，已改用默认值：",
    eff_help: "滑块为同级相对权重；右侧为占总指数的有效权重。", compat_fail: "此标准化与汇总方法组合无法计算所有单位。",
    works_with: "可用的标准化：", not_offered: "未提供的方法及原因", rescore_failed: "重新计分失败，表格显示的是上一次成功的设置：",
    restored: "已恢复上一次成功的设置。", interval_as_built: "排名区间（按构建设置）", interval_note_built: "排名区间（5%–95%）来自构建时的不确定性分析，适用于当前（默认）设置。",
    interval_note_differs: "当前设置与构建不同：排名区间（灰色）仍是按构建设置计算的，仅供参考。", settings_differ: "设置已更改",
    correlations: "各指标与总指数的相关系数（当前权重）", scenario_name: "情景名称", save_scenario: "保存情景", scenario: "情景",
    saved: "已保存", nav_scenarios: "情景", nav_tables: "数据表", nav_years: "年度对比", nav_report: "报告", search: "搜索…",
    download: "下载", rows: "行", scenarios_title: "已保存的情景（保存在本浏览器）", open: "打开", delete: "删除", yaml: "导出 YAML",
    compare_scenarios: "对比两个情景", no_scenarios: "尚未保存情景。在排名页调整权重后点击“保存情景”。", rank_diff: "排名差",
    previous_year: "上一年", move: "名次变化",
    years_legend: "空心点 = 上一年排名，实心点 = 本年排名；绿色 = 上升，红色 = 下降，灰色 = 不变。两年均为构建时的设置。",
    years_synthetic: "排名由合成数据计算（合成）。", table_browser: "构建结果表", choose_table: "选择表",
    nav_capacity: "算力", nav_markets: "市场", nav_survey: "调查", nav_sensitivity: "敏感性", nav_demand: "算力需求", nav_energy: "能耗",
    fw_note_en: "框架说明（原文为英文）：", list_sep: "、", table_col: "数据表",
    cells_as_stored: "单元格按构建中存储的原样显示（代码与名称已按本页语言显示）。", engine_reason: "引擎给出的原因（英文）：", method_sentences: "方法（逐步说明）",
    gloss_positive: "几何/调和平均要求所有标准化值大于 0；最小-最大 0–100 会产生 0。请改用“最小-最大 1–100”或“Z 分数 10±2”，或改用算术平均。",
    gloss_unscored: "这一方法组合没有为任何单位计分。", gloss_weights: "同一组的权重不能全部为 0。",
    gloss_unknown: "链接或请求中有本评估没有的方法或节点。",
  },
  en: {
    nav_overview: "Overview", nav_industries: "Industries", nav_cities: "Cities", nav_compare: "Compare", nav_methodology: "Methodology",
    synthetic_banner: "This edition contains synthetic data: values illustrate the methods and are not measurements.",
    overview: "Overview", capacity: "National computing capacity", intelligent: "Intelligent (EFLOPS, FP16)", general: "General (EFLOPS, FP64)",
    vs_published: "Against published figures", year: "Year", metric: "Metric", computed: "Computed", published: "Published", rel_diff: "Rel. diff",
    provinces: "Intelligent capacity by province (latest year, top 15)", markets: "Markets", series: "Series", top10: "Top ten",
    no_build: "No capacity or market tables (run 'suanli build' and serve the build folder).",
    weights: "Weights", normalisation: "Normalisation", aggregation: "Aggregation", reset: "Reset", share: "Share link",
    copy: "Copy", copied: "Copied", download_csv: "Download CSV", download_xlsx: "Download XLSX", rank: "Rank",
    change: "Change", name: "Name", group: "Group", score: "Score", base_rank: "Base rank", as_built: " (default)",
    compare: "Compare", compare_two: "Compare two units", unit_a: "Unit A", unit_b: "Unit B", difference: "Difference",
    profile: "Profile", strengths: "Strengths", weaknesses: "Weaknesses", contributions: "Contribution of each indicator to the score",
    indicator: "Indicator", value: "Normalised", raw: "Raw", weight_in_index: "Weight in index", contribution: "Contribution",
    rank_interval: "Rank interval", median_rank: "Median rank", nominal_rank: "Nominal rank", p_top10: "P(top 10)",
    no_interval: "This build has no rank-interval table (no uncertainty analysis).", dims: "Scores by dimension", median: "Median",
    node: "Node", level: "Level", direction: "Direction", unit: "Unit", effective_weight: "Effective weight",
    method_steps: "Method steps", tables: "Result tables", synthetic: "synthetic", edition: "Edition", code_version: "Code version",
    methods_offered: "Methods offered", back_to_ranking: "Back to the ranking", of: "of", units: "units",
    exact: "exact decomposition (arithmetic mean)", approx: "approximate decomposition (non-additive aggregation)", rescore_ms: "Re-score time",
    token_title: "Access token needed", token_help: "This dashboard is bound to a non-loopback address; enter the token printed by suanli serve.", token_go: "Enter",
    custom: "custom settings", description: "Description", notes: "Notes", assessments: "Assessments", sources: "Sources",
    bad_param: "Invalid link parameter", unknown_node: "no such dimension or sub-dimension; ignored", weight_range: "weights must be 0–1; clipped",
    not_number: "not a number; ignored", choose_from: "choose one of", url_warning: "The link holds settings this page cannot use; it falls back to the defaults:",
    eff_help: "Sliders set weights relative to siblings; the share of the whole index is shown on the right.", compat_fail: "This normalisation and aggregation cannot score every unit.",
    works_with: "It works with:", not_offered: "Methods not offered, and why", rescore_failed: "Re-scoring failed; the table shows the last settings that worked:",
    restored: "The last settings that worked are restored.", interval_as_built: "Rank interval (as built)", interval_note_built: "Rank intervals (5th–95th percentile) come from the build's uncertainty analysis and apply to these (default) settings.",
    interval_note_differs: "Settings differ from the build: the rank intervals (greyed) are still the as-built ones, for reference only.", settings_differ: "settings differ",
    correlations: "Correlation of each indicator with the index (current weights)", scenario_name: "Scenario name", save_scenario: "Save scenario", scenario: "Scenario",
    saved: "Saved", nav_scenarios: "Scenarios", nav_tables: "Tables", nav_years: "Years", nav_report: "Report", search: "Search…",
    download: "Download", rows: "rows", scenarios_title: "Saved scenarios (kept in this browser)", open: "Open", delete: "Delete", yaml: "Export YAML",
    compare_scenarios: "Compare two scenarios", no_scenarios: "No saved scenarios yet. Re-weight on a ranking page and press “Save scenario”.", rank_diff: "Rank difference",
    previous_year: "Previous year", move: "Move",
    years_legend: "Open marker = rank in the previous year, filled = this year; green = moved up, red = moved down, grey = unchanged. Both years as built.",
    years_synthetic: "Ranks computed from synthetic data (synthetic).", table_browser: "Build tables", choose_table: "Table",
    nav_capacity: "Capacity", nav_markets: "Markets", nav_survey: "Survey", nav_sensitivity: "Sensitivity", nav_demand: "Demand", nav_energy: "Energy",
    fw_note_en: "", list_sep: ", ", table_col: "Table",
    cells_as_stored: "Cells are shown as the build stores them (keys with a known name are shown by that name).", engine_reason: "Engine's reason:", method_sentences: "Method, step by step",
    gloss_positive: "Geometric and harmonic means need every normalised value above 0; min-max 0–100 gives zeros. Choose min-max 1–100 or z-score 10±2, or the arithmetic mean.",
    gloss_unscored: "This combination of methods scores no unit.", gloss_weights: "The weights of one group cannot all be 0.",
    gloss_unknown: "The request names a method or node this assessment does not have.",
  },
};

const params = new URLSearchParams(location.search);
const state = {
  lang: params.get("lang") === "en" || (params.get("lang") !== "zh" && localStorage.getItem("suanli.lang") === "en") ? "en" : "zh",
  meta: null,
  info: {},        // assessment name → AssessmentInfo
  seq: 0,
};
let token = sessionStorage.getItem("suanli.token") || "";
const hashToken = /(?:^#|&)token=([^&]+)/.exec(location.hash);
if (hashToken) { token = decodeURIComponent(hashToken[1]); sessionStorage.setItem("suanli.token", token); history.replaceState(null, "", location.pathname + location.search); }

const t = (k) => (T[state.lang][k] ?? k);
const $ = (sel) => document.querySelector(sel);

/* element builder: strings become text nodes, never markup */
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") e.textContent = String(v);
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    e.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return e;
}
/* plotly renders a few tags and entities in labels; escape so data stays text */
const pesc = (s) => String(s ?? "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const fmt = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x)) ? "—" : Number(x).toFixed(d);
/* a name from /api/names in the page's language (the key itself when the catalogue has none) */
const nm = (kind, key) => { const d = (state.names || {})[kind] || {}; const v = d[key]; return v ? v[state.lang] : (key ?? ""); };
const STAGE_VIEWS = {};
/* text shown as stored (ids, cited sources, stored table cells): marked data-raw so the language
   check knows it is data, not page text that should have been translated */
const raw = (s) => el("span", { "data-raw": "", text: s === null || s === undefined || s === "" ? "—" : String(s) });
/* an English original the edition wrote itself (a check's own title with no Chinese), labelled and marked data-orig */
const enOriginal = (s) => s ? el("span", { class: "muted small orig", "data-raw": "", "data-orig": "", lang: "en", text: (state.lang === "zh" ? "原文：" : "") + s }) : null;
/* a source as cited (publisher, title, date): kept in its own language, marked data-quote */
const cite = (s) => el("cite", { "data-raw": "", "data-quote": "", text: s === null || s === undefined || s === "" ? "—" : String(s) });
/* a note of the build in the page's language: its Chinese (the stage's *_zh or the dashboard's
   template translation) on a Chinese page; the English as stored when there is none */
const noteIn = (en, zh) => state.lang === "zh" && zh ? el("span", {}, zh.split(/⟦([^⟧]*)⟧/).map((part, i) => i % 2 ? cite(part) : part)) : (en ? raw(en) : "—");
/* notes of the server in the page's language */
const notesOf = (o) => (o.notes_i18n && o.notes_i18n.length ? o.notes_i18n.map((n) => n[state.lang]) : o.notes);
/* a build table's description in the page's language (the English one, marked, when no Chinese is known) */
const tableDesc = (x) => state.lang === "zh" ? (x.description_zh || (x.description ? raw(x.description) : "")) : (x.description_en || x.description);
/* an English label without the Chinese original some names carry in brackets ("C500 (曦云C500)") */
const enOnly = (s) => state.lang === "zh" ? s : (String(s ?? "").replace(/\s*[（(][^)）]*[\u3400-\u9fff][^)）]*[)）]/g, "").trim() || s);
/* a generated English sentence that quotes the source ('六倍', '微软360 Copilot'): the quotes are the
   source's own words (data), the rest is the page's language; "图13" is Figure 13 */
const quoting = (s) => el("span", {}, String(s ?? "").replace(/图\s*(\d+)/g, "Figure $1").split(/('[^']*')/).map((part, i) => i % 2 ? raw(part) : part));
/* the engine speaks English: a one-line explanation in the page's language goes before its reason */
function gloss(msg) {
  const m = String(msg);
  if (/is not positive|is zero \(normalise to a positive range/.test(m)) return t("gloss_positive");
  if (/scored no unit|leaves every unit without a score|no unit was scored/.test(m)) return t("gloss_unscored");
  if (/weights? .*(all|every).*(zero|0)|sum to 0|all-zero/i.test(m)) return t("gloss_weights");
  if (/^unknown (normalisation|aggregation)|unknown node ids/.test(m)) return t("gloss_unknown");
  return "";
}      // capacity, markets, survey, sensitivity: filled by views.js
const nodeName = (n) => state.lang === "zh" ? n.name_zh : n.name_en;
const unitName = (r) => state.lang === "zh" ? r.unit_name : (r.unit_name_en || enName(r.unit_name));
/* English name of a place or industry known only by its Chinese name (unit and compare pages) */
const enName = (zh) => state.lang === "zh" ? zh : [nm("city", zh), nm("province", zh), nm("industry", zh)].find((x) => x !== zh) || zh;
const loadScenarios = () => { try { const v = JSON.parse(localStorage.getItem("suanli.scenarios") || "[]"); return Array.isArray(v) ? v : []; } catch (_) { return []; } };

function showError(msg) {
  const box = $("#error");
  box.textContent = msg;
  box.hidden = !msg;
  if (msg) setTimeout(() => { if (box.textContent === msg) box.hidden = true; }, 8000);
}

async function api(path, body, { raw = false } = {}) {
  const opts = { method: body === undefined ? "GET" : "POST", headers: {} };
  if (token) opts.headers["X-Suanli-Token"] = token;
  if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
  const r = await fetch(path, opts);
  if (r.status === 401) { sessionStorage.removeItem("suanli.token"); token = ""; askToken(); throw new Error("token"); }
  if (!r.ok) {
    let msg = `${r.status}`;
    try { msg = (await r.json()).detail || msg; } catch (_) { /* not JSON */ }
    throw new Error(msg);
  }
  return raw ? r : r.json();
}

function askToken() {
  const main = $("#main");
  main.replaceChildren(el("div", { class: "panel tokenbox" },
    el("h1", { text: t("token_title") }), el("p", { class: "muted", text: t("token_help") }),
    el("form", { id: "token-form", onsubmit: (ev) => { ev.preventDefault(); token = $("#token-input").value.trim(); sessionStorage.setItem("suanli.token", token); route(); } },
      el("input", { id: "token-input", type: "password", autocomplete: "off", size: 36 }), " ",
      el("button", { class: "primary", type: "submit", text: t("token_go") }))));
  document.body.dataset.busy = "0";
}

/* ---------------------------------------------------------------- settings in the URL */
function readSettings() {
  const p = new URLSearchParams(location.search);
  const weights = {};
  const badWeights = [];
  for (const part of (p.get("w") || "").split(",")) {
    if (!part) continue;
    const [k, v] = part.split(":");
    if (k && v !== undefined && v !== "" && Number.isFinite(Number(v))) weights[k] = Number(v);
    else badWeights.push(part);
  }
  const out = { weights, normalisation: p.get("norm") || null, aggregation: p.get("agg") || null };
  Object.defineProperty(out, "badWeights", { value: badWeights, enumerable: false });   // never sent to the API
  return out;
}
function settingsQuery(s) {
  const p = new URLSearchParams();
  const w = Object.entries(s.weights).map(([k, v]) => `${k}:${+Number(v).toFixed(4)}`).join(",");
  if (w) p.set("w", w);
  if (s.normalisation) p.set("norm", s.normalisation);
  if (s.aggregation) p.set("agg", s.aggregation);
  return p;
}
function settingsKey(s) { return settingsQuery(s).toString(); }
function setUrl(extra) {
  const p = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(extra)) { if (v === null || v === undefined || v === "") p.delete(k); else p.set(k, v); }
  const q = p.toString();
  history.replaceState(null, "", location.pathname + (q ? "?" + q : ""));
}
function applySettingsToUrl(s) {
  const q = settingsQuery(s);
  setUrl({ w: q.get("w"), norm: q.get("norm"), agg: q.get("agg") });
}
function linkWithSettings(path, extra = {}) {
  const p = new URLSearchParams(location.search);
  for (const k of [...p.keys()]) if (!["w", "norm", "agg", "lang"].includes(k)) p.delete(k);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  const q = p.toString();
  return path + (q ? "?" + q : "");
}

/* ---------------------------------------------------------------- routing */
function parseRoute() {
  const path = location.pathname.replace(/\/+$/, "") || "/";
  let m;
  if (path === "/") return { view: "overview" };
  if (path === "/cities") return { view: "ranking", name: "city" };
  if (path === "/industries") return { view: "ranking", name: "industry" };
  if (path === "/compare") return { view: "compare" };
  if (path === "/methodology") return { view: "methodology" };
  if (path === "/tables") return { view: "tables" };
  if (path === "/scenarios") return { view: "scenarios" };
  if (path === "/years") return { view: "years" };
  if (["/capacity", "/markets", "/survey", "/sensitivity"].includes(path)) return { view: "stage", page: path.slice(1) };
  if ((m = /^\/a\/([a-z0-9_]+)$/.exec(path))) return { view: "ranking", name: m[1] };
  if ((m = /^\/a\/([a-z0-9_]+)\/unit\/([^/]+)$/.exec(path))) return { view: "unit", name: m[1], unit: decodeURIComponent(m[2]) };
  if ((m = /^\/(city|industry)\/([^/]+)$/.exec(path))) return { view: "unit", name: m[1], unit: decodeURIComponent(m[2]) };
  return { view: "overview" };
}
const rankingPath = (name) => name === "city" ? "/cities" : name === "industry" ? "/industries" : `/a/${name}`;
const unitPath = (name, id) => (name === "city" || name === "industry") ? `/${name}/${encodeURIComponent(id)}` : `/a/${name}/unit/${encodeURIComponent(id)}`;

function translateStatic() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.body.dataset.lang = state.lang;
  for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
  $("#lang").textContent = state.lang === "zh" ? "EN" : "中文";
  if (state.meta) {
    $("#edition-title").textContent = state.lang === "zh" ? state.meta.title_zh : state.meta.title_en;
    document.title = "suanli · " + (state.lang === "zh" ? state.meta.title_zh : state.meta.title_en);
  }
  /* pages of stages this build ran (demand, energy) are linked only when their tables are there */
  if (state.meta) for (const a of document.querySelectorAll("#nav a[data-needs]")) a.hidden = !state.meta.tables.some((n) => n.startsWith(a.dataset.needs));
  const cur = location.pathname;
  for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("active", a.dataset.nav === cur);
}

async function methodology(name) {
  state.md ||= {};
  if (!state.md[name]) state.md[name] = await api(`/api/methodology/${encodeURIComponent(name)}`);
  return state.md[name];
}
async function info(name) {
  if (!state.info[name]) state.info[name] = await api(`/api/assessments/${encodeURIComponent(name)}`);
  return state.info[name];
}

async function route() {
  document.body.dataset.busy = "1";
  if (BOOT.tokenRequired && !token) { askToken(); return; }
  try {
    if (!state.meta) [state.meta, state.names] = await Promise.all([api("/api/meta"), api("/api/names")]);
    translateStatic();
    const r = parseRoute();
    const main = $("#main");
    if (r.view === "overview") await viewOverview(main);
    else if (r.view === "ranking") await viewRanking(main, r.name);
    else if (r.view === "unit") await viewUnit(main, r.name, r.unit);
    else if (r.view === "compare") await viewCompare(main);
    else if (r.view === "methodology") await viewMethodology(main);
    else if (r.view === "tables") await viewTables(main, r.preset);
    else if (r.view === "stage") await STAGE_VIEWS[r.page](main);
    else if (r.view === "scenarios") await viewScenarios(main);
    else if (r.view === "years") await viewYears(main);
    document.body.dataset.view = r.view;
  } catch (e) {
    if (e.message !== "token") { $("#main").replaceChildren(el("p", { class: "error-inline", text: String(e.message) })); }
  } finally {
    if (!(BOOT.tokenRequired && !token)) document.body.dataset.busy = "0";
  }
}

$("#lang").addEventListener("click", () => {
  state.lang = state.lang === "zh" ? "en" : "zh";
  localStorage.setItem("suanli.lang", state.lang);
  setUrl({ lang: state.lang });
  route();
});

/* ---------------------------------------------------------------- small widgets */
/* a table whose headers sort (click again to reverse) and, for longer tables, a search box that
   filters rows by their text; cells are built with textContent only */
const cellVal = (c, r) => { const v = c.sortKey ? c.sortKey(r) : c.get(r); return v instanceof Node ? v.textContent : v; };
/* rows ordered by column c (dir 1 or -1): numbers as numbers (▲/▼, %, thousands separators
   understood), the rest as text in the page's language, empty cells last */
function sortRows(rows, c, dir) {
  const num = (x) => (x === null || x === undefined || x === "—" || x === "") ? null : (typeof x === "number" ? x : (Number.isFinite(Number(String(x).replace(/[%▲▼,]/g, ""))) ? Number(String(x).replace(/[%▲,]/g, "").replace("▼", "-")) : null));
  const keyed = rows.map((r) => { const v = cellVal(c, r); return [r, v, num(v)]; });
  keyed.sort(([, x, nx], [, y, ny]) => {
    if (nx === null && ny === null) return dir * String(x ?? "").localeCompare(String(y ?? ""), state.lang === "zh" ? "zh-CN" : "en");
    if (nx === null) return 1; if (ny === null) return -1;
    return dir * (nx - ny);
  });
  return keyed.map(([r]) => r);
}
function table(columns, rows, { id, search } = {}) {
  let order = rows.slice();
  let sortCol = -1, dir = 1;
  const tbody = el("tbody");
  const fill = () => tbody.replaceChildren(...order.map((r) => el("tr", { dataset: r._data || {} },
    columns.map((c) => { const v = c.get(r); return el("td", { class: (c.t ? "t " : "") + (c.cls ? c.cls(r) : "") }, v instanceof Node ? v : (v ?? "—")); }))));
  const ths = columns.map((c, i) => el("th", { class: (c.t ? "t " : "") + "sortable", tabindex: 0, "aria-sort": "none", text: c.label,
    onclick: () => sortBy(i), onkeydown: (ev) => { if (ev.key === "Enter") sortBy(i); } }));
  function sortBy(i) {
    dir = sortCol === i ? -dir : 1; sortCol = i;
    order = sortRows(order, columns[i], dir);
    ths.forEach((th, k) => th.setAttribute("aria-sort", k === i ? (dir > 0 ? "ascending" : "descending") : "none"));
    fill(); filter();
  }
  const box = (search ?? rows.length > 12) ? el("input", { type: "search", class: "tsearch", placeholder: t("search"), "aria-label": t("search"), id: id ? `${id}-search` : null }) : null;
  function filter() {
    if (!box) return;
    const q = box.value.trim().toLowerCase();
    for (const tr of tbody.children) tr.hidden = q !== "" && !tr.textContent.toLowerCase().includes(q);
  }
  if (box) box.addEventListener("input", filter);
  fill();
  return el("div", { class: "tbl" }, box, el("div", { class: "tablewrap" }, el("table", { class: "data", id }, el("thead", {}, el("tr", {}, ths)), tbody)));
}
/* The same table (sortable, searchable, cells as text or built nodes) for data that is replaced
   many times a second (the ranking under a moving slider). The rows and cells stay in the page:
   update(rows, columns) writes only the cells whose text, class or node changed, row by row in
   the current order, so the browser re-lays out and repaints a few text nodes instead of
   rebuilding thousands of elements. A header click sorts until the next click; the search box
   keeps the rows whose text contains it.
   A table of more than WINDOW_MIN rows is windowed: only the rows in its scroll box (and
   OVERSCAN rows either side) are in the page, between two spacer rows as tall as the rows left
   out, so a re-score lays out and paints a screenful of rows, not all of them; scrolling the
   box brings the next rows in. The table says so (data-windowed, data-rows = rows matching). */
const WINDOW_MIN = 120, OVERSCAN = 12;
function liveTable({ id, search } = {}) {
  let cols = [], data = [], shown = [], sortCol = -1, dir = 1;
  let rowH = 0, headH = 0, viewH = 0, top = 0, frame = 0, windowed = false;
  const headRow = el("tr");
  const tbody = el("tbody");
  const tableEl = el("table", { class: "data", id }, el("thead", {}, headRow), tbody);
  const wrap = el("div", { class: "tablewrap" }, tableEl);
  const pad = () => { const td = el("td", { class: "pad" }); return el("tr", { class: "pad", "aria-hidden": "true" }, td); };
  const topPad = pad(), botPad = pad();
  const box = search ? el("input", { type: "search", class: "tsearch", placeholder: t("search"), "aria-label": t("search"), id: id ? `${id}-search` : null }) : null;
  const text = (c, r) => { const v = c.get(r); return v instanceof Node ? v.textContent : String(v ?? "—"); };
  if (box) box.addEventListener("input", () => paint());
  wrap.addEventListener("scroll", () => {
    top = wrap.scrollTop;
    if (windowed && !frame) frame = requestAnimationFrame(() => { frame = 0; rows(); });
  }, { passive: true });
  const sortBy = (i) => { dir = sortCol === i ? -dir : 1; sortCol = i; paint(); };
  function header() {
    while (headRow.children.length < cols.length) {
      const i = headRow.children.length;
      headRow.append(el("th", { class: "sortable", tabindex: 0, "aria-sort": "none", onclick: () => sortBy(i), onkeydown: (ev) => { if (ev.key === "Enter") sortBy(i); } }));
    }
    while (headRow.children.length > cols.length) headRow.lastChild.remove();
    cols.forEach((c, i) => {
      const th = headRow.children[i];
      const cls = (c.t ? "t " : "") + "sortable";
      if (th.className !== cls) th.className = cls;
      if (th.textContent !== c.label) th.textContent = c.label;
      const sort = i === sortCol ? (dir > 0 ? "ascending" : "descending") : "none";
      if (th.getAttribute("aria-sort") !== sort) th.setAttribute("aria-sort", sort);
    });
  }
  function setCell(td, c, r) {
    const cls = (c.t ? "t " : "") + (c.cls ? c.cls(r) : "");
    if (td.className !== cls) td.className = cls;
    const v = c.get(r);
    if (v instanceof Node) {
      const old = td.firstChild;
      if (!(old && td.childNodes.length === 1 && old.isEqualNode(v))) td.replaceChildren(v);
      td._v = undefined;
    } else {
      const s = String(v ?? "—");
      if (td._v !== s) { td.textContent = s; td._v = s; }
    }
  }
  function setRow(tr, r) {
    while (tr.children.length < cols.length) tr.append(el("td"));
    while (tr.children.length > cols.length) tr.lastChild.remove();
    const ds = r._data || {};
    for (const k in ds) { const v = String(ds[k]); if (tr.dataset[k] !== v) tr.dataset[k] = v; }
    for (let j = 0; j < cols.length; j++) setCell(tr.children[j], cols[j], r);
  }
  /* the rows of shown[first, last) in the page, reusing the row elements already there */
  function rows() {
    let first = 0, last = shown.length;
    if (windowed) {
      const h = rowH || 28;
      const n = Math.ceil((viewH || 640) / h) + 2 * OVERSCAN;
      first = Math.min(Math.max(0, Math.floor((top - headH) / h) - OVERSCAN), Math.max(0, shown.length - n));
      last = Math.min(shown.length, first + n);
      topPad.firstChild.style.height = `${first * h}px`;
      botPad.firstChild.style.height = `${(shown.length - last) * h}px`;
      topPad.firstChild.colSpan = botPad.firstChild.colSpan = Math.max(1, cols.length);
      if (tbody.firstChild !== topPad) tbody.prepend(topPad);
      if (tbody.lastChild !== botPad) tbody.append(botPad);
    } else {
      topPad.remove(); botPad.remove();
    }
    const want = last - first;
    const body = [...tbody.children].filter((tr) => !tr.classList.contains("pad"));
    for (let i = body.length; i < want; i++) { const tr = el("tr"); botPad.isConnected ? tbody.insertBefore(tr, botPad) : tbody.append(tr); body.push(tr); }
    for (let i = want; i < body.length; i++) body[i].remove();
    for (let i = 0; i < want; i++) setRow(body[i], shown[first + i]);
    if (windowed && !rowH && want > 1) {      /* measured once: every row is one line (no wrapping) */
      rowH = body[1].getBoundingClientRect().height || 0;
      headH = headRow.getBoundingClientRect().height || 0;
      viewH = wrap.clientHeight;
      if (rowH) rows();
    }
  }
  function paint() {
    header();
    let list = sortCol >= 0 && sortCol < cols.length ? sortRows(data, cols[sortCol], dir) : data;
    const q = box ? box.value.trim().toLowerCase() : "";
    if (q) list = list.filter((r) => cols.some((c) => text(c, r).toLowerCase().includes(q)));
    shown = list;
    windowed = shown.length > WINDOW_MIN;
    tableEl.dataset.windowed = windowed ? "1" : "0";
    tableEl.dataset.rows = String(shown.length);
    rows();
  }
  if ("ResizeObserver" in window) new ResizeObserver(() => { const h = wrap.clientHeight; if (h && h !== viewH) { viewH = h; if (windowed) rows(); } }).observe(wrap);
  const node = el("div", { class: "tbl" }, box, wrap);
  return { node, update(rowsIn, columns) { data = rowsIn; cols = columns; paint(); } };
}
/* Charts marked data-lazy (the ranking page's, below a table that re-renders on every slider
   step) are drawn only when on screen or within 200 px of it; an off-screen chart keeps its newest
   data and is drawn when it scrolls into view, so a re-score never pays for charts nobody sees. */
const lazyPending = new WeakMap();
const lazyIO = "IntersectionObserver" in window ? new IntersectionObserver((entries) => {
  for (const e of entries) {
    e.target.dataset.onscreen = e.isIntersecting ? "1" : "0";
    const args = e.isIntersecting && lazyPending.get(e.target);
    if (args) { lazyPending.delete(e.target); drawPlot(...args); }
  }
}, { rootMargin: "200px" }) : null;
function plot(div, data, layout) {
  if (lazyIO && div.dataset.lazy) {
    if (!div.dataset.onscreen) lazyIO.observe(div);
    if (div.dataset.onscreen !== "1") { lazyPending.set(div, [div, data, layout]); div.dataset.onscreen ||= "?"; return; }
  }
  drawPlot(div, data, layout);
}
function drawPlot(div, data, layout) {
  if (!window.Plotly) return;
  const base = { margin: { l: 60, r: 20, t: 30, b: 40 }, font: { family: "Noto Sans CJK SC, sans-serif", size: 12 }, paper_bgcolor: "#fff", plot_bgcolor: "#fff" };
  Plotly.react(div, data, { ...base, ...layout }, { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud"] });
}
const changeCell = (v) => v === null || v === undefined ? "—" : el("span", { class: v > 0 ? "up" : v < 0 ? "down" : "", text: v > 0 ? `▲${v}` : v < 0 ? `▼${-v}` : "0" });

/* ---------------------------------------------------------------- overview */
async function viewOverview(main) {
  const o = await api("/api/overview");
  const m = state.meta;
  const kids = [el("h1", { text: state.lang === "zh" ? m.title_zh : m.title_en })];
  for (const n of notesOf(o)) kids.push(el("p", { class: "muted", text: n }));
  if (o.capacity_national) {
    const last = o.capacity_national[o.capacity_national.length - 1];
    kids.push(el("h2", { text: t("capacity") }),
      el("div", { class: "cards" },
        el("div", { class: "card" }, el("div", { class: "muted", text: `${t("intelligent")} ${last.year}` }), el("div", { class: "big", text: fmt(last.intelligent_eflops, 1) })),
        el("div", { class: "card" }, el("div", { class: "muted", text: `${t("general")} ${last.year}` }), el("div", { class: "big", text: fmt(last.general_eflops, 1) }))));
    const c1 = el("div", { class: "chart", id: "chart-capacity" });
    kids.push(c1);
    setTimeout(() => plot(c1, [
      { x: o.capacity_national.map((r) => r.year), y: o.capacity_national.map((r) => r.intelligent_eflops), name: pesc(t("intelligent")), type: "scatter", mode: "lines+markers" },
      { x: o.capacity_national.map((r) => r.year), y: o.capacity_national.map((r) => r.general_eflops), name: pesc(t("general")), type: "scatter", mode: "lines+markers" },
    ], { yaxis: { title: { text: "EFLOPS" } }, legend: { orientation: "h" } }));
  }
  if (o.capacity_vs_published) {
    kids.push(el("h3", { text: t("vs_published") }), table([
      { label: t("year"), get: (r) => r.year }, { label: t("metric"), t: true, get: (r) => nm("column", r.metric) || r.metric },
      { label: t("computed"), get: (r) => fmt(r.computed, 1) }, { label: t("published"), get: (r) => fmt(r.published, 1) },
      { label: t("rel_diff"), get: (r) => fmt(100 * r.rel_diff, 3) + "%" }, { label: t("sources"), t: true, get: (r) => cite(r.source) }], o.capacity_vs_published));
  }
  if (o.capacity_by_province) {
    const c2 = el("div", { class: "chart", id: "chart-provinces" });
    kids.push(el("h3", { text: t("provinces") }), c2);
    setTimeout(() => plot(c2, [{ type: "bar", x: o.capacity_by_province.map((r) => pesc(nm("province", r.province))), y: o.capacity_by_province.map((r) => r.intelligent_eflops) }], { yaxis: { title: { text: "EFLOPS" } } }));
  }
  if (o.market_series && o.market_series.length) {
    const names = [...new Set(o.market_series.map((r) => r.series))];
    const first = Object.fromEntries(o.market_series.map((r) => [r.series, r]));
    const label = (n) => { const r = first[n]; return r && r.metric ? seriesName({ metric: r.metric, region: r.region, segment: r.segment, unit: r.scaled_unit || "" }) : n; };
    const sel = el("select", { id: "market-series" }, names.map((n) => el("option", { value: n, text: label(n) })));
    const c3 = el("div", { class: "chart", id: "chart-market" });
    const draw = () => {
      const rows = o.market_series.filter((r) => r.series === sel.value).sort((a, b) => a.year - b.year);
      const unit = rows.length ? rows[0].scaled_unit : "";
      plot(c3, [{ type: "scatter", mode: "lines+markers", x: rows.map((r) => r.year), y: rows.map((r) => r.scaled_value),
        error_y: { type: "data", symmetric: false, array: rows.map((r) => r.hi === null ? 0 : r.hi - r.scaled_value), arrayminus: rows.map((r) => r.lo === null ? 0 : r.scaled_value - r.lo) },
        text: rows.map((r) => pesc(nm("value_class", r.value_class))), name: pesc(label(sel.value)) }], { yaxis: { title: { text: pesc(nm("unit", unit)) } }, title: { text: pesc(label(sel.value)), font: { size: 13 } } });
    };
    sel.addEventListener("change", draw);
    kids.push(el("h2", { text: t("markets") }), el("div", { class: "toolbar" }, t("series"), sel), c3);
    setTimeout(draw);
  }
  if (!o.capacity_national && !o.market_series) kids.push(el("p", { class: "muted", text: t("no_build") }));
  for (const [name, rows] of Object.entries(o.assessments)) {
    const a = m.assessments.find((x) => x.name === name);
    kids.push(el("h2", {}, el("a", { href: linkWithSettings(rankingPath(name)), text: `${state.lang === "zh" ? a.title_zh : a.title_en} · ${t("top10")}` })),
      table([{ label: t("rank"), get: (r) => r.rank }, { label: t("name"), t: true, get: (r) => el("a", { href: linkWithSettings(unitPath(name, r.unit_id)), text: unitName(r) }) },
        { label: t("group"), t: true, get: (r) => nm("group", r.group) }, { label: t("score"), get: (r) => fmt(r.score) }], rows));
  }
  main.replaceChildren(...kids);
}

/* ---------------------------------------------------------------- ranking with sliders */
async function viewRanking(main, name) {
  const a = await info(name);
  const s = readSettings();
  const nodes = a.nodes;
  const byId = Object.fromEntries(nodes.map((n) => [n.id, n]));
  const root = nodes.find((n) => n.parent === null);
  const dimIds = nodes.filter((n) => n.parent === root.id).map((n) => n.id);
  const title = state.lang === "zh" ? a.title_zh : a.title_en;

  /* controls */
  const sliders = [];
  const effOut = {};
  /* URL parameters the page cannot honour are named in a visible warning before falling back */
  const warnings = [];
  for (const [k, v] of Object.entries(s.weights)) {
    if (!byId[k] || byId[k].indicator) { warnings.push(`${t("bad_param")} w=${k}:${v} — ${t("unknown_node")}`); delete s.weights[k]; }
    else if (!(v >= 0 && v <= 1)) { warnings.push(`${t("bad_param")} w=${k}:${v} — ${t("weight_range")}`); s.weights[k] = Math.min(1, Math.max(0, v)); }
  }
  if (s.badWeights) for (const part of s.badWeights) warnings.push(`${t("bad_param")} w=${part} — ${t("not_number")}`);
  if (s.normalisation && !a.normalisations.includes(s.normalisation)) { warnings.push(`${t("bad_param")} norm=${s.normalisation} — ${t("choose_from")} ${a.normalisations.join(", ")}`); s.normalisation = null; }
  if (s.aggregation && !a.aggregations.includes(s.aggregation)) { warnings.push(`${t("bad_param")} agg=${s.aggregation} — ${t("choose_from")} ${a.aggregations.join(", ")}`); s.aggregation = null; }
  const warnBox = el("div", { class: "warn", id: "url-warning", role: "alert", hidden: !warnings.length },
    el("strong", { text: t("url_warning") }), el("ul", { class: "plain" }, warnings.map((w) => el("li", { text: w }))));
  const ctl = el("div", { class: "panel controls" }, el("h3", { text: t("weights") }),
    el("p", { class: "muted small", text: t("eff_help") }));
  const addSlider = (n, sub) => {
    const v = s.weights[n.id] ?? n.weight;
    const out = el("span", { class: "val", text: fmt(v, 2) });
    const eff = el("span", { class: "eff", id: `eff-${n.id}`, title: t("effective_weight"), text: fmt(100 * n.effective_weight, 1) + "%" });
    effOut[n.id] = eff;
    const inp = el("input", { type: "range", min: 0, max: 1, step: 0.05, value: v, id: `w-${n.id}`, "aria-label": nodeName(n), dataset: { node: n.id } });
    inp.addEventListener("input", () => { out.textContent = fmt(+inp.value, 2); schedule(); });
    sliders.push(inp);
    ctl.append(el("label", { class: "row" + (sub ? " sub" : ""), title: n.id }, el("span", { text: nodeName(n) }), inp, out, eff));
  };
  for (const d of dimIds) {
    addSlider(byId[d], false);
    for (const c of nodes.filter((n) => n.parent === d && !n.indicator)) addSlider(c, true);
  }
  const normLabel = Object.fromEntries(a.norm_options.map((o) => [o.key, state.lang === "zh" ? o.label_zh : o.label_en]));
  const mkSel = (id, opts, base, cur, label) => el("select", { id }, opts.map((o) => el("option", { value: o, selected: (cur || base) === o, text: (label ? label[o] || o : o) + (o === base && !label ? t("as_built") : "") })));
  const normSel = mkSel("norm", a.normalisations, a.base_normalisation, s.normalisation, normLabel);
  const aggLabel = Object.fromEntries(a.aggregations.map((k) => [k, nm("aggregation", k) + (k === a.base_aggregation ? t("as_built") : "")]));
  const aggSel = mkSel("agg", a.aggregations, a.base_aggregation, s.aggregation, aggLabel);
  const compatNote = el("p", { class: "warn small", id: "compat-note", hidden: true });
  const showCompat = () => {
    const why = (a.compat[aggSel.value] || {})[normSel.value];
    compatNote.hidden = !why;
    if (why) { const ok = Object.entries(a.compat[aggSel.value]).filter(([, w]) => !w).map(([k]) => normLabel[k] || k);
      compatNote.textContent = `${t("compat_fail")} ${ok.length ? t("works_with") + " " + ok.join(", ") : ""}`; }
  };
  normSel.addEventListener("change", () => { showCompat(); schedule(0); });
  aggSel.addEventListener("change", () => { showCompat(); schedule(0); });
  const md = await methodology(name);
  const hiddenNote = Object.keys(md.hidden).length ? el("details", { class: "small", id: "not-offered" }, el("summary", { text: t("not_offered") }),
    el("ul", { class: "plain" }, Object.entries(md.hidden).map(([k, why]) => el("li", { dataset: { method: k } }, el("strong", { text: `${nm("normalisation", k) !== k ? nm("normalisation", k) : nm("aggregation", k)} (${k})` }), ": ", why[state.lang])))) : null;
  ctl.append(el("div", { class: "sel" }, el("label", { for: "norm", text: t("normalisation") }), normSel),
    el("div", { class: "sel" }, el("label", { for: "agg", text: t("aggregation") }), aggSel), compatNote, hiddenNote,
    el("div", { class: "toolbar" }, el("button", { id: "reset", type: "button", text: t("reset"), onclick: () => {
      for (const inp of sliders) { inp.value = byId[inp.dataset.node].weight; inp.dispatchEvent(new Event("input")); }
      normSel.value = a.base_normalisation; aggSel.value = a.base_aggregation; schedule(0);
    } })));

  const current = () => {
    const weights = {};
    for (const inp of sliders) { const n = byId[inp.dataset.node]; if (Math.abs(+inp.value - n.weight) > 1e-9) weights[n.id] = +inp.value; }
    return { weights, normalisation: normSel.value === a.base_normalisation ? null : normSel.value,
      aggregation: aggSel.value === a.base_aggregation ? null : aggSel.value };
  };

  /* results */
  const shareBox = el("input", { class: "share", id: "share-url", type: "text", readonly: true });
  const status = el("span", { class: "muted", id: "status" });
  const download = async (format) => {
    try {
      const r = await api(`/api/assessments/${name}/export?format=${format}&lang=${state.lang}`, current(), { raw: true });
      const blob = await r.blob();
      const cd = r.headers.get("Content-Disposition") || "";
      const fname = (/filename="([^"]+)"/.exec(cd) || [])[1] || `suanli.${format}`;
      const url = URL.createObjectURL(blob);
      const link = el("a", { href: url, download: fname });
      document.body.append(link); link.click(); link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 5000);
    } catch (e) { showError(String(e.message)); }
  };
  const unitsA = el("select", { id: "cmp-a" }), unitsB = el("select", { id: "cmp-b" });
  const toolbar = el("div", { class: "toolbar" },
    el("button", { id: "dl-csv", type: "button", text: t("download_csv"), onclick: () => download("csv") }),
    el("button", { id: "dl-xlsx", type: "button", text: t("download_xlsx"), onclick: () => download("xlsx") }),
    el("span", { text: t("share") }), shareBox,
    el("button", { type: "button", text: t("copy"), onclick: (ev) => { shareBox.select(); navigator.clipboard?.writeText(shareBox.value).catch(() => {}); ev.target.textContent = t("copied"); } }));
  const cmpBar = el("div", { class: "toolbar" }, el("span", { text: t("compare_two") }), unitsA, unitsB,
    el("button", { id: "cmp-go", type: "button", text: t("compare"), onclick: () => { location.href = linkWithSettings("/compare", { as: name, u1: unitsA.value, u2: unitsB.value }); } }));
  const chart = el("div", { class: "chart", id: "chart-ranking", style: "min-height:420px", dataset: { lazy: "1" } });
  const whisker = el("div", { class: "chart", id: "chart-intervals", dataset: { lazy: "1" } });
  const tableHost = el("div", { id: "ranking-host" });
  const rankingTable = liveTable({ id: "ranking", search: true });
  tableHost.append(rankingTable.node);
  const staleBox = el("div", { class: "stale-banner", id: "stale-banner", role: "alert", hidden: true });
  const ivNote = el("p", { class: "muted small", id: "interval-note" });
  const corrTable = liveTable({ id: "corr-table", search: true });
  const corrHost = el("details", { id: "correlations" }, el("summary", { text: t("correlations") }), corrTable.node);
  const scName = el("input", { type: "text", id: "scenario-name", placeholder: t("scenario_name"), maxlength: 80 });
  const scBar = el("div", { class: "toolbar" }, scName,
    el("button", { id: "scenario-save", type: "button", text: t("save_scenario"), onclick: () => {
      const nm = scName.value.trim() || `${t("scenario")} ${new Date().toISOString().slice(0, 16).replace("T", " ")}`;
      const all = loadScenarios(); all.push({ name: nm, assessment: name, settings: lastGood || current(), saved: new Date().toISOString() });
      localStorage.setItem("suanli.scenarios", JSON.stringify(all)); status.textContent = `${t("saved")}: ${nm}`; } }),
    el("a", { href: linkWithSettings("/scenarios"), text: t("nav_scenarios") }));
  main.replaceChildren(el("h1", { text: title }), warnBox,
    el("div", { class: "layout" }, ctl, el("div", { class: "results" }, toolbar, scBar, cmpBar, status, staleBox, tableHost, ivNote, whisker, chart, corrHost)));
  /* rank intervals: as built, or recomputed for the current settings (static/intervals.js) */
  let lastRes = null;
  const ivc = rankIntervals({ name, a, note: ivNote, chart: whisker, rerender: () => { if (lastRes) render(lastRes); } });
  let lastGood = null;
  const applyToControls = (set) => {
    for (const inp of sliders) { const n = byId[inp.dataset.node]; inp.value = set.weights[n.id] ?? n.weight; inp.parentNode.querySelector(".val").textContent = fmt(+inp.value, 2); }
    normSel.value = set.normalisation || a.base_normalisation; aggSel.value = set.aggregation || a.base_aggregation; showCompat();
  };
  showCompat();

  let timer = null;
  /* a slider step goes out at once (the events of one task are coalesced by the 0 ms timer) */
  function schedule(delay = 0) { clearTimeout(timer); document.body.dataset.busy = "1"; timer = setTimeout(update, delay); }
  /* one re-score in flight per page: a slider dragged while the server answers does not queue a
     request per step; the newest settings go as soon as the answer is in (and nothing is lost).
     An answer for settings that are no longer the newest is not drawn (state.seq). */
  let inFlight = false, again = false;
  async function update() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    try { await rescoreOnce(); } finally { inFlight = false; }
    if (again) { again = false; document.body.dataset.busy = "1"; await update(); }
  }
  async function rescoreOnce() {
    const set = current();
    const my = ++state.seq;
    applySettingsToUrl(set);
    shareBox.value = location.href;
    let res;
    try { res = await api(`/api/assessments/${name}/scores`, set); }
    catch (e) {
      if (my === state.seq) {
        /* never stale: the table is flagged, and the controls and URL go back to the last settings that worked */
        tableHost.classList.add("stale"); chart.classList.add("stale");
        staleBox.hidden = false;
        staleBox.replaceChildren(el("strong", { text: t("rescore_failed") }), " ", el("span", { id: "stale-gloss", text: gloss(e.message) }), " ",
          el("span", { class: "small", text: t("engine_reason") + " " }), el("span", { id: "stale-reason", text: String(e.message) }), " ",
          el("span", { text: lastGood ? t("restored") : "" }));
        if (lastGood) { applyToControls(lastGood); applySettingsToUrl(lastGood); shareBox.value = location.href; }
        document.body.dataset.busy = "0"; document.body.dataset.settings = settingsKey(lastGood || set); document.body.dataset.failed = "1";
      }
      return;
    }
    if (my !== state.seq) return;       // a newer request is on its way
    document.body.dataset.failed = "0";
    lastGood = set;
    staleBox.hidden = true; tableHost.classList.remove("stale"); chart.classList.remove("stale");
    res.units = unitRows(res);
    render(res);
    document.body.dataset.settings = settingsKey(set);
    document.body.dataset.busy = "0";
  }
  /* the columns answer (POST …/scores, one entry per unit in the order of a.units) as the rows of
     the table, best rank first, unranked last, ties by unit id (the order of POST …/rescore) */
  function unitRows(res) {
    const rows = a.units.map((u, k) => {
      const rank = res.rank[k];
      const dims = {};
      res.dims.forEach((d, j) => { dims[d] = res.dim_scores[j][k]; });
      return { unit_id: u.unit_id, unit_name: u.unit_name, unit_name_en: u.unit_name_en, group: u.group, base_score: u.base_score,
        base_rank: u.base_rank, score: res.score[k], rank, rank_change: rank !== null && u.base_rank !== null ? u.base_rank - rank : null, dims };
    });
    rows.sort((x, y) => (x.rank === null) - (y.rank === null) || (x.rank ?? 0) - (y.rank ?? 0) || (x.unit_id < y.unit_id ? -1 : x.unit_id > y.unit_id ? 1 : 0));
    return rows;
  }
  function render(res) {
    lastRes = res;
    status.textContent = `${res.n_units} ${t("units")} · ${t("rescore_ms")} ${fmt(res.rescore_ms, 1)} ms`;
    const dimCols = res.dims.map((d) => ({ label: nodeName(byId[d]), get: (r) => fmt(r.dims[d]) }));
    for (const r of res.units) r._data = { unit: r.unit_id, rank: r.rank ?? "" };
    rankingTable.update(res.units, [
      { label: t("rank"), get: (r) => r.rank ?? "—" }, { label: t("change"), get: (r) => changeCell(r.rank_change) },
      { label: t("name"), t: true, sortKey: (r) => unitName(r), get: (r) => el("a", { class: "unit-link", href: linkWithSettings(unitPath(name, r.unit_id)), text: unitName(r) }) },
      { label: t("group"), t: true, get: (r) => nm("group", r.group) }, { label: t("score"), get: (r) => fmt(r.score) },
      { label: t("base_rank"), get: (r) => r.base_rank ?? "—" },
      ivc.column(res),
      ...dimCols]);
    for (const [k, v] of Object.entries(res.effective_weights)) {
      const e = effOut[k], txt = fmt(100 * v, 1) + "%";
      if (e && e.textContent !== txt) e.textContent = txt;       /* unchanged text: no re-layout */
    }
    const corr = Object.entries(res.correlations).filter(([, c]) => c !== null).sort((x, y) => y[1] - x[1]);
    corrTable.update(corr, [{ label: t("indicator"), t: true, get: ([k]) => nodeName(byId[k]) }, { label: "r", get: ([, c]) => fmt(c, 2) }]);
    ivc.render(res);
    const top = res.units.filter((r) => r.score !== null).slice(0, 50).reverse();
    plot(chart, [{ type: "bar", orientation: "h", x: top.map((r) => r.score), y: top.map((r) => `${pesc(unitName(r))} `),
      text: top.map((r) => r.rank_change ? (r.rank_change > 0 ? `▲${r.rank_change}` : `▼${-r.rank_change}`) : ""), textposition: "outside",
      marker: { color: top.map((r) => (r.rank_change > 0 ? "#137333" : r.rank_change < 0 ? "#b3261e" : "#1f5fbf")) } }],
    { height: Math.max(320, 18 * top.length + 60), margin: { l: 110, r: 40, t: 10, b: 30 }, yaxis: { automargin: true } });
    if (!unitsA.options.length) {      /* the units do not change while the page is open: listed once, in the first ranking's order */
      const opts = () => res.units.map((r) => el("option", { value: r.unit_id, text: unitName(r) }));
      unitsA.replaceChildren(...opts()); unitsB.replaceChildren(...opts());
      unitsA.value = (res.units[0] || {}).unit_id; unitsB.value = (res.units[1] || {}).unit_id;
    }
  }
  await update();
}

/* ---------------------------------------------------------------- one unit */
async function viewUnit(main, name, unit) {
  const a = await info(name);
  const s = readSettings();
  const u = await api(`/api/assessments/${encodeURIComponent(name)}/units/${encodeURIComponent(unit)}`, s);
  const custom = Object.keys(s.weights).length || s.normalisation || s.aggregation;
  const kids = [el("p", {}, el("a", { href: linkWithSettings(rankingPath(name)), text: "← " + t("back_to_ranking") })),
    el("h1", { id: "unit-title", text: unitName(u) }),
    el("p", { class: "muted", text: `${u.unit_id}${u.group ? " · " + nm("group", u.group) : ""} · ${state.lang === "zh" ? a.title_zh : a.title_en} ${u.year ?? ""}${custom ? " · " + t("custom") : ""}` }),
    el("div", { class: "cards" },
      el("div", { class: "card" }, el("div", { class: "muted", text: t("rank") }), el("div", { class: "big", id: "unit-rank", text: `${u.rank ?? "—"} / ${u.n_units}` }),
        el("div", { class: "muted" }, `${t("base_rank")} ${u.base_rank ?? "—"} `, changeCell(u.base_rank !== null && u.rank !== null ? u.base_rank - u.rank : null))),
      el("div", { class: "card" }, el("div", { class: "muted", text: t("score") }), el("div", { class: "big", text: fmt(u.score) })),
      el("div", { class: "card", id: "rank-interval" }, el("div", { class: "muted", text: t("rank_interval") }),
        u.rank_interval ? el("div", {}, el("div", { class: "big", text: `${fmt(u.rank_interval.q05, 0)} – ${fmt(u.rank_interval.q95, 0)}` }),
          el("div", { class: "muted", text: `${t("median_rank")} ${fmt(u.rank_interval.median_rank, 1)} · ${t("nominal_rank")} ${fmt(u.rank_interval.nominal_rank, 0)}${u.rank_interval.p_top10 !== null ? ` · ${t("p_top10")} ${fmt(100 * u.rank_interval.p_top10, 0)}%` : ""}` }))
          : el("div", { class: "muted", text: t("no_interval") })))];
  const dims = u.nodes.filter((n) => n.level < Math.max(...u.nodes.map((x) => x.level))).sort((x, y) => y.level - x.level);
  const c1 = el("div", { class: "chart", id: "chart-unit-dims" });
  kids.push(el("h2", { text: t("dims") }), c1);
  const sw = (rows) => el("ul", { class: "plain" }, rows.map((c) => el("li", { text: `${state.lang === "zh" ? c.name_zh : c.name_en} — ${t("rank")} ${c.rank ?? "—"} / ${u.n_units}` })));
  kids.push(el("div", { class: "two" }, el("div", { id: "strengths" }, el("h3", { text: t("strengths") }), sw(u.strengths)),
    el("div", { id: "weaknesses" }, el("h3", { text: t("weaknesses") }), sw(u.weaknesses))));
  const c2 = el("div", { class: "chart", id: "chart-unit-contrib" });
  kids.push(el("h2", { text: t("contributions") }), el("p", { class: "muted", text: u.exact_decomposition ? t("exact") : t("approx") }), c2,
    table([{ label: t("indicator"), t: true, get: (c) => state.lang === "zh" ? c.name_zh : c.name_en }, { label: t("raw"), get: (c) => fmt(c.raw, 2) },
      { label: t("value"), get: (c) => fmt(c.value) }, { label: t("weight_in_index"), get: (c) => fmt(c.weight_in_index, 4) },
      { label: t("contribution"), get: (c) => fmt(c.contribution, 3) }, { label: t("rank"), get: (c) => c.rank ?? "—" }], u.contributions, { id: "contrib" }));
  main.replaceChildren(...kids);
  plot(c1, [{ type: "bar", name: pesc(unitName(u)), x: dims.map((n) => pesc(state.lang === "zh" ? n.name_zh : n.name_en)), y: dims.map((n) => n.score) },
    { type: "scatter", mode: "markers", name: pesc(t("median")), x: dims.map((n) => pesc(state.lang === "zh" ? n.name_zh : n.name_en)), y: dims.map((n) => n.median), marker: { symbol: "line-ew-open", size: 24, color: "#111" } }],
  { legend: { orientation: "h", y: 1.12 }, margin: { l: 50, r: 20, t: 30, b: 40 }, xaxis: { automargin: true, tickangle: -35 } });
  const top = u.contributions.slice(0, 20).reverse();
  plot(c2, [{ type: "bar", orientation: "h", x: top.map((c) => c.contribution), y: top.map((c) => pesc(state.lang === "zh" ? c.name_zh : c.name_en) + " ") }],
    { height: 24 * top.length + 60, margin: { l: 200, r: 20, t: 10, b: 30 } });
}

/* ---------------------------------------------------------------- compare two units */
async function viewCompare(main) {
  const p = new URLSearchParams(location.search);
  const names = state.meta.assessments.map((x) => x.name);
  const name = names.includes(p.get("as")) ? p.get("as") : (names.includes("city") ? "city" : names[0]);
  if (!name) { main.replaceChildren(el("p", { text: "—" })); return; }
  const s = readSettings();
  const res = await api(`/api/assessments/${name}/rescore`, s);
  const ids = res.units.map((r) => r.unit_id);
  const u1 = ids.includes(p.get("u1")) ? p.get("u1") : ids[0], u2 = ids.includes(p.get("u2")) ? p.get("u2") : ids[1] || ids[0];
  const asSel = el("select", { id: "cmp-as" }, state.meta.assessments.map((x) => el("option", { value: x.name, selected: x.name === name, text: state.lang === "zh" ? x.title_zh : x.title_en })));
  const mk = (id, cur) => el("select", { id }, res.units.map((r) => el("option", { value: r.unit_id, selected: r.unit_id === cur, text: unitName(r) })));
  const s1 = mk("cmp-u1", u1), s2 = mk("cmp-u2", u2);
  const go = () => { setUrl({ as: asSel.value, u1: asSel.value === name ? s1.value : null, u2: asSel.value === name ? s2.value : null }); route(); };
  asSel.addEventListener("change", go); s1.addEventListener("change", go); s2.addEventListener("change", go);
  const [A, B] = await Promise.all([u1, u2].map((u) => api(`/api/assessments/${name}/units/${encodeURIComponent(u)}`, s)));
  const nodes = A.nodes.slice().sort((x, y) => y.level - x.level || x.node_id.localeCompare(y.node_id));
  const bById = Object.fromEntries(B.nodes.map((n) => [n.node_id, n]));
  const chart = el("div", { class: "chart", id: "chart-compare" });
  main.replaceChildren(el("h1", { text: t("compare_two") }),
    el("div", { class: "toolbar" }, asSel, el("span", { text: t("unit_a") }), s1, el("span", { text: t("unit_b") }), s2),
    el("div", { class: "cards" }, [A, B].map((u) => el("div", { class: "card" }, el("a", { href: linkWithSettings(unitPath(name, u.unit_id)), text: unitName(u) }),
      el("div", { class: "big", text: `#${u.rank ?? "—"} · ${fmt(u.score)}` })))),
    chart,
    table([{ label: t("node"), t: true, get: (n) => (n.level < 4 ? "\u00a0\u00a0".repeat(Math.max(0, 3 - n.level)) : "") + (state.lang === "zh" ? n.name_zh : n.name_en) },
      { label: unitName(A), get: (n) => fmt(n.score) }, { label: `${t("rank")} A`, get: (n) => n.rank ?? "—" },
      { label: unitName(B), get: (n) => fmt(bById[n.node_id].score) }, { label: `${t("rank")} B`, get: (n) => bById[n.node_id].rank ?? "—" },
      { label: t("difference"), get: (n) => fmt(n.score - bById[n.node_id].score) }], nodes, { id: "compare-table" }));
  const dims = nodes.filter((n) => n.level < Math.max(...nodes.map((x) => x.level)));
  const lab = dims.map((n) => pesc(state.lang === "zh" ? n.name_zh : n.name_en));
  plot(chart, [{ type: "bar", name: pesc(unitName(A)), x: lab, y: dims.map((n) => n.score) },
    { type: "bar", name: pesc(unitName(B)), x: lab, y: dims.map((n) => bById[n.node_id].score) }],
  { barmode: "group", legend: { orientation: "h", y: 1.12 }, margin: { l: 50, r: 20, t: 30, b: 40 }, xaxis: { automargin: true, tickangle: -35 } });
}

/* ---------------------------------------------------------------- methodology */
async function viewMethodology(main) {
  const m = state.meta;
  const kids = [el("h1", { text: t("nav_methodology") }),
    el("p", { text: `${t("edition")}: ${m.edition} · ${t("code_version")}: ${m.code_version}${m.built ? " · " + m.built : ""}` })];
  for (const n of notesOf(m)) kids.push(el("p", { class: "muted", text: n }));
  for (const s of m.assessments) {
    const a = await info(s.name);
    const md = await methodology(s.name);
    const normLabel = Object.fromEntries(a.norm_options.map((o) => [o.key, state.lang === "zh" ? o.label_zh : o.label_en]));
    kids.push(el("h2", { text: state.lang === "zh" ? a.title_zh : a.title_en }),
      el("h3", { text: t("method_sentences") }), el("ul", { class: "plain steps", id: `steps-${s.name}` }, md.steps.map((x) => el("li", { text: x[state.lang] }))),
      fwText(a.description_zh, a.description, "fw-description"), fwText(a.method_notes_zh, a.method_notes, "fw-notes"),
      el("p", { text: `${t("methods_offered")}: ${t("normalisation")} — ${a.normalisations.map((k) => normLabel[k] || k).join(t("list_sep"))}; ${t("aggregation")} — ${a.aggregations.map((k) => nm("aggregation", k)).join(t("list_sep"))}` }),
      el("h3", { text: t("not_offered") }), el("ul", { class: "plain", id: `hidden-${s.name}` }, Object.entries(md.hidden).map(([k, why]) => el("li", {}, el("strong", { text: `${k}: ` }), why[state.lang]))),
      table([{ label: t("node"), t: true, get: (n) => "\u00a0\u00a0".repeat(Math.max(0, a.level_names.length - n.level)) + nodeName(n) },
        { label: "id", t: true, get: (n) => raw(n.id) }, { label: t("level"), get: (n) => n.level },
        { label: t("weights"), get: (n) => fmt(n.weight, 2) }, { label: t("effective_weight"), get: (n) => fmt(n.effective_weight, 4) },
        { label: t("direction"), get: (n) => n.indicator ? (n.direction > 0 ? "+" : "−") : "" }, { label: t("unit"), t: true, get: (n) => nm("unit", n.unit) }],
      treeOrder(a.nodes)));
  }
  if (m.tables.length) {
    const tabs = await api("/api/tables");
    kids.push(el("h2", { text: t("tables") }), table([{ label: t("table_col"), t: true, get: (r) => raw(r.name) }, { label: t("description"), t: true, get: (r) => tableDesc(r) },
      { label: t("synthetic"), get: (r) => r.synthetic ? "✓" : "" }], tabs));
  }
  main.replaceChildren(...kids);
}
/* a framework text in the page's language; the Chinese page shows the English original, labelled, when the framework has no Chinese */
function fwText(zh, en, id) {
  if (state.lang === "en") return en ? el("p", { class: "muted small", id, text: en }) : null;
  if (zh) return el("p", { class: "muted small", id, text: zh });
  return en ? el("p", { class: "muted small", id }, t("fw_note_en"), raw(en)) : null;
}
function treeOrder(nodes) {
  const kids = {};
  for (const n of nodes) (kids[n.parent ?? ""] ||= []).push(n);
  const out = [];
  const walk = (id) => { for (const n of kids[id] || []) { out.push(n); walk(n.id); } };
  walk("");
  return out;
}

/* ---------------------------------------------------------------- build tables (and the capacity/markets/survey/sensitivity pages) */
const PRESETS = { capacity: /^capacity_|^catalog_/, markets: /^market_/, survey: /^survey_/, sensitivity: /_sobol$|_rank_probabilities$|_rank_intervals$|_uncertainty_inputs$/ };
async function viewTables(main, preset) {
  const tabs = await api("/api/tables");
  const list = preset ? tabs.filter((x) => PRESETS[preset].test(x.name)) : tabs;
  const p = new URLSearchParams(location.search);
  const cur = list.some((x) => x.name === p.get("t")) ? p.get("t") : (list[0] || {}).name;
  const sel = el("select", { id: "table-select", "aria-label": t("choose_table") }, list.map((x) => el("option", { value: x.name, selected: x.name === cur, text: x.name + (x.synthetic ? ` (${t("synthetic")})` : "") })));
  sel.addEventListener("change", () => { setUrl({ t: sel.value }); route(); });
  const kids = [el("h1", { text: preset ? t("nav_" + preset) : t("table_browser") }), el("div", { class: "toolbar" }, el("label", { for: "table-select", text: t("choose_table") }), sel,
    cur ? el("a", { id: "table-download", href: `/api/tables/${cur}/download`, download: `${cur}.csv`, text: t("download") + " CSV" }) : null)];
  if (preset === "capacity") kids.push(await capacityMap());
  if (cur) {
    const info = list.find((x) => x.name === cur);
    const d = await api(`/api/tables/${cur}?limit=5000`);
    kids.push(el("p", { class: "muted" }, tableDesc(info), ` · ${d.total} ${t("rows")}${d.total > d.rows.length ? ` (${d.rows.length})` : ""}`),
      el("p", { class: "muted small", text: t("cells_as_stored") }),
      table(d.columns.map((c, i) => ({ label: nm("column", c), t: d.rows.some((r) => typeof r[i] === "string"), get: (r) => cellOf(c, r[i]) })), d.rows, { id: "build-table", search: true }));
  }
  if (!list.length) kids.push(el("p", { class: "muted", text: t("no_build") }));
  main.replaceChildren(...kids);
}
/* a stored cell of the table browser: keys with a name in the catalogue shown by that name, numbers
   rounded, other text as stored (marked as data) */
const CELL_KIND = { value_class: "value_class", province: "province", city: "city", industry: "industry", vendor: "vendor",
  accelerator_vendor: "accelerator_vendor", origin: "origin", region_group: "group", group: "group", verdict: "verdict", rule: "rule",
  model: "model", segment: "segment", metric: "metric", region: "market_region", step: "weighting_step", kind: "input_kind" };
function cellOf(col, v) {
  if (typeof v === "number") return Number.isInteger(v) ? v : fmt(v, 3);
  if (typeof v !== "string") return v;
  const kind = CELL_KIND[col];
  if (kind) { const d = (state.names || {})[kind] || {}; if (d[v]) return d[v][state.lang]; }
  return raw(v);
}
/* province tile grid (one layout shared with the report: suanli.tilegrid) coloured by intelligent capacity */
async function capacityMap() {
  const host = el("div", { class: "chart", id: "chart-tilemap" });
  if (!state.meta.tables.includes("capacity_by_province")) return host;
  const [geo, prov] = await Promise.all([api("/api/geo"), api("/api/tables/capacity_by_province?limit=5000")]);
  const ci = Object.fromEntries(prov.columns.map((c, i) => [c, i]));
  const last = Math.max(...prov.rows.map((r) => r[ci.year]));
  const val = Object.fromEntries(prov.rows.filter((r) => r[ci.year] === last).map((r) => [r[ci.province], r[ci.intelligent_eflops]]));
  const tiles = geo.tiles;
  setTimeout(() => plot(host, [{ type: "scatter", mode: "markers+text", x: tiles.map((x) => x.col), y: tiles.map((x) => -x.row),
    text: tiles.map((x) => pesc(state.lang === "zh" ? x.province : x.name_en)), textfont: { size: 10 },
    hovertext: tiles.map((x) => pesc(`${state.lang === "zh" ? x.province : x.name_en}: ${fmt(val[x.province], 1)} EFLOPS`)), hoverinfo: "text",
    marker: { symbol: "square", size: 38, color: tiles.map((x) => val[x.province] ?? 0), colorscale: "Blues", showscale: true, colorbar: { title: { text: "EFLOPS" } } } }],
  { height: 420, title: { text: pesc(`${t("provinces")} ${last}`), font: { size: 13 } }, xaxis: { visible: false }, yaxis: { visible: false, scaleanchor: "x" }, margin: { l: 10, r: 10, t: 40, b: 10 } }));
  return host;
}

/* ---------------------------------------------------------------- both years, with moves */
async function viewYears(main) {
  const kids = [el("h1", { text: t("nav_years") })];
  const charts = [];
  for (const s of state.meta.assessments) {
    const y = await api(`/api/assessments/${s.name}/years`);
    kids.push(el("h2", { text: `${state.lang === "zh" ? s.title_zh : s.title_en}: ${y.previous_year ?? "—"} → ${y.year}` }));
    if (y.previous_year !== null && y.previous_year !== undefined && y.units.some((r) => r.prev_rank !== null)) {
      /* one dumbbell per unit: open marker = rank in the previous year, filled = this year; green up, red down */
      const c = el("div", { class: "chart", id: `chart-years-${s.name}` });
      kids.push(c, el("p", { class: "muted small", text: `${t("years_legend")} ${y.synthetic ? t("years_synthetic") : ""}` }));
      charts.push(() => {
        const rows = y.units.filter((r) => r.rank !== null).sort((a, b) => b.rank - a.rank);
        const lab = rows.map((r) => pesc(unitName(r)) + " ");
        const colour = (r) => r.move > 0 ? "#1a7f37" : r.move < 0 ? "#b3261e" : "#9aa3ad";
        const seg = { x: [], y: [] };
        rows.forEach((r, i) => { if (r.prev_rank !== null) { seg.x.push(r.prev_rank, r.rank, null); seg.y.push(lab[i], lab[i], null); } });
        plot(c, [{ type: "scatter", mode: "lines", x: seg.x, y: seg.y, line: { color: "#c9ced6", width: 2 }, hoverinfo: "skip", showlegend: false },
          { type: "scatter", mode: "markers", name: pesc(`${t("rank")} ${y.previous_year}`), x: rows.map((r) => r.prev_rank), y: lab,
            marker: { symbol: "circle-open", size: 9, color: rows.map(colour) }, hovertemplate: "%{y}: %{x}<extra>" + pesc(String(y.previous_year)) + "</extra>" },
          { type: "scatter", mode: "markers", name: pesc(`${t("rank")} ${y.year}`), x: rows.map((r) => r.rank), y: lab,
            marker: { symbol: "circle", size: 9, color: rows.map(colour) }, hovertemplate: "%{y}: %{x}<extra>" + pesc(String(y.year)) + "</extra>" }],
        { height: Math.max(260, 17 * rows.length + 90), xaxis: { autorange: "reversed", title: { text: pesc(t("rank")) } }, yaxis: { automargin: true },
          margin: { l: 10, r: 20, t: 10, b: 40 }, legend: { orientation: "h", y: -0.08 } });
      });
    }
    kids.push(
      table([{ label: `${t("rank")} ${y.year}`, get: (r) => r.rank ?? "—" }, { label: t("name"), t: true, get: (r) => unitName(r) },
        { label: `${t("rank")} ${y.previous_year ?? ""}`, get: (r) => r.prev_rank ?? "—" }, { label: t("move"), get: (r) => changeCell(r.move) },
        { label: `${t("score")} ${y.year}`, get: (r) => fmt(r.score) }, { label: `${t("score")} ${y.previous_year ?? ""}`, get: (r) => fmt(r.prev_score) }], y.units, { id: `years-${s.name}` }));
  }
  main.replaceChildren(...kids);
  for (const f of charts) f();
}

/* ---------------------------------------------------------------- scenarios saved in this browser */
async function viewScenarios(main) {
  const all = loadScenarios();
  const kids = [el("h1", { text: t("scenarios_title") })];
  if (!all.length) { main.replaceChildren(...kids, el("p", { class: "muted", id: "no-scenarios", text: t("no_scenarios") })); return; }
  const exportYaml = async (sc) => {
    const r = await api(`/api/assessments/${sc.assessment}/scenario`, { name: sc.name, settings: sc.settings }, { raw: true });
    const url = URL.createObjectURL(await r.blob());
    const cd = r.headers.get("Content-Disposition") || "";
    const link = el("a", { href: url, download: (/filename="([^"]+)"/.exec(cd) || [])[1] || "scenario.yaml" });
    document.body.append(link); link.click(); link.remove(); setTimeout(() => URL.revokeObjectURL(url), 5000);
  };
  kids.push(table([{ label: t("name"), t: true, get: (sc) => raw(sc.name) }, { label: t("assessments"), t: true, get: (sc) => { const a = state.meta.assessments.find((x) => x.name === sc.assessment); return a ? (state.lang === "zh" ? a.title_zh : a.title_en) : raw(sc.assessment); } },
    { label: t("normalisation"), t: true, get: (sc) => sc.settings.normalisation ? raw(sc.settings.normalisation) : "—" }, { label: t("aggregation"), t: true, get: (sc) => sc.settings.aggregation ? nm("aggregation", sc.settings.aggregation) : "—" },
    { label: t("weights"), t: true, get: (sc) => raw(Object.entries(sc.settings.weights || {}).map(([k, v]) => `${k}:${v}`).join(", ") || "—") },
    { label: "", t: true, get: (sc) => el("span", { class: "toolbar" },
      el("a", { class: "sc-open", href: rankingPath(sc.assessment) + "?" + settingsQuery(sc.settings).toString(), text: t("open") }),
      el("button", { type: "button", class: "sc-yaml", text: t("yaml"), onclick: () => exportYaml(sc).catch((e) => showError(e.message)) }),
      el("button", { type: "button", class: "sc-del", text: t("delete"), onclick: () => { localStorage.setItem("suanli.scenarios", JSON.stringify(loadScenarios().filter((x) => x.saved !== sc.saved))); route(); } })) }],
  all, { id: "scenario-table" }));
  const p = new URLSearchParams(location.search);
  const mk = (id, cur) => el("select", { id }, all.map((sc, i) => el("option", { value: i, selected: String(i) === cur, text: sc.name })));
  const sa = mk("sc-a", p.get("a") ?? "0"), sb = mk("sc-b", p.get("b") ?? String(Math.min(1, all.length - 1)));
  const go = () => { setUrl({ a: sa.value, b: sb.value }); route(); };
  sa.addEventListener("change", go); sb.addEventListener("change", go);
  kids.push(el("h2", { text: t("compare_scenarios") }), el("div", { class: "toolbar" }, sa, sb));
  const A = all[+sa.value], B = all[+sb.value];
  if (A && B && A.assessment === B.assessment) {
    const [ra, rb] = await Promise.all([A, B].map((sc) => api(`/api/assessments/${sc.assessment}/rescore`, sc.settings)));
    const rankB = Object.fromEntries(rb.units.map((u) => [u.unit_id, u.rank]));
    kids.push(table([{ label: t("name"), t: true, get: (u) => unitName(u) }, { label: A.name, get: (u) => u.rank ?? "—" },
      { label: B.name, get: (u) => rankB[u.unit_id] ?? "—" }, { label: t("rank_diff"), get: (u) => changeCell(u.rank !== null && rankB[u.unit_id] != null ? rankB[u.unit_id] - u.rank : null) }],
    ra.units, { id: "scenario-compare" }));
  }
  main.replaceChildren(...kids);
}

/* deferred scripts (views.js after this one) all run before DOMContentLoaded */
window.addEventListener("DOMContentLoaded", () => route());
