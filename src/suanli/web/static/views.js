/* suanli dashboard: the stage pages (capacity, markets, survey, sensitivity). Loaded after app.js and
   using its helpers (el, table, plot, t, pesc, fmt, api, state). Data come from /api/views/{page};
   every value keeps its value class, drawn the same way as in the report: stated solid, derived
   dashed with open markers, modelled dotted with its interval, synthetic marked with a cross. */
"use strict";

Object.assign(T.zh, {
  value_classes: "数值类别", national_series: "全国算力规模（年末装机）", interval: "区间", tile_map: "各省智能算力（方块地图，圆点为城市）",
  mix: "构成", mix_vendor: "服务器厂商", mix_accelerator_vendor: "加速卡厂商", mix_origin: "国产 / 进口", mix_industry: "行业",
  measure: "度量", intelligent_short: "智能算力", general_short: "通用算力", device_mix: "加速卡出货（按型号）", shipped: "出货量",
  tables_of_page: "本页数据表（可下载）", series_values: "序列数值", forecast: "预测", forecasts: "预测（所选模型）", model: "模型",
  checks: "一致性检查结论", verdict: "结论", all: "全部", backtests: "回测", rule: "规则", title: "标题", detail: "说明",
  question: "问题", option: "选项", share: "占比", ci: "95% 置信区间", weighted: "加权估计", unweighted: "未加权", published_value: "原报告数值",
  by_stratum: "分层估计", stratum: "层", by: "分层变量", weighting: "加权诊断", horizon: "时间", run: "分析", variant: "（对照方案）",
  sobol: "Sobol 敏感性指数（平均排名变动）", s1: "一阶 S1", st: "总效应 ST", rank_prob: "排名概率", probability: "概率",
  inputs: "不确定性输入", no_tables: "本构建没有这一阶段的表。", source_table: "数据表", city_dots: "城市", no_value: "无数据",
  legend_note: "图例：实线实心点 = 公布值；虚线空心点 = 推算；点线菱形与阴影 = 模型估计及其区间；叉号 = 合成数据。",
  mape: "MAPE", coverage: "区间覆盖率", selected: "选用",
  anchors_link: "情景、真实锚点与口径 →", all_series: "（全部序列）", n_checks: "检查数",
  two_routes: "全国算力：两条口径并列", route: "口径", gap: "模型相对公布值",
  two_routes_note: "公布值（IDC，含由公布年份推算的年份）与 suanli 容量模型（合成出货数据）各用其名并列。在公布年份两者一致，只因模型按公布总量校准；在其余年份的差距来自推算方法与合成出货，并非对公布值的检验。",
});
Object.assign(T.en, {
  value_classes: "Value classes", national_series: "National capacity (installed at year end)", interval: "interval", tile_map: "Intelligent capacity by province (tile map; dots are cities)",
  mix: "Mix", mix_vendor: "Server vendor", mix_accelerator_vendor: "Accelerator vendor", mix_origin: "Domestic / imported", mix_industry: "Industry",
  measure: "Measure", intelligent_short: "Intelligent", general_short: "General", device_mix: "Accelerators shipped by model", shipped: "Shipped",
  tables_of_page: "Tables of this page (downloadable)", series_values: "Series values", forecast: "forecast", forecasts: "Forecasts (selected model)", model: "Model",
  checks: "Consistency checks", verdict: "Verdict", all: "All", backtests: "Back-tests", rule: "Rule", title: "Title", detail: "Detail",
  question: "Question", option: "Option", share: "Share", ci: "95% confidence interval", weighted: "weighted estimate", unweighted: "unweighted", published_value: "published figure",
  by_stratum: "Estimates by stratum", stratum: "Stratum", by: "Stratify by", weighting: "Weighting diagnostics", horizon: "Horizon", run: "Analysis", variant: " (variant)",
  sobol: "Sobol sensitivity indices (mean rank shift)", s1: "first-order S1", st: "total-order ST", rank_prob: "Rank probabilities", probability: "Probability",
  inputs: "Uncertainty inputs", no_tables: "This build has no tables of this stage.", source_table: "Table", city_dots: "Cities", no_value: "no data",
  legend_note: "Legend: solid line, filled marker = stated; dashed, open marker = derived; dotted diamond with band = modelled, with its interval; cross = synthetic.",
  mape: "MAPE", coverage: "Interval coverage", selected: "Selected",
  anchors_link: "Scenarios, real anchors and definitions →", all_series: "(all series)", n_checks: "checks",
  two_routes: "National compute by both routes, side by side", route: "Route", gap: "model vs published",
  two_routes_note: "The published series (IDC, with years derived from the published ones) and the suanli capacity model (synthetic shipments), each under its own name. In the published years they agree only because the model is calibrated to the published totals; elsewhere the gap comes from the back-cast and the synthetic shipments, and is not a test of the published figures.",
});

const SEQ = [[0, "#f4f7fb"], [0.5, "#6d9fd6"], [1, "#08306b"]];     // light = low, dark = high
const CLASS_MARK = { stated: { symbol: "circle", dash: "solid" }, derived: { symbol: "circle-open", dash: "dash" },
  modelled: { symbol: "diamond-open", dash: "dot" }, synthetic: { symbol: "x", dash: "solid" } };
const classLegend = (classes) => el("p", { class: "muted small classes" }, el("strong", { text: t("value_classes") + ": " }),
  [...classes].filter(Boolean).map((c) => el("span", { class: `vc vc-${c}`, title: nm("value_class_meaning", c), text: `${nm("value_class", c)} — ${nm("value_class_meaning", c)}` })));
