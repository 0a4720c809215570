// The detente dashboard: a thin client of the server's API (/api/openapi.json).
// Text from the server or the user is only ever set as textContent, never as markup.
"use strict";

const $ = (id) => document.getElementById(id);

const state = {
  meta: null,
  text: "",          // the scenario text being assessed
  levers: { sides: {} },
  leverState: null,  // where the levers stand in the scenario as written
  pair: null,
  seq: 0,            // newest assessment asked for; older answers are dropped
  treaties: [],
  postures: [],
  examples: [],
  builtins: [],
  jobs: new Map(),
};

// --- small helpers ------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function fmt(value, digits = 3) {
  if (value === null || value === undefined) return "–";
  return Number(value).toFixed(digits);
}

function count(value) {
  if (value === null || value === undefined) return "–";
  return Math.round(Number(value)).toLocaleString("en");
}

function table(headers, rows, numeric = []) {
  const head = el("tr", {}, headers.map((h, i) => el("th", { class: numeric.includes(i) ? "num" : null, text: h })));
  const body = rows.map((row) => el("tr", {}, row.map((cell, i) => {
    if (cell instanceof Node) return el("td", { class: numeric.includes(i) ? "num" : null }, cell);
    if (cell && typeof cell === "object" && "text" in cell) {
      return el("td", { class: [numeric.includes(i) ? "num" : "", cell.cls || ""].join(" ").trim() || null, text: cell.text });
    }
    return el("td", { class: numeric.includes(i) ? "num" : null, text: cell === null || cell === undefined ? "" : String(cell) });
  })));
  return el("div", { class: "scroll" }, el("table", {}, el("thead", {}, head), el("tbody", {}, body)));
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

async function api(path, body, method) {
  const options = { method: method || (body === undefined ? "GET" : "POST"), headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (err) {
    return { ok: false, status: 0, body: { detail: "the server cannot be reached", problems: [] } };
  }
  let data = null;
  try {
    data = await response.json();
  } catch (err) {
    data = { detail: `unexpected answer (${response.status})`, problems: [] };
  }
  return { ok: response.ok, status: response.status, body: data };
}

function setStatus(text, kind) {
  const node = $("status");
  node.textContent = text;
  node.className = "status" + (kind ? " " + kind : "");
}

function verdictBadge(word) {
  return word ? el("span", { class: "verdict " + word, text: word }) : null;
}

function plot(id, figure) {
  if (!window.Plotly || !figure) return;
  const config = { displaylogo: false, responsive: true };
  window.Plotly.react(id, figure.data || [], figure.layout || {}, config);
}

function caseLabel(key) {
  // "us:day_to_day/ru:generated/ride_out" -> "US day-to-day / RU generated, all ride out"
  const parts = key.split("/");
  const ride = parts[parts.length - 1] === "ride_out";
  const sides = parts.filter((p) => p !== "ride_out").map((p) => {
    const [actor, level] = p.split(":");
    return `${actor.toUpperCase()} ${level === "generated" ? "generated" : "day-to-day"}`;
  });
  return sides.join(" / ") + (ride ? ", all ride out" : "");
}

// --- the scenario source ------------------------------------------------------------------

function currentSource() {
  return { kind: "yaml", text: state.text };
}

function leversBody() {
  const sides = {};
  for (const [actor, values] of Object.entries(state.levers.sides)) {
    if (Object.keys(values).length) sides[actor] = values;
  }
  const out = { sides };
  if (state.levers.treaty !== undefined) out.treaty = state.levers.treaty;
  if (state.levers.hgv_warning_fraction !== undefined) out.hgv_warning_fraction = state.levers.hgv_warning_fraction;
  return out;
}

function renderGutter(problemLines) {
  const lines = $("yaml").value.split("\n").length;
  const gutter = $("gutter");
  gutter.textContent = "";
  for (let i = 1; i <= lines; i++) {
    const bad = problemLines.has(i);
    gutter.append(el("span", { class: bad ? "bad" : null, title: bad ? "problem on this line" : null, text: String(i) }), "\n");
  }
  gutter.scrollTop = $("yaml").scrollTop;
}

function goToLine(line) {
  const area = $("yaml");
  const lines = area.value.split("\n");
  let start = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
  const end = start + (lines[line - 1] || "").length;
  area.focus();
  area.setSelectionRange(start, end);
  const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 18;
  area.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

function showProblems(problems, detail) {
  const list = $("problems");
  list.textContent = "";
  const lines = new Set();
  for (const p of problems) {
    if (p.line) lines.add(p.line);
    const where = p.line ? el("button", { type: "button", onclick: () => goToLine(p.line), text: `line ${p.line}` }) : null;
    const text = `${p.path ? p.path + ": " : ""}${p.message}${p.value !== null && p.value !== undefined ? ` (got ${p.value})` : ""}`;
    list.append(el("li", { class: "problem" }, where, text));
  }
  if (!problems.length && detail) list.append(el("li", { class: "problem", text: detail }));
  renderGutter(lines);
}

async function loadScenario(kind, name) {
  const res = await api(`/api/${kind === "builtin" ? "builtins" : "examples"}/${encodeURIComponent(name)}`);
  if (!res.ok) {
    setStatus(res.body.detail, "error");
    return;
  }
  setText(res.body.text);
}

function setText(text) {
  $("yaml").value = text;
  onTextChanged(true);
}

// --- validation as you type -----------------------------------------------------------------

let validateSeq = 0;

async function validateText(assessAfter) {
  const mine = ++validateSeq;
  const text = $("yaml").value;
  const res = await api("/api/validate", { source: { kind: "yaml", text } });
  if (mine !== validateSeq) return;
  if (!res.ok) {
    showProblems(res.body.problems || [], res.body.detail);
    setStatus("The scenario text is refused: " + res.body.detail, "error");
    return;
  }
  if (!res.body.valid) {
    showProblems(res.body.problems, null);
    setStatus(`The scenario text has ${res.body.problems.length} problem(s); see the editor.`, "error");
    return;
  }
  showProblems([], null);
  const changed = text !== state.text;
  state.text = text;
  if (changed) {
    state.levers = { sides: {} };
    state.leverState = res.body.levers;
    buildPair(res.body.scenario);
    buildLevers();
    buildJobs();
  }
  if (assessAfter && changed) assess();
}

const validateSoon = debounce(() => validateText(true), 500);

function onTextChanged(now) {
  renderGutter(new Set());
  if (now) validateText(true);
  else validateSoon();
}

// --- levers ---------------------------------------------------------------------------------

function setLever(actor, name, value) {
  if (actor === null) state.levers[name] = value;
  else {
    state.levers.sides[actor] = state.levers.sides[actor] || {};
    state.levers.sides[actor][name] = value;
  }
  assessSoon();
}

function rangeLever({ id, label, min, max, step, value, disabled, onset, integer }) {
  const range = el("input", { type: "range", id: id + "-range", min, max, step, value, disabled: disabled || null, "aria-label": label });
  const number = el("input", { type: "number", id, min, max, step, value, disabled: disabled || null, "aria-label": label });
  const read = (node) => {
    let v = Number(node.value);
    if (!Number.isFinite(v)) return null;
    v = Math.min(Number(max), Math.max(Number(min), v));
    return integer ? Math.round(v) : v;
  };
  range.addEventListener("input", () => { number.value = range.value; });
  range.addEventListener("change", () => { const v = read(range); if (v !== null) onset(v); });
  number.addEventListener("change", () => {
    const v = read(number);
    if (v === null) return;
    number.value = v;
    range.value = v;
    onset(v);
  });
  return el("label", { class: "lever" }, el("span", { text: label }), range, number);
}

function checkLever({ id, label, checked, onset }) {
  const box = el("input", { type: "checkbox", id, checked: checked || null });
  box.addEventListener("change", () => onset(box.checked));
  return el("label", { class: "lever check" }, box, el("span", { text: label }));
}

function selectLever({ id, label, options, value, onset }) {
  const select = el("select", { id }, options.map(([v, text]) => el("option", { value: v, selected: v === value || null, text })));
  select.addEventListener("change", () => onset(select.value));
  return el("label", { class: "lever" }, el("span", { text: label }), select);
}

function buildLevers() {
  const box = $("levers");
  box.textContent = "";
  const ls = state.leverState;
  if (!ls) return;
  for (const side of ls.sides) {
    const a = side.actor;
    const set = (name) => (v) => setLever(a, name, v);
    const maxInterceptors = Math.max(1000, Math.ceil((side.missile_defense_interceptors * 4) / 100) * 100);
    box.append(el("fieldset", { class: "lever-side" },
      el("legend", { text: `${a.toUpperCase()}: ${side.label}` }),
      rangeLever({
        id: `lever-${a}-interceptors`, label: side.missile_defense_layers
          ? `Missile-defence interceptors (${side.missile_defense_layers} area or point layer${side.missile_defense_layers === 1 ? "" : "s"}, scaled together)`
          : "Missile-defence interceptors (no missile-defence layer)",
        min: 0, max: maxInterceptors, step: 1, value: side.missile_defense_interceptors,
        disabled: !side.missile_defense_layers, integer: true, onset: set("missile_defense_interceptors"),
      }),
      selectLever({
        id: `lever-${a}-alert`, label: "Alert level", value: side.alert,
        options: [["day_to_day", "day-to-day"], ["generated", "generated"]], onset: set("alert"),
      }),
      checkLever({ id: `lever-${a}-low`, label: "Launches on warning", checked: side.launch_on_warning, onset: set("launch_on_warning") }),
      rangeLever({
        id: `lever-${a}-survivable`, label: side.survivable_alert === null
          ? "Day-to-day alert of SSBNs and mobile ICBMs (none in this posture)"
          : "Day-to-day alert of SSBNs at sea and mobile ICBMs dispersed (mean shown)",
        min: 0, max: 1, step: 0.01, value: side.survivable_alert === null ? 0 : side.survivable_alert.toFixed(2),
        disabled: side.survivable_alert === null, onset: set("survivable_alert"),
      }),
      checkLever({ id: `lever-${a}-ews`, label: "Early-warning satellites up", checked: side.early_warning_satellites, onset: set("early_warning_satellites") }),
      rangeLever({ id: `lever-${a}-cyber`, label: "C2 lost to cyber attack (share)", min: 0, max: 1, step: 0.01, value: side.cyber_c2_degradation, onset: set("cyber_c2_degradation") }),
      rangeLever({ id: `lever-${a}-ssbn`, label: "Finds adversary SSBNs at sea (AI sensing, probability)", min: 0, max: 1, step: 0.01, value: side.detect_ssbn_at_sea, onset: set("detect_ssbn_at_sea") }),
      rangeLever({ id: `lever-${a}-mobile`, label: "Finds adversary mobile ICBMs out of garrison (probability)", min: 0, max: 1, step: 0.01, value: side.detect_mobile_dispersed, onset: set("detect_mobile_dispersed") }),
    ));
  }
  const treaties = [["none", "no treaty"], ...state.meta.treaty_ids.map((t) => [t, t.replaceAll("_", " ")])];
  box.append(el("fieldset", { class: "lever-side" },
    el("legend", { text: "Whole scenario" }),
    selectLever({ id: "lever-treaty", label: "Treaty in force", value: ls.treaty, options: treaties, onset: (v) => setLever(null, "treaty", v) }),
    rangeLever({ id: "lever-hgv", label: "Warning left by a glide vehicle (share of its flight time)", min: 0, max: 1, step: 0.01, value: ls.hgv_warning_fraction, onset: (v) => setLever(null, "hgv_warning_fraction", v) }),
  ));
}

function buildPair(scenario) {
  const field = $("pair-field");
  const select = $("pair");
  select.textContent = "";
  state.pair = null;
  if (!scenario || scenario.sides.length < 3) {
    field.hidden = true;
    return;
  }
  const actors = scenario.sides.map((s) => s.actor);
  const options = [];
  for (let i = 0; i < actors.length; i++) {
    for (let j = i + 1; j < actors.length; j++) options.push([actors[i], actors[j]]);
  }
  options.push(actors);
  for (const pair of options) select.append(el("option", { value: pair.join(","), text: pair.map((a) => a.toUpperCase()).join(" and ") }));
  field.hidden = false;
}

// --- assessment -----------------------------------------------------------------------------

async function assess() {
  if (!state.text) return;
  const mine = ++state.seq;
  setStatus("Assessing…", "busy");
  const body = { source: currentSource(), levers: leversBody() };
  if (state.pair) body.pair = state.pair;
  const res = await api("/api/assess", body);
  if (mine !== state.seq) return;
  if (!res.ok) {
    if (res.body.problems && res.body.problems.some((p) => p.line)) showProblems(res.body.problems, res.body.detail);
    setStatus("Not assessed: " + res.body.detail, "error");
    return;
  }
  render(res.body);
  const set = Object.values(state.levers.sides).reduce((n, s) => n + Object.keys(s).length, 0)
    + (state.levers.treaty !== undefined) + (state.levers.hgv_warning_fraction !== undefined);
  setStatus(`Assessed ${res.body.scenario.label || res.body.scenario.name}` + (set ? ` with ${set} lever(s) changed.` : "."), "");
}

const assessSoon = debounce(assess, 250);

function render(view) {
  state.last = view;
  const a = view.assessment;
  const s = view.scenario;
  const head = $("scenario-head");
  head.textContent = "";
  head.append(
    el("h2", { text: s.label || s.name }),
    s.question ? el("p", { class: "question", text: s.question }) : null,
    el("p", { class: "muted small", text: `${s.sides.map((x) => x.label).join(" vs ")}; ${s.treaty ? "counted under " + s.treaty : "no treaty"}; assessed: ${s.pair.join(", ")}` }),
  );
  renderCards(a, view.first_strike_raw || {});
  renderLeaning(view.leaning);
  renderCases(a);
  renderDisagreement(a);
  plot("chart-flows", view.figures.flows);
  plot("chart-forces", view.figures.forces);
  renderFlows(a);
  renderTreaty(a);
  renderParties(a);
  renderSources(view.sources);
}

function renderParties(a) {
  const tri = a.triangle;
  $("parties-section").hidden = !tri;
  $("parties-link").hidden = !tri;
  const box = $("parties-out");
  box.textContent = "";
  if (!tri) return;
  const up = (x) => x.toUpperCase();
  const pairRows = [];
  for (const p of tri.pairs) {
    for (const [name, d] of Object.entries(p.definitions)) {
      const label = (a.definitions[name] && a.definitions[name].label) || name;
      pairRows.push([p.pair.map(up).join("–"), label, fmt(d.alone), fmt(d.with_others), fmt(d.change)]);
    }
  }
  const reserve = tri.third_party_reserve;
  box.append(
    el("p", { text: `Parties: ${tri.parties.map(up).join(", ")}; reserve for the party standing by: ${reserve.rule === "none" ? "none" : fmt(reserve.damage, 2) + " of its value"}.` }),
    table(["pair", "definition", "on its own", "with the others", "change"], pairRows, [2, 3, 4]),
  );
  const afterRows = tri.aftermath.map((m) => [
    `${m.strikers.map(up).join("+")} strikes ${m.victims.map(up).join("+")}`,
    ...tri.parties.map((p) => `${fmt(m.damage[p] || 0, 2)} / ${count(m.warheads_left[p] || 0)}`),
  ]);
  box.append(
    el("h3", { text: "After each exchange (value destroyed / warheads left)" }),
    table(["exchange", ...tri.parties.map(up)], afterRows, tri.parties.map((_, i) => i + 1)),
  );
}

function renderCards(a, raw) {
  const cards = $("cards");
  cards.textContent = "";
  $("headline-note").textContent = `${a.headline.perspective} reading, ${caseLabel(a.headline.case)}.`;
  for (const [name, d] of Object.entries(a.definitions)) {
    const parts = Object.entries(d.components).map(([side, v]) => `${side.toUpperCase()} ${fmt(v, 2)}`).join(" · ");
    cards.append(el("div", { class: "card", id: `card-${name}` },
      el("div", { class: "label", text: d.label }),
      el("div", { class: "value", id: `value-${name}`, text: fmt(d.value) }),
      verdictBadge(d.verdict),
      el("div", { class: "parts", text: parts }),
      ...(name === "first_strike" && Object.keys(raw).length
        ? [el("div", { class: "parts raw", id: "raw-first_strike",
            text: "raw ratio, before the bound at 1: " + Object.entries(raw).map(([side, v]) => `${side.toUpperCase()} ${v}`).join(" · ") })]
        : []),
      el("div", { class: "measures", text: d.measures }),
      el("details", { class: "small" }, el("summary", { text: "why these verdict words" }), el("p", { text: d.verdict_basis })),
    ));
  }
}

function renderLeaning(leaning) {
  const box = $("leaning");
  box.textContent = "";
  if (!leaning.length) return;
  box.append(el("p", { class: "note" },
    el("strong", { text: "The headline leans on launch on warning: " }),
    leaning.map((l) => `${l.definition.replaceAll("_", " ")} ${fmt(l.by_policy)} by policy, ${fmt(l.all_ride_out)} if all ride out`).join("; ") + "."));
}

function renderCases(a) {
  const box = $("cases");
  box.textContent = "";
  const levels = a.cases.filter((c) => !c.endsWith("/ride_out"));
  for (const p of a.perspectives) {
    const rows = [];
    for (const [name, d] of Object.entries(a.definitions)) {
      for (const ride of [false, true]) {
        const cells = levels.map((key) => {
          const wanted = ride ? key + "/ride_out" : key;
          const c = d.cases.find((x) => x.perspective === p.id && x.case === wanted);
          return c ? { text: fmt(c.value), cls: c.verdict ? "v-" + c.verdict : "" } : { text: "–" };
        });
        rows.push([ride ? "… all ride out" : d.label, ...cells]);
      }
    }
    box.append(el("h3", { text: p.label || p.id }), table(["definition", ...levels.map(caseLabel)], rows, levels.map((_, i) => i + 1)));
  }
}

function renderDisagreement(a) {
  const rows = a.disagreement.slice(0, 6).map((d) => [
    d.definition.replaceAll("_", " "), caseLabel(d.case), fmt(d.value_a), fmt(d.value_b), fmt(d.difference, 2),
  ]);
  const box = $("disagreement");
  box.textContent = "";
  box.append(rows.length ? table(["definition", "alert case", "US reading", "RU reading", "gap"], rows, [2, 3, 4]) : el("p", { class: "muted", text: "No US and Russian readings to set side by side." }));
}

function renderFlows(a) {
  // exchanges hold every case in the order of a.cases, each with every direction
  const n = a.scenario.pair.length;
  const directions = n * (n - 1);
  const at = a.cases.indexOf(a.headline.case);
  const rows = a.exchanges.slice(at * directions, (at + 1) * directions)
    .map((o) => [
      `${o.attacker.toUpperCase()} strikes ${o.defender.toUpperCase()}`, count(o.warheads_destroyed),
      count(Object.values(o.defender_systems).reduce((n, s) => n + s.launched_on_warning, 0)),
      count(o.retaliation_arrived), `${Math.round(o.damage_to_defender * 100)}%`, `${Math.round(o.damage_to_attacker * 100)}%`,
      o.warning_min === null ? "–" : fmt(o.warning_min, 1),
    ]);
  const box = $("flows-table");
  box.textContent = "";
  box.append(table(["first strike", "victim's warheads destroyed", "launched on warning", "retaliation arriving", "damage to victim", "damage to striker", "warning (min)"], rows, [1, 2, 3, 4, 5, 6]));
}

function renderTreaty(a) {
  const box = $("treaty-view");
  box.textContent = "";
  if (!a.treaty.length) {
    box.append(el("p", { class: "muted", text: "The scenario has no treaty in force." }));
    return;
  }
  const rows = [];
  for (const v of a.treaty) {
    for (const lim of v.limits) {
      rows.push([v.actor.toUpperCase(), lim.label || lim.limit, count(lim.count), count(lim.ceiling), count(lim.margin), { text: lim.violated ? "over" : "ok", cls: lim.violated ? "down" : "up" }]);
    }
  }
  box.append(el("p", { text: `Counted under ${a.treaty[0].treaty}: ` + a.treaty.map((v) => `${v.actor.toUpperCase()} ${v.complies ? "complies" : "does not comply"}`).join("; ") + "." }),
    table(["side", "limit", "count", "ceiling", "margin", "status"], rows, [2, 3, 4]));
}

function renderSources(src) {
  state.sources = src;
  drawSources();
}

function drawSources() {
  const src = state.sources;
  const box = $("sources-out");
  box.textContent = "";
  if (!src) return;
  const filter = $("source-filter").value.trim().toLowerCase();
  const match = (r) => !filter || [r.actor, r.object, r.field, r.value, r.source, r.note].join(" ").toLowerCase().includes(filter);
  const titleOf = (key) => {
    const entry = src.registry[key];
    if (!entry) return key === "assumption" ? "modelling assumption" : key === "scenario" ? "set by the scenario" : key;
    return entry.url ? el("a", { href: entry.url, rel: "noopener noreferrer", target: "_blank", text: `${entry.title} (${entry.year})` }) : `${entry.title} (${entry.year})`;
  };
  const actors = [...new Set(src.numbers.map((r) => r.actor))];
  for (const actor of actors) {
    const rows = src.numbers.filter((r) => r.actor === actor && match(r));
    const range = (r) => (r.low !== null || r.high !== null ? `${r.low ?? "…"} – ${r.high ?? "…"}` : "");
    box.append(el("details", { open: filter ? true : null },
      el("summary", { text: `${actor.toUpperCase()}: ${rows.length} numbers` }),
      table(["object", "field", "value", "source", "range", "note"], rows.map((r) => [r.object, r.field, r.value, el("span", {}, el("code", { text: r.source }), " ", titleOf(r.source)), range(r), r.note]))));
  }
  const keys = Object.keys(src.registry);
  box.append(el("details", {},
    el("summary", { text: `${keys.length} documents cited` }),
    table(["key", "title", "author", "year"], keys.map((k) => [k, titleOf(k), src.registry[k].author, src.registry[k].year]))));
  box.append(el("details", {},
    el("summary", { text: "Exchange and stability settings (model parameters)" }),
    table(["group", "setting", "value", "meaning"], src.settings.map((r) => [r.group, r.field, r.value, r.description]))));
}

// --- compare ----------------------------------------------------------------------------------

async function runCompare() {
  const out = $("compare-out");
  out.textContent = "";
  out.append(el("p", { class: "muted", text: "Comparing…" }));
  const choice = $("baseline").value;
  let base;
  if (choice === "self") base = { source: currentSource(), levers: { sides: {} } };
  else {
    const [kind, name] = choice.split(":");
    base = { source: { kind, name }, levers: { sides: {} } };
  }
  const res = await api("/api/compare", { base, variant: { source: currentSource(), levers: leversBody() } });
  out.textContent = "";
  if (!res.ok) {
    out.append(el("p", { class: "status error", text: "Not compared: " + res.body.detail }));
    return;
  }
  const c = res.body.comparison;
  const defs = state.meta.definitions;
  const label = (name) => (defs.find((d) => d.name === name) || { label: name }).label;
  const headline = Object.entries(c.headline).map(([name, h]) => [
    label(name), fmt(h.base), fmt(h.variant), { text: (h.delta >= 0 ? "+" : "") + fmt(h.delta), cls: h.delta > 1e-9 ? "up" : h.delta < -1e-9 ? "down" : "" },
  ]);
  const flows = c.flows.map((f) => [f.exchange, f.flow.replaceAll("_", " "), fmt(f.base, 2), fmt(f.variant, 2), (f.delta >= 0 ? "+" : "") + fmt(f.delta, 2)]);
  const inputs = c.changes.filter((ch) => !ch.field.endsWith(".cite"));
  const cites = c.changes.length - inputs.length;
  out.append(
    el("p", { text: `${res.body.base.label || res.body.base.name} → ${res.body.variant.label || res.body.variant.name}` }),
    el("div", { id: "compare-headline" }, table(["definition", "base", "variant", "change"], headline, [1, 2, 3])),
    el("h3", { text: "Key flows (headline case)" }),
    table(["exchange", "flow", "base", "variant", "change"], flows, [2, 3, 4]),
    el("h3", { text: "What changed in the inputs" }),
    inputs.length
      ? table(["field", "base", "variant"], inputs.slice(0, 40).map((ch) => [ch.field, JSON.stringify(ch.base), JSON.stringify(ch.variant)]))
      : el("p", { class: "muted", text: "No input differs." }),
    cites ? el("p", { class: "muted small", text: `${cites} citation change(s) not listed (numbers set by levers are cited to the scenario).` }) : null,
  );
}

// --- treaty counting --------------------------------------------------------------------------

async function runCount() {
  const out = $("count-out");
  out.textContent = "";
  const posture = $("count-posture").value;
  const treaty = $("count-treaty").value;
  const res = await api(`/api/treaty-count?posture=${encodeURIComponent(posture)}&treaty=${encodeURIComponent(treaty)}`);
  if (!res.ok) {
    out.append(el("p", { class: "status error", text: res.body.detail }));
    return;
  }
  const r = res.body;
  const limits = r.compliance.limits.map((l) => [l.label || l.limit, count(l.count), count(l.ceiling), count(l.margin), { text: l.violated ? "over" : "ok", cls: l.violated ? "down" : "up" }]);
  const quantities = Object.keys(r.ledger.totals);
  const items = [...new Set(r.ledger.contributions.map((c) => c.item))];
  const per = items.map((item) => [item, ...quantities.map((q) => count(r.ledger.contributions.filter((c) => c.item === item && c.quantity === q).reduce((n, c) => n + c.amount, 0)))]);
  out.append(
    el("p", { text: `${r.posture_label} under ${r.treaty_label}` + (r.compliance.party ? "" : " (not a party)") }),
    limits.length ? table(["limit", "count", "ceiling", "margin", "status"], limits, [1, 2, 3]) : el("p", { text: "No limits." }),
    table(["item", ...quantities], per, quantities.map((_, i) => i + 1)),
  );
}

// --- background jobs --------------------------------------------------------------------------

function buildJobs() {
  const box = $("job-kinds");
  box.textContent = "";
  if (!state.meta) return;
  const forms = { "lever-line": leverLineForm, explore: exploreForm };
  const links = $("job-links");
  links.textContent = "";
  for (const kind of state.meta.job_kinds) {
    const form = (forms[kind.name] || genericJobForm)(kind);
    form.id = `kind-${kind.name}`;
    box.append(form);
    links.append(el("a", { href: `#kind-${kind.name}`, text: kind.title }));
  }
  if (state.meta.store) {
    links.append(el("a", { href: "#runs", text: "Stored sweeps" }));
    $("runs").hidden = false;
    $("refresh-runs").addEventListener("click", loadRuns);
    loadRuns();
  }
}

async function loadRuns() {
  const box = $("runs-list");
  const res = await api("/api/runs");
  box.textContent = "";
  if (!res.ok) {
    box.append(el("p", { class: "small", text: res.body.detail }));
    return;
  }
  if (!res.body.length) {
    box.append(el("p", { class: "small muted", text: "The store holds no runs yet." }));
    return;
  }
  const rows = res.body.map((r) => {
    const show = el("button", { type: "button", class: "show-run", text: "Show" });
    show.addEventListener("click", () => showRun(r.short_id));
    return [r.label || r.name, r.short_id, r.complete ? "complete" : `${r.status}, ${r.chunks_done} of ${r.chunks} chunks`, count(r.points), show];
  });
  box.append(el("div", { class: "scroll" }, table(["run", "id", "status", "points", ""], rows, [3])));
}

async function showRun(id) {
  const view = $("run-view");
  view.textContent = "Loading…";
  const res = await api(`/api/runs/${encodeURIComponent(id)}`);
  view.textContent = "";
  if (!res.ok) {
    view.append(el("p", { class: "small", text: res.body.detail }));
    return;
  }
  showRunIn(view, res.body, "run-chart");
}

// a stored run (or a sweep job's result): each kept definition over the levers, with its figure
function showRunIn(view, run, prefix) {
  view.append(el("h3", { text: `${run.label || run.name} (${run.short_id})` }));
  if (run.question) view.append(el("p", { class: "small", text: run.question }));
  view.append(el("p", { class: "small muted", text: `${run.scenario}; ${run.design}, ${count(run.points)} points; levers: ${run.levers.map((l) => l.label).join(", ")}.` }));
  run.definitions.forEach((d, i) => {
    const id = `${prefix}-${i}`;
    view.append(el("p", { class: "small", text: `${d.label} (${d.series}): from ${fmt(d.low)} to ${fmt(d.high)}.` }));
    view.append(el("div", { class: "chart", id }));
    plot(id, d.figure);
  });
}

function exploreForm(kind) {
  const draws = el("input", { type: "number", id: "explore-draws", value: kind.example.draws || 200, min: 2, max: state.meta.limits.max_explore_draws, step: 1 });
  const seed = el("input", { type: "number", id: "explore-seed", value: kind.example.seed, min: 0, step: 1 });
  const method = el("select", { id: "explore-method" },
    el("option", { value: "lhs", text: "Latin hypercube" }),
    el("option", { value: "sobol", text: "Sobol' (draws a power of 2)" }));
  const message = el("p", { class: "small" });
  const run = el("button", { type: "button", id: "run-explore", class: "primary", text: "Run" });
  run.addEventListener("click", () => {
    const body = { source: currentSource(), levers: leversBody(), draws: Math.round(Number(draws.value)), seed: Math.round(Number(seed.value)), method: method.value };
    submitJob(kind, body, message);
  });
  return el("div", { class: "job" },
    el("h3", { text: kind.title }),
    el("p", { class: "small muted", text: kind.description + " Uses the scenario and levers as they stand." }),
    el("div", { class: "row" },
      el("label", {}, "Draws ", draws), el("label", {}, "Seed ", seed), el("label", {}, "Method ", method)),
    run, message);
}

function intervalsTable(result) {
  const cases = [...new Set(result.intervals.map((i) => i.case))];
  const rows = result.intervals.map((i) => [
    i.label,
    cases.length === 1 ? i.perspective : `${i.perspective} (${caseLabel(i.case)})`,
    fmt(i.baseline), fmt(i.median), `${fmt(i.p05)}–${fmt(i.p95)}`,
    i.drivers.length
      ? el("span", { class: "drivers" }, i.drivers.slice(0, 3).map((d) => el("span", { text: `${d.parameter} ${d.spearman >= 0 ? "+" : "−"}${fmt(Math.abs(d.spearman), 2)}` })))
      : "–",
  ]);
  const where = cases.length === 1 ? ` Alert case: ${caseLabel(cases[0])}.` : "";
  return el("div", { class: "scroll" },
    el("p", { class: "small muted", text: `${count(result.draws)} draws of ${count(result.parameters.length)} uncertain inputs (${result.method}, seed ${result.seed}).${where}` }),
    table(["definition", "reading", "shipped", "median", "5–95%", "moved most by (Spearman)"], rows, [2, 3, 4]));
}

function bargainingText(result) {
  const box = el("div", { class: "bargaining" });
  const zone = result.zone;
  box.append(el("p", { text: zone.empty
    ? "No package searched leaves every side at least as stable as no treaty, by its own reading."
    : `${zone.size} package(s) leave every side at least as stable as no treaty, by its own reading.` }));
  for (const [key, title] of [["nash", "Nash bargaining package"], ["kalai_smorodinsky", "Kalai–Smorodinsky package"]]) {
    const pkg = result[key];
    if (!pkg || !pkg.explanation) continue;
    box.append(el("h4", { text: title }), ...Object.values(pkg.explanation).map((line) => el("p", { class: "small", text: line })));
  }
  return box;
}

function leverLineForm(kind) {
  const actors = state.leverState ? state.leverState.sides.map((s) => s.actor) : [];
  const params = actors.flatMap((a) => state.meta.multipliers.map((m) => `${a}.${m}`));
  const param = el("select", { id: "line-parameter" }, params.map((p) => el("option", { value: p, selected: p.endsWith(".interceptors") && p.startsWith(actors[0] || "") ? true : null, text: p })));
  const def = el("select", { id: "line-definition" }, state.meta.definitions.map((d) => el("option", { value: d.name, text: d.label })));
  const from = el("input", { type: "number", id: "line-from", value: 0.25, min: 0.01, max: 1000, step: "any" });
  const to = el("input", { type: "number", id: "line-to", value: 4, min: 0.01, max: 1000, step: "any" });
  const points = el("input", { type: "number", id: "line-points", value: 9, min: 2, max: state.meta.limits.max_line_points, step: 1 });
  const message = el("p", { class: "small" });
  const run = el("button", { type: "button", id: "run-line", class: "primary", text: "Run" });
  run.addEventListener("click", async () => {
    const n = Math.round(Number(points.value));
    const lo = Number(from.value);
    const hi = Number(to.value);
    const values = Array.from({ length: Math.max(2, n) }, (_, i) => lo + ((hi - lo) * i) / Math.max(1, n - 1));
    const body = { source: currentSource(), levers: leversBody(), parameter: param.value, values, definition: def.value };
    if (state.pair) body.pair = state.pair;
    submitJob(kind, body, message);
  });
  return el("div", { class: "job" },
    el("h3", { text: kind.title }),
    el("p", { class: "small muted", text: kind.description + " Uses the scenario and levers as they stand." }),
    el("div", { class: "row" },
      el("label", {}, "Multiplier ", param), el("label", {}, "Definition ", def)),
    el("div", { class: "row" },
      el("label", {}, "From ", from), el("label", {}, "to ", to), el("label", {}, "points ", points)),
    run, message);
}

function genericJobForm(kind) {
  const area = el("textarea", { "aria-label": `${kind.title} request` });
  area.value = JSON.stringify(kind.example, null, 2);
  const message = el("p", { class: "small" });
  const run = el("button", { type: "button", class: "primary", text: "Run" });
  run.addEventListener("click", () => {
    let body;
    try {
      body = JSON.parse(area.value);
    } catch (err) {
      message.textContent = "The request is not valid JSON: " + err.message;
      return;
    }
    submitJob(kind, body, message);
  });
  return el("div", { class: "job" }, el("h3", { text: kind.title }), el("p", { class: "small muted", text: kind.description }), area, run, message);
}

async function submitJob(kind, body, message) {
  message.textContent = "Submitting…";
  const res = await api(`/api/jobs/${kind.name}`, body);
  if (!res.ok) {
    const problems = (res.body.problems || []).map((p) => `${p.path}: ${p.message}`).join("; ");
    message.textContent = "Refused: " + res.body.detail + (problems ? " — " + problems : "");
    return;
  }
  message.textContent = `Job ${res.body.id} submitted.`;
  trackJob(res.body);
}

function trackJob(job) {
  let card = state.jobs.get(job.id);
  if (!card) {
    const bar = el("progress", { max: 1, value: 0 });
    const text = el("p", { class: "small" });
    const cancel = el("button", { type: "button", text: "Cancel" });
    cancel.addEventListener("click", () => api(`/api/jobs/${job.id}`, undefined, "DELETE"));
    const result = el("div", { id: `job-result-${job.id}` });
    const chart = el("div", { class: "chart", id: `job-chart-${job.id}`, hidden: true });
    card = { root: el("div", { class: "job", id: `job-${job.id}` }, el("h3", { text: `${job.kind} ${job.id}` }), bar, text, cancel, chart, result), bar, text, cancel, result, chart };
    state.jobs.set(job.id, card);
    $("job-list").prepend(card.root);
  }
  card.bar.max = Math.max(1, job.total);
  card.bar.value = job.done;
  card.text.textContent = `${job.status}: ${job.done} of ${job.total}` + (job.error ? ` — ${job.error}` : "");
  if (["done", "failed", "cancelled"].includes(job.status)) {
    card.cancel.hidden = true;
    if (job.result) showJobResult(card, job);
    return;
  }
  setTimeout(async () => {
    const res = await api(`/api/jobs/${job.id}`);
    if (res.ok) trackJob(res.body);
    else card.text.textContent = res.body.detail;
  }, 400);
}

function showJobResult(card, job) {
  const result = job.result;
  if (result.figure) {
    card.chart.hidden = false;
    plot(card.chart.id, result.figure);
  }
  const shown = Object.fromEntries(Object.entries(result).filter(([k]) => k !== "figure"));
  card.result.textContent = "";
  if (Array.isArray(result.intervals)) card.result.append(intervalsTable(result));
  if (result.zone) card.result.append(bargainingText(result));
  if (Array.isArray(result.definitions)) {
    const where = result.stored ? (result.reused ? "already in the results store: its stored results are shown" : "stored in the results store") : "not kept (the server has no results store)";
    card.result.append(el("p", { class: "small muted", text: `Sweep run ${result.short_id}, ${where}.` }));
    showRunIn(card.result, result, `job-${job.id}-chart`);
    if (result.stored && state.meta.store) loadRuns();
  }
  card.result.append(el("details", {}, el("summary", { text: "result data" }), el("pre", { text: JSON.stringify(shown, null, 1).slice(0, 20000) })));
}

// --- start ------------------------------------------------------------------------------------

function fillPickers() {
  const pick = $("pick");
  pick.textContent = "";
  pick.append(el("optgroup", { label: "Built-in scenarios" }, state.builtins.map((b) => el("option", { value: `builtin:${b.name}`, text: b.label || b.name }))));
  pick.append(el("optgroup", { label: "Examples" }, state.examples.map((e) => el("option", { value: `example:${e.name}`, text: e.label || e.name }))));
  const postureOptions = (selected) => state.postures.map((p) => el("option", { value: p.name, selected: p.name === selected || null, text: `${p.name} (${p.label})` }));
  $("posture-a").append(...postureOptions("us-2025"));
  $("posture-b").append(...postureOptions("ru-2025"));
  $("count-posture").append(...postureOptions("us-2021"));
  $("count-treaty").append(...state.treaties.map((t) => el("option", { value: t.name, selected: t.name === "new-start" || null, text: t.label })));
  const baseline = $("baseline");
  baseline.append(el("option", { value: "self", text: "this scenario without the lever changes" }));
  baseline.append(el("optgroup", { label: "Built-in scenarios" }, state.builtins.map((b) => el("option", { value: `builtin:${b.name}`, text: b.label || b.name }))));
  baseline.append(el("optgroup", { label: "Examples" }, state.examples.map((e) => el("option", { value: `example:${e.name}`, text: e.label || e.name }))));
}

function posturesText() {
  const a = $("posture-a").value;
  const b = $("posture-b").value;
  const name = `${a}_vs_${b}`.replaceAll("-", "_");
  return `name: ${name}\nlabel: ${a} and ${b}\nsides:\n  - posture: ${a}\n  - posture: ${b}\n`;
}

async function start() {
  const [meta, builtins, examples, postures, treaties] = await Promise.all([
    api("/api/meta"), api("/api/builtins"), api("/api/examples"), api("/api/postures"), api("/api/treaties"),
  ]);
  if (![meta, builtins, examples, postures, treaties].every((r) => r.ok)) {
    setStatus("The server did not answer as expected; reload the page.", "error");
    return;
  }
  state.meta = meta.body;
  state.builtins = builtins.body;
  state.examples = examples.body;
  state.postures = postures.body;
  state.treaties = treaties.body;
  $("version").textContent = state.meta.version;
  fillPickers();
  $("pick").addEventListener("change", () => {
    const [kind, name] = $("pick").value.split(":");
    loadScenario(kind, name);
  });
  $("use-postures").addEventListener("click", () => setText(posturesText()));
  $("yaml").addEventListener("input", () => onTextChanged(false));
  $("yaml").addEventListener("scroll", () => { $("gutter").scrollTop = $("yaml").scrollTop; });
  $("reset-levers").addEventListener("click", () => {
    state.levers = { sides: {} };
    buildLevers();
    assess();
  });
  $("pair").addEventListener("change", () => {
    state.pair = $("pair").value.split(",");
    assess();
  });
  $("run-compare").addEventListener("click", runCompare);
  $("run-count").addEventListener("click", runCount);
  $("source-filter").addEventListener("input", debounce(drawSources, 200));
  buildJobs();
  const first = state.builtins.length ? `builtin:${state.builtins[0].name}` : `example:${state.examples[0].name}`;
  $("pick").value = first;
  const [kind, name] = first.split(":");
  await loadScenario(kind, name);
}

document.addEventListener("DOMContentLoaded", start);
