// Event Sources in headless Chromium against `trailhound run` with two SQS sources on the
// fauxqs emulator: one fed by `trailhound simulate --to-s3` (Running, positive EPM), one
// on a queue that does not exist (Error, with its hint). Also the detail view with the
// redacted configuration, auto-refresh, and the empty state of `trailhound serve`.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import {
  createBucket,
  isoMinute,
  launchBrowser,
  runConfig,
  screenshot,
  serve,
  sqs,
  startFauxqs,
  stopAll,
  tempDir,
  trailhound,
} from "./harness.mjs";

const INLINE_SECRET = "inline-secret-not-real-7f3a";

describe("Event Sources", () => {
  let root;
  let url;
  let endpoint;
  let queueUrl;
  let browser;
  let page;

  async function deliver(events, seed) {
    const start = isoMinute(new Date(Date.now() - 3600e3));
    await trailhound(
      [
        "simulate",
        "--events",
        String(events),
        "--seed",
        String(seed),
        "--start",
        start,
        "--span",
        "50m",
        "--to-s3",
        "s3://trail-logs",
        "--sqs-queue-url",
        queueUrl,
        "--endpoint-url",
        endpoint,
      ],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: "AKIAUITESTADMIN00000",
          AWS_SECRET_ACCESS_KEY: "admin-not-real",
          AWS_REGION: "us-east-1",
        },
      },
    );
  }

  before(async () => {
    root = tempDir();
    ({ endpoint } = await startFauxqs());
    await createBucket(endpoint, "trail-logs");
    ({ QueueUrl: queueUrl } = await sqs(endpoint, "CreateQueue", { QueueName: "cloudtrail-siem" }));
    fs.writeFileSync(path.join(root, "collector.secret"), "collector-secret-not-real\n");
    const source = (name, queue, credentials) => `  - name: ${name}
    type: aws_cloudtrail
    method: sqs
    queue_url: ${queue}
    bucket_region: us-east-1
    endpoint_url: ${endpoint}
    wait_time_secs: 1
    credentials:
      access_key_id: AKIAUITESTCOLLECTOR0
${credentials}
`;
    const config = path.join(root, "trailhound.yaml");
    const main = source("cloudtrail-main", queueUrl, `      secret_access_key_file: ${root}/collector.secret`);
    const missingQueue = queueUrl.replace("cloudtrail-siem", "no-such-queue");
    const broken = source("cloudtrail-eu", missingQueue, `      secret_access_key: ${INLINE_SECRET}`);
    fs.writeFileSync(config, `data_dir: ${root}/data\nserver:\n  listen: 127.0.0.1:0\nsources:\n${main}${broken}`);
    ({ url } = await runConfig(config));
    await deliver(2000, 3);
    browser = await launchBrowser();
    page = browser.page;
  });

  after(async () => {
    if (browser) await browser.close();
    await stopAll();
  });

  const card = (name) => `article.source[data-source='${name}']`;

  test("the working source is Running with a positive EPM; the broken one shows its hint", async () => {
    await page.goto(`${url}/#/sources`);
    await page.waitForFunction(
      (sel) => {
        const c = document.querySelector(sel);
        return (
          c &&
          c.querySelector(".badge").textContent === "Running" &&
          c.querySelector(".epm").textContent !== "0" &&
          c.querySelector(".metric:last-child .metric-value").textContent === "2,000"
        );
      },
      card("cloudtrail-main"),
      { timeout: 30000 },
    );
    const epm = Number((await page.textContent(`${card("cloudtrail-main")} .epm`)).replace(/,/g, ""));
    assert.ok(epm > 0, `EPM ${epm}`);
    assert.equal(await page.locator(`${card("cloudtrail-main")} svg.sparkline polyline`).count(), 1);
    assert.equal(await page.locator(`${card("cloudtrail-main")} .error-box`).count(), 0);

    const broken = card("cloudtrail-eu");
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.querySelector(".badge").textContent === "Error",
      broken,
    );
    assert.match(await page.textContent(`${broken} .error-message`), /queue does not exist/);
    assert.match(await page.textContent(`${broken} .hint`), /^How to fix: .*check queue_url/);
    assert.match(await page.textContent(`${broken} .error-counts`), /NotFound|NonExistentQueue|400/);
  });

  test("the page refreshes by itself", async () => {
    await page.goto(`${url}/#/sources`);
    await page.waitForSelector(`${card("cloudtrail-main")} .epm`);
    await deliver(500, 4);
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.querySelector(".metric:last-child .metric-value").textContent === "2,500",
      card("cloudtrail-main"),
      { timeout: 30000 },
    );
    await screenshot(page, "sources");
  });

  test("a source's detail shows its configuration with secrets redacted, and its errors", async () => {
    await page.click(`${card("cloudtrail-main")} h2 a`);
    await page.waitForSelector("table.kv");
    assert.equal(await page.evaluate(() => location.hash), "#/sources/cloudtrail-main");
    const config = Object.fromEntries(
      await page.$$eval("#configuration table.kv tbody tr", (rows) =>
        rows.map((r) => [r.cells[0].textContent, r.cells[1].textContent]),
      ),
    );
    assert.equal(config.queue_url, queueUrl);
    assert.equal(config["credentials.access_key_id"], "AKIAUITESTCOLLECTOR0");
    assert.equal(config.wait_time_secs, "1");
    assert.ok(!(await page.content()).includes("collector-secret-not-real"));

    await page.goto(`${url}/#/sources/cloudtrail-eu`);
    await page.waitForSelector("table.kv");
    const eu = Object.fromEntries(
      await page.$$eval("#configuration table.kv tbody tr", (rows) =>
        rows.map((r) => [r.cells[0].textContent, r.cells[1].textContent]),
      ),
    );
    assert.equal(eu["credentials.secret_access_key"], "<redacted>");
    assert.ok(!(await page.content()).includes(INLINE_SECRET), "the secret never reaches the page");
    const errors = await page.$$eval("#recent-errors tbody tr", (rows) =>
      rows.map((r) => [...r.cells].map((c) => c.textContent)),
    );
    assert.ok(errors.length > 0);
    assert.match(errors[0][1], /queue does not exist/);
    assert.match(errors[0][2], /check queue_url/);

    await page.goto(`${url}/#/sources/nope`);
    await page.waitForSelector(".empty h2");
    assert.equal(await page.textContent(".empty h2"), "No source named “nope”");
  });

  test("the events the source stored are searchable", async () => {
    await page.goto(`${url}/#/search?q=${encodeURIComponent("_source:cloudtrail-main")}&from=-24h`);
    await page.waitForFunction(() => document.querySelector(".search-page")?.dataset.state === "done");
    assert.equal(await page.textContent("#result-count"), "Showing 1–100 of 2,500 events");
    assert.deepEqual(browser.problems, []);
  });

  test("trailhound serve has no sources: an empty state", async () => {
    const { url: serveUrl } = await serve(path.join(root, "empty-data"));
    await page.goto(`${serveUrl}/#/sources`);
    await page.waitForSelector(".empty h2");
    assert.equal(await page.textContent(".empty h2"), "No event sources");
    assert.match(await page.textContent(".empty"), /trailhound run --config FILE/);
  });
});
