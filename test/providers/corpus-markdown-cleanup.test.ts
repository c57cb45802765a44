import { describe, expect, it } from "vitest";
import { parseDocument } from "../../src/providers/corpus/index.js";

const encode = (text: string) => new TextEncoder().encode(text);

describe("Markdown reduced to quotable text", () => {
  it("decodes character references and drops footnotes and reference-link debris", async () => {
    const source = [
      "# Zorbium",
      "",
      "Zorbium cells store **twice the energy** of standard cells.[^1] Output rose in Oslo &amp; Bergen.",
      "",
      "Read the [full report][rep] or <https://example.com/zorb> for data &mdash; prices fell by 5&#37; and &#x4e2d; text.",
      "",
      "[^1]: Zorb Institute annual report, 2026.",
      '[rep]: https://example.com/report "The report"',
      "",
    ].join("\n");
    const parsed = await parseDocument({ filePath: "/c/2026-11-20-zorb.md", bytes: encode(source) });
    expect(parsed.text).toBe(
      "Zorbium\n\nZorbium cells store twice the energy of standard cells. Output rose in Oslo & Bergen.\n\n" +
        "Read the full report or https://example.com/zorb for data — prices fell by 5% and 中 text.",
    );
  });

  it("ends Setext headings (underlined with === or ---) like # headings, so they never join the next sentence", async () => {
    const source =
      "Overview\n========\nThe zorbium market grew by ten percent this quarter.\n\nOutlook\n-------\nAnalysts expect the growth to continue next year.\n";
    const parsed = await parseDocument({ filePath: "/c/2026-11-20-zorb.md", bytes: encode(source) });
    expect(parsed.text).toBe(
      "Overview\n\nThe zorbium market grew by ten percent this quarter.\n\nOutlook\n\nAnalysts expect the growth to continue next year.",
    );
  });

  it("keeps HTML table cells apart", async () => {
    const source =
      "<html><head><title>Zorbium</title></head><body><p>The zorbium table follows below.</p><table><tr><th>Metric</th><th>Value</th></tr><tr><td>Energy density</td><td>600 Wh/kg</td></tr></table></body></html>";
    const parsed = await parseDocument({ filePath: "/c/2026-11-20-zorb.html", bytes: encode(source) });
    expect(parsed.text).toContain("Energy density 600 Wh/kg");
    expect(parsed.text).toContain("Metric Value");
  });
});

describe("Markdown parsing time", () => {
  // A quadratic pattern takes minutes here (the test times out); linear parsing takes well under a second.
  it("stays linear on a 2 MB single-line document", async () => {
    const parsed = await parseDocument({
      filePath: "/c/one-line.md",
      bytes: encode(`${"The zorbium widget sold well. ".repeat(70_000)}\n`),
    });
    expect(parsed.text.length).toBeGreaterThan(2_000_000);
  }, 10_000);
});
