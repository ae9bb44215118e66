// Formatting of numbers, times and durations for display. Times are shown in UTC, as
// CloudTrail records them.

const numberFormat = new Intl.NumberFormat("en-US");

export function formatNumber(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return numberFormat.format(value);
}

// 1536 → "1.5 KB".
export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined) return "–";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

// Seconds → "850 ms", "4.8 s", "5 min 12 s", "3 h 5 min", "2 d 4 h".
export function formatDuration(secs) {
  if (secs === null || secs === undefined || Number.isNaN(secs)) return "–";
  if (secs < 1) return `${Math.round(secs * 1000)} ms`;
  if (secs < 60) return `${secs < 10 ? secs.toFixed(1) : Math.round(secs)} s`;
  const s = Math.round(secs);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

function toDate(value) {
  if (value instanceof Date) return value;
  return new Date(value);
}

// ISO text or milliseconds → "2024-05-01 12:00:00" (UTC; milliseconds only when not zero).
export function formatTime(value) {
  if (value === null || value === undefined || value === "") return "";
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const iso = date.toISOString();
  const ms = iso.slice(19, 23);
  return iso.slice(0, 10) + " " + iso.slice(11, 19) + (ms === ".000" ? "" : ms);
}

// A short label for an axis tick, precise enough for the span shown.
export function formatTick(ms, rangeMs) {
  const iso = new Date(ms).toISOString();
  if (rangeMs <= 2 * 3600 * 1000) return iso.slice(11, 19 - (rangeMs > 600000 ? 3 : 0));
  if (rangeMs <= 2 * 86400 * 1000) return iso.slice(11, 16);
  return iso.slice(5, 10) + (rangeMs <= 10 * 86400 * 1000 ? " " + iso.slice(11, 16) : "");
}

// "12 s ago", "5 min ago", "3 h ago", "2 d ago".
export function formatAgo(value, now = Date.now()) {
  if (!value) return "";
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return "";
  const secs = Math.max(0, (now - date.getTime()) / 1000);
  if (secs < 60) return `${Math.round(secs)} s ago`;
  if (secs < 3600) return `${Math.round(secs / 60)} min ago`;
  if (secs < 86400) return `${Math.round(secs / 3600)} h ago`;
  return `${Math.round(secs / 86400)} d ago`;
}
