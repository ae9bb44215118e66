// The Log Search page (#/search?q=&from=&to=&offset=): query box with syntax help, time
// range, histogram (drag to zoom), field sidebar, events table or stats/timechart rows,
// paging and export. The query and range live in the URL, so a search can be shared and
// the back button works. Event values are attacker-controlled: they only ever reach the
// page as text (dom.js), never as markup.
//
// For tests and scripts, the page's <section> carries data-state="loading" or "done" and
// data-runs, the number of searches finished (results, histogram and fields all answered).

import { api, apiUrl } from "./api.js";
import { h, replace } from "./dom.js";
import { renderHistogram } from "./charts.js";
import { fieldSidebar } from "./fields.js";
import { formatDuration, formatNumber } from "./format.js";
import { addTerm, byteToIndex, categoryOf, setCategory, term } from "./query.js";
import { eventsTable, rowsView } from "./results.js";
import { cheatsheet, examplesPanel } from "./search_help.js";
import { MAX_WINDOW, PAGE_SIZE, readState, searchHash } from "./search_url.js";
import {
  RELATIVE_RANGES,
  fromInputValue,
  isoFromMillis,
  rangeLabel,
  relativeRange,
  toInputValue,
  toMillis,
} from "./time.js";

const KNOWN_CATEGORIES = ["Cloud Service Activity"];
const RELATIVE_RE = /^-\d+[smhdw]$/;

// The query bar: query, category, time range (relative or custom) and the Search button.
function queryBar() {
  const input = h("input", {
    id: "query",
    class: "query-input",
    type: "search",
    name: "q",
    autocomplete: "off",
    spellcheck: "false",
    "aria-label": "Query",
    placeholder: "Filter events, e.g. eventName:ConsoleLogin errorCode:AccessDenied*   (empty: every event)",
  });
  const category = h("select", { id: "category", "aria-label": "Category" });
  const range = h(
    "select",
    { id: "range", "aria-label": "Time range" },
    RELATIVE_RANGES.map((r) => h("option", { value: r.value, text: r.label })),
    h("option", { value: "custom", text: "Custom range…" }),
  );
  const fromInput = h("input", { id: "range-from", type: "datetime-local", step: "1", "aria-label": "From (UTC)" });
  const toInput = h("input", { id: "range-to", type: "datetime-local", step: "1", "aria-label": "To (UTC)" });
  const apply = h("button", { type: "button", id: "range-apply", text: "Apply" });
  const customError = h("span", { class: "form-error", hidden: true });
  const custom = h(
    "div",
    { class: "custom-range", hidden: true },
    h("label", {}, "From ", fromInput),
    h("label", {}, "To ", toInput),
    h("span", { class: "muted", text: "UTC" }),
    apply,
    customError,
  );
  const submit = h("button", { type: "submit", class: "primary", id: "search-button", text: "Search" });
  const form = h("form", { class: "query-bar", role: "search" }, input, category, range, submit);
  return { form, input, category, range, custom, fromInput, toInput, apply, customError };
}

// The message and the query with a mark on the character at `position` (a byte offset).
function queryErrorView(q, message, position) {
  const at = byteToIndex(q, position);
  const before = q.slice(0, at);
  const ch = at < q.length ? String.fromCodePoint(q.codePointAt(at)) : " ";
  const after = at < q.length ? q.slice(at + ch.length) : "";
  const caret = " ".repeat([...before].length) + "^";
  return {
    at,
    length: at < q.length ? ch.length : 0,
    nodes: [
      h("div", { class: "query-error-message", text: message }),
      h(
        "pre",
        { class: "query-echo", "aria-label": `The query, with the error at character ${at + 1}` },
        h("span", { text: before }),
        h("mark", { class: "error-at", text: ch }),
        h("span", { text: after }),
        "\n",
        h("span", { class: "caret", text: caret }),
      ),
    ],
  };
}

