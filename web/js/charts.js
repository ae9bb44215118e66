// SVG charts: the sources' EPM sparkline, the search histogram (drag to zoom) and the chart
// of stats/timechart rows. Labels are text nodes; nothing is parsed as markup.

import { h, svg, replace } from "./dom.js";
import { formatNumber, formatTick, formatTime } from "./format.js";

const PALETTE = [
  "#2f6fad",
  "#d9822b",
  "#3a9a5b",
  "#b9434b",
  "#7b5ea7",
  "#8c6d46",
  "#c45d9a",
  "#6b7785",
  "#a3a13a",
  "#2d9aa5",
];

// A sparkline of events per minute (oldest first); it stretches to its box's width.
export function sparkline(series, { height = 36 } = {}) {
  const values = Array.isArray(series) && series.length ? series : [0];
  const width = 240;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => [i * step, height - 2 - (v / max) * (height - 4)]);
  const line = points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
  const area = `0,${height} ${line} ${width},${height}`;
  const total = values.reduce((a, b) => a + b, 0);
  return svg(
    "svg",
    {
      class: "sparkline",
      width: "100%",
      height,
      viewBox: `0 0 ${width} ${height}`,
      preserveAspectRatio: "none",
      role: "img",
      "aria-label": `Events per minute over the last ${values.length} minutes`,
    },
    svg("title", {
      text:
        `Events stored per minute, last ${values.length} minutes: peak ${formatNumber(max)}, ` +
        `${formatNumber(total)} in all`,
    }),
    svg("polygon", { class: "spark-area", points: area }),
    svg("polyline", { class: "spark-line", points: line }),
  );
}

// Chooses about `count` round tick positions between lo and hi.
function niceTicks(lo, hi, count) {
  const steps = [
    1e3,
    5e3,
    10e3,
    30e3,
    60e3,
    300e3,
    600e3,
    1800e3,
    3600e3,
    3 * 3600e3,
    6 * 3600e3,
    12 * 3600e3,
    86400e3,
    2 * 86400e3,
    7 * 86400e3,
    14 * 86400e3,
    30 * 86400e3,
  ];
  const want = (hi - lo) / count;
  const step = steps.find((s) => s >= want) || steps[steps.length - 1];
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) ticks.push(t);
  return ticks;
}

