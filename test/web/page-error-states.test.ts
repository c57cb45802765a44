import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/app/settings.js";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { createScriptedRuntime } from "../http/fake-runtime.js";
import { CHROMIUM, CHROMIUM_ARGS } from "./web-harness.js";

let home: string;
let server: HttpServerHandle;
let browser: Browser;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-web-errors-"));
  server = await serveHttp({
    settings: settingsSchema.parse({ home }),
    port: 0,
    runtime: createScriptedRuntime({ gated: true }),
    maxConcurrent: 1,
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(home, { recursive: true, force: true });
});

describe("the web page explains failed requests and cancelled runs", () => {
  it("a link to a session that no longer exists says so instead of 'HTTP 404' over an empty run", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(`${server.url}/#session=pruned-long-ago`);
    await page.waitForFunction(() => (document.getElementById("form-error")?.textContent ?? "") !== "");
    expect(await page.textContent("#form-error")).toContain('No session "pruned-long-ago" exists');
    expect(await page.$eval("#run", (node) => (node as HTMLElement).hidden)).toBe(true);
    await context.close();
  });

  it("a cancelled run marks the step it was cut off in as stopped, not done; the list follows the outline wait", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.fill("#task", "waits for its outline");
    await page.uncheck("#auto_confirm");
    await page.click("#start");
    await page.waitForSelector("#confirm:not([hidden])");
    await page.waitForSelector("#sessions button .meta:text-matches('awaiting confirmation')");
    await page.click("#approve");
    // The scripted runtime holds every run at "searching" (gated) until released: cancel it there.
    await page.waitForSelector("#steps li[data-status='searching'][data-state='active']");
    await page.click("#cancel");
    await page.waitForSelector("#status[data-status='cancelled']");
    expect(await page.getAttribute("#steps li[data-status='searching']", "data-state")).toBe("stopped");
    expect(await page.getAttribute("#steps li[data-status='generating_outline']", "data-state")).toBe("done");
    expect(await page.getAttribute("#steps li[data-status='generating_sections']", "data-state")).toBe("pending");
    await context.close();
  });

  it("an outline decision the server refuses (409: decided elsewhere) is shown, not swallowed", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    // The race (another tab decided first) is timing-dependent; the server's 409 answer is not: replay it.
    const refusal = {
      jsonrpc: "2.0",
      id: null,
      error: {
        code: -32602,
        message: "Invalid params",
        data: { type: "invalid_params", message: "This session is not waiting for an outline decision." },
      },
    };
    await page.route("**/confirm", (route) =>
      route.fulfill({ status: 409, contentType: "application/json", body: JSON.stringify(refusal) }),
    );
    await page.goto(`${server.url}/`);
    await page.fill("#task", "decided in another tab");
    await page.uncheck("#auto_confirm");
    await page.click("#start");
    await page.waitForSelector("#confirm:not([hidden])");
    await page.click("#approve");
    await page.waitForFunction(() => !(document.getElementById("run-error") as HTMLElement).hidden);
    expect(await page.textContent("#run-error")).toBe("This session is not waiting for an outline decision.");
    await page.click("#cancel");
    await page.waitForSelector("#status[data-status='cancelled']");
    await context.close();
  });

  it("a refused start (429) shows the server's message", async () => {
    const busy = await fetch(`${server.url}/mcp/streaming/orchestrator`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ task: "holds the only slot" }),
    });
    const sessionId = busy.headers.get("x-session-id");
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.fill("#task", "one too many");
    await page.click("#start");
    await page.waitForFunction(() => (document.getElementById("form-error")?.textContent ?? "") !== "");
    expect(await page.textContent("#form-error")).toMatch(/already running/);
    expect(await page.$eval("#run", (node) => (node as HTMLElement).hidden)).toBe(true);
    await context.close();
    await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/cancel`, { method: "POST" });
    await busy.body?.cancel();
  });
});
