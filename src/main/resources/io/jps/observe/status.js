// The status page: reads /status.json every two seconds and fills the tables. No framework, and every value
// goes in as text, never as markup, since provider names and reasons come from outside.
"use strict";

const REFRESH_MILLIS = 2000;
const EXPIRING_SECONDS = 14 * 86400;
let previous = null;

function cell(text, className, metric) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  if (metric) td.dataset.metric = metric;
  return td;
}

function fill(id, rows, emptyText, columns) {
  const body = document.getElementById(id);
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = document.createElement("tr");
    const td = cell(emptyText, "empty");
    td.colSpan = columns;
    tr.append(td);
    body.append(tr);
    return;
  }
  for (const cells of rows) {
    const tr = document.createElement("tr");
    tr.append(...cells);
    body.append(tr);
  }
}

function badge(element, text, kind) {
  element.textContent = text;
  element.className = "badge " + kind;
}

function stateBadge(state) {
  const td = cell("");
  const span = document.createElement("span");
  badge(span, state, state === "RUNNING" ? "good" : state === "REBALANCING" ? "warn" : "bad");
  td.append(span);
  return td;
}

function duration(seconds) {
  const days = seconds / 86400;
  return Math.abs(days) >= 1 ? days.toFixed(1) + " d" : (seconds / 3600).toFixed(1) + " h";
}

function rate(key, count, now) {
  if (!previous || !(key in previous.counts)) return "-";
  const seconds = (now - previous.at) / 1000;
  return seconds > 0 ? ((count - previous.counts[key]) / seconds).toFixed(1) : "-";
}

function render(status, now) {
  document.getElementById("version").textContent = status.version;
  badge(document.getElementById("ready"), status.ready ? "ready" : "not ready", status.ready ? "good" : "bad");

  fill("stages", status.stages.map(s => [cell(s.stage), stateBadge(s.state)]), "no stage runs in this process", 2);

  const counts = {};
  const providers = [...new Set(status.records.map(r => r.provider))];
  fill("records", providers.map(provider => {
    const cells = [cell(provider)];
    for (const stage of ["seal", "dispatch", "open"]) {
      const row = status.records.find(r => r.stage === stage && r.provider === provider);
      const key = "records:" + stage + ":" + provider;
      if (row) counts[key] = row.count;
      cells.push(cell(row ? String(row.count) : "-", "n", row ? key : null),
        cell(row ? rate(key, row.count, now) : "-", "n"));
    }
    return cells;
  }), "no records yet", 7);

  fill("dead-letters", status.deadLetters.map(d =>
    [cell(d.topic), cell(d.reason), cell(String(d.count), "n", "dlq:" + d.topic + ":" + d.reason)]), "none", 3);

  document.getElementById("in-flight").textContent = String(status.dispatch.inFlight);
  fill("dispatch", status.dispatch.providers.map(p => [cell(p.provider),
    cell(String(p.retries), "n", "retries:" + p.provider), cell(String(p.giveUps), "n", "give-ups:" + p.provider)]),
    "no dispatcher in this process", 3);

  fill("lag", status.lag.map(l => [cell(l.stage), cell(l.group), cell(l.topic),
    cell(l.records === null ? "not measured yet" : String(l.records), "n", "lag:" + l.group + ":" + l.topic)]),
    "not measured", 4);

  fill("keys", status.keys.map(k => {
    const health = document.createElement("span");
    badge(health, k.seconds <= 0 ? "expired" : k.seconds < EXPIRING_SECONDS ? "expiring" : "ok",
      k.seconds <= 0 ? "bad" : k.seconds < EXPIRING_SECONDS ? "warn" : "good");
    const td = cell("");
    td.append(health);
    return [cell(k.provider), cell(k.account), cell(k.role), cell(k.kid), cell(duration(k.seconds), "n"), td];
  }), "no key expiry exported", 6);

  previous = { at: now, counts };
  document.getElementById("updated").textContent = new Date(now).toLocaleTimeString();
}

async function refresh() {
  const error = document.getElementById("error");
  try {
    const response = await fetch("/status.json", { cache: "no-store" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    render(await response.json(), Date.now());
    error.hidden = true;
  } catch (e) {
    error.textContent = "cannot read /status.json: " + e.message;
    error.hidden = false;
  } finally {
    setTimeout(refresh, REFRESH_MILLIS);
  }
}

refresh();
