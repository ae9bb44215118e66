#!/usr/bin/env node
// Runs the fauxqs S3 + SNS + SQS emulator (the fauxqs package pinned in the
// repository's package.json) on 127.0.0.1 only — its own CLI binds 0.0.0.0.
//
//   node scripts/services/fauxqs-server.mjs [--port N] [--region R]
//       [--queue-host H] [--parent-pid P | --detach] [--log]
//
// --port N       port to listen on; 0 (the default) picks a free one.
// --region R     region when a request carries no SigV4 scope (default us-east-1).
// --queue-host H queue URLs are http://sqs.<region>.<H>:<port>/000000000000/<name>
//                (default "localhost", like fauxqs itself).
// --parent-pid P exit within 0.25 s once we are no longer the child of P (P died;
//                also when it died before we started). Default: our parent at
//                start-up, which misses a parent that dies while node starts.
// --detach       keep running when the parent process exits (for
//                run-with-services start).
// --log          print fauxqs's request log (on stderr).
//
// When it accepts connections it prints one line on stdout:
//   {"port":N,"pid":P}
// It exits with status 0 on SIGTERM or SIGINT, 1 when it cannot start.

import process from "node:process";

function parseArgs(argv) {
  const args = {
    port: 0,
    region: "us-east-1",
    queueHost: "localhost",
    parentPid: undefined,
    detach: false,
    log: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--port") {
      args.port = Number.parseInt(value(), 10);
      if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
        fail(`bad --port "${argv[i]}"`);
      }
    } else if (arg === "--parent-pid") {
      args.parentPid = Number.parseInt(value(), 10);
      if (!Number.isInteger(args.parentPid) || args.parentPid <= 0) fail(`bad --parent-pid "${argv[i]}"`);
    } else if (arg === "--region") {
      args.region = value();
    } else if (arg === "--queue-host") {
      args.queueHost = value();
    } else if (arg === "--detach") {
      args.detach = true;
    } else if (arg === "--log") {
      args.log = true;
    } else {
      fail(`unknown argument "${arg}"`);
    }
  }
  return args;
}

function fail(message) {
  process.stderr.write(`fauxqs-server: ${message}\n`);
  process.exit(1);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const parent = args.parentPid ?? process.ppid;

  let buildApp;
  try {
    ({ buildApp } = await import("fauxqs"));
  } catch (err) {
    fail(`cannot load the fauxqs package (run scripts/bootstrap, or npm ci at the repository root): ${err.message}`);
  }

  if (!args.detach && process.ppid !== parent) fail(`parent ${parent} exited before we were ready`);

  // The log goes to stderr: stdout carries only the ready line.
  const logger = args.log ? { level: "info", stream: process.stderr } : false;
  const app = buildApp({ logger, host: args.queueHost, defaultRegion: args.region });
  try {
    await app.listen({ port: args.port, host: "127.0.0.1" });
  } catch (err) {
    fail(`cannot listen on 127.0.0.1:${args.port}: ${err.message}`);
  }
  const port = app.server.address().port;

  let stopping = false;
  const stop = async (why) => {
    if (stopping) return;
    stopping = true;
    if (args.log) process.stderr.write(`fauxqs-server: stopping (${why})\n`);
    // Never hang on shutdown: the caller escalates to SIGKILL anyway.
    setTimeout(() => process.exit(0), 2000).unref();
    try {
      await app.close();
    } finally {
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  if (!args.detach) {
    // Our parent died when we were re-parented (to init or a subreaper).
    setInterval(() => {
      if (process.ppid !== parent) stop("parent exited");
    }, 250).unref();
  }

  process.stdout.write(JSON.stringify({ port, pid: process.pid }) + "\n");
}

main();
