/// The monitor's live dashboard (`GET /` and `GET /dashboard`): one static page whose script polls the
/// monitor's own JSON API every two seconds (`/api/status`, `/api/models`, `/api/models/{id}/windows`) and
/// draws the models with their severity, the per-feature drift over the recent windows (a heat map: one cell
/// per window, coloured by severity, PSI on hover), the consumer lag and the throughput. No external assets:
/// it works on an air-gapped cluster. Every model card carries `data-model` and `data-severity` attributes, and
/// every heat-map row `data-feature` and `data-severity` (its latest window's), for scripts and tests.
enum MonitorDashboard {
    static let html = #"""
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Driftwatch monitor</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;background:#f4f6f8;color:#1d2329}
header{background:#1d2329;color:#fff;padding:10px 20px;display:flex;align-items:center;gap:24px;flex-wrap:wrap}
header h1{font-size:18px;margin:0}header .stat{font-size:13px;color:#cfd8dc}header .stat b{color:#fff;font-size:15px}
main{padding:14px 20px;max-width:1500px}
.model{background:#fff;border:1px solid #dde1e5;border-left:6px solid #2e7d32;border-radius:6px;padding:10px 14px;margin-bottom:14px}
.model[data-severity=WARNING]{border-left-color:#f9a825}.model[data-severity=CRITICAL]{border-left-color:#c62828}.model[data-severity=RECOVERED]{border-left-color:#1565c0}
.model h2{font-size:16px;margin:0 0 6px}.muted{color:#5f6b76;font-size:12px}
.sev{display:inline-block;padding:1px 8px;border-radius:9px;color:#fff;font-size:12px;font-weight:600;margin-left:6px}
.sev.NORMAL{background:#2e7d32}.sev.WARNING{background:#f9a825;color:#222}.sev.CRITICAL{background:#c62828}.sev.RECOVERED{background:#1565c0}
table.heat{border-collapse:collapse;font-size:12px;margin-top:6px}table.heat td{padding:0;height:18px}
table.heat td.name{padding:0 8px 0 0;white-space:nowrap;text-align:right}
table.heat td.cell{width:22px;border:1px solid #fff}
.c-NORMAL{background:#c8e6c9}.c-WARNING{background:#ffe082}.c-CRITICAL{background:#ef9a9a}.c-RECOVERED{background:#bbdefb}.c-none{background:#eceff1}
.bar{display:flex;gap:2px;margin:6px 0}.bar span{width:14px;height:10px;display:inline-block}
#error{color:#c62828;padding:0 20px}
</style></head>
<body>
<header><h1>Driftwatch monitor</h1>
<span class="stat">state <b id="ready">…</b></span>
<span class="stat">events/s <b id="rate">–</b></span>
<span class="stat">consumed <b id="consumed">–</b></span>
<span class="stat">lag <b id="lag">–</b></span>
<span class="stat">drift events <b id="drift">–</b></span>
<span class="stat">dead letters <b id="dead">–</b></span>
<span class="stat">updated <b id="updated">–</b></span></header>
<div id="error"></div>
<main id="models"><p class="muted" id="waiting">Waiting for the first evaluated window…</p></main>
<script>
"use strict";
const previous = {consumed: null, at: null};
function esc(text) { return String(text).replace(/[&<>"']/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;","'":"&#39;"}[c])); }
function fmt(value) { return value == null ? "–" : (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(3)); }
async function get(path) {
  const response = await fetch(path, {cache: "no-store"});
  if (!response.ok) throw new Error(path + ": HTTP " + response.status);
  return response.json();
}
function renderStatus(status) {
  document.getElementById("ready").textContent = status.ready ? "ready" : "starting";
  document.getElementById("consumed").textContent = status.messages_consumed.toLocaleString();
  const now = Date.now();
  if (previous.consumed != null && now > previous.at) {
    document.getElementById("rate").textContent = Math.max(0, Math.round((status.messages_consumed - previous.consumed) * 1000 / (now - previous.at))).toLocaleString();
  }
  previous.consumed = status.messages_consumed; previous.at = now;
  const lag = (status.partitions || []).reduce((sum, p) => sum + (p.lag || 0), 0);
  document.getElementById("lag").textContent = lag.toLocaleString();
  document.getElementById("drift").textContent = status.drift_events_produced.toLocaleString();
  document.getElementById("dead").textContent = Object.values(status.dead_letters || {}).reduce((a, b) => a + b, 0).toLocaleString();
}
function renderModel(model, windows) {
  const features = [];
  for (const w of windows) for (const f of w.features || []) if (!features.includes(f.name)) features.push(f.name);
  const order = features.map(name => {
    const latest = windows.length ? (windows[windows.length - 1].features || []).find(f => f.name === name) : null;
    const rank = {CRITICAL: 2, WARNING: 1}[latest && latest.severity] || 0;
    return {name, rank, psi: latest && latest.metrics ? (latest.metrics.psi || 0) : 0, severity: latest ? latest.severity : "NORMAL"};
  }).sort((a, b) => b.rank - a.rank || b.psi - a.psi).slice(0, 25);
  let rows = "";
  for (const feature of order) {
    let cells = "";
    for (const w of windows) {
      const f = (w.features || []).find(x => x.name === feature.name);
      const severity = f ? f.severity : "none";
      const psi = f && f.metrics ? f.metrics.psi : null;
      cells += `<td class="cell c-${esc(severity)}" title="${esc(w.window.end)} v${esc(w.model_version)}: ${esc(severity)}, PSI ${fmt(psi)}"></td>`;
    }
    rows += `<tr data-feature="${esc(feature.name)}" data-severity="${esc(feature.severity)}"><td class="name">${esc(feature.name)}</td>${cells}</tr>`;
  }
  const strip = windows.map(w => `<span class="c-${esc(w.severity)}" title="${esc(w.window.end)} v${esc(w.model_version)}: ${esc(w.severity)}"></span>`).join("");
  const latest = windows.length ? windows[windows.length - 1] : null;
  const performance = latest && latest.performance && latest.performance.metrics && latest.performance.metrics.accuracy != null
    ? ` · accuracy ${fmt(latest.performance.metrics.accuracy)} (reference ${fmt(latest.performance.baseline.accuracy)})` : "";
  const reasons = latest ? (latest.reasons || []).slice(0, 3).map(esc).join("; ") : "";
  return `<section class="model" data-model="${esc(model.model_id)}" data-severity="${esc(model.severity)}">
    <h2>${esc(model.model_id)}<span class="sev ${esc(model.severity)}">${esc(model.severity)}</span></h2>
    <div class="muted">versions ${esc(model.versions.join(", "))} · ${model.windows} windows · latest ${esc(model.latest_window_end)}${performance}</div>
    <div class="muted">${reasons}</div>
    <div class="bar" title="model severity per window">${strip}</div>
    <table class="heat"><tbody>${rows}</tbody></table></section>`;
}
async function refresh() {
  try {
    const [status, list] = await Promise.all([get("api/status"), get("api/models")]);
    renderStatus(status);
    const sections = [];
    for (const model of list.models) {
      const detail = await get("api/models/" + encodeURIComponent(model.model_id) + "/windows?limit=30");
      sections.push(renderModel(model, detail.windows));
    }
    if (sections.length) document.getElementById("models").innerHTML = sections.join("");
    document.getElementById("updated").textContent = new Date().toLocaleTimeString();
    document.getElementById("error").textContent = "";
  } catch (error) {
    document.getElementById("error").textContent = "Update failed: " + error.message;
  }
}
refresh();
setInterval(refresh, 2000);
</script>
</body></html>
"""#
}
