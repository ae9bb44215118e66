// The field sidebar of the search page, from GET /api/fields: each field's top values
// with their counts. A click on a value calls pick(field, value, exclude), exclude being
// true for Alt-click or the "−" button.

import { h } from "./dom.js";
import { formatNumber } from "./format.js";
import { term } from "./query.js";

const SHOWN = 5; // values shown before "more"

// Text with break opportunities after `:` and `/`, so that long ARNs wrap readably.
function breakable(text) {
  return text.split(/(?<=[:/])/).flatMap((part, i) => (i ? [h("wbr"), part] : [part]));
}

function valueItem(field, value, count, max, pick) {
  const bar = h("span", { class: "value-bar" });
  bar.style.width = `${Math.max(2, Math.round((100 * count) / Math.max(1, max)))}%`;
  const include = h(
    "button",
    {
      type: "button",
      class: "value",
      title: `Click: filter on ${term(field, value)} · Alt-click: exclude it`,
      dataset: { field, value },
    },
    bar,
    h("span", { class: "value-text" }, value === "" ? "(empty)" : breakable(value)),
    h("span", { class: "value-count", text: formatNumber(count) }),
  );
  include.addEventListener("click", (e) => pick(field, value, e.altKey));
  const exclude = h("button", {
    type: "button",
    class: "exclude",
    title: `Exclude: ${term(field, value, true)}`,
    "aria-label": `Exclude ${field} ${value}`,
    text: "−",
  });
  exclude.addEventListener("click", () => pick(field, value, true));
  return h("li", {}, include, exclude);
}

function fieldSection(f, pick) {
  const max = f.values.length ? f.values[0].count : 1;
  const items = f.values.map((v) => valueItem(f.field, v.value, v.count, max, pick));
  const rest = items.length > SHOWN ? h("ul", { class: "values", hidden: true }, items.slice(SHOWN)) : null;
  let more = null;
  if (rest) {
    const label = `${items.length - SHOWN} more`;
    more = h("button", { type: "button", class: "link-button small more-values", text: label });
    more.addEventListener("click", () => {
      rest.hidden = !rest.hidden;
      more.textContent = rest.hidden ? label : "fewer";
    });
  }
  const summary = f.present ? `${formatNumber(f.distinct)} distinct` : "absent";
  return h(
    "section",
    { class: "field", dataset: { field: f.field } },
    h(
      "div",
      { class: "field-head" },
      h("span", { class: "field-name", text: f.field }),
      h("span", { class: "muted small", text: summary }),
    ),
    items.length ? h("ul", { class: "values" }, items.slice(0, SHOWN)) : null,
    rest,
    more,
  );
}

export function fieldSidebar(data, pick) {
  const list = (data && data.fields) || [];
  const note =
    data.sampled < data.total
      ? `Top values in the newest ${formatNumber(data.sampled)} of ${formatNumber(data.total)} events.`
      : `Top values in ${formatNumber(data.total)} events.`;
  return [
    h("h2", { text: "Fields" }),
    h("p", { class: "muted small", text: `${note} Click a value to filter on it, Alt-click (or −) to exclude it.` }),
    list.map((f) => fieldSection(f, pick)),
  ];
}