const vcCell = (c) => c ? el("span", { class: `vc vc-${c}`, text: nm("value_class", c) }) : "—";
const pageTables = (names) => names.length ? el("details", { class: "small" }, el("summary", { text: t("tables_of_page") }),
  el("ul", { class: "plain" }, names.map((n) => el("li", {}, el("a", { href: `/tables?t=${n}`, text: n }), " · ",
    el("a", { href: `/api/tables/${n}/download`, download: `${n}.csv`, text: "CSV" }))))) : null;
const sel = (id, options, cur, label) => el("select", { id, "aria-label": label || id }, options.map(([v, txt]) => el("option", { value: v, selected: String(v) === String(cur), text: txt })));
const onChange = (s, f) => { s.addEventListener("change", f); return s; };

/* one line per measure, markers shaped by value class, the interval as a band */
function classTraces(rows, x, y, name, { lo, hi, color } = {}) {
  const out = [];
  if (lo && hi && rows.some((r) => r[lo] !== null && r[lo] !== undefined)) {
    const b = rows.filter((r) => r[lo] !== null && r[lo] !== undefined);
    out.push({ type: "scatter", mode: "lines", x: b.map((r) => r[x]), y: b.map((r) => r[hi]), line: { width: 0 }, showlegend: false, hoverinfo: "skip" },
      { type: "scatter", mode: "lines", x: b.map((r) => r[x]), y: b.map((r) => r[lo]), fill: "tonexty", fillcolor: "rgba(31,95,191,0.13)", line: { width: 0 },
        name: pesc(`${name} ${t("interval")}`), hoverinfo: "skip" });
  }
  const cls = rows.map((r) => r.value_class || "stated");
  const dash = cls.every((c) => c === cls[0]) ? CLASS_MARK[cls[0]]?.dash || "solid" : "solid";
  out.push({ type: "scatter", mode: "lines+markers", name: pesc(name), x: rows.map((r) => r[x]), y: rows.map((r) => r[y]),
    line: { dash, color }, marker: { symbol: cls.map((c) => CLASS_MARK[c]?.symbol || "circle"), size: 9, color },
    text: cls.map((c) => pesc(nm("value_class", c))), hovertemplate: "%{x}: %{y:.2f} (%{text})<extra>" + pesc(name) + "</extra>" });
  return out;
}