export function mountSearch(container) {
  let state = readState(new URLSearchParams());
  let controller = null;
  let seq = 0;
  let lastHistogram = null;
  const categories = new Set(KNOWN_CATEGORIES);

  const bar = queryBar();
  const { input, category, range, custom, fromInput, toInput, customError } = bar;
  const queryError = h("div", { id: "query-error", class: "query-error", role: "alert", hidden: true });
  const examples = examplesPanel();
  const fields = h("aside", { class: "fields", "aria-label": "Fields" });
  const histTitle = h("div", { class: "hist-title muted small" });
  const histChart = h("div", { class: "hist-chart" });
  const histogram = h("div", { class: "histogram-panel" }, histTitle, histChart);
  const resultBar = h("div", { class: "result-bar" });
  const results = h("div", { class: "results" });
  const content = h("div", { class: "content" }, histogram, resultBar, results);
  const layout = h("div", { class: "search-layout" }, fields, content);
  const help = cheatsheet((q) => {
    input.value = q;
    input.focus();
  });
  const section = h(
    "section",
    { class: "page search-page" },
    bar.form,
    custom,
    queryError,
    h("div", { class: "help-row" }, help),
    examples,
    layout,
  );
  replace(container, section);

  bar.form.addEventListener("submit", (e) => {
    e.preventDefault();
    go({ q: input.value.trim(), offset: 0 });
  });
  category.addEventListener("change", () => go({ q: setCategory(input.value.trim(), category.value), offset: 0 }));
  range.addEventListener("change", () => {
    if (range.value === "custom") {
      showCustom();
      fromInput.focus();
    } else {
      custom.hidden = true;
      go({ from: range.value, to: "", offset: 0 });
    }
  });
  bar.apply.addEventListener("click", applyCustom);
  const onKey = (e) => {
    const tag = document.activeElement?.tagName;
    if (e.key === "/" && tag !== "INPUT" && tag !== "TEXTAREA" && tag !== "SELECT") {
      e.preventDefault();
      input.focus();
    }
  };
  document.addEventListener("keydown", onKey);
  let resizeTimer = null;
  const onResize = () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => lastHistogram && drawHistogram(lastHistogram), 150);
  };
  window.addEventListener("resize", onResize);

  function showCustom() {
    const now = Date.now();
    custom.hidden = false;
    customError.hidden = true;
    fromInput.value = toInputValue(toMillis(state.from, now));
    toInput.value = toInputValue(state.to ? toMillis(state.to, now) : now);
  }

  function applyCustom() {
    const from = fromInputValue(fromInput.value);
    const to = fromInputValue(toInput.value);
    const problem = !from
      ? "Choose a start time."
      : to && toMillis(to) <= toMillis(from)
        ? "The end must be after the start."
        : "";
    customError.textContent = problem;
    customError.hidden = !problem;
    if (!problem) go({ from, to, offset: 0 });
  }

  // Navigates to a search; the hashchange runs it (or runs it again when unchanged).
  function go(changes) {
    const next = { ...state, ...changes };
    const hash = searchHash(next);
    if (hash === location.hash) run(next);
    else location.hash = hash;
  }

  function syncControls() {
    input.value = state.q;
    // A relative start that the list lacks (-2h typed into the URL) gets an option of its own.
    range.querySelector("option.extra")?.remove();
    if (!state.to && !relativeRange(state.from, "") && RELATIVE_RE.test(state.from)) {
      range.prepend(h("option", { class: "extra", value: state.from, text: rangeLabel(state.from, "") }));
    }
    const relative = !state.to && (relativeRange(state.from, "") || RELATIVE_RE.test(state.from));
    range.value = relative ? state.from : "custom";
    custom.hidden = relative;
    if (!relative) {
      fromInput.value = toInputValue(toMillis(state.from));
      toInput.value = state.to ? toInputValue(toMillis(state.to)) : "";
    }
    fillCategories();
  }

  function fillCategories() {
    const current = categoryOf(state.q);
    if (current) categories.add(current);
    replace(
      category,
      h("option", { value: "", text: "All categories" }),
      [...categories].sort().map((c) => h("option", { value: c, text: c })),
    );
    category.value = current;
  }

  function update(params) {
    state = readState(params);
    document.title = (state.q ? `${state.q} · ` : "") + "Log Search · Trailhound";
    syncControls();
    run(state);
  }

  function run(s) {
    state = s;
    if (controller) controller.abort();
    controller = new AbortController();
    const signal = controller.signal;
    const mine = ++seq;
    const current = () => mine === seq;
    const settled = (promise) => promise.catch((err) => (current() && err.name !== "AbortError" ? err : null));
    section.dataset.state = "loading";
    content.classList.add("loading");
    fields.classList.add("loading");
    hideQueryError();
    layout.hidden = false;
    examples.hidden = !!s.q;
    const common = { q: s.q, from: s.from, to: s.to };

    const searchDone = api("/api/search", {
      params: { ...common, offset: s.offset || undefined, limit: PAGE_SIZE },
      signal,
    })
      .then((data) => current() && renderResults(s, data))
      .catch((err) => {
        if (!current() || err.name === "AbortError") return;
        replace(resultBar);
        replace(results);
        if (err.status === 400 && err.position >= 0) {
          showQueryError(s.q, err.message, err.position);
          layout.hidden = true;
        } else if (err.status !== 401) {
          replace(
            results,
            h("div", { class: "error-box severe" }, h("strong", { text: "The search failed: " }), err.message),
          );
        }
      })
      .finally(() => current() && content.classList.remove("loading"));

    // Up to now when no end is given, so that the axis shows the whole range asked for.
    const histogramDone = api("/api/histogram", { params: { ...common, to: s.to || "now", buckets: 60 }, signal })
      .then((data) => {
        if (!current()) return;
        lastHistogram = data;
        drawHistogram(data);
      })
      .catch(() => {
        if (!current()) return;
        lastHistogram = null;
        replace(histTitle);
        replace(histChart);
      });

    const fieldsDone = api("/api/fields", { params: common, signal })
      .then((data) => current() && renderFields(data))
      .catch((err) => {
        if (!current() || err.name === "AbortError") return;
        const missing = h("p", {
          class: "muted small",
          text: "Field summaries need a newer server (GET /api/fields).",
        });
        replace(fields, err.status === 404 ? missing : null);
      })
      .finally(() => current() && fields.classList.remove("loading"));

    Promise.all([searchDone, histogramDone, fieldsDone].map(settled)).then(() => {
      if (!current()) return;
      section.dataset.state = "done";
      section.dataset.runs = String(Number(section.dataset.runs || 0) + 1);
    });
  }

  function drawHistogram(data) {
    const span = formatDuration((data.span_ms || 0) / 1000).replace(/ 0 (s|min|h)$/, "");
    replace(
      histTitle,
      h("strong", { text: `${formatNumber(data.total)} events` }),
      ` · ${rangeLabel(state.from, state.to)} · ${span} per bar`,
      h("span", { class: "hint-text", text: " · drag across the bars to zoom in" }),
    );
    if (!data.rows || data.rows.length === 0) {
      replace(histChart, h("div", { class: "hist-empty muted", text: "No events in this time range." }));
      return;
    }
    renderHistogram(histChart, data, {
      onZoom: (lo, hi) => go({ from: isoFromMillis(lo), to: isoFromMillis(hi), offset: 0 }),
    });
  }

  function hideQueryError() {
    queryError.hidden = true;
    input.removeAttribute("aria-invalid");
    replace(queryError);
  }

  function showQueryError(q, message, position) {
    const view = queryErrorView(q, message, position);
    replace(queryError, view.nodes);
    queryError.hidden = false;
    input.setAttribute("aria-invalid", "true");
    if (document.activeElement === input || document.activeElement === document.body) {
      input.focus();
      input.setSelectionRange(view.at, view.at + view.length);
    }
  }

  function renderFields(data) {
    const categoryField = (data.fields || []).find((f) => f.field === "_category");
    if (categoryField) {
      for (const v of categoryField.values) categories.add(v.value);
      fillCategories();
    }
    replace(
      fields,
      fieldSidebar(data, (field, value, exclude) =>
        go({ q: addTerm(input.value.trim(), term(field, value, exclude)), offset: 0 }),
      ),
    );
  }

  function exportLinks(s) {
    const link = (format, text) =>
      h("a", {
        class: "button small",
        href: apiUrl("/api/search", { q: s.q, from: s.from, to: s.to, format }),
        download: `trailhound-search.${format}`,
        text,
      });
    return h(
      "span",
      { class: "export" },
      h("span", { class: "muted", text: "Export " }),
      link("csv", "CSV"),
      link("ndjson", "NDJSON"),
    );
  }

  function pager(s, total) {
    const last = Math.min(total, MAX_WINDOW);
    const prev = h("button", {
      type: "button",
      id: "prev-page",
      class: "small",
      text: "‹ Newer",
      disabled: s.offset === 0,
    });
    const next = h("button", {
      type: "button",
      id: "next-page",
      class: "small",
      text: "Older ›",
      disabled: s.offset + PAGE_SIZE >= last,
    });
    prev.addEventListener("click", () => go({ offset: Math.max(0, s.offset - PAGE_SIZE) }));
    next.addEventListener("click", () => go({ offset: s.offset + PAGE_SIZE }));
    return h("span", { class: "pager" }, prev, next);
  }

  function noMatches(s) {
    const rel = relativeRange(s.from, s.to);
    const wider = RELATIVE_RANGES.find((r) => r.ms > (rel ? rel.ms : Infinity) && r.ms >= 7 * 86400e3);
    const widen = wider
      ? h("a", {
          class: "button",
          href: searchHash({ ...s, from: wider.value, to: "", offset: 0 }),
          text: `Search the ${wider.label.toLowerCase()}`,
        })
      : null;
    return h(
      "div",
      { class: "empty" },
      h("h2", { text: "No events match" }),
      h("p", {
        text:
          `Nothing matched in ${rangeLabel(s.from, s.to)}. Check the spelling of field names ` +
          "(they are case-sensitive; values are not), or widen the time range.",
      }),
      widen ? h("p", {}, widen) : null,
    );
  }

  function count(text) {
    return h("span", { class: "count", id: "result-count", text });
  }

  function renderResults(s, data) {
    if (Array.isArray(data.rows) && Array.isArray(data.columns)) {
      const n = data.rows.length;
      const text = `${formatNumber(n)} ${n === 1 ? "row" : "rows"} from ${formatNumber(data.total)} events`;
      replace(resultBar, count(text), h("span", { class: "spacer" }), exportLinks(s));
      replace(results, rowsView(data.columns, data.rows));
      return;
    }
    const events = data.events || [];
    const total = data.total || 0;
    if (events.length === 0) {
      replace(resultBar, count(s.offset ? `No events beyond ${formatNumber(s.offset)}` : "No events"), pager(s, total));
      replace(results, noMatches(s));
      return;
    }
    const shown = `${formatNumber(s.offset + 1)}–${formatNumber(s.offset + events.length)}`;
    const text = `Showing ${shown} of ${formatNumber(total)} events`;
    replace(resultBar, count(text), pager(s, total), h("span", { class: "spacer" }), exportLinks(s));
    replace(results, eventsTable(events));
  }

  return {
    update,
    unmount() {
      if (controller) controller.abort();
      document.removeEventListener("keydown", onKey);
      window.removeEventListener("resize", onResize);
      clearTimeout(resizeTimer);
    },
  };
}
