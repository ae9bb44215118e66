// Shared helpers of the UI tests (tests/ui/*_test.mjs): real trailhound processes, the
// fauxqs emulator, test data, headless Chromium through playwright-core, screenshots.
// Every process started here is tracked and killed by stopAll() (call it from after()),
// and with SIGKILL when the test process exits in any other way.
//
// Environment: TRAILHOUND_BINARY (default <repo>/build/src/trailhound),
// TRAILHOUND_SOURCE_DIR (default: this repository), TRAILHOUND_SCREENSHOT_DIR (default
// <repo>/build/ui-screenshots), TRAILHOUND_UPDATE_SCREENSHOTS=1 also copies the
// screenshots to docs/screenshots/, CHROMIUM (default /usr/bin/chromium).

import { spawn, execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const here = path.dirname(fileURLToPath(import.meta.url));
export const SOURCE_DIR = process.env.TRAILHOUND_SOURCE_DIR || path.resolve(here, "../..");
export const BINARY = process.env.TRAILHOUND_BINARY || path.join(SOURCE_DIR, "build/src/trailhound");
export const SCREENSHOT_DIR = process.env.TRAILHOUND_SCREENSHOT_DIR || path.join(SOURCE_DIR, "build/ui-screenshots");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const children = new Set();
const tempDirs = new Set();

function killAllNow() {
  for (const child of children) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
}
process.on("exit", killAllNow);
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
]) {
  process.on(signal, () => {
    killAllNow();
    process.exit(code);
  });
}

