#!/usr/bin/env node
// A fault-injecting HTTP proxy in front of an S3 + SQS endpoint (fauxqs), for tests:
// it forwards every request to the upstream and, for S3 requests only, injects the
// faults it is told to at runtime — 503 SlowDown answers, connection resets before the
// response or in the middle of its body, GetObject bodies trickling at a set rate, and
// 301 PermanentRedirect for requests signed for another region than the bucket's.
// Node's built-in http module only; listens on 127.0.0.1.
//
//   node scripts/services/fault-proxy.mjs --upstream http://127.0.0.1:PORT [--port N]
//       [--parent-pid P] [--log]
//
// --upstream URL  where requests go ("http://host:port"; required).
// --port N        port to listen on; 0 (the default) picks a free one.
// --parent-pid P  exit within 0.25 s once we are no longer the child of P (as in
//                 fauxqs-server.mjs). Default: our parent at start-up.
// --log           one line per request and per injected fault, on stderr.
//
// When it accepts connections it prints one line on stdout: {"port":N,"pid":P}.
// It exits with status 0 on SIGTERM or SIGINT, 1 when it cannot start.
//
// What is an S3 request: everything except SQS and SNS calls, which are posted to "/"
// (SQS's JSON protocol also carries X-Amz-Target). Buckets are read from the path
// (path style, as S3Options::endpoint_url implies). Those other calls are forwarded
// untouched, as is the control API below.
//
// Control API (reserved path prefix /__fault/):
//   POST /__fault/config  {JSON}  sets the whole fault configuration (omitted fields
//       take their defaults, so {} switches every fault off) and restarts the fault
//       counters; answers the configuration in effect, or 400 naming a bad field:
//     slowdown_fraction               0..1: S3 requests answered 503 <Code>SlowDown</Code>
//     reset_before_response_fraction  0..1: of the S3 requests left, connections reset
//                                     (TCP RST) before any response byte
//     reset_mid_body_fraction         0..1: of the GetObject requests then forwarded with a
//                                     2xx answer, connections reset after the status line,
//                                     the headers and half of the body
//     throttles  [{"key_contains": S, "bytes_per_sec": N}]: GetObject bodies of keys
//                containing S are sent at N bytes/s (in slices every 100 ms)
//     bucket_regions  {"bucket" | "*": "region"}: the bucket lives in that region; S3
//                requests for it signed (SigV4 credential scope) for another region get
//                301 PermanentRedirect with x-amz-bucket-region, like S3 itself
//   Fractions are applied deterministically, not at random: of the requests a rule looks
//   at, request n (0-based, counted since the last config) is faulted when
//   floor((n+1)·f) > floor(n·f) — exactly a fraction f of them, evenly spread, so that a
//   test sees the same faults on every run. Rules look at requests in the order listed;
//   a request faulted by one rule is not seen by the later ones.
//   GET /__fault/stats  counters since start:
//     {"requests", "s3_requests", "forwarded", "slowdowns", "resets_before_response",
//      "resets_mid_body", "redirects", "throttled", "upstream_errors",
//      "get_object": {"bucket/key": requests}, "reset_mid_body_keys": ["bucket/key", ...]}
//     (get_object counts every GetObject request that arrived, faulted or not).

import http from "node:http";
import process from "node:process";

const CONTROL_PREFIX = "/__fault/";
const THROTTLE_TICK_MS = 100;
// Wait this long after the half body was written before resetting, so that the client
// has read those bytes (a mid-body reset must look like one to it).
const MID_BODY_RESET_DELAY_MS = 100;
// Hop-by-hop headers: each leg of the proxy sets its own.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "proxy-connection"]);