/* ---------------------------------------------------------------- capacity */
async function viewCapacity(main) {
  const v = await api("/api/views/capacity");
  const kids = [el("h1", { text: t("nav_capacity") }),
    // the capacity stage's own page: scenarios against IDC, announced centres, definitions bridge
    el("p", {}, el("a", { href: `/capacity/anchors?lang=${state.lang}`, id: "capacity-anchors-link", text: t("anchors_link") }))];
  if (!v.national.length && !v.provinces.length) { main.replaceChildren(...kids, el("p", { class: "muted", id: "no-stage", text: t("no_tables") })); return; }
  const charts = [];
  if (v.national.length) {
    const c = el("div", { class: "chart", id: "chart-cap-national" });
    kids.push(el("h2", { text: t("national_series") }), c, classLegend(new Set(v.national.map((r) => r.value_class))));
    const pub = v.published;
    charts.push(() => plot(c, [
      ...classTraces(v.national, "year", "intelligent_eflops", t("intelligent"), { lo: "intelligent_eflops_lo", hi: "intelligent_eflops_hi", color: "#1f5fbf" }),
      ...classTraces(v.national, "year", "general_eflops", t("general"), { lo: "general_eflops_lo", hi: "general_eflops_hi", color: "#b36b00" }),
      ...(pub.length ? [{ type: "scatter", mode: "markers", name: pesc(`${t("published")} (${nm("value_class", "stated")})`), x: pub.map((r) => r.year), y: pub.map((r) => r.published),
        marker: { symbol: "diamond", size: 11, color: "#111" }, text: pub.map((r) => pesc(r.source || "")), hovertemplate: "%{x}: %{y:.1f}<br>%{text}<extra></extra>" }] : []),
    ], { yaxis: { title: { text: "EFLOPS" }, rangemode: "tozero" }, legend: { orientation: "h", y: -0.2 }, height: 380 }));
    if (pub.length) kids.push(table([{ label: t("year"), get: (r) => r.year }, { label: t("metric"), t: true, get: (r) => nm("column", r.metric) || r.metric },
      { label: t("computed"), get: (r) => fmt(r.computed, 1) }, { label: t("published"), get: (r) => fmt(r.published, 1) },
      { label: t("rel_diff"), get: (r) => fmt(100 * r.rel_diff, 3) + "%" }, { label: t("sources"), t: true, get: (r) => cite(r.source) }], pub, { id: "cap-published" }));
  }
  if (v.routes && v.routes.length) {
    const c = el("div", { class: "chart", id: "chart-cap-routes" });
    const routeName = (r) => state.lang === "en" ? r.name_en : r.name_zh;
    kids.push(el("h2", { text: t("two_routes") }), el("p", { class: "muted small", id: "cap-routes-note", text: t("two_routes_note") }), c,
      classLegend(new Set(v.routes.map((r) => r.value_class))));
    const colors = { intelligent: "#1f5fbf", general: "#b36b00" };
    const traces = [];
    for (const q of ["intelligent", "general"]) {
      for (const route of ["published", "model"]) {
        const rows = v.routes.filter((r) => r.quantity === q && r.route === route);
        if (!rows.length) continue;
        const band = route === "model" ? { lo: "lo", hi: "hi" } : {};
        traces.push(...classTraces(rows, "year", "value", `${t(q + "_short")} · ${routeName(rows[0])}`, { ...band, color: colors[q] }));
      }
    }
    charts.push(() => plot(c, traces, { yaxis: { title: { text: "EFLOPS" }, rangemode: "tozero" }, legend: { orientation: "h", y: -0.2 }, height: 380 }));
    kids.push(table([{ label: t("year"), get: (r) => r.year }, { label: t("measure"), t: true, get: (r) => t(r.quantity + "_short") },
      { label: t("route"), t: true, get: routeName }, { label: "EFLOPS", get: (r) => fmt(r.value, 1) },
      { label: t("interval"), get: (r) => r.lo === null || r.lo === undefined || r.lo === r.hi ? "—" : `${fmt(r.lo, 1)}–${fmt(r.hi, 1)}` },
      { label: t("gap"), get: (r) => r.gap === null || r.gap === undefined ? "—" : fmt(100 * r.gap, 1) + "%" },
      { label: t("value_classes"), get: (r) => vcCell(r.value_class) }], v.routes, { id: "cap-routes" }));
  }
  if (v.provinces.length) {
    const years = [...new Set(v.provinces.map((r) => r.year))].sort();
    const p = new URLSearchParams(location.search);
    const ysel = onChange(sel("map-year", years.map((y) => [y, String(y)]), years.includes(+p.get("year")) ? +p.get("year") : years[years.length - 1], t("year")), () => { setUrl({ year: ysel.value }); drawMap(); });
    const c = el("div", { class: "chart tilemap", id: "chart-tilemap" });
    kids.push(el("h2", { text: t("tile_map") }), el("div", { class: "toolbar" }, el("label", { for: "map-year", text: t("year") }), ysel), c);
    const drawMap = () => {
      const y = +ysel.value;
      const val = Object.fromEntries(v.provinces.filter((r) => r.year === y).map((r) => [r.province, r.intelligent_eflops]));
      const tiles = v.grid.tiles;
      const cities = v.cities.filter((r) => r.year === y && r.province);
      const byProv = {};
      for (const r of cities) (byProv[r.province] ||= []).push(r);
      const cx = [], cy = [], cs = [], ct = [];
      for (const [prov, rows] of Object.entries(byProv)) {
        const tile = tiles.find((x) => x.province === prov); if (!tile) continue;
        rows.forEach((r, i) => {
          const a = (2 * Math.PI * i) / Math.max(rows.length, 1);
          const rad = rows.length > 1 ? 0.24 : 0;
          cx.push(tile.col + rad * Math.cos(a)); cy.push(-tile.row - 0.08 + 0.8 * rad * Math.sin(a));
          cs.push(4 + 2.2 * Math.sqrt(Math.max(0, r.intelligent_eflops || 0)));
          ct.push(pesc(`${nm("city", r.city)}: ${fmt(r.intelligent_eflops, 1)} EFLOPS (${nm("value_class", r.value_class)})`));
        });
      }
      const narrow = window.innerWidth < 600;
      const vmax = Math.max(1e-9, ...Object.values(val).filter((x) => x !== null));
      const shade = (x) => { if (x === null || x === undefined) return "#e9ecef"; const k = Math.sqrt(Math.max(0, x) / vmax);
        const a = [244, 247, 251], b = [8, 48, 107]; return `rgb(${a.map((q, i) => Math.round(q + (b[i] - q) * k)).join(",")})`; };
      const shapes = tiles.map((x) => ({ type: "rect", x0: x.col - 0.46, x1: x.col + 0.46, y0: -x.row - 0.46, y1: -x.row + 0.46,
        fillcolor: shade(val[x.province]), line: { color: "#c9ced6", width: 1 }, layer: "below" }));
      const dark = (x) => (val[x.province] ?? 0) / vmax > 0.3;
      plot(c, [{ type: "scatter", mode: "text", x: tiles.map((x) => x.col), y: tiles.map((x) => -x.row + 0.3),
        text: tiles.map((x) => pesc(nm("province", x.province))), textfont: { size: narrow ? 7 : 10, color: tiles.map((x) => dark(x) ? "#fff" : "#1d2330") },
        hoverinfo: "skip", showlegend: false },
      { type: "scatter", mode: "markers", x: tiles.map((x) => x.col), y: tiles.map((x) => -x.row),
        hovertext: tiles.map((x) => pesc(`${nm("province", x.province)}: ${val[x.province] === undefined ? t("no_value") : fmt(val[x.province], 1) + " EFLOPS"}`)), hoverinfo: "text",
        marker: { size: 1, opacity: 0, color: tiles.map((x) => val[x.province] ?? 0), colorscale: SEQ.map(([k, c]) => [k, c]), cmin: 0, cmax: vmax, showscale: !narrow,
          colorbar: { title: { text: "EFLOPS" }, thickness: 12 } }, showlegend: false },
      { type: "scatter", mode: "markers", x: cx, y: cy, hovertext: ct, hoverinfo: "text", name: pesc(t("city_dots")),
        marker: { size: cs.map((q) => narrow ? q * 0.6 : q), color: "rgba(179,38,30,0.8)", line: { color: "#fff", width: 1 } }, showlegend: false }],
      { height: narrow ? 360 : 560, shapes, xaxis: { visible: false, range: [-0.6, v.grid.cols - 0.4], fixedrange: true },
        yaxis: { visible: false, range: [-v.grid.rows + 0.4, 0.6], scaleanchor: "x", fixedrange: true }, margin: { l: 4, r: 4, t: 10, b: 4 } });
    };
    charts.push(drawMap);
  }
  const mixKeys = Object.keys(v.mix);
  if (mixKeys.length) {
    const p = new URLSearchParams(location.search);
    const ksel = onChange(sel("mix-key", mixKeys.map((k) => [k, t("mix_" + k)]), mixKeys.includes(p.get("mix")) ? p.get("mix") : mixKeys[0], t("mix")), () => { setUrl({ mix: ksel.value }); drawMix(); });
    const msel = onChange(sel("mix-measure", [["intelligent_eflops", t("intelligent")], ["general_eflops", t("general")]], p.get("measure") || "intelligent_eflops", t("measure")), () => { setUrl({ measure: msel.value }); drawMix(); });
    const c = el("div", { class: "chart", id: "chart-mix" });
    const host = el("div", { id: "mix-table-host" });
    kids.push(el("h2", { text: t("mix") }), el("div", { class: "toolbar" }, ksel, msel), c, host);
    const kindOf = { vendor: "vendor", accelerator_vendor: "accelerator_vendor", origin: "origin", industry: "industry" };
    const drawMix = () => {
      const rows = v.mix[ksel.value]; const m = msel.value;
      const keys = [...new Set(rows.map((r) => r.key))].filter((k) => rows.some((r) => r.key === k && r[m] > 0));
      const years = [...new Set(rows.map((r) => r.year))].sort();
      plot(c, keys.map((k) => ({ type: "bar", name: pesc(nm(kindOf[ksel.value], k)), x: years,
        y: years.map((y) => (rows.find((r) => r.key === k && r.year === y) || {})[m] ?? null) })),
      { barmode: "stack", yaxis: { title: { text: "EFLOPS" } }, legend: { orientation: "h", y: -0.2 }, height: 380 });
      const last = years[years.length - 1];
      const lr = rows.filter((r) => r.year === last && r[m] > 0);
      const tot = lr.reduce((s, r) => s + r[m], 0);
      host.replaceChildren(table([{ label: t("name"), t: true, get: (r) => nm(kindOf[ksel.value], r.key) }, { label: `${last} EFLOPS`, get: (r) => fmt(r[m], 1) },
        { label: t("share"), get: (r) => fmt(100 * r[m] / tot, 1) + "%" }, { label: t("value_classes"), t: true, get: (r) => vcCell(r.value_class) }],
      lr.sort((a, b) => b[m] - a[m]), { id: "mix-table" }));
    };
    charts.push(drawMix);
  }
  if (v.device_mix.length) {
    const years = [...new Set(v.device_mix.map((r) => r.year))].sort();
    const dsel = onChange(sel("device-year", years.map((y) => [y, String(y)]), years[years.length - 1], t("year")), () => drawDev());
    const c = el("div", { class: "chart", id: "chart-device" });
    kids.push(el("h2", { text: t("device_mix") }), el("div", { class: "toolbar" }, dsel), c);
    const drawDev = () => {
      const rows = v.device_mix.filter((r) => r.year === +dsel.value).sort((a, b) => a.accelerators_shipped - b.accelerators_shipped);
      const origins = [...new Set(rows.map((r) => r.origin))];
      plot(c, origins.map((o) => { const rr = rows.filter((r) => r.origin === o); return { type: "bar", orientation: "h", name: pesc(nm("origin", o)),
        x: rr.map((r) => r.accelerators_shipped), y: rr.map((r) => pesc(`${enOnly(r.accelerator_model)} · ${nm("accelerator_vendor", r.vendor)}`) + " ") }; }),
      { barmode: "stack", height: Math.max(260, 22 * rows.length + 80), margin: { l: 10, r: 20, t: 10, b: 40 }, yaxis: { automargin: true },
        xaxis: { title: { text: pesc(t("shipped")) } }, legend: { orientation: "h", y: -0.15 } });
    };
    charts.push(drawDev);
  }
  kids.push(pageTables(v.tables));
  main.replaceChildren(...kids.filter(Boolean));
  for (const f of charts) f();
}

