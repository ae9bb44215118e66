// The Event Sources page (#/sources) and one source's detail (#/sources/NAME), from
// GET /api/sources and GET /api/sources/{name}; refreshed every few seconds.

import { api } from "./api.js";
import { h, replace } from "./dom.js";
import { sparkline } from "./charts.js";
import { formatAgo, formatBytes, formatDuration, formatNumber, formatTime } from "./format.js";

const REFRESH_MS = 3000;

const STATUS_TEXT = {
  Starting: "Starting: no successful receive from the queue yet.",
  Running: "Running: receiving from the queue without errors.",
  Degraded: "Degraded: there was an error in the last 5 minutes, but the queue is being read.",
  Error: "Error: the queue cannot be read. See the hint below.",
  Stopped: "Stopped: the source is not running.",
};

function statusBadge(status) {
  const known = Object.hasOwn(STATUS_TEXT, status);
  return h("span", {
    class: ["badge", `status-${known ? status.toLowerCase() : "unknown"}`],
    title: known ? STATUS_TEXT[status] : "",
    text: status || "Unknown",
  });
}

function sourceHref(name) {
  return `#/sources/${encodeURIComponent(name)}`;
}

function metric(label, value, extra) {
  return h(
    "div",
    { class: "metric" },
    h("div", { class: "metric-label", text: label }),
    h("div", { class: "metric-value" }, value),
    extra ? h("div", { class: "metric-extra" }, extra) : null,
  );
}

function lagText(lag) {
  if (!lag) return "–";
  const pair = (p50, p95) => (p50 === null && p95 === null ? "–" : `${formatDuration(p50)} / ${formatDuration(p95)}`);
  return [
    h(
      "div",
      { title: "From the notification entering the queue to its events being stored" },
      h("span", { class: "muted", text: "messages " }),
      pair(lag.message_p50_secs, lag.message_p95_secs),
    ),
    h(
      "div",
      { title: "From the event's eventTime to its being stored (includes CloudTrail's own delivery delay)" },
      h("span", { class: "muted", text: "events " }),
      pair(lag.event_p50_secs, lag.event_p95_secs),
    ),
  ];
}

function queueText(queue) {
  if (!queue) return h("span", { class: "muted", text: "not measured yet" });
  return [
    h("div", {}, `${formatNumber(queue.visible)} waiting`),
    h("div", { class: "muted" }, `${formatNumber(queue.in_flight)} in flight · ${formatNumber(queue.delayed)} delayed`),
  ];
}

const COUNTERS = [
  ["messages_received", "Messages received"],
  ["messages_deleted", "Messages deleted"],
  ["messages_left", "Messages left for retry"],
  ["messages_ignored", "Messages ignored"],
  ["messages_unrecognized", "Messages unrecognized"],
  ["objects_fetched", "Objects fetched"],
  ["objects_skipped", "Objects skipped"],
  ["objects_failed", "Objects failed"],
  ["bytes_fetched", "Bytes fetched"],
  ["events_stored", "Events stored"],
  ["events_duplicate", "Duplicate events"],
  ["visibility_extensions", "Visibility extensions"],
];

function countersGrid(counters) {
  const c = counters || {};
  return h(
    "dl",
    { class: "counters" },
    COUNTERS.map(([key, name]) => {
      const value = c[key];
      const bad = (key === "objects_failed" || key === "messages_unrecognized") && value > 0;
      return h(
        "div",
        { class: ["counter", bad && "counter-bad"] },
        h("dt", { text: name }),
        h("dd", { text: key === "bytes_fetched" ? formatBytes(value) : formatNumber(value) }),
      );
    }),
  );
}

function errorBox(source) {
  if (!source.last_error) return null;
  const severe = source.status === "Error";
  return h(
    "div",
    { class: ["error-box", severe ? "severe" : "warning"] },
    h(
      "div",
      { class: "error-title" },
      h("strong", { text: "Last error" }),
      source.last_error_at
        ? h("span", {
            class: "muted",
            text: ` ${formatTime(source.last_error_at)} UTC (${formatAgo(source.last_error_at)})`,
          })
        : null,
    ),
    h("p", { class: "error-message", text: source.last_error }),
    source.hint ? h("p", { class: "hint" }, h("strong", { text: "How to fix: " }), source.hint) : null,
  );
}

