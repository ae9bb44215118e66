// Trailhound's web UI: a hash router (#/sources, #/sources/NAME, #/search?...) and the
// session: when the server needs a token, a prompt exchanges it for an HttpOnly cookie
// (POST /api/session); the token itself is never stored by the page.
//
// Plain ES modules, no build step; every file under web/ is compiled into the binary.
//   api.js      fetch wrapper (CSRF header, 401 → token prompt)   dom.js   DOM building, text only
//   sources.js  Event Sources page and a source's detail          charts.js SVG sparkline, histogram, charts
//   search.js   Log Search page; with search_url.js (URL state), search_help.js (examples, cheat
//               sheet), fields.js (field sidebar), results.js (tables), query.js (query edits)
//   format.js, time.js  numbers, durations, UTC times and time ranges

import { api, onUnauthorized } from "./api.js";
import { h, replace } from "./dom.js";
import { mountSearch } from "./search.js";
import { mountSourceDetail, mountSources } from "./sources.js";

const main = document.getElementById("main");
const banner = document.getElementById("banner");
const login = document.getElementById("login");
const loginForm = document.getElementById("login-form");
const loginToken = document.getElementById("login-token");
const loginError = document.getElementById("login-error");
const logout = document.getElementById("logout");

let page = null; // {name, update?, unmount}
let locked = false; // the token prompt shows; no page is mounted
let hadSession = false; // this page was signed in at some point

function parseRoute() {
  const hash = location.hash.replace(/^#/, "") || "/sources";
  const mark = hash.indexOf("?");
  const path = mark < 0 ? hash : hash.slice(0, mark);
  const parts = path.split("/").filter(Boolean);
  return { parts, params: new URLSearchParams(mark < 0 ? "" : hash.slice(mark + 1)) };
}

function setNav(name) {
  for (const link of document.querySelectorAll("[data-nav]")) {
    if (link.dataset.nav === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

function unmount() {
  if (page) page.unmount();
  page = null;
}

function route() {
  if (locked) return;
  const { parts, params } = parseRoute();
  const [section, ...rest] = parts;
  if (section === "search") {
    setNav("search");
    if (!page || page.name !== "search") {
      unmount();
      page = { name: "search", ...mountSearch(main) };
    }
    page.update(params);
    return;
  }
  unmount();
  if (section === "sources" || section === undefined) {
    setNav("sources");
    const name = rest.length ? decodeURIComponent(rest.join("/")) : "";
    page = { name: "sources", unmount: name ? mountSourceDetail(main, name) : mountSources(main) };
    return;
  }
  setNav("");
  document.title = "Not found · Trailhound";
  replace(
    main,
    h(
      "div",
      { class: "empty" },
      h("h1", { text: "Page not found" }),
      h(
        "p",
        {},
        "Go to ",
        h("a", { href: "#/sources", text: "Event Sources" }),
        " or ",
        h("a", { href: "#/search", text: "Log Search" }),
        ".",
      ),
    ),
  );
  page = { name: "none", unmount() {} };
}

function showLogin(message) {
  if (!locked) {
    locked = true;
    unmount();
    replace(main);
  }
  logout.hidden = true;
  if (!login.hidden) {
    // Already asking: keep what was typed; only a new message replaces the old one.
    if (message) {
      loginError.textContent = message;
      loginError.hidden = false;
    }
    return;
  }
  login.hidden = false;
  loginError.hidden = !message;
  loginError.textContent = message || "";
  loginToken.value = "";
  loginToken.focus();
}

loginForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  const token = loginToken.value;
  const button = loginForm.querySelector("button");
  button.disabled = true;
  try {
    await api("/api/session", { method: "POST", body: { token }, quiet401: true });
    loginToken.value = "";
    login.hidden = true;
    locked = false;
    hadSession = true;
    logout.hidden = false;
    route();
  } catch (err) {
    loginToken.value = "";
    loginError.textContent = err.status === 401 ? "That token is not right." : err.message;
    loginError.hidden = false;
    loginToken.focus();
  } finally {
    button.disabled = false;
  }
});

logout.addEventListener("click", async () => {
  try {
    await api("/api/session", { method: "DELETE", quiet401: true });
  } catch {
    // The cookie stays; the prompt still shows.
  }
  showLogin();
});

// A 401 from any request shows the prompt (with a note when this page had a session).
onUnauthorized(() =>
  showLogin(hadSession ? "Your session has ended or the token changed: enter the token again." : ""),
);
window.addEventListener("hashchange", route);

// The page starts at once; its first requests answer 401 when a token is needed, which
// shows the prompt. The session check only decides whether to offer "Log out".
async function start() {
  route();
  try {
    const session = await api("/api/session", { quiet401: true });
    if (session && session.auth_required) {
      hadSession = session.authenticated;
      if (session.authenticated) logout.hidden = locked;
      else showLogin();
    }
  } catch (err) {
    if (err.status === 0) {
      banner.textContent = err.message;
      banner.hidden = false;
    }
    // Other failures (a server without /api/session): carry on; a 401 still prompts.
  }
}

start();