/* ---------------------------------------------------------------- markets */
const seriesName = (s) => `${nm("metric", s.metric)} · ${nm("market_region", s.region)}${s.segment !== "total" ? " · " + nm("segment", s.segment) : ""} (${nm("unit", s.unit)})`;
async function viewMarkets(main) {
  const v = await api("/api/views/markets");
  const kids = [el("h1", { text: t("nav_markets") })];
  if (!v.series.length) { main.replaceChildren(...kids, el("p", { class: "muted", id: "no-stage", text: t("no_tables") })); return; }
  const p = new URLSearchParams(location.search);
  const ids = v.series.map((s) => s.series);
  const cur = ids.includes(p.get("series")) ? p.get("series") : (ids.find((x) => x.startsWith("ai_server_market:china")) || ids[0]);
  const ssel = onChange(sel("market-series", v.series.map((s) => [s.series, seriesName(s)]), cur, t("series")), () => { setUrl({ series: ssel.value }); draw(); });
  const c = el("div", { class: "chart", id: "chart-market-series" });
  const host = el("div", { id: "market-points-host" });
  kids.push(el("div", { class: "toolbar" }, el("label", { for: "market-series", text: t("series") }), ssel), c, classLegend(new Set(v.points.map((r) => r.value_class).concat(v.forecasts.length ? ["modelled"] : []))),
    el("p", { class: "muted small", text: t("legend_note") }), host);
  const draw = () => {
    const s = v.series.find((x) => x.series === ssel.value);
    const pts = v.points.filter((r) => r.series === s.series).sort((a, b) => a.year - b.year);
    const fc = v.forecasts.filter((r) => r.series === s.series && r.selected).sort((a, b) => a.year - b.year);
    const traces = [{ type: "scatter", mode: "lines", x: pts.map((r) => r.year), y: pts.map((r) => r.v), line: { color: "#9aa3ad", width: 1 }, showlegend: false, hoverinfo: "skip" }];
    for (const cls of ["stated", "derived", "modelled", "synthetic"]) {
      const rr = pts.filter((r) => r.value_class === cls);
      if (!rr.length) continue;
      traces.push({ type: "scatter", mode: "markers", name: pesc(nm("value_class", cls)), x: rr.map((r) => r.year), y: rr.map((r) => r.v),
        marker: { symbol: CLASS_MARK[cls].symbol, size: 10, color: "#1f5fbf" },
        error_y: rr.some((r) => r.lo !== null && r.hi !== null && r.hi > r.lo) ? { type: "data", symmetric: false, array: rr.map((r) => (r.hi ?? r.v) - r.v), arrayminus: rr.map((r) => r.v - (r.lo ?? r.v)), thickness: 1 } : undefined,
        text: rr.map((r) => pesc(nm("market_method", String(r.method || "").split(";")[0]))), hovertemplate: "%{x}: %{y:.2f}<br>%{text}<extra></extra>" });
    }
    if (fc.length) {
      traces.push({ type: "scatter", mode: "lines", x: fc.map((r) => r.year), y: fc.map((r) => r.hi), line: { width: 0 }, showlegend: false, hoverinfo: "skip" },
        { type: "scatter", mode: "lines", x: fc.map((r) => r.year), y: fc.map((r) => r.lo), fill: "tonexty", fillcolor: "rgba(179,107,0,0.15)", line: { width: 0 }, name: pesc(`${t("interval")} ${fc[0].level}%`), hoverinfo: "skip" },
        { type: "scatter", mode: "lines+markers", name: pesc(`${t("forecast")} (${nm("model", fc[0].model)}, ${nm("value_class", "modelled")})`), x: fc.map((r) => r.year), y: fc.map((r) => r.v),
          line: { dash: "dot", color: "#b36b00" }, marker: { symbol: "diamond-open", size: 9, color: "#b36b00" } });
    }
    plot(c, traces, { yaxis: { title: { text: pesc(nm("unit", s.unit)) }, rangemode: "tozero" }, legend: { orientation: "h", y: -0.2 }, height: 400,
      title: { text: pesc(seriesName(s)), font: { size: 13 } } });
    host.replaceChildren(el("h3", { text: t("series_values") }), table([{ label: t("year"), get: (r) => r.year }, { label: nm("unit", s.unit), get: (r) => fmt(r.v) },
      { label: t("interval"), get: (r) => r.lo !== null && r.hi !== null && r.hi > r.lo ? `${fmt(r.lo)}–${fmt(r.hi)}` : "—" },
      { label: t("value_classes"), t: true, get: (r) => vcCell(r.value_class) }, { label: t("method_steps"), t: true, get: (r) => String(r.method || "").split(";").map((m) => nm("market_method", m)).join(" + ") }],
    pts, { id: "market-points" }),
    fc.length ? el("h3", { text: t("forecasts") }) : null,
    fc.length ? table([{ label: t("year"), get: (r) => r.year }, { label: t("model"), t: true, get: (r) => nm("model", r.model) }, { label: nm("unit", s.unit), get: (r) => fmt(r.v) },
      { label: `${t("interval")} (${fc[0].level}%)`, get: (r) => `${fmt(r.lo)}–${fmt(r.hi)}` }, { label: t("value_classes"), t: true, get: (r) => vcCell(r.value_class) }], fc, { id: "market-forecasts" }) : null);
  };
  /* the checker writes its titles in English: the Chinese page names the rule and the series in
     Chinese and keeps the checker's own title beside it as the original */
  const seriesLabel = (id) => { const s = v.series.find((x) => x.series === id); if (s) return seriesName(s);
    const [m, r, g] = String(id || "").split(":"); return m && nm("metric", m) !== m ? [nm("metric", m), r ? nm("market_region", r) : "", g && g !== "total" ? nm("segment", g) : ""].filter(Boolean).join(" · ") : ""; };
  const checkTitle = (r) => state.lang === "en" ? quoting(r.title) : el("span", {}, [nm("rule", r.rule), seriesLabel(r.series)].filter(Boolean).join("："), el("br"),
    r.title_zh ? el("span", { class: "muted small", text: r.title_zh }) : enOriginal(r.title));
  let checkChart = null;
  if (v.checks.length) {
    const counts = {};
    for (const r of v.checks) counts[r.verdict] = (counts[r.verdict] || 0) + 1;
    const vsel = onChange(sel("verdict-filter", [["", t("all")], ...Object.keys(counts).map((k) => [k, `${nm("verdict", k)} (${counts[k]})`])], p.get("verdict") || "", t("verdict")), () => { setUrl({ verdict: vsel.value }); drawChecks(); });
    const chost = el("div", { id: "checks-host" });
    const cchart = el("div", { class: "chart", id: "chart-checks" });
    kids.push(el("h2", { text: t("checks") }), el("div", { class: "cards" }, Object.entries(counts).map(([k, n]) => el("div", { class: `card verdict-${k}` }, el("div", { class: "muted", text: nm("verdict", k) }), el("div", { class: "big", text: String(n) })))),
      cchart, el("div", { class: "toolbar" }, el("label", { for: "verdict-filter", text: t("verdict") }), vsel), chost);
    /* verdicts by rule: one stacked bar per rule, coloured by verdict (as the badges) */
    const VCOL = { PASS: "#137333", APPROX: "#c69200", INFO: "#1f5fbf", WARN: "#e8710a", FAIL: "#b3261e" };
    const rules = [...new Set(v.checks.map((r) => r.rule))].sort((a, b) => v.checks.filter((r) => r.rule === a).length - v.checks.filter((r) => r.rule === b).length);
    checkChart = () => plot(cchart, ["PASS", "APPROX", "INFO", "WARN", "FAIL"].filter((k) => counts[k]).map((k) => ({ type: "bar", orientation: "h", name: pesc(nm("verdict", k)),
      y: rules.map((r) => pesc(nm("rule", r)) + " "), x: rules.map((r) => v.checks.filter((c) => c.rule === r && c.verdict === k).length), marker: { color: VCOL[k] } })),
    { barmode: "stack", height: Math.max(260, 20 * rules.length + 90), margin: { l: 10, r: 20, t: 10, b: 40 }, yaxis: { automargin: true },
      xaxis: { title: { text: pesc(t("n_checks")) } }, legend: { orientation: "h", y: -0.12 } });
    const drawChecks = () => chost.replaceChildren(table([{ label: "id", t: true, get: (r) => r.check_id }, { label: t("verdict"), t: true, get: (r) => el("span", { class: `badge verdict-${r.verdict}`, text: nm("verdict", r.verdict) }) },
      { label: t("rule"), t: true, get: (r) => nm("rule", r.rule) }, { label: t("title"), t: true, cls: () => "wrap", get: (r) => checkTitle(r) }, { label: t("published"), get: (r) => fmt(r.stated) },
      { label: t("computed"), get: (r) => fmt(r.recomputed) }, { label: t("unit"), t: true, get: (r) => nm("unit", r.unit || "") }, { label: t("detail"), t: true, cls: () => "wrap", get: (r) => noteIn(r.detail, r.detail_zh) }],
    v.checks.filter((r) => !vsel.value || r.verdict === vsel.value), { id: "market-checks", search: true }));
    drawChecks();
  }
  if (v.backtests.length) {
    kids.push(el("h2", { text: t("backtests") }), table([{ label: t("series"), t: true, get: (r) => { const s = v.series.find((x) => x.series === r.series); return s ? seriesName(s) : r.series === "(all series)" ? t("all_series") : raw(r.series); } },
      { label: t("model"), t: true, get: (r) => nm("model", r.model) }, { label: t("mape"), get: (r) => r.mape === null ? "—" : fmt(r.mape, 1) + "%" },
      { label: t("coverage"), get: (r) => r.coverage === null ? "—" : fmt(100 * r.coverage, 0) + "%" }, { label: t("selected"), get: (r) => r.selected ? "✓" : "" },
      { label: t("detail"), t: true, cls: () => "wrap", get: (r) => noteIn(r.note, r.note_zh) }], v.backtests, { id: "market-backtests" }));
  }
  kids.push(pageTables(v.tables));
  main.replaceChildren(...kids.filter(Boolean));
  draw();
  if (checkChart) checkChart();
}