function errorCounts(errors) {
  const entries = Object.entries(errors || {});
  if (!entries.length) return null;
  entries.sort((a, b) => b[1] - a[1]);
  return h(
    "p",
    { class: "error-counts" },
    h("span", { class: "muted", text: "Errors by code: " }),
    entries.map(([code, n], i) => [i ? ", " : "", h("code", { text: code }), ` × ${formatNumber(n)}`]),
  );
}

function sourceCard(source, { link = true } = {}) {
  const title = link ? h("a", { href: sourceHref(source.name), text: source.name }) : h("span", { text: source.name });
  return h(
    "article",
    { class: "card source", dataset: { source: source.name } },
    h(
      "header",
      { class: "card-head" },
      h("h2", {}, title),
      statusBadge(source.status),
      h("span", {
        class: "muted status-text",
        text: STATUS_TEXT[source.status] ? STATUS_TEXT[source.status].replace(/^[A-Za-z]+: /, "") : "",
      }),
      h("span", { class: "spacer" }),
      source.started_at ? h("span", { class: "muted small", text: `started ${formatAgo(source.started_at)}` }) : null,
    ),
    h(
      "div",
      { class: "metrics" },
      metric("Events / min", h("span", { class: "epm", text: formatNumber(Math.round(source.epm || 0)) }), [
        sparkline(source.epm_series),
        h("div", { class: "spark-axis" }, h("span", { text: "60 min ago" }), h("span", { text: "now" })),
      ]),
      metric("Lag p50 / p95", lagText(source.lag)),
      metric("Queue", queueText(source.queue)),
      metric(
        "Events stored",
        formatNumber(source.counters ? source.counters.events_stored : null),
        h("span", {
          class: "muted",
          text: `${formatBytes(source.counters ? source.counters.bytes_fetched : null)} fetched`,
        }),
      ),
    ),
    errorBox(source),
    errorCounts(source.errors),
    link
      ? h("details", { class: "more" }, h("summary", { text: "All counters" }), countersGrid(source.counters))
      : null,
  );
}

function emptyState() {
  return h(
    "div",
    { class: "empty" },
    h("h2", { text: "No event sources" }),
    h(
      "p",
      {},
      "This server was started with ",
      h("code", { text: "trailhound serve" }),
      ": it searches the events already stored but does not collect new ones.",
    ),
    h(
      "p",
      {},
      "To collect CloudTrail logs, add a source (its SQS queue URL and credentials) to the configuration file and start ",
      h("code", { text: "trailhound run --config FILE" }),
      ". ",
      h("code", { text: "trailhound doctor" }),
      " checks the AWS side first.",
    ),
    h("p", {}, h("a", { class: "button", href: "#/search", text: "Search the stored events" })),
  );
}

function updatedLine(el, at, error) {
  replace(
    el,
    error
      ? h("span", { class: "form-error", text: `Refresh failed: ${error}` })
      : `Updated ${formatTime(at).slice(11, 19)} UTC · refreshes every ${REFRESH_MS / 1000} s`,
  );
}

// A page that polls `load` and renders its result until unmounted.
function pollingPage(container, heading, load, render) {
  const status = h("span", { class: "muted small refresh-status" });
  const body = h("div", { class: "page-body" }, h("p", { class: "muted", text: "Loading…" }));
  replace(
    container,
    h(
      "section",
      { class: "page" },
      h("div", { class: "page-head" }, heading, h("span", { class: "spacer" }), status),
      body,
    ),
  );
  let timer = null;
  let stopped = false;
  const controller = new AbortController();
  const tick = async () => {
    try {
      const data = await load(controller.signal);
      if (stopped) return;
      render(body, data);
      updatedLine(status, Date.now(), null);
    } catch (err) {
      if (stopped || err.name === "AbortError") return;
      if (err.status === 404 && err.notFound) {
        replace(body, err.notFound);
        return;
      }
      if (err.status === 401) return; // the token prompt takes over
      updatedLine(status, Date.now(), err.message);
    }
    if (!stopped) timer = setTimeout(tick, REFRESH_MS);
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
    controller.abort();
  };
}

