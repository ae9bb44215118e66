// Access with a token (server.token): the API refuses requests without it (401), the UI
// asks for it, exchanges it for an HttpOnly session cookie, keeps it nowhere else, asks
// again on any 401, and logs out.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { cliSearch, httpRequest, launchBrowser, makeDataDir, serve, stopAll, tempDir } from "./harness.mjs";

const TOKEN = "ui-test-token-5b8e0c1d9a7f4e2b";

describe("Access with a token", () => {
  let dataDir;
  let url;
  let browser;
  let page;

  before(async () => {
    const root = tempDir();
    dataDir = await makeDataDir(root, { events: 500, seed: 11 });
    const config = path.join(root, "trailhound.yaml");
    fs.writeFileSync(config, `data_dir: ${dataDir}\nserver:\n  listen: 127.0.0.1:0\n  token: ${TOKEN}\n`);
    ({ url } = await serve(dataDir, ["--config", config]));
    browser = await launchBrowser();
    page = browser.page;
  });

  after(async () => {
    if (browser) await browser.close();
    await stopAll();
  });

  test("the API answers 401 without the token", async () => {
    for (const p of ["/api/search?q=", "/api/histogram", "/api/fields", "/api/sources", "/api/sources/x", "/metrics"]) {
      const response = await httpRequest(url + p);
      assert.equal(response.status, 401, p);
      assert.equal(response.headers["www-authenticate"], "Bearer", p);
      const bearer = await httpRequest(url + p, { headers: { Authorization: `Bearer ${TOKEN}` } });
      assert.notEqual(bearer.status, 401, p);
      const wrong = await httpRequest(url + p, { headers: { Authorization: "Bearer not-the-token" } });
      assert.equal(wrong.status, 401, p);
    }
    assert.equal((await httpRequest(`${url}/api/health`)).status, 200);
    assert.deepEqual(JSON.parse((await httpRequest(`${url}/api/session`)).body), {
      auth_required: true,
      authenticated: false,
    });
    const index = await httpRequest(`${url}/`);
    assert.equal(index.status, 200, "the UI's files carry no data and need no token");
    // Changing state needs the CSRF header.
    const noHeader = await httpRequest(`${url}/api/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: TOKEN }),
    });
    assert.equal(noHeader.status, 403);
  });

  test("the UI asks for the token, then works", async () => {
    await page.goto(`${url}/#/search?q=eventName%3AConsoleLogin&from=-24h`);
    await page.waitForSelector("#login:not([hidden])");
    assert.equal(await page.$(".results-table"), null);

    await page.fill("#login-token", "not-the-token");
    await page.click("#login-form button[type=submit]");
    await page.waitForSelector("#login-error:not([hidden])");
    assert.match(await page.textContent("#login-error"), /not right/);
    assert.ok(await page.isVisible("#login"));

    await page.fill("#login-token", TOKEN);
    await page.click("#login-form button[type=submit]");
    await page.waitForSelector("#login", { state: "hidden" });
    await page.waitForFunction(() => document.querySelector(".search-page")?.dataset.state === "done");
    const cli = await cliSearch(dataDir, "eventName:ConsoleLogin");
    assert.equal(
      await page.textContent("#result-count"),
      `Showing 1–${Math.min(100, cli.total)} of ${cli.total.toLocaleString("en-US")} events`,
    );

    // The session is an HttpOnly cookie; the token is kept nowhere the page can read.
    const cookies = await browser.context.cookies();
    const session = cookies.find((c) => c.name === "trailhound_session");
    assert.ok(session, "the session cookie is set");
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, "Strict");
    assert.ok(!session.value.includes(TOKEN));
    const stored = await page.evaluate(() => ({
      cookie: document.cookie,
      local: localStorage.length,
      session: sessionStorage.length,
      html: document.documentElement.outerHTML,
    }));
    assert.equal(stored.cookie, "");
    assert.equal(stored.local, 0);
    assert.equal(stored.session, 0);
    assert.ok(!stored.html.includes(TOKEN));

    // A reload keeps the session.
    await page.reload();
    await page.waitForFunction(() => document.querySelector(".search-page")?.dataset.state === "done");
    assert.ok(await page.isHidden("#login"));
    assert.ok(await page.isVisible("#logout"));
  });

  test("a 401 later brings the prompt back", async () => {
    await browser.context.clearCookies();
    await page.click("nav a[data-nav=sources]");
    await page.waitForSelector("#login:not([hidden])");
    assert.match(await page.textContent("#login-error"), /enter the token again/);
    await page.fill("#login-token", TOKEN);
    await page.press("#login-token", "Enter");
    await page.waitForSelector("#login", { state: "hidden" });
    await page.waitForSelector(".empty h2");
    assert.equal(await page.textContent(".empty h2"), "No event sources");
  });

  test("logging out ends the session", async () => {
    await page.click("#logout");
    await page.waitForSelector("#login:not([hidden])");
    const status = await page.evaluate(async () => (await fetch("/api/search?q=")).status);
    assert.equal(status, 401);
    assert.deepEqual(browser.problems, []);
  });
});