export function tempDir(prefix = "trailhound-ui-") {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

function checkPrerequisites() {
  if (!fs.existsSync(BINARY)) {
    throw new Error(`${BINARY} does not exist: build the trailhound target (cmake --build build --target trailhound)`);
  }
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run scripts/bootstrap (Debian package chromium)`);
}

// Runs a command to completion; rejects with its stderr when it fails.
export async function run(file, args, options = {}) {
  try {
    return await promisify(execFile)(file, args, { maxBuffer: 256 << 20, timeout: 60000, ...options });
  } catch (err) {
    throw new Error(`${path.basename(file)} ${args.join(" ")} failed: ${err.message}\n${err.stderr || ""}`);
  }
}

export function trailhound(args, options) {
  return run(BINARY, args, options);
}

// Starts a long-running process, tracked for stopAll(). Resolves once `ready` (a RegExp)
// matches its stdout, with the match; rejects with its output when it exits or times out.
export function startProcess(file, args, { ready, timeoutMs = 30000, env } = {}) {
  const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  children.add(child);
  child.on("exit", () => children.delete(child));
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
    if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
  });
  return new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(
        new Error(
          `${path.basename(file)} ${args.join(" ")}: ${why}\nstdout: ${stdout}\nstderr: ${stderr.slice(-4000)}`,
        ),
      );
    };
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
    const onExit = (code, signal) => fail(`exited (${code ?? signal}) before it was ready`);
    const onData = (d) => {
      stdout += d;
      const match = ready.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.off("exit", onExit);
      child.stdout.off("data", onData);
      child.stdout.resume(); // keep draining the rest
      resolve({ child, match, stderr: () => stderr });
    };
    child.on("exit", onExit);
    child.stdout.on("data", onData);
  });
}

// Stops one process: SIGTERM, SIGKILL after `graceMs`.
export async function stopProcess(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll() {
  await Promise.all([...children].map((child) => stopProcess(child)));
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

const URL_RE = /http:\/\/127\.0\.0\.1:(\d+)\//;

// `trailhound serve` over dataDir (extra: more arguments, e.g. --config). Returns its URL.
export async function serve(dataDir, extra = []) {
  checkPrerequisites();
  const { child, match } = await startProcess(
    BINARY,
    ["serve", "--data-dir", dataDir, "--listen", "127.0.0.1:0", ...extra],
    { ready: URL_RE },
  );
  const url = `http://127.0.0.1:${match[1]}`;
  await checkEmbeddedUi(url);
  return { url, child };
}

// `trailhound run --config FILE` (its server.listen should use port 0). Returns its URL.
export async function runConfig(configFile, env) {
  checkPrerequisites();
  const { child, match } = await startProcess(BINARY, ["run", "--config", configFile], { ready: URL_RE, env });
  const url = `http://127.0.0.1:${match[1]}`;
  await checkEmbeddedUi(url);
  return { url, child };
}

// The binary serves the web/ it was built with: make sure that is this web/.
async function checkEmbeddedUi(url) {
  for (const file of ["index.html", "js/app.js", "js/search.js", "css/app.css"]) {
    const served = (await httpRequest(`${url}/${file}`)).body;
    const onDisk = fs.readFileSync(path.join(SOURCE_DIR, "web", file), "utf8");
    if (served !== onDisk) {
      throw new Error(`${BINARY} serves an older web/${file}: rebuild the trailhound target`);
    }
  }
}

// Simulated CloudTrail log files in dir (AWSLogs/ layout), `events` of them from `start`
// (a Date) over `span` ("19h").
export async function simulate(dir, { events, start, span, seed = 7 }) {
  await trailhound([
    "simulate",
    "--events",
    String(events),
    "--seed",
    String(seed),
    "--out",
    dir,
    "--start",
    isoMinute(start),
    "--span",
    span,
  ]);
}

export function isoMinute(date) {
  return date.toISOString().slice(0, 16) + ":00Z";
}

// A data directory holding `events` simulated events in the last day (from 20 h ago to
// 1 h ago, so that a "last 24 hours" search covers all of them for hours to come).
export async function makeDataDir(root, { events = 3000, seed = 7, extraFiles = [] } = {}) {
  const logs = path.join(root, "logs");
  const dataDir = path.join(root, "data");
  await simulate(logs, { events, seed, start: new Date(Date.now() - 20 * 3600e3), span: "19h" });
  for (const file of extraFiles) fs.copyFileSync(file, path.join(logs, path.basename(file)));
  await trailhound(["ingest", logs, "--data-dir", dataDir, "--quiet"]);
  return dataDir;
}

// `trailhound search QUERY --format json` over dataDir: {total, events} or {total, columns, rows}.
export async function cliSearch(dataDir, query, { from = "-24h", to, limit = 100 } = {}) {
  const args = ["search", query, "--data-dir", dataDir, "--format", "json", "--limit", String(limit)];
  if (from) args.push("--from", from);
  if (to) args.push("--to", to);
  const { stdout } = await trailhound(args);
  return JSON.parse(stdout);
}

// fauxqs (scripts/services/fauxqs-server.mjs) on a free port; it exits with us.
export async function startFauxqs() {
  const script = path.join(SOURCE_DIR, "scripts/services/fauxqs-server.mjs");
  const { child, match } = await startProcess(
    process.execPath,
    [script, "--port", "0", "--parent-pid", String(process.pid)],
    { ready: /\{"port":(\d+),"pid":(\d+)\}/ },
  );
  return { endpoint: `http://127.0.0.1:${match[1]}`, child };
}

// An HTTP request on a connection of its own (closed after it, so that a server being
// stopped does not wait for an idle keep-alive connection). Resolves to
// {status, headers, body}.
export function httpRequest(url, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent: false }, (response) => {
      const chunks = [];
      response.on("data", (c) => chunks.push(c));
      response.on("end", () =>
        resolve({
          status: response.statusCode,
          headers: response.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    request.on("error", reject);
    request.end(body);
  });
}

// One SQS call in the JSON protocol (always posted to "/", see SERVICES.md).
export async function sqs(endpoint, action, body) {
  const response = await httpRequest(`${endpoint}/`, {
    method: "POST",
    headers: { "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": `AmazonSQS.${action}` },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`SQS ${action}: HTTP ${response.status} ${response.body}`);
  return response.body ? JSON.parse(response.body) : {};
}

export async function createBucket(endpoint, bucket) {
  const response = await httpRequest(`${endpoint}/${bucket}`, { method: "PUT" });
  if (response.status !== 200) throw new Error(`S3 CreateBucket ${bucket}: HTTP ${response.status} ${response.body}`);
}

// Headless Chromium with a fresh profile. close() ends it and removes the profile.
export async function launchBrowser({ width = 1400, height = 900 } = {}) {
  checkPrerequisites();
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch (err) {
    throw new Error(
      `cannot load playwright-core (run scripts/bootstrap, or npm ci at the repository root): ${err.message}`,
    );
  }
  const profile = tempDir("trailhound-chromium-");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width, height },
  });
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("console", (msg) => {
    // Failed requests (the 400 of a bad query, a 401) are expected; a CSP violation is not.
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) {
      problems.push(`console error: ${msg.text()}`);
    }
  });
  return {
    context,
    page,
    problems, // uncaught errors and console errors (a CSP violation is one)
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Writes SCREENSHOT_DIR/<name>.png, and docs/screenshots/<name>.png when
// TRAILHOUND_UPDATE_SCREENSHOTS=1.
export async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  if (process.env.TRAILHOUND_UPDATE_SCREENSHOTS === "1") {
    const docs = path.join(SOURCE_DIR, "docs/screenshots");
    fs.mkdirSync(docs, { recursive: true });
    fs.copyFileSync(file, path.join(docs, `${name}.png`));
  }
  return file;
}

// The user column of the UI and of the CSV export.
export function userOf(event) {
  const u = event.userIdentity || {};
  return u.arn || u.userName || u.principalId || u.invokedBy || "";
}

// The time column as the UI shows it ("2024-05-01 12:00:00", UTC).
export function shownTime(iso) {
  const t = new Date(iso).toISOString();
  const ms = t.slice(19, 23);
  return t.slice(0, 10) + " " + t.slice(11, 19) + (ms === ".000" ? "" : ms);
}