// The histogram of GET /api/histogram. onZoom(fromMs, toMs) is called after a drag across
// bars, or a click on one bar (that bar's interval).
export function renderHistogram(container, data, { onZoom } = {}) {
  const width = Math.max(320, container.clientWidth || 800);
  const height = 120;
  const pad = { left: 44, right: 8, top: 8, bottom: 20 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const rows = data.rows || [];
  const span = data.span_ms || 60000;
  let lo = Number.isFinite(data.from) ? data.from : null;
  let hi = Number.isFinite(data.to) ? data.to : null;
  const times = rows.map((r) => Date.parse(r._time));
  if (lo === null) lo = times.length ? Math.min(...times) : Date.now() - 86400e3;
  if (hi === null) hi = times.length ? Math.max(...times) + span : Date.now();
  // Bars are whole buckets: widen the axis to the buckets' edges.
  lo = Math.min(lo, ...times);
  hi = Math.max(hi, ...times.map((t) => t + span));
  if (hi <= lo) hi = lo + span;
  const max = Math.max(1, ...rows.map((r) => r.count));
  const x = (t) => pad.left + ((t - lo) / (hi - lo)) * plotW;
  const y = (v) => pad.top + plotH - (v / max) * plotH;

  const root = svg("svg", {
    class: "histogram",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": `Events over time: ${formatNumber(data.total)} events`,
  });
  // Grid and y labels.
  for (const v of [max, Math.round(max / 2)]) {
    root.append(svg("line", { class: "grid", x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }));
    root.append(
      svg("text", { class: "axis", x: pad.left - 6, y: y(v) + 4, "text-anchor": "end", text: formatNumber(v) }),
    );
  }
  root.append(svg("line", { class: "baseline", x1: pad.left, x2: width - pad.right, y1: y(0), y2: y(0) }));
  for (const t of niceTicks(lo, hi, Math.max(2, Math.floor(plotW / 110)))) {
    root.append(
      svg("text", { class: "axis", x: x(t), y: height - 5, "text-anchor": "middle", text: formatTick(t, hi - lo) }),
    );
  }
  const bars = svg("g", { class: "bars" });
  rows.forEach((r, i) => {
    const t = times[i];
    const bx = x(t);
    const bw = Math.max(1, x(t + span) - bx - (plotW / ((hi - lo) / span) > 4 ? 1 : 0));
    const rect = svg(
      "rect",
      { class: "bar", x: bx, y: y(r.count), width: bw, height: Math.max(0, y(0) - y(r.count)) },
      svg("title", { text: `${formatTime(t)} – ${formatTime(t + span)} UTC: ${formatNumber(r.count)} events` }),
    );
    rect.dataset.from = String(t);
    bars.append(rect);
  });
  root.append(bars);
  const selection = svg("rect", {
    class: "selection",
    x: 0,
    y: pad.top,
    width: 0,
    height: plotH,
    visibility: "hidden",
  });
  root.append(selection);

  if (onZoom) {
    root.classList.add("zoomable");
    const toTime = (clientX) => {
      const box = root.getBoundingClientRect();
      const px = Math.min(Math.max(clientX - box.left, pad.left), width - pad.right);
      return lo + ((px - pad.left) / plotW) * (hi - lo);
    };
    let start = null;
    root.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      start = { clientX: e.clientX, t: toTime(e.clientX) };
      root.setPointerCapture(e.pointerId);
      e.preventDefault();
    });
    root.addEventListener("pointermove", (e) => {
      if (!start) return;
      const a = x(Math.min(start.t, toTime(e.clientX)));
      const b = x(Math.max(start.t, toTime(e.clientX)));
      selection.setAttribute("x", a);
      selection.setAttribute("width", Math.max(1, b - a));
      selection.setAttribute("visibility", "visible");
    });
    const finish = (e, cancelled) => {
      if (!start) return;
      const s = start;
      start = null;
      selection.setAttribute("visibility", "hidden");
      if (cancelled) return;
      if (Math.abs(e.clientX - s.clientX) < 4) {
        // A click: zoom into the bar under the pointer.
        const bar = e.target instanceof SVGRectElement && e.target.dataset.from ? e.target : null;
        if (bar) onZoom(Number(bar.dataset.from), Number(bar.dataset.from) + span);
        return;
      }
      const t1 = Math.min(s.t, toTime(e.clientX));
      const t2 = Math.max(s.t, toTime(e.clientX));
      // Snap outwards to whole seconds so that the URL stays readable.
      onZoom(Math.floor(t1 / 1000) * 1000, Math.ceil(t2 / 1000) * 1000);
    };
    root.addEventListener("pointerup", (e) => finish(e, false));
    root.addEventListener("pointercancel", (e) => finish(e, true));
  }
  replace(container, root);
}

function isNumberColumn(rows, column) {
  let seen = false;
  for (const row of rows) {
    const v = row[column];
    if (v === null || v === undefined) continue;
    if (typeof v !== "number") return false;
    seen = true;
  }
  return seen;
}

function label(value) {
  if (value === null || value === undefined) return "(none)";
  return typeof value === "string" ? value : JSON.stringify(value);
}

// A chart for {columns, rows}: lines over time for a timechart, bars otherwise. Returns null
// when the rows have nothing to plot (no numeric column).
export function rowsChart(columns, rows) {
  if (!rows.length) return null;
  const valueColumn = columns.find((c) => c !== "_time" && isNumberColumn(rows, c));
  if (!valueColumn) return null;
  const keyColumns = columns.filter((c) => c !== "_time" && c !== valueColumn && !isNumberColumn(rows, c));
  if (columns.includes("_time")) return timeChart(rows, valueColumn, keyColumns);
  return barChart(rows, valueColumn, keyColumns);
}