function fail(message) {
  process.stderr.write(`fault-proxy: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const args = { port: 0, upstream: undefined, parentPid: undefined, log: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--port") {
      args.port = Number.parseInt(value(), 10);
      if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) fail(`bad --port "${argv[i]}"`);
    } else if (arg === "--upstream") {
      let url;
      try {
        url = new URL(value());
      } catch {
        fail(`bad --upstream "${argv[i]}"`);
      }
      if (url.protocol !== "http:") fail(`--upstream must be an http:// URL, not "${argv[i]}"`);
      args.upstream = { hostname: url.hostname, port: Number(url.port || 80) };
    } else if (arg === "--parent-pid") {
      args.parentPid = Number.parseInt(value(), 10);
      if (!Number.isInteger(args.parentPid) || args.parentPid <= 0) fail(`bad --parent-pid "${argv[i]}"`);
    } else if (arg === "--log") {
      args.log = true;
    } else {
      fail(`unknown argument "${arg}"`);
    }
  }
  if (!args.upstream) fail("--upstream is required");
  return args;
}

// ---- configuration ----

const DEFAULT_CONFIG = Object.freeze({
  slowdown_fraction: 0,
  reset_before_response_fraction: 0,
  reset_mid_body_fraction: 0,
  throttles: [],
  bucket_regions: {},
});