/* ---------------------------------------------------------------- survey */
async function viewSurvey(main) {
  const v = await api("/api/views/survey");
  const kids = [el("h1", { text: t("nav_survey") })];
  if (!v.estimates.length) { main.replaceChildren(...kids, el("p", { class: "muted", id: "no-stage", text: t("no_tables") })); return; }
  const zh = () => state.lang === "zh";
  const qkey = (r) => `${r.question_id}|${r.horizon}`;
  const qs = []; const seen = new Set();
  for (const r of v.estimates) if (!seen.has(qkey(r))) { seen.add(qkey(r)); qs.push(r); }
  const p = new URLSearchParams(location.search);
  const qlabel = (r) => `${r.figure ? (zh() ? r.figure : String(r.figure).replace(/^图\s*(\d+)/, "Figure $1")) + " · " : ""}${zh() ? r.question_zh : r.question_en}${r.horizon && r.horizon !== "now" ? ` (${zh() ? r.horizon_zh : r.horizon_en})` : ""}`;
  const qsel = onChange(sel("survey-question", qs.map((r) => [qkey(r), qlabel(r)]), qs.some((r) => qkey(r) === p.get("q")) ? p.get("q") : qkey(qs[0]), t("question")), () => { setUrl({ q: qsel.value }); draw(); });
  const c = el("div", { class: "chart", id: "chart-survey" });
  const host = el("div", { id: "survey-host" });
  const bys = [...new Set(v.by_stratum.map((r) => r.by))];
  const bsel = onChange(sel("survey-by", bys.map((b) => [b, nm("survey_by", b)]), bys.includes(p.get("by")) ? p.get("by") : bys[0], t("by")), () => { setUrl({ by: bsel.value }); drawStrata(); });
  const osel = el("select", { id: "survey-option", "aria-label": t("option") });
  osel.addEventListener("change", () => drawStrata());
  const c2 = el("div", { class: "chart", id: "chart-survey-strata" });
  kids.push(el("div", { class: "toolbar" }, el("label", { for: "survey-question", text: t("question") }), qsel), c, classLegend(new Set(v.estimates.map((r) => r.value_class))), host);
  if (bys.length) kids.push(el("h2", { text: t("by_stratum") }), el("div", { class: "toolbar" }, el("label", { for: "survey-by", text: t("by") }), bsel, el("label", { for: "survey-option", text: t("option") }), osel), c2);
  if (v.weighting.length) kids.push(el("h2", { text: t("weighting") }), table(Object.keys(v.weighting[0]).map((k) => ({ label: nm("column", k) || k, t: typeof v.weighting[0][k] === "string",
    get: (r) => k === "value_class" ? vcCell(r[k]) : k === "step" ? nm("weighting_step", r[k]) : typeof r[k] === "number" && !Number.isInteger(r[k]) ? fmt(r[k], 3) : (r[k] === true ? "✓" : r[k] === false ? "✗" : r[k]) })), v.weighting, { id: "survey-weighting" }));
  kids.push(pageTables(v.tables));
  const current = () => v.estimates.filter((r) => qkey(r) === qsel.value).sort((a, b) => (a.order ?? a.position) - (b.order ?? b.position));
  const draw = () => {
    const rows = current().slice().reverse();
    const ol = (r) => pesc(zh() ? r.option_zh : r.option_en) + " ";
    const traces = [{ type: "bar", orientation: "h", name: pesc(t("weighted")), y: rows.map(ol), x: rows.map((r) => 100 * r.share), marker: { color: "#1f5fbf" },
      error_x: { type: "data", symmetric: false, array: rows.map((r) => 100 * (r.ci_high - r.share)), arrayminus: rows.map((r) => 100 * (r.share - r.ci_low)), color: "#111", thickness: 1.2 } },
    { type: "scatter", mode: "markers", name: pesc(t("unweighted")), y: rows.map(ol), x: rows.map((r) => r.share_unweighted === null ? null : 100 * r.share_unweighted), marker: { symbol: "line-ns-open", size: 14, color: "#b36b00" } }];
    if (rows.some((r) => r.published_value !== null && r.published_value !== undefined)) traces.push({ type: "scatter", mode: "markers", name: pesc(t("published_value")), y: rows.map(ol), x: rows.map((r) => r.published_value === null ? null : 100 * r.published_value), marker: { symbol: "diamond", size: 10, color: "#111" } });
    plot(c, traces, { height: Math.max(260, 30 * rows.length + 90), margin: { l: 10, r: 20, t: 10, b: 40 }, yaxis: { automargin: true }, xaxis: { title: { text: "%" }, rangemode: "tozero" }, legend: { orientation: "h", y: -0.12 } });
    const cur = current();
    host.replaceChildren(table([{ label: t("option"), t: true, get: (r) => zh() ? r.option_zh : r.option_en }, { label: t("share"), get: (r) => fmt(100 * r.share, 1) + "%" },
      { label: t("ci"), get: (r) => `${fmt(100 * r.ci_low, 1)}–${fmt(100 * r.ci_high, 1)}%` }, { label: t("unweighted"), get: (r) => r.share_unweighted === null ? "—" : fmt(100 * r.share_unweighted, 1) + "%" },
      { label: t("published_value"), get: (r) => r.published_value === null || r.published_value === undefined ? "—" : fmt(100 * r.published_value, 1) + "%" },
      { label: "n", get: (r) => r.n }, { label: "deff", get: (r) => fmt(r.deff, 2) }, { label: t("value_classes"), t: true, get: (r) => vcCell(r.value_class) }], cur, { id: "survey-estimates" }));
    const keep = osel.value;
    osel.replaceChildren(...cur.map((r) => el("option", { value: r.option_id, text: zh() ? r.option_zh : r.option_en })));
    if (cur.some((r) => r.option_id === keep)) osel.value = keep;
    drawStrata();
  };
  const drawStrata = () => {
    if (!bys.length) return;
    const [qid, hz] = qsel.value.split("|");
    const rows = v.by_stratum.filter((r) => r.by === bsel.value && r.question_id === qid && String(r.horizon) === hz && r.option_id === osel.value);
    const overall = v.estimates.find((r) => qkey(r) === qsel.value && r.option_id === osel.value);
    plot(c2, [{ type: "bar", name: pesc(t("weighted")), x: rows.map((r) => pesc(nm("stratum", r.stratum))), y: rows.map((r) => 100 * r.share),
      error_y: { type: "data", symmetric: false, array: rows.map((r) => 100 * (r.ci_high - r.share)), arrayminus: rows.map((r) => 100 * (r.share - r.ci_low)), color: "#111" },
      text: rows.map((r) => `n=${r.n}`), textposition: "none", hovertemplate: "%{x}: %{y:.1f}% (%{text})<extra></extra>", marker: { color: "#1f5fbf" } }],
    { height: 340, yaxis: { title: { text: "%" }, rangemode: "tozero" }, xaxis: { automargin: true, tickangle: -30 },
      shapes: overall ? [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: 100 * overall.share, y1: 100 * overall.share, line: { dash: "dot", color: "#b3261e" } }] : [],
      title: { text: pesc(`${t("ci")}; ${state.lang === "zh" ? "红色点线 = 总体估计" : "red dotted line = overall estimate"}`), font: { size: 12 } } });
  };
  main.replaceChildren(...kids.filter(Boolean));
  draw();
}

