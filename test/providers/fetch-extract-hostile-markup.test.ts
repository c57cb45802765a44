import { describe, expect, it } from "vitest";
import { extractMainText } from "../../src/providers/fetch/extract.js";

const PARAGRAPH =
  "Veltrix Energy has started production on a 2 GWh pilot line for solid-state battery cells at its plant in Halden.";
const extract = (body: string) =>
  extractMainText({ body, contentType: "text/html", url: "https://x.example/a", maxChars: 20_000 });

// Pages built to break an extractor: they must come back as text, not as a stack overflow or a hang.
// (Time is measured in bench/extraction.mjs, not asserted here.)
describe("hostile markup", () => {
  it("reads a page nested 5,000 levels deep (flattened below 64 levels) without overflowing the stack", () => {
    const html = `<html><body>${"<div>".repeat(5000)}<p>${PARAGRAPH}</p><p>A second <b>deep</b> paragraph follows it.</p>${"</div>".repeat(5000)}</body></html>`;
    const page = extract(html);
    expect(page.text).toContain(PARAGRAPH);
    expect(page.text).toContain("A second deep paragraph follows it.");
  });

  it("survives long runs that trip backtracking regular expressions", () => {
    const runs = [
      "1".repeat(200_000) + "x",
      `By ${"A".repeat(50_000)}`,
      `${"—".repeat(20_000)}完x`,
      `${"2026-11-29 ".repeat(5_000)}来源`,
      `Share ${"facebook ".repeat(10_000)}`,
    ];
    const page = extract(
      `<html><body><article><h1>Title</h1><p>${PARAGRAPH}</p>${runs.map((run) => `<p>${run}</p>`).join("")}
      <div><a href="https://${"qzone.a/".repeat(20_000)}x">${"link ".repeat(10)}</a></div></article></body></html>`,
    );
    expect(page.text).toContain(PARAGRAPH);
  });

  it("ignores JSON-LD nested thousands of levels deep and dates that are not dates", () => {
    const nested = `${"[".repeat(5_000)}{"@type":"NewsArticle","datePublished":"2026-11-28"}${"]".repeat(5_000)}`;
    const page = extract(
      `<html><head><script type="application/ld+json">${nested}</script><meta property="article:published_time" content="yesterday-ish"></head>
      <body><article><h1>Title</h1><p><time datetime="not a date">then</time> ${PARAGRAPH}</p></article></body></html>`,
    );
    expect(page.published_at).toBeNull();
    expect(page.text).toContain(PARAGRAPH);
  });
});
