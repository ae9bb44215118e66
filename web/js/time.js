// Time ranges: relative ones as the API takes them (`-24h`), absolute ones as ISO 8601 UTC.

export const RELATIVE_RANGES = [
  { value: "-15m", label: "Last 15 minutes", ms: 15 * 60e3 },
  { value: "-1h", label: "Last hour", ms: 3600e3 },
  { value: "-4h", label: "Last 4 hours", ms: 4 * 3600e3 },
  { value: "-24h", label: "Last 24 hours", ms: 24 * 3600e3 },
  { value: "-7d", label: "Last 7 days", ms: 7 * 86400e3 },
  { value: "-30d", label: "Last 30 days", ms: 30 * 86400e3 },
  { value: "-90d", label: "Last 90 days", ms: 90 * 86400e3 },
];

export const DEFAULT_FROM = "-24h";

export function relativeRange(from, to) {
  if (to) return null;
  return RELATIVE_RANGES.find((r) => r.value === from) || null;
}

const UNIT_MS = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

// "-24h", "now", ISO 8601 → milliseconds since the epoch (NaN when unreadable).
export function toMillis(text, now = Date.now()) {
  if (!text || text === "now") return now;
  const rel = /^-(\d+)([smhdw])$/.exec(text);
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]];
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? text + "T00:00:00Z" : text;
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso + "Z");
}

// Milliseconds → "2024-05-01T12:00:00Z" (milliseconds only when not zero).
export function isoFromMillis(ms) {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

// For <input type="datetime-local"> read as UTC: ms → "2024-05-01T12:00:00".
export function toInputValue(ms) {
  if (!Number.isFinite(ms)) return "";
  return new Date(ms).toISOString().slice(0, 19);
}

// "2024-05-01T12:00" or "2024-05-01T12:00:00" (UTC) → "2024-05-01T12:00:00Z"; "" stays "".
export function fromInputValue(value) {
  if (!value) return "";
  return (value.length === 16 ? value + ":00" : value.slice(0, 19)) + "Z";
}

// A label for the range: "Last 24 hours" or "2024-05-01 00:00:00 → 2024-05-02 00:00:00 UTC".
export function rangeLabel(from, to) {
  const rel = relativeRange(from, to);
  if (rel) return rel.label;
  if (!to && /^-\d+[smhdw]$/.test(from)) return `Since ${from.slice(1)} ago`;
  const show = (t) => (t ? t.replace("T", " ").replace(/Z$/, "") : "now");
  return `${show(from)} → ${show(to)} UTC`;
}
