import { describe, expect, it } from "vitest";
import { extractMainText } from "../../src/providers/fetch/extract.js";

const ARTICLE = `<!doctype html><html><head><title>Escaping in templates</title>
<meta property="article:published_time" content="2026-11-20T08:00:00Z"></head>
<body><nav>Home | Blog</nav><article><h1>Escaping in templates</h1>
<p>Write &lt;tag&gt; in your template and the engine prints it literally, as the docs for version 3 explain at length.</p>
<p>Ampersands such as R&amp;D survive too, and so does a quoted &quot;phrase&quot; in the second paragraph of this article.</p>
<p>A third paragraph gives the readability heuristics enough text to treat this element as the main content of the page.</p>
</article><footer>© Example</footer></body></html>`;

describe("main-text extraction", () => {
  it("keeps escaped markup and entities as the reader sees them, and reads the publication date", () => {
    const page = extractMainText({
      body: ARTICLE,
      contentType: "text/html",
      url: "https://example.com/post",
      maxChars: 20_000,
    });
    expect(page.text).toContain("Write <tag> in your template");
    expect(page.text).toContain("R&D");
    expect(page.text).toContain('"phrase"');
    expect(page.text).not.toContain("Home | Blog");
    expect(page.published_at).toBe("2026-11-20T08:00:00.000Z");
  });
});