export function mountSources(container) {
  document.title = "Event Sources · Trailhound";
  return pollingPage(
    container,
    h("h1", { text: "Event Sources" }),
    (signal) => api("/api/sources", { signal }),
    (body, sources) => {
      if (!Array.isArray(sources) || sources.length === 0) {
        replace(body, emptyState());
        return;
      }
      // Keep open "All counters" panels open across refreshes.
      const open = new Set(
        [...body.querySelectorAll("details[open]")].map((d) => d.closest("[data-source]")?.dataset.source),
      );
      replace(
        body,
        sources.map((s) => sourceCard(s)),
      );
      for (const card of body.querySelectorAll("[data-source]")) {
        if (open.has(card.dataset.source)) card.querySelector("details")?.setAttribute("open", "");
      }
    },
  );
}

function configTable(config) {
  const entries = Object.entries(config || {});
  if (!entries.length) return h("p", { class: "muted", text: "No settings reported." });
  return h(
    "table",
    { class: "table kv" },
    h("thead", {}, h("tr", {}, h("th", { text: "Setting" }), h("th", { text: "Value" }))),
    h(
      "tbody",
      {},
      entries.map(([key, value]) =>
        h(
          "tr",
          {},
          h("td", {}, h("code", { text: key })),
          h(
            "td",
            { class: value === "<redacted>" ? "redacted" : "" },
            value === "" ? h("span", { class: "muted", text: "(not set)" }) : h("code", { text: String(value) }),
          ),
        ),
      ),
    ),
  );
}

function recentErrors(errors) {
  if (!errors || !errors.length) return h("p", { class: "muted", text: "No errors recorded." });
  return h(
    "table",
    { class: "table" },
    h(
      "thead",
      {},
      h("tr", {}, h("th", { text: "Time (UTC)" }), h("th", { text: "Error" }), h("th", { text: "How to fix" })),
    ),
    h(
      "tbody",
      {},
      [...errors]
        .reverse()
        .map((e) =>
          h(
            "tr",
            {},
            h("td", { class: "nowrap", text: formatTime(e.at) }),
            h("td", { text: e.message }),
            h("td", { text: e.hint || "" }),
          ),
        ),
    ),
  );
}

export function mountSourceDetail(container, name) {
  document.title = `${name} · Event Sources · Trailhound`;
  const heading = h(
    "h1",
    {},
    h("a", { href: "#/sources", text: "Event Sources" }),
    h("span", { class: "crumb", text: " / " }),
    h("span", { text: name }),
  );
  return pollingPage(
    container,
    heading,
    async (signal) => {
      try {
        return await api(`/api/sources/${encodeURIComponent(name)}`, { signal });
      } catch (err) {
        if (err.status === 404) {
          err.notFound = h(
            "div",
            { class: "empty" },
            h("h2", { text: `No source named “${name}”` }),
            h("p", {}, err.message),
            h("p", {}, h("a", { href: "#/sources", text: "All event sources" })),
          );
        }
        throw err;
      }
    },
    (body, source) => {
      replace(
        body,
        sourceCard(source, { link: false }),
        h(
          "div",
          { class: "columns" },
          h("section", { class: "card", id: "counters" }, h("h2", { text: "Counters" }), countersGrid(source.counters)),
          h(
            "section",
            { class: "card", id: "configuration" },
            h("h2", { text: "Configuration" }),
            h("p", {
              class: "muted small",
              text: "Every setting with its value or default; secrets are redacted by the server.",
            }),
            configTable(source.config),
          ),
        ),
        h(
          "section",
          { class: "card", id: "recent-errors" },
          h("h2", { text: "Recent errors" }),
          recentErrors(source.recent_errors),
        ),
      );
    },
  );
}
