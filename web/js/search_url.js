// The state of a search as it lives in the URL: #/search?q=&from=&to=&offset=.

import { DEFAULT_FROM } from "./time.js";

export const PAGE_SIZE = 100;
export const MAX_WINDOW = 100000; // offset + limit may reach this (docs/API.md)

export function readState(params) {
  const offset = Number.parseInt(params.get("offset") || "0", 10);
  return {
    q: params.get("q") || "",
    from: params.get("from") || DEFAULT_FROM,
    to: params.get("to") || "",
    offset: Number.isInteger(offset) && offset > 0 ? Math.min(offset, MAX_WINDOW - PAGE_SIZE) : 0,
  };
}

export function searchHash(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  params.set("from", state.from || DEFAULT_FROM);
  if (state.to) params.set("to", state.to);
  if (state.offset) params.set("offset", String(state.offset));
  return "#/search?" + params.toString();
}