// The configuration in `body`, or throws an Error naming the bad field.
function parseConfig(body) {
  let json;
  try {
    json = JSON.parse(body.length ? body : "{}");
  } catch (err) {
    throw new Error(`the body is not JSON: ${err.message}`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new Error("the body must be a JSON object");
  const config = { ...DEFAULT_CONFIG, throttles: [], bucket_regions: {} };
  for (const [name, value] of Object.entries(json)) {
    if (!(name in DEFAULT_CONFIG)) throw new Error(`unknown field "${name}"`);
    if (name.endsWith("_fraction")) {
      if (typeof value !== "number" || !(value >= 0 && value <= 1)) throw new Error(`"${name}" must be a number in [0, 1]`);
      config[name] = value;
    } else if (name === "throttles") {
      if (!Array.isArray(value)) throw new Error('"throttles" must be an array');
      for (const rule of value) {
        if (rule === null || typeof rule !== "object" || typeof rule.key_contains !== "string" || rule.key_contains === "" ||
            !Number.isInteger(rule.bytes_per_sec) || rule.bytes_per_sec <= 0) {
          throw new Error('each of "throttles" needs "key_contains" (a non-empty string) and "bytes_per_sec" (a positive integer)');
        }
        config.throttles.push({ key_contains: rule.key_contains, bytes_per_sec: rule.bytes_per_sec });
      }
    } else if (name === "bucket_regions") {
      if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error('"bucket_regions" must be an object');
      for (const [bucket, region] of Object.entries(value)) {
        if (typeof region !== "string" || region === "") throw new Error(`"bucket_regions.${bucket}" must be a region name`);
        config.bucket_regions[bucket] = region;
      }
    }
  }
  return config;
}

// floor((n+1)·f) > floor(n·f): exactly a fraction f of the requests, evenly spread.
class EvenSpread {
  constructor(fraction) {
    this.fraction = fraction;
    this.seen = 0;
  }
  next() {
    const n = this.seen++;
    return Math.floor((n + 1) * this.fraction) > Math.floor(n * this.fraction);
  }
}

// ---- state ----

let config = parseConfig("{}");
let spreads = makeSpreads(config);
const stats = {
  requests: 0,
  s3_requests: 0,
  forwarded: 0,
  slowdowns: 0,
  resets_before_response: 0,
  resets_mid_body: 0,
  redirects: 0,
  throttled: 0,
  upstream_errors: 0,
  get_object: {},
  reset_mid_body_keys: [],
};

function makeSpreads(c) {
  return {
    slowdown: new EvenSpread(c.slowdown_fraction),
    resetBefore: new EvenSpread(c.reset_before_response_fraction),
    resetMidBody: new EvenSpread(c.reset_mid_body_fraction),
  };
}

// ---- request classification ----

// {bucket, key} of a path-style S3 request ("" when absent); key percent-decoded.
function s3Target(req) {
  const path = new URL(req.url, "http://proxy").pathname;
  const rest = path.startsWith("/") ? path.slice(1) : path;
  const slash = rest.indexOf("/");
  const decode = (s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (slash < 0) return { bucket: decode(rest), key: "" };
  return { bucket: decode(rest.slice(0, slash)), key: decode(rest.slice(slash + 1)) };
}

function isS3(req) {
  if (req.headers["x-amz-target"] !== undefined) return false;  // SQS JSON protocol
  const path = new URL(req.url, "http://proxy").pathname;
  return !(req.method === "POST" && path === "/");  // SQS and SNS post to "/"
}

// The region of the SigV4 credential scope: Credential=AKID/DATE/REGION/SERVICE/aws4_request.
function signedRegion(req) {
  const auth = req.headers.authorization ?? "";
  const match = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\//.exec(auth);
  if (match) return match[1];
  const credential = new URL(req.url, "http://proxy").searchParams.get("X-Amz-Credential");  // presigned
  return credential ? (credential.split("/")[2] ?? "") : "";
}

// ---- answers ----

let requestCounter = 0;
function requestId() {
  return `FAULTPROXY${(++requestCounter).toString(16).toUpperCase().padStart(8, "0")}`;
}

function escapeXml(text) {
  return text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]);
}

function sendXmlError(req, res, status, code, message, extraXml = "", extraHeaders = {}) {
  const id = requestId();
  const body = req.method === "HEAD" ? "" :
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>` +
    `${extraXml}<RequestId>${id}</RequestId><HostId>fault-proxy</HostId></Error>`;
  req.resume();  // drain an unread request body
  res.writeHead(status, {
    "Content-Type": "application/xml",
    "Content-Length": Buffer.byteLength(body),
    "x-amz-request-id": id,
    ...extraHeaders,
  });
  res.end(body);
}

function resetConnection(socket) {
  if (typeof socket.resetAndDestroy === "function") {
    socket.resetAndDestroy();  // TCP RST, like a peer or middlebox resetting the connection
  } else {
    socket.destroy();
  }
}

function copyHeaders(rawHeaders) {
  const headers = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!HOP_BY_HOP.has(rawHeaders[i].toLowerCase())) headers.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  return headers;
}

// ---- forwarding ----

function forward(args, req, res, s3) {
  stats.forwarded++;
  const upstream = http.request(
    { hostname: args.upstream.hostname, port: args.upstream.port, method: req.method, path: req.url, headers: req.headers, agent: args.agent },
    (up) => {
      const status = up.statusCode ?? 502;
      const headers = copyHeaders(up.rawHeaders);
      const isGetObject = s3 && req.method === "GET" && s3.key !== "";
      const ok = status >= 200 && status < 300;
      const throttle = isGetObject && ok ? config.throttles.find((t) => s3.key.includes(t.key_contains)) : undefined;
      const resetMidBody = isGetObject && ok && spreads.resetMidBody.next();
      up.on("error", () => res.destroy());
      if (!throttle && !resetMidBody) {
        res.writeHead(status, headers);
        up.pipe(res);
        return;
      }
      const chunks = [];
      up.on("data", (chunk) => chunks.push(chunk));
      up.on("end", () => {
        const body = Buffer.concat(chunks);
        res.writeHead(status, headers);
        if (resetMidBody) {
          stats.resets_mid_body++;
          stats.reset_mid_body_keys.push(`${s3.bucket}/${s3.key}`);
          log(args, `reset mid-body ${req.method} ${req.url}`);
          res.write(body.subarray(0, Math.floor(body.length / 2)));
          setTimeout(() => resetConnection(res.socket ?? req.socket), MID_BODY_RESET_DELAY_MS);
          return;
        }
        stats.throttled++;
        log(args, `throttling ${req.method} ${req.url} to ${throttle.bytes_per_sec} bytes/s`);
        trickle(res, body, Math.max(1, Math.floor((throttle.bytes_per_sec * THROTTLE_TICK_MS) / 1000)));
      });
    },
  );
  upstream.on("error", (err) => {
    stats.upstream_errors++;
    log(args, `upstream error for ${req.method} ${req.url}: ${err.message}`);
    if (!res.headersSent) {
      res.writeHead(502, { "Content-Type": "text/plain" });
      res.end(`fault-proxy: upstream error: ${err.message}\n`);
    } else {
      res.destroy();
    }
  });
  // A client that leaves early takes the upstream request with it.
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

// Writes `body` in slices of `slice` bytes every THROTTLE_TICK_MS; stops if the client left.
function trickle(res, body, slice) {
  let offset = 0;
  const step = () => {
    if (res.destroyed) return;
    const end = Math.min(body.length, offset + slice);
    res.write(body.subarray(offset, end));
    offset = end;
    if (offset >= body.length) {
      res.end();
      return;
    }
    setTimeout(step, THROTTLE_TICK_MS);
  };
  step();
}

// ---- the server ----

function log(args, message) {
  if (args.log) process.stderr.write(`fault-proxy: ${message}\n`);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

async function control(req, res) {
  const path = new URL(req.url, "http://proxy").pathname;
  if (path === `${CONTROL_PREFIX}config` && req.method === "POST") {
    try {
      config = parseConfig(await readBody(req));
    } catch (err) {
      sendJson(res, 400, { error: err.message });
      return;
    }
    spreads = makeSpreads(config);
    sendJson(res, 200, config);
  } else if (path === `${CONTROL_PREFIX}config` && req.method === "GET") {
    sendJson(res, 200, config);
  } else if (path === `${CONTROL_PREFIX}stats` && req.method === "GET") {
    sendJson(res, 200, stats);
  } else {
    req.resume();
    sendJson(res, 404, { error: `no control endpoint ${req.method} ${path}` });
  }
}

function handle(args, req, res) {
  if (req.url.startsWith(CONTROL_PREFIX)) {
    control(req, res).catch((err) => sendJson(res, 500, { error: err.message }));
    return;
  }
  stats.requests++;
  if (!isS3(req)) {
    forward(args, req, res, undefined);
    return;
  }
  stats.s3_requests++;
  const s3 = s3Target(req);
  log(args, `${req.method} ${req.url}`);
  if (req.method === "GET" && s3.key !== "") {
    const name = `${s3.bucket}/${s3.key}`;
    stats.get_object[name] = (stats.get_object[name] ?? 0) + 1;
  }

  const home = config.bucket_regions[s3.bucket] ?? config.bucket_regions["*"];
  const signed = signedRegion(req);
  if (home !== undefined && s3.bucket !== "" && signed !== home) {
    stats.redirects++;
    log(args, `redirecting ${req.url} (signed for "${signed}") to ${home}`);
    sendXmlError(req, res, 301, "PermanentRedirect",
      "The bucket you are attempting to access must be addressed using the specified endpoint. " +
        "Please send all future requests to this endpoint.",
      `<Endpoint>${escapeXml(`${s3.bucket}.s3.${home}.amazonaws.com`)}</Endpoint><Bucket>${escapeXml(s3.bucket)}</Bucket>`,
      { "x-amz-bucket-region": home });
    return;
  }
  if (spreads.slowdown.next()) {
    stats.slowdowns++;
    log(args, `SlowDown for ${req.method} ${req.url}`);
    sendXmlError(req, res, 503, "SlowDown", "Please reduce your request rate.");
    return;
  }
  if (spreads.resetBefore.next()) {
    stats.resets_before_response++;
    log(args, `reset before the response to ${req.method} ${req.url}`);
    resetConnection(req.socket);
    return;
  }
  forward(args, req, res, s3);
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const parent = args.parentPid ?? process.ppid;
  if (process.ppid !== parent) fail(`parent ${parent} exited before we were ready`);
  args.agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const server = http.createServer((req, res) => handle(args, req, res));
  server.keepAliveTimeout = 30000;
  server.on("clientError", (err, socket) => socket.destroy());
  server.on("error", (err) => fail(`cannot listen on 127.0.0.1:${args.port}: ${err.message}`));
  server.listen(args.port, "127.0.0.1", () => {
    let stopping = false;
    const stop = (why) => {
      if (stopping) return;
      stopping = true;
      log(args, `stopping (${why})`);
      setTimeout(() => process.exit(0), 1000).unref();
      server.close(() => process.exit(0));
      server.closeAllConnections();
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
    setInterval(() => {
      if (process.ppid !== parent) stop("parent exited");
    }, 250).unref();
    process.stdout.write(JSON.stringify({ port: server.address().port, pid: process.pid }) + "\n");
  });
}

main();
