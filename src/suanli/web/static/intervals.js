/* Rank intervals in the ranking page: the build's ("as built") and, on request, intervals
   recomputed for the current settings by the server's uncertainty engine
   (POST /api/assessments/{name}/intervals, then GET /api/intervals/{job} for progress).
   Loaded before app.js; uses its helpers (el, t, fmt, plot, pesc, api, state) at call time. */
"use strict";

const IV_TEXT = {
  zh: {
    iv_current: "排名区间（当前设置）", iv_recompute: "按当前设置重新计算排名区间", iv_samples: "次抽样",
    iv_preparing: "准备中", iv_sampling: "抽样中", iv_queued: "排队中", iv_failed: "重新计算失败：",
    iv_note_current: "排名区间（5%–95%）按当前设置用不确定性引擎重新计算",
    iv_varied: "变动的输入", iv_held: "固定（按当前选择）", iv_stale: "设置已更改：下面仍是按构建设置计算的区间（灰色）。",
    iv_none: "本构建没有排名区间表；可按当前设置计算。",
  },
  en: {
    iv_current: "Rank interval (current settings)", iv_recompute: "Recompute the intervals for these settings", iv_samples: "samples",
    iv_preparing: "preparing", iv_sampling: "sampling", iv_queued: "queued", iv_failed: "Recomputing failed: ",
    iv_note_current: "Rank intervals (5th–95th percentile) recomputed for the current settings by the uncertainty engine",
    iv_varied: "inputs varied", iv_held: "held at your choice", iv_stale: "Settings differ from the build: the intervals below (greyed) are the as-built ones.",
    iv_none: "This build has no rank-interval table; compute them for the current settings.",
  },
};
const ivt = (k) => IV_TEXT[state.lang][k] ?? t(k);
const IV_SAMPLES = 500;

function rankIntervals({ name, a, note, chart, rerender }) {
  const built = Object.fromEntries((a.intervals || []).map((r) => [r.unit_id, r]));
  const hasBuilt = (a.intervals || []).length > 0;
  const done = {};               // settings key -> result of a finished recomputation
  let shown = null;              // the last re-score answer rendered
  let running = null;            // settings key being recomputed
  const keyOf = (s) => JSON.stringify(s);
  const progress = el("progress", { id: "iv-progress", max: 20, value: 0, hidden: true });
  const status = el("span", { class: "muted small", id: "iv-status", role: "status" });
  const button = el("button", { id: "iv-recompute", type: "button", hidden: true, onclick: () => start() });
  const bar = el("div", { class: "toolbar", id: "iv-bar" }, button, progress, status);
  note.after(bar);
  document.body.dataset.ivState = "idle";

  /* the intervals that apply to an answer: recomputed for its settings, else the build's */
  const pick = (res) => {
    const r = res && done[keyOf(res.settings)];
    if (r) return { kind: "current", byId: Object.fromEntries(r.units.map((u) => [u.unit_id, u])), result: r };
    return { kind: res && res.as_built ? "built" : "stale", byId: built };
  };
  const labelOf = (p) => (p.kind === "current" ? `${ivt("iv_current")} · ${p.result.samples} ${ivt("iv_samples")}` : t("interval_as_built"));

  function column(res) {
    const p = pick(res);
    const get = (r) => p.byId[r.unit_id];
    return { label: labelOf(p), cls: () => (p.kind === "stale" ? "dim" : ""), sortKey: (r) => (get(r) ? get(r).q05 : null),
      get: (r) => { const iv = get(r); return iv && iv.q05 !== null ? `${fmt(iv.q05, 0)}–${fmt(iv.q95, 0)}` : "—"; } };
  }

  function render(res) {
    shown = res;
    const p = pick(res);
    const key = keyOf(res.settings);
    if (p.kind === "current") {
      const r = p.result;
      note.textContent = `${ivt("iv_note_current")} (${r.samples} ${ivt("iv_samples")}, seed ${r.seed}; ${ivt("iv_varied")}: ${r.inputs.join(", ")}`
        + (r.held.length ? `; ${ivt("iv_held")}: ${r.held.join(", ")}` : "") + ").";
    } else if (!hasBuilt) note.textContent = ivt("iv_none");
    else note.textContent = p.kind === "built" ? t("interval_note_built") : ivt("iv_stale");
    note.classList.toggle("warn", p.kind === "stale");
    button.textContent = `${ivt("iv_recompute")} (${IV_SAMPLES} ${ivt("iv_samples")})`;
    button.hidden = p.kind !== "stale" && !(p.kind === "built" && !hasBuilt);
    button.disabled = running === key;
    if (running !== key && document.body.dataset.ivState !== "failed") { progress.hidden = true; status.textContent = ""; }
    const rows = res.units.map((r) => [r, p.byId[r.unit_id]]).filter(([, x]) => x && x.median_rank !== null).slice(0, 50).reverse();
    if (!rows.length) { chart.replaceChildren(); return; }
    plot(chart, [{ type: "scatter", mode: "markers", orientation: "h", x: rows.map(([, x]) => x.median_rank), y: rows.map(([r]) => pesc(unitName(r)) + " "),
      error_x: { type: "data", symmetric: false, array: rows.map(([, x]) => x.q95 - x.median_rank), arrayminus: rows.map(([, x]) => x.median_rank - x.q05) },
      marker: { color: p.kind === "stale" ? "#9aa3ad" : p.kind === "current" ? "#137333" : "#1f5fbf" }, name: pesc(labelOf(p)) }],
    { height: Math.max(260, 16 * rows.length + 70), title: { text: pesc(labelOf(p) + (p.kind === "stale" ? " · " + t("settings_differ") : "")), font: { size: 13 } },
      xaxis: { title: { text: pesc(t("rank")) }, autorange: "reversed" }, margin: { l: 110, r: 20, t: 40, b: 40 }, yaxis: { automargin: true } });
  }

  async function start() {
    if (!shown) return;
    const settings = shown.settings;
    const key = keyOf(settings);
    running = key;
    button.disabled = true;
    progress.hidden = false; progress.value = 0;
    status.textContent = ivt("iv_queued");
    document.body.dataset.ivState = "running";
    try {
      let job = await api(`/api/assessments/${name}/intervals`, { settings, samples: IV_SAMPLES });
      while (job.status === "queued" || job.status === "running") {
        progress.max = job.total; progress.value = job.done;
        document.body.dataset.ivProgress = `${job.done}/${job.total}`;
        status.textContent = `${ivt("iv_" + job.phase) || job.phase} ${job.done}/${job.total}`;
        await new Promise((ok) => setTimeout(ok, 300));
        job = await api(`/api/intervals/${job.job}`);
      }
      if (job.status !== "done") throw new Error(job.error || job.status);
      done[key] = job.result;
      document.body.dataset.ivProgress = `${job.total}/${job.total}`;
      running = null;
      progress.hidden = true; status.textContent = "";
      document.body.dataset.ivState = "done";
      if (shown && keyOf(shown.settings) === key) rerender();
    } catch (e) {
      running = null;
      progress.hidden = true;
      status.textContent = ivt("iv_failed") + String(e.message);
      document.body.dataset.ivState = "failed";
      button.disabled = false;
    }
  }

  return { column, render };
}