function barChart(rows, valueColumn, keyColumns) {
  const shown = rows.slice(0, 25);
  const max = Math.max(1, ...shown.map((r) => r[valueColumn] || 0));
  const rowH = 22;
  const labelW = 320;
  const width = 760;
  const height = shown.length * rowH + 6;
  const root = svg("svg", {
    class: "rows-chart",
    width: "100%",
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": `Bar chart of ${valueColumn}`,
  });
  shown.forEach((r, i) => {
    const name = keyColumns.length ? keyColumns.map((c) => label(r[c])).join(" · ") : valueColumn;
    const v = r[valueColumn] || 0;
    const w = ((width - labelW - 70) * v) / max;
    const yy = i * rowH + 3;
    const short = name.length > 44 ? name.slice(0, 16) + "…" + name.slice(-27) : name;
    root.append(
      svg(
        "g",
        {},
        svg("title", { text: `${name}: ${formatNumber(v)}` }),
        svg("text", { class: "bar-label", x: labelW - 8, y: yy + 15, "text-anchor": "end", text: short }),
        svg("rect", { class: "bar", x: labelW, y: yy + 2, width: Math.max(1, w), height: rowH - 6 }),
        svg("text", { class: "bar-value", x: labelW + w + 6, y: yy + 15, text: formatNumber(v) }),
      ),
    );
  });
  const note =
    rows.length > shown.length
      ? h("p", {
          class: "muted small",
          text: `The chart shows the first ${shown.length} of ${formatNumber(rows.length)} rows.`,
        })
      : null;
  return h("div", { class: "chart" }, root, note);
}

function timeChart(rows, valueColumn, keyColumns) {
  const series = new Map();
  for (const r of rows) {
    const key = keyColumns.map((c) => label(r[c])).join(" · ") || valueColumn;
    if (!series.has(key)) series.set(key, { key, total: 0, points: [] });
    const s = series.get(key);
    const v = r[valueColumn] || 0;
    s.total += v;
    s.points.push([Date.parse(r._time), v]);
  }
  const top = [...series.values()].sort((a, b) => b.total - a.total).slice(0, PALETTE.length);
  const times = rows.map((r) => Date.parse(r._time));
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  const max = Math.max(1, ...top.flatMap((s) => s.points.map((p) => p[1])));
  const width = 760;
  const height = 220;
  const pad = { left: 50, right: 12, top: 10, bottom: 22 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (t) => pad.left + (hi > lo ? ((t - lo) / (hi - lo)) * plotW : plotW / 2);
  const y = (v) => pad.top + plotH - (v / max) * plotH;
  const root = svg("svg", {
    class: "rows-chart",
    width: "100%",
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": `Line chart of ${valueColumn} over time`,
  });
  for (const v of [max, Math.round(max / 2)]) {
    root.append(svg("line", { class: "grid", x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }));
    root.append(
      svg("text", { class: "axis", x: pad.left - 6, y: y(v) + 4, "text-anchor": "end", text: formatNumber(v) }),
    );
  }
  root.append(svg("line", { class: "baseline", x1: pad.left, x2: width - pad.right, y1: y(0), y2: y(0) }));
  for (const t of niceTicks(lo, Math.max(hi, lo + 1000), Math.max(2, Math.floor(plotW / 110)))) {
    root.append(
      svg("text", { class: "axis", x: x(t), y: height - 6, "text-anchor": "middle", text: formatTick(t, hi - lo) }),
    );
  }
  top.forEach((s, i) => {
    const pts = s.points.sort((a, b) => a[0] - b[0]);
    const attrs = { class: "series", stroke: PALETTE[i] };
    if (pts.length === 1) {
      root.append(
        svg("circle", { cx: x(pts[0][0]), cy: y(pts[0][1]), r: 3, fill: PALETTE[i] }, svg("title", { text: s.key })),
      );
    } else {
      attrs.points = pts.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
      root.append(svg("polyline", attrs, svg("title", { text: s.key })));
    }
  });
  const legend = h(
    "ul",
    { class: "legend" },
    top.map((s, i) => {
      const swatch = h("span", { class: "swatch" });
      swatch.style.background = PALETTE[i];
      return h("li", {}, swatch, s.key);
    }),
  );
  const note =
    series.size > top.length
      ? h("p", { class: "muted small", text: `The chart shows the ${top.length} largest of ${series.size} series.` })
      : null;
  return h("div", { class: "chart" }, root, legend, note);
}
