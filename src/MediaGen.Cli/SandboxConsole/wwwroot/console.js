// The MediaGen sandbox console: renders /_console/api/state and re-reads it whenever /_console/events says
// something changed. Plain DOM, no framework, no build step. Values are set as text, never as HTML.
"use strict";
(() => {
  const api = "/_console/api";
  const $ = (sel) => document.querySelector(sel);
  let state = null;
  let seen = new Set();
  let selected = null;
  let loading = false;
  let again = false;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value; else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const time = (iso) => { const d = new Date(iso); return isNaN(d) ? iso : d.toLocaleTimeString([], { hour12: false }) + "." + String(d.getMilliseconds()).padStart(3, "0"); };
  // Ledger units are "USD" or "credits", sometimes qualified by the vendor ("credits:apiframe"): the card names the vendor.
  const amount = (n, unit) => unit === "USD" ? "$" + Number(n).toFixed(4).replace(/0{1,2}$/, "") : Number(n).toLocaleString() + " " + unit.split(":")[0];

  async function refresh() {
    if (loading) { again = true; return; }
    loading = true;
    try {
      const response = await fetch(api + "/state", { cache: "no-store" });
      if (response.ok) { state = await response.json(); render(); }
    } catch (e) { /* the sandbox stopped; the event stream shows it */ }
    finally { loading = false; if (again) { again = false; refresh(); } }
  }

  function render() {
    renderFaults();
    renderRequests();
    renderBilling();
  }

  function renderFaults() {
    const root = $("#faults");
    const active = new Map(state.faults.active.map((a) => [a.vendor + "/" + a.kind, a]));
    root.replaceChildren(...state.faults.vendors.map((vendor) =>
      el("div", { class: "vendor-faults", "data-fault-vendor": vendor },
        el("h3", {}, vendor),
        state.faults.kinds.map((kind) => {
          const on = active.get(vendor + "/" + kind.name);
          const button = el("button", { type: "button", "data-kind": kind.name, "aria-pressed": on ? "true" : "false", title: kind.description },
            kind.label,
            on ? el("span", { class: "remaining" }, on.remaining === null ? " · until off" : " · " + on.remaining + " left") : null);
          button.addEventListener("click", () => toggle(vendor, kind.name, !!on));
          return button;
        }))));
  }

  async function toggle(vendor, kind, on) {
    if (on) {
      await fetch(`${api}/faults/${encodeURIComponent(vendor)}/${encodeURIComponent(kind)}`, { method: "DELETE" });
    } else {
      const count = parseInt($("#fault-count").value, 10);
      await fetch(api + "/faults", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ vendor, kind, count: count > 0 ? count : null }),
      });
    }
    await refresh();
  }

  function renderRequests() {
    const requests = state.requests;
    $("#request-count").textContent = requests.length ? `(${requests.length}${requests.length >= 500 ? "+" : ""})` : "";
    $("#no-requests").hidden = requests.length > 0;
    const first = seen.size === 0;
    $("#requests tbody").replaceChildren(...requests.map((r) => {
      const status = r.status === null ? (r.outcome === "dropped" ? "dropped" : "…") : String(r.status);
      const statusClass = r.status === null ? (r.outcome === "dropped" ? "dropped" : "") : "s" + String(r.status)[0];
      const row = el("tr", {
        "data-id": r.id, "data-vendor": r.vendor || "", "data-status": r.status === null ? r.outcome : r.status, "data-method": r.method,
        class: [selected === r.id ? "selected" : "", !first && !seen.has(r.id) ? "fresh" : ""].join(" ").trim() || null,
      },
        el("td", {}, time(r.at)),
        el("td", { class: "vendor" }, r.vendor || "—"),
        el("td", {}, r.method),
        el("td", { class: "path" }, r.path),
        el("td", { class: "status " + statusClass }, status, r.fault ? el("span", { class: "fault-tag" }, r.fault) : null),
        el("td", {}, r.durationMs === null ? "" : r.durationMs.toFixed(1) + " ms"));
      row.addEventListener("click", () => showDetail(r.id));
      return row;
    }));
    for (const r of requests) seen.add(r.id);
  }

  async function showDetail(id) {
    selected = id;
    const response = await fetch(`${api}/requests/${id}`, { cache: "no-store" });
    if (!response.ok) return;
    const r = await response.json();
    $("#detail-id").textContent = `#${r.id}`;
    $("#detail").replaceChildren(
      el("p", {}, el("strong", {}, `${r.method} ${r.path}`), ` → ${r.status === null ? r.outcome : r.status}`, r.fault ? ` (fault: ${r.fault})` : "",
        ` · ${r.vendor || "no vendor"} · ${time(r.at)}` + (r.durationMs === null ? "" : ` · ${r.durationMs.toFixed(1)} ms`)),
      el("h3", {}, "Headers"),
      el("dl", {}, Object.entries(r.headers).map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
      el("h3", {}, "Body"),
      r.body ? el("pre", { id: "detail-body" }, r.body) : el("p", { class: "empty" }, "(empty)"));
    $("#detail-panel").hidden = false;
    document.querySelectorAll("#requests tbody tr").forEach((tr) => tr.classList.toggle("selected", Number(tr.dataset.id) === id));
  }

  function renderBilling() {
    $("#billing").replaceChildren(...state.vendors.map((v) => {
      const totals = v.totals.length === 0
        ? el("p", { class: "totals empty" }, "Nothing charged.")
        : el("p", { class: "totals" }, v.totals.map((t, i) => [i ? " · " : "",
            el("strong", { class: "charge-count" }, String(t.charges)), t.charges === 1 ? " charge" : " charges",
            t.refunds ? `, ${t.refunds} refund${t.refunds === 1 ? "" : "s"}` : "",
            " — net ", el("strong", { class: "net" }, amount(t.net, t.unit)),
            t.refunded ? ` (charged ${amount(t.charged, t.unit)}, refunded ${amount(t.refunded, t.unit)})` : ""]));
      const ledger = v.ledger.length === 0 ? null : el("table", { class: "ledger" },
        el("thead", {}, el("tr", {}, el("th", {}, "time"), el("th", {}, "entry"), el("th", {}, "amount"), el("th", {}, "job"))),
        el("tbody", {}, v.ledger.map((e) => el("tr", { class: "ledger-entry", "data-kind": e.kind },
          el("td", {}, time(e.at)), el("td", {}, e.kind), el("td", {}, (e.kind === "refund" ? "−" : "") + amount(e.amount, e.unit)), el("td", {}, e.jobId)))));
      const jobs = v.jobs.length === 0 ? null : el("table", { class: "jobs" },
        el("thead", {}, el("tr", {}, el("th", {}, "job"), el("th", {}, "status"), el("th", {}, "prompt"))),
        el("tbody", {}, v.jobs.map((j) => el("tr", { class: "job", "data-job": j.id, "data-state": j.state },
          el("td", {}, j.id), el("td", { class: "state " + j.state }, j.state), el("td", {}, j.prompt.length > 60 ? j.prompt.slice(0, 59) + "…" : j.prompt)))));
      return el("div", { class: "vendor-billing", "data-ledger-vendor": v.name },
        el("h3", {}, v.name, el("span", { class: "count" }, ` · ${v.requests} request${v.requests === 1 ? "" : "s"} · ${v.jobs.length} job${v.jobs.length === 1 ? "" : "s"}`)),
        totals, jobs, ledger);
    }));
  }

  function connect() {
    const live = $("#live");
    const events = new EventSource("/_console/events");
    events.addEventListener("open", () => { live.dataset.state = "live"; live.textContent = "live"; });
    events.addEventListener("changed", () => refresh());
    events.addEventListener("error", () => { live.dataset.state = "offline"; live.textContent = "reconnecting…"; });
  }

  $("#detail-close").addEventListener("click", () => { $("#detail-panel").hidden = true; selected = null; renderRequests(); });
  refresh();
  connect();
})();
