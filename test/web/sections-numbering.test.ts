import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WRONG_CITING_WRITER } from "../fakes/research-responder.js";
import { startWebHarness, type WebHarness } from "./web-harness.js";

let harness: WebHarness;

beforeAll(async () => {
  // A writer that mis-cites: the sections the page shows live are checked and numbered before they are sent.
  harness = await startWebHarness({ sections: 3, writer: WRONG_CITING_WRITER });
});

afterAll(async () => {
  await harness?.close();
});

const numbersIn = (text: string): number[] => [...text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));

async function panelSections(page: Page): Promise<Array<{ id: string; text: string }>> {
  return page.$$eval("#sections article", (nodes) =>
    nodes.map((node) => ({ id: node.getAttribute("data-section-id") ?? "", text: node.textContent ?? "" })),
  );
}

describe("the web page's Sections panel", () => {
  it("shows the citation numbers of the final report, live and after the run", async () => {
    const { browser, server } = harness;
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.fill("#task", "State of solid-state batteries in 2026");
    await page.fill("#max_iterations", "1");
    await page.click("#start");
    await page.waitForSelector("#report-panel:not([hidden])", { timeout: 30_000 });
    const sessionId = decodeURIComponent((await page.evaluate(() => window.location.hash)).replace("#session=", ""));
    const session = await (await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}`)).json();
    const finalSections: Array<{ id: number; content: string }> = session.result.sections;
    const shown = await panelSections(page);
    expect(shown).toHaveLength(finalSections.length);
    const cited = shown.flatMap((section) => numbersIn(section.text));
    expect(cited.length).toBeGreaterThan(0);
    for (const section of shown) {
      const final = finalSections.find((candidate) => String(candidate.id) === section.id);
      expect(numbersIn(section.text)).toEqual(numbersIn(final?.content ?? ""));
    }
    // Every number the panel shows is an entry of the references list.
    const referenceCount = await page.$$eval("#sources li", (nodes) => nodes.length);
    for (const number of cited) expect(number).toBeLessThanOrEqual(referenceCount);

    // Re-opened from the session list, the panel shows the same numbers.
    await page.reload();
    await page.waitForSelector("#report-panel:not([hidden])", { timeout: 30_000 });
    expect((await panelSections(page)).map((section) => numbersIn(section.text))).toEqual(
      shown.map((section) => numbersIn(section.text)),
    );
    await context.close();
  });
});
