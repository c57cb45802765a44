/**
 * A served report-mcp (fake model and search on loopback) with headless Chromium, for page tests.
 * Closes everything it started.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export type WebHarness = { world: ResearchWorld; server: HttpServerHandle; browser: Browser; close(): Promise<void> };

export async function startWebHarness(options: Parameters<typeof startResearchWorld>[0]): Promise<WebHarness> {
  const world = await startResearchWorld(options);
  const home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-web-"));
  const server = await serveHttp({ settings: world.settings(home), port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    world,
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      await world.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}