/* ---------------------------------------------------------------- sensitivity */
/* an uncertain input's name in the page's language ("weights L2+3", "exclude one indicator" …) */
const inLabelOf = (s) => { const base = String(s).split(" ")[0]; const full = nm("sobol_input", s); return full !== s ? full : (nm("sobol_input", base) !== base ? nm("sobol_input", base) + String(s).slice(base.length) : s); };
async function viewSensitivity(main) {
  const v = await api("/api/views/sensitivity");
  const kids = [el("h1", { text: t("nav_sensitivity") })];
  if (!v.runs.length) { main.replaceChildren(...kids, el("p", { class: "muted", id: "no-stage", text: t("no_tables") })); return; }
  const p = new URLSearchParams(location.search);
  const title = (r) => { const a = state.meta.assessments.find((x) => x.name === r.assessment); return (a ? (state.lang === "zh" ? a.title_zh : a.title_en) : r.assessment) + (r.variant ? `${t("variant")} ${r.run}` : ""); };
  const rsel = onChange(sel("sens-run", v.runs.map((r) => [r.run, title(r)]), v.runs.some((r) => r.run === p.get("run")) ? p.get("run") : v.runs[0].run, t("run")), () => { setUrl({ run: rsel.value }); route(); });
  const r = v.runs.find((x) => x.run === rsel.value);
  kids.push(el("div", { class: "toolbar" }, el("label", { for: "sens-run", text: t("run") }), rsel));
  const names = Object.fromEntries(r.intervals.map((x) => [x.unit_id, x]));
  const uname = (id) => { const x = names[id]; if (!x) return id; const n = x.unit_name ?? id; return state.lang === "zh" ? n : (x.unit_name_en && x.unit_name_en !== n ? x.unit_name_en : enName(n)); };
  const charts = [];
  const sob = r.sobol.filter((x) => x.target === "mean_abs_rank_shift" || !x.target);
  if (sob.length) {
    const c = el("div", { class: "chart", id: "chart-sobol" });
    const inLabel = inLabelOf;
    kids.push(el("h2", { text: t("sobol") }), c, table([{ label: t("inputs"), t: true, get: (x) => inLabel(x.input) }, { label: t("s1"), get: (x) => `${fmt(x.S1, 3)} [${fmt(x.S1_lo, 2)}, ${fmt(x.S1_hi, 2)}]` },
      { label: t("st"), get: (x) => `${fmt(x.ST, 3)} [${fmt(x.ST_lo, 2)}, ${fmt(x.ST_hi, 2)}]` }, { label: "N", get: (x) => x.n_runs }], sob, { id: "sobol-table" }));
    const sorted = sob.slice().sort((a, b) => a.ST - b.ST);
    const bar = (k, name, color) => ({ type: "bar", orientation: "h", name: pesc(name), y: sorted.map((x) => pesc(inLabel(x.input)) + " "), x: sorted.map((x) => x[k]), marker: { color },
      error_x: { type: "data", symmetric: false, array: sorted.map((x) => (x[k + "_hi"] ?? x[k]) - x[k]), arrayminus: sorted.map((x) => x[k] - (x[k + "_lo"] ?? x[k])), thickness: 1 } });
    charts.push(() => plot(c, [bar("S1", t("s1"), "#9aa3ad"), bar("ST", t("st"), "#1f5fbf")], { barmode: "group", height: Math.max(260, 44 * sorted.length + 80),
      margin: { l: 10, r: 20, t: 10, b: 40 }, yaxis: { automargin: true }, legend: { orientation: "h", y: -0.15 } }));
  }
  if (r.intervals.length) {
    const iv = r.intervals.slice().sort((a, b) => a.nominal_rank - b.nominal_rank);
    const c = el("div", { class: "chart", id: "chart-sens-intervals" });
    kids.push(el("h2", { text: t("interval_as_built") }), c);
    const rev = iv.slice(0, 60).reverse();
    charts.push(() => plot(c, [{ type: "scatter", mode: "markers", x: rev.map((x) => x.median_rank), y: rev.map((x) => pesc(uname(x.unit_id)) + " "),
      error_x: { type: "data", symmetric: false, array: rev.map((x) => x.q95 - x.median_rank), arrayminus: rev.map((x) => x.median_rank - x.q05) }, name: pesc(t("median_rank")) },
    { type: "scatter", mode: "markers", x: rev.map((x) => x.nominal_rank), y: rev.map((x) => pesc(uname(x.unit_id)) + " "), marker: { symbol: "line-ns-open", size: 12, color: "#b3261e" }, name: pesc(t("nominal_rank")) }],
    { height: Math.max(260, 16 * rev.length + 80), xaxis: { autorange: "reversed", title: { text: pesc(t("rank")) } }, yaxis: { automargin: true }, margin: { l: 10, r: 20, t: 10, b: 40 }, legend: { orientation: "h", y: -0.1 } }));
    if (r.probabilities.length) {
      const c2 = el("div", { class: "chart", id: "chart-rank-prob" });
      kids.push(el("h2", { text: t("rank_prob") }), c2);
      const units = iv.map((x) => x.unit_id);
      const n = Math.max(...r.probabilities.map((x) => x.rank), units.length);
      const z = units.map(() => Array(n).fill(0));
      const pos = Object.fromEntries(units.map((u, i) => [u, i]));
      for (const x of r.probabilities) if (pos[x.unit_id] !== undefined && x.rank >= 1) z[pos[x.unit_id]][x.rank - 1] = x.probability;
      charts.push(() => plot(c2, [{ type: "heatmap", z, x: Array.from({ length: n }, (_, i) => i + 1), y: units.map((u) => pesc(uname(u)) + " "), colorscale: SEQ, zmin: 0, zmax: 1,
        colorbar: { title: { text: pesc(t("probability")) } }, hovertemplate: "%{y} · " + pesc(t("rank")) + " %{x}: %{z:.1%}<extra></extra>" }],
      { height: Math.max(280, 15 * units.length + 90), yaxis: { autorange: "reversed", automargin: true }, xaxis: { title: { text: pesc(t("rank")) } }, margin: { l: 10, r: 10, t: 10, b: 40 } }));
    }
    kids.push(table([{ label: t("nominal_rank"), get: (x) => fmt(x.nominal_rank, 0) }, { label: t("name"), t: true, get: (x) => uname(x.unit_id) },
      { label: t("median_rank"), get: (x) => fmt(x.median_rank, 1) }, { label: t("interval_as_built"), get: (x) => `${fmt(x.q05, 0)}–${fmt(x.q95, 0)}` },
      { label: t("p_top10"), get: (x) => x.p_top10 === null ? "—" : fmt(100 * x.p_top10, 0) + "%" }, { label: "N", get: (x) => x.n_samples }, { label: t("value_classes"), t: true, get: (x) => vcCell(x.value_class) }],
    iv, { id: "sens-intervals" }));
  }
  const inputCell = (k, x) => k === "input" ? inLabelOf(x[k]) : k === "kind" ? nm("input_kind", x[k]) : k === "choices" ? noteIn(x[k], x.choices_zh) : x[k];
  if (r.inputs.length) kids.push(el("h2", { text: t("inputs") }), table(Object.keys(r.inputs[0]).filter((k) => k !== "value_class" && !k.endsWith("_zh")).map((k) => ({ label: nm("column", k) || k, t: true, cls: () => "wrap", get: (x) => inputCell(k, x) })), r.inputs, { id: "sens-inputs" }));
  kids.push(pageTables(v.tables));
  main.replaceChildren(...kids.filter(Boolean));
  for (const f of charts) f();
}

Object.assign(STAGE_VIEWS, { capacity: viewCapacity, markets: viewMarkets, survey: viewSurvey, sensitivity: viewSensitivity });
