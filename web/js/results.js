// Search results as DOM: the events table (each row opens to the raw event) and the
// rows of stats/timechart/fields (chart and table). Every value goes in as text.

import { h } from "./dom.js";
import { rowsChart } from "./charts.js";
import { formatNumber, formatTime } from "./format.js";

const MAX_ROWS_SHOWN = 1000;

// A value as a cell shows it: strings as they are, anything else as JSON.
export function str(value) {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

// As in the CSV export: userIdentity.arn, else userName, else principalId, else invokedBy.
function userOf(event) {
  const u = event.userIdentity;
  if (!u || typeof u !== "object") return "";
  return str(u.arn || u.userName || u.principalId || u.invokedBy);
}

const EVENT_COLUMNS = [
  ["Time (UTC)", (e) => formatTime(e._time), "nowrap"],
  ["eventName", (e) => e.eventName, ""],
  ["eventSource", (e) => e.eventSource, ""],
  ["User", (e) => userOf(e), "user"],
  ["Source IP", (e) => e.sourceIPAddress, "nowrap"],
  ["Region", (e) => e.awsRegion, "nowrap"],
  ["Error code", (e) => e.errorCode, "error-code"],
];

function eventRow(event) {
  const cells = EVENT_COLUMNS.map(([, get, cls]) => {
    const text = str(get(event));
    // The user cell is cut at its start (CSS); its span keeps the text left to right.
    const content = cls === "user" ? h("span", { text }) : text;
    return h("td", { class: cls, title: text.length > 24 ? text : null }, content);
  });
  const caret = h("td", { class: "toggle", "aria-hidden": "true", text: "▸" });
  const row = h("tr", { class: "event-row", tabindex: "0", "aria-expanded": "false" }, caret, cells);
  let detail = null;
  const toggle = () => {
    if (detail) {
      detail.remove();
      detail = null;
    } else {
      const json = h("pre", { class: "json", text: JSON.stringify(event, null, 2) });
      detail = h("tr", { class: "event-detail" }, h("td", { colspan: String(EVENT_COLUMNS.length + 1) }, json));
      row.after(detail);
    }
    row.setAttribute("aria-expanded", String(!!detail));
    caret.textContent = detail ? "▾" : "▸";
  };
  row.addEventListener("click", () => {
    if (String(window.getSelection()) !== "") return; // selecting text, not toggling
    toggle();
  });
  row.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      toggle();
    }
  });
  return row;
}

export function eventsTable(events) {
  const head = h(
    "tr",
    {},
    h("th", { class: "toggle" }),
    EVENT_COLUMNS.map(([title]) => h("th", { text: title })),
  );
  return h("table", { class: "table results-table" }, h("thead", {}, head), h("tbody", {}, events.map(eventRow)));
}

function rowCell(column, value) {
  if (value === null || value === undefined) return h("td", { class: "muted", text: "(none)" });
  if (column === "_time") return h("td", { class: "nowrap", text: formatTime(value) });
  if (typeof value === "number") return h("td", { class: "num", text: formatNumber(value) });
  return h("td", { text: str(value) });
}

// The chart (when there is something to plot) and the table of {columns, rows}.
export function rowsView(columns, rows) {
  const shown = rows.slice(0, MAX_ROWS_SHOWN);
  const head = h(
    "tr",
    {},
    columns.map((c) => h("th", { text: c === "_time" ? "_time (UTC)" : c })),
  );
  const body = shown.map((r) =>
    h(
      "tr",
      {},
      columns.map((c) => rowCell(c, r[c])),
    ),
  );
  const note =
    rows.length > shown.length
      ? h("p", {
          class: "muted small",
          text: `The table shows the first ${MAX_ROWS_SHOWN} rows; export for all of them.`,
        })
      : null;
  return [
    rowsChart(columns, rows),
    h("table", { class: "table rows-table" }, h("thead", {}, head), h("tbody", {}, body)),
    note,
  ];
}
