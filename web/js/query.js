// Edits of query text (docs/query-language.md) for the UI: adding a `field:value` filter,
// quoting values, the `_category` filter, and mapping the API's byte positions.

// Splits a query at its first pipe outside quotes: {filter: "a b", stages: "| stats ..."}.
export function splitQuery(q) {
  let quoted = false;
  for (let i = 0; i < q.length; i++) {
    const c = q[i];
    if (c === "\\") {
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === "|" && !quoted) {
      return { filter: q.slice(0, i), stages: q.slice(i) };
    }
  }
  return { filter: q, stages: "" };
}

// True when the filter has an OR outside parentheses, so that appending a term needs them:
// `a OR b` + `c` must become `(a OR b) c`, since AND binds tighter than OR.
export function hasTopLevelOr(filter) {
  let depth = 0;
  let quoted = false;
  let word = "";
  const endWord = () => {
    if (depth === 0 && word.toLowerCase() === "or") return true;
    word = "";
    return false;
  };
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === "\\") {
      word += "\\" + (filter[i + 1] || ""); // escaped: never the keyword
      i++;
    } else if (c === '"') {
      if (endWord()) return true;
      quoted = true;
    } else if (c === "(" || c === ")" || /\s/.test(c)) {
      if (endWord()) return true;
      if (c === "(") depth++;
      if (c === ")") depth = Math.max(0, depth - 1);
    } else {
      word += c;
    }
  }
  return endWord();
}

const RESERVED = /^(and|or|not|to)$/i;

// A value as the query language reads it literally: bare when it is a plain word, else a
// quoted phrase (inside which only `"` and `\` are escaped; `*` and `?` are literal).
export function quoteValue(value) {
  const text = String(value);
  const plain = text !== "" && !/[\s()"|[\]{}*?\\<>=]/.test(text) && !RESERVED.test(text) && !text.startsWith(":");
  if (plain) return text;
  return '"' + text.replace(/[\\"]/g, (c) => "\\" + c) + '"';
}

// `field:value`, or `-field:value` to exclude.
export function term(field, value, exclude = false) {
  return `${exclude ? "-" : ""}${field}:${quoteValue(value)}`;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Removes a whole term (also its negation) from a filter.
function removeTerm(filter, t) {
  const bare = t.startsWith("-") ? t.slice(1) : t;
  const re = new RegExp(`(^|\\s)-?${escapeRegExp(bare)}(?=\\s|$)`, "g");
  return filter.replace(re, " ").trim();
}

function join(filter, stages) {
  const f = filter.trim();
  const s = stages.trim();
  if (!s) return f;
  return f ? `${f} ${s}` : s;
}

// Adds a term to the filter part of q (before any pipe stage). A term already there is not
// added twice; its opposite (`x:1` for `-x:1`) is replaced.
export function addTerm(q, t) {
  const { filter, stages } = splitQuery(q);
  let f = removeTerm(filter.trim(), t);
  if (f && hasTopLevelOr(f)) f = `(${f})`;
  return join(f ? `${f} ${t}` : t, stages);
}

const CATEGORY_RE = /(^|\s)_category:("(?:[^"\\]|\\.)*"|[^\s()|"]+)(?=\s|$)/g;

function unquote(text) {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    return text.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return text.replace(/\\(.)/g, "$1");
}

// The category of a `_category:X` term in the filter part of q, or "".
export function categoryOf(q) {
  const { filter } = splitQuery(q);
  CATEGORY_RE.lastIndex = 0;
  const match = CATEGORY_RE.exec(filter);
  return match ? unquote(match[2]) : "";
}

// Replaces the `_category:X` term of q with one for `category` ("" removes it).
export function setCategory(q, category) {
  const { filter, stages } = splitQuery(q);
  const f = filter.replace(CATEGORY_RE, " ").trim();
  const without = join(f, stages);
  return category ? addTerm(without, term("_category", category)) : without;
}

// The API's `position` is a byte offset into the UTF-8 query; this is the string index.
export function byteToIndex(q, position) {
  if (position <= 0) return 0;
  const bytes = new TextEncoder().encode(q);
  if (position >= bytes.length) return q.length;
  return new TextDecoder().decode(bytes.slice(0, position)).length;
}
