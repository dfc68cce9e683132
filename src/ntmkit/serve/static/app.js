// The ntmkit web page: choose a set, send a CSV to /assess/batch, summarise, download.
// No libraries and no network beyond this service.
"use strict";

// The page's words come from ntmkit's message catalogue (section "page"), Vietnamese first:
// GET /page/text answers {"vi": {key: text}, "en": {key: text}}.
let TEXT = { vi: {}, en: {} };

const state = { lang: "vi", index: null, file: null, resultCsv: null, rows: null, set: null };
const $ = (id) => document.getElementById(id);
const t = (key) => TEXT[state.lang][key] || key;

async function loadText() {
  TEXT = await getJson("/page/text");
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : String(c));
  return node;
}

function applyLang() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  $("lang").setAttribute("aria-label", t("language"));
  fillVersions();
  if (state.rows) renderSummary();
}

async function getJson(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw body;
  return body;
}

function today() { return new Date().toISOString().slice(0, 10); }

async function loadIndex() {
  state.index = await getJson("/sets");
  const national = state.index.sets.filter((s) => !s.id.startsWith("province/"));
  const select = $("set-id");
  select.replaceChildren(...national.map((s) => el("option", { value: s.id }, s.id)));
  select.value = national.some((s) => s.id === "commune/ntm") ? "commune/ntm" : national[0].id;
  fillVersions();
  renderCatalogueList();
}

function fillVersions() {
  if (!state.index) return;
  const id = $("set-id").value;
  const select = $("set-version");
  const keep = select.value;
  const options = [el("option", { value: id }, t("by_year"))];
  for (const s of state.index.sets) {
    const own = s.id === id || (s.id.startsWith("province/") && s.id.endsWith("/" + id));
    if (!own) continue;
    for (const v of s.versions) {
      const label = s.id === id ? `${s.id}@${v.version}` : `${s.id}@${v.version} (${t("provincial")})`;
      options.push(el("option", { value: `${s.id}@${v.version}` }, label));
    }
  }
  select.replaceChildren(...options);
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
  showInForce(id);
}

async function showInForce(id) {
  try {
    const r = await getJson(`/sets/${id}?on=${today()}`);
    $("in-force").textContent = `${t("in_force_today")}: ${r.set}`;
  } catch (e) {
    $("in-force").textContent = `${t("in_force_today")}: —`;
  }
}

function showProblem(p) {
  const box = $("problem");
  const where = ["file", "row", "column", "indicator"].filter((k) => p[k] !== undefined)
    .map((k) => `${t(k)} ${p[k]}`).join(", ");
  const slug = String(p.type || "").split("#problem-")[1];
  const title = TEXT[state.lang][`problem.${slug}`] || p.title || "";
  box.textContent = `${t("error")} ${p.status || ""}: ${title}\n${where ? where + "\n" : ""}${p.detail || p}`;
  box.hidden = false;
}

function uploadUrl(path, extra) {
  const q = new URLSearchParams({ set: $("set-version").value, filename: state.file.name, lang: state.lang, ...(extra || {}) });
  return `${path}?${q}`;
}

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function mediaType(file) {
  if (/\.xlsx$/i.test(file.name)) return XLSX;
  return /\.(jsonl|ndjson)$/i.test(file.name) ? "application/x-ndjson" : "text/csv";
}

async function assessFile(file) {
  state.file = file;
  $("problem").hidden = true;
  $("summary").hidden = true;
  $("status").textContent = t("working");
  const r = await fetch(uploadUrl("/assess/batch"), {
    method: "POST", body: file, headers: { "Content-Type": mediaType(file), Accept: "text/csv" },
  });
  if (!r.ok) {
    $("status").textContent = "";
    showProblem(await r.json());
    return;
  }
  state.resultCsv = await r.text();
  state.rows = parseCsv(state.resultCsv);
  const key = state.rows.length ? state.rows[0].set : null;
  state.set = key ? await getJson(`/sets/${key}`) : null;
  $("status").textContent = t("done").replace("{n}", state.rows.length);
  renderSummary();
}

function parseCsv(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { row.push(cell); cell = ""; }
    else if (ch === "\n") { row.push(cell.replace(/\r$/, "")); rows.push(row); row = []; cell = ""; }
    else cell += ch;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  const [head, ...body] = rows;
  return body.filter((r) => r.length === head.length)
    .map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

function criterionName(code) {
  if (!state.set) return code;
  for (const p of state.set.pillars) for (const c of p.criteria || []) {
    if (c.code === code) return `${code}. ${state.lang === "vi" ? c.name_vi : c.name_en}`;
  }
  return code;
}

function table(id, head, rows) {
  $(id).replaceChildren(el("thead", {}, el("tr", {}, ...head.map((h) => el("th", {}, h)))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r))));
}

