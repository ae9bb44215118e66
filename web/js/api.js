// The HTTP API (docs/API.md). Every request carries the session cookie; requests that change
// state also carry the CSRF header. A 401 calls the handler set with onUnauthorized (the app
// shows the token prompt) and rejects with an ApiError.

export class ApiError extends Error {
  constructor(status, message, position = -1) {
    super(message);
    this.status = status;
    this.position = position;
  }
}

let unauthorizedHandler = () => {};

export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

// "/api/search" + {q: "x", from: "-24h"} → "/api/search?q=x&from=-24h" (empty values left out).
export function apiUrl(path, params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

// Resolves to the parsed JSON body (null for 204). Options: method, params, body (sent as
// JSON), signal (AbortSignal), quiet401 (do not call the unauthorized handler).
export async function api(path, options = {}) {
  const method = options.method || "GET";
  const headers = { Accept: "application/json" };
  if (method !== "GET" && method !== "HEAD") headers["X-Trailhound-Request"] = "1";
  let body;
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  let response;
  try {
    response = await fetch(apiUrl(path, options.params), {
      method,
      headers,
      body,
      credentials: "same-origin",
      cache: "no-store",
      signal: options.signal,
    });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, "Cannot reach the Trailhound server. Is it still running?");
  }
  if (response.status === 204) return null;
  let data = null;
  const text = await response.text();
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (response.ok) return data;
  const message =
    (data && typeof data.error === "string" && data.error) || `${method} ${path} failed with HTTP ${response.status}`;
  const position = data && Number.isInteger(data.position) ? data.position : -1;
  if (response.status === 401 && !options.quiet401) unauthorizedHandler();
  throw new ApiError(response.status, message, position);
}
