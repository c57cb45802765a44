import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { postJson, readSse } from "../http/sse-client.js";
import { CHROMIUM, CHROMIUM_ARGS } from "./web-harness.js";

let world: ResearchWorld;
let home: string;
let server: HttpServerHandle;
let browser: Browser;

beforeAll(async () => {
  world = await startResearchWorld({ sections: 3, latencyMs: 60 });
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-web-"));
  server = await serveHttp({ settings: world.settings(home), port: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await world?.close();
  await rm(home, { recursive: true, force: true });
});

async function openPage(locale = "en-US"): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const context = await browser.newContext({ locale, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(`${server.url}/`);
  return { page, errors, requests };
}

describe("the web page in headless Chromium", () => {
  it("starts a run, shows steps, progress, sections and usage live, then renders and downloads the report", async () => {
    const { page, errors, requests } = await openPage();
    await page.fill("#task", "State of solid-state batteries in 2026");
    await page.fill("#max_iterations", "1");
    await page.click("#start");
    await page.waitForSelector(
      "#steps li[data-status='searching'][data-state='active'], #steps li[data-status='searching'][data-state='done']",
    );
    const midway = await page.$eval("#progress", (node) => (node as HTMLProgressElement).value);
    expect(midway).toBeGreaterThan(0);
    await page.waitForSelector("#sections article", { timeout: 20_000 });
    expect(Number(await page.textContent("#usage-in"))).toBeGreaterThan(0);
    await page.waitForSelector("#report-panel:not([hidden])", { timeout: 20_000 });
    expect(await page.$eval("#progress", (node) => (node as HTMLProgressElement).value)).toBe(100);
    expect(await page.getAttribute("#status", "data-status")).toBe("completed");
    expect(await page.$$eval("#report h1", (nodes) => nodes.length)).toBeGreaterThanOrEqual(1);
    expect(await page.$$eval("#sources li a", (nodes) => nodes.length)).toBeGreaterThan(0);
    expect(await page.$$eval("#sections article", (nodes) => nodes.length)).toBe(3);
    const sessionId = decodeURIComponent((await page.evaluate(() => window.location.hash)).replace("#session=", ""));
    const session = await (await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}`)).json();
    expect(Number(await page.textContent("#usage-in"))).toBe(session.result.metadata.usage.input_tokens);
    // The run's cost (the preset's default model has a price), as the result totals it.
    expect(await page.textContent("#usage-cost")).toBe(
      `${session.result.metadata.cost.amount.toFixed(4)} ${session.result.metadata.cost.currency}`,
    );
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    expect(download.suggestedFilename()).toMatch(/\.md$/);
    const file = await download.path();
    expect(await readFile(file, "utf8")).toBe(session.result.report_content);
    expect(errors).toEqual([]);
    expect(requests.every((url) => url.startsWith(server.url))).toBe(true);
    await page.context().close();
  });

  it("renders Markdown without raw HTML", async () => {
    world.responder.counts.section = 0;
    const { page } = await openPage();
    await page.evaluate(() => {
      const target = document.createElement("div");
      target.id = "probe";
      document.body.appendChild(target);
      const markdown = (
        window as unknown as { markdownit: (options: object) => { render(text: string): string } }
      ).markdownit({ html: false });
      target.innerHTML = markdown.render(
        "# Title\n\n<img src=x onerror=alert(1)> <script>bad()</script> [link](javascript:alert(1))",
      );
    });
    expect(await page.$$eval("#probe img, #probe script", (nodes) => nodes.length)).toBe(0);
    expect(await page.$$eval("#probe a[href^='javascript']", (nodes) => nodes.length)).toBe(0);
    expect(await page.textContent("#probe")).toContain("<img src=x");
    await page.context().close();
  });

  it("cancels another run, and re-opens a past session from the list", async () => {
    // A finished session of this test's own to re-open (through the API, before the model slows down).
    const past = await readSse(
      await postJson(`${server.url}/mcp/streaming/orchestrator`, {
        task: "Sodium-ion battery plants",
        max_iterations: 1,
      }),
    );
    expect(past.events.at(-1)?.message.result.isError).toBe(false);
    world.openai.setResponder(async (request, index) => ({ ...(await world.responder(request, index)), delayMs: 300 }));
    try {
      const { page, errors } = await openPage();
      await page.fill("#task", "Long run to cancel");
      await page.click("#start");
      await page.waitForSelector("#steps li[data-status='analyzing_intent']");
      await page.waitForFunction(() => !(document.getElementById("cancel") as HTMLButtonElement).disabled);
      await page.click("#cancel");
      await page.waitForSelector("#status[data-status='cancelled']");
      expect(await page.textContent("#run-error")).toContain("[cancelled]");
      await page.click("#refresh-sessions");
      const completed = page.locator(
        `#sessions button[data-session-id="${past.events[0]?.message.params.session_id}"]`,
      );
      await completed.waitFor();
      await completed.click();
      await page.waitForSelector("#report-panel:not([hidden])");
      expect(await page.getAttribute("#status", "data-status")).toBe("completed");
      expect(await page.$$eval("#sections article", (nodes) => nodes.length)).toBe(3);
      expect(errors).toEqual([]);
      await page.context().close();
    } finally {
      world.openai.setResponder(world.responder);
    }
  });

  it("follows navigator.language (Chinese) and toggles to English", async () => {
    const { page } = await openPage("zh-CN");
    expect(await page.textContent("#start")).toBe("开始");
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    await page.click("#lang-toggle");
    expect(await page.textContent("#start")).toBe("Start");
    await page.context().close();
  });
});