function renderSummary() {
  const rows = state.rows;
  $("set-used").textContent = state.set ? `${t("set_used")}: ${state.set.id}@${state.set.version} — ${state.lang === "vi" ? state.set.title_vi : state.set.title_en}` : "";
  const counts = {};
  for (const r of rows) counts[r.verdict] = (counts[r.verdict] || 0) + 1;
  table("verdicts", [t("verdict"), t("communes")], ["met", "not_met", "unknown"].map((v) =>
    [el("td", { class: v }, t(v)), el("td", { class: "num" }, counts[v] || 0)]));
  const codes = rows.length ? Object.keys(rows[0]).filter((k) => k.startsWith("c:")) : [];
  table("criteria", [t("criterion"), t("share_met"), t("met"), t("not_met"), t("unknown")], codes.map((k) => {
    const n = (v) => rows.filter((r) => r[k] === v).length;
    const share = rows.length ? n("met") / rows.length : 0;
    return [el("td", {}, criterionName(k.slice(2))),
      el("td", { class: "num" }, el("span", { class: "bar", style: `width:${Math.round(share * 80)}px` }), ` ${Math.round(share * 100)} %`),
      el("td", { class: "num" }, n("met")), el("td", { class: "num" }, n("not_met")), el("td", { class: "num" }, n("unknown"))];
  }));
  const open = rows.filter((r) => r.verdict !== "met").map((r) => {
    const notMet = codes.filter((k) => r[k] === "not_met").map((k) => k.slice(2));
    const unknown = codes.filter((k) => r[k] === "unknown").map((k) => k.slice(2));
    return { r, notMet, unknown };
  }).sort((a, b) => (a.notMet.length + a.unknown.length) - (b.notMet.length + b.unknown.length)
    || a.notMet.length - b.notMet.length).slice(0, 10);
  table("closest", [t("code"), t("name"), t("score"), t("n_not_met"), t("n_unknown")], open.map(({ r, notMet, unknown }) => [
    el("td", {}, r.code), el("td", {}, r.name), el("td", { class: "num" }, `${r.met}/${r.total}`),
    el("td", { class: "not_met" }, notMet.join(", ") || "—"), el("td", { class: "unknown" }, unknown.join(", ") || "—")]));
  $("summary").hidden = false;
}

function save(blob, name) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

function baseName() { return state.file.name.replace(/\.[^.]*$/, ""); }

async function downloadXlsx() {
  const r = await fetch(uploadUrl("/assess/batch"), {
    method: "POST", body: state.file, headers: { "Content-Type": mediaType(state.file), Accept: XLSX },
  });
  if (!r.ok) { showProblem(await r.json()); return; }
  save(new Blob([await r.arrayBuffer()], { type: XLSX }), `${baseName()}-ket-qua.xlsx`);
}

async function downloadReport() {
  const r = await fetch(uploadUrl("/report"), {
    method: "POST", body: state.file, headers: { "Content-Type": mediaType(state.file) },
  });
  if (!r.ok) { showProblem(await r.json()); return; }
  save(new Blob([await r.text()], { type: "text/html" }), `${baseName()}-bao-cao.html`);
}

function renderCatalogueList() {
  $("set-list").replaceChildren(...state.index.sets.flatMap((s) => s.versions.map((v) =>
    el("li", {}, (() => {
      const b = el("button", { type: "button" }, `${s.id}@${v.version}`);
      b.addEventListener("click", () => showSet(v.url));
      return b;
    })()))));
}

function describeWhen(when) {
  if (!when || !Object.keys(when).length) return t("everywhere");
  return Object.entries(when).map(([k, v]) => `${k}=${v}`).join(", ");
}

async function showSet(url) {
  const box = $("set-detail");
  box.textContent = t("loading");
  const cs = await getJson(url);
  const vi = state.lang === "vi";
  const parts = [el("h3", {}, `${cs.id}@${cs.version}`), el("p", {}, vi ? cs.title_vi : cs.title_en),
    el("p", { class: "note" }, `${t("effective")}: ${cs.effective} · ${t("legal_basis")}: ${cs.legal_basis.act}`)];
  for (const p of cs.pillars) {
    parts.push(el("h4", {}, vi ? p.name_vi : p.name_en));
    const list = el("ul");
    for (const c of p.criteria || []) {
      const inds = el("ul");
      for (const i of c.indicators || []) {
        const th = (i.rule.thresholds || []).map((x) => `${describeWhen(x.when)}: ${x.value ?? t("unknown_value")} (${x.confidence || "unknown"}${x.sources ? "; " + x.sources.join(", ") : ""})`).join(" · ");
        inds.append(el("li", {}, `${i.code} ${vi ? i.name_vi : i.name_en} [${i.rule.kind}${i.unit ? ", " + i.unit : ""}] — ${th || "—"}`));
      }
      list.append(el("li", {}, `${c.code}. ${vi ? c.name_vi : c.name_en}`, inds));
    }
    parts.push(list);
  }
  parts.push(el("h4", {}, t("sources")));
  const sources = el("ul");
  for (const s of cs.sources || []) {
    sources.append(el("li", {}, `${s.id}: ${s.publisher || ""} `, el("a", { href: s.url, rel: "noreferrer" }, s.url), s.about ? ` — ${s.about}` : ""));
  }
  parts.push(sources);
  box.replaceChildren(...parts);
}

function init() {
  $("lang").addEventListener("click", () => { state.lang = state.lang === "vi" ? "en" : "vi"; applyLang(); });
  $("set-id").addEventListener("change", fillVersions);
  $("file").addEventListener("change", (e) => { if (e.target.files[0]) assessFile(e.target.files[0]); });
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault(); drop.classList.remove("over");
    if (e.dataTransfer.files[0]) assessFile(e.dataTransfer.files[0]);
  });
  $("download-csv").addEventListener("click", () =>
    save(new Blob(["\ufeff" + state.resultCsv], { type: "text/csv" }), `${baseName()}-ket-qua.csv`));
  $("download-xlsx").addEventListener("click", downloadXlsx);
  $("download-report").addEventListener("click", downloadReport);
  loadText().then(loadIndex).catch(showProblem);
}

init();
