import { describe, expect, it } from "vitest";
import { extractMainText } from "../../src/providers/fetch/extract.js";

const PARAGRAPHS =
  "<p>Veltrix Energy has started production on a 2 GWh pilot line for solid-state battery cells at its plant in Halden, the company said.</p>" +
  "<p>The cells reach an energy density of 450 Wh/kg at the cell level, roughly 60 percent more than the lithium-ion cells in most cars.</p>";

const meta = (
  head: string,
  body = `<article><h1>Pilot line</h1>${PARAGRAPHS}</article>`,
  htmlAttributes = 'lang="en"',
) =>
  extractMainText({
    body: `<!doctype html><html ${htmlAttributes}><head><title>Pilot line | Voltage Daily</title>${head}</head><body>${body}</body></html>`,
    contentType: "text/html",
    url: "https://voltage.example/tech/pilot-line?ref=home",
    maxChars: 20_000,
  });

describe("page metadata", () => {
  it("reads a Yoast-style JSON-LD @graph whose author and publisher are @id references", () => {
    const page = meta(`<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
      {"@type":"WebPage","@id":"https://voltage.example/#page","datePublished":"2020-01-01T00:00:00Z"},
      {"@type":["NewsArticle"],"headline":"Pilot line opens","datePublished":"2026-11-28T07:30:00+01:00","dateModified":"2026-11-28T15:05:00+01:00",
       "author":[{"@id":"https://voltage.example/#/person/1"},{"@id":"https://voltage.example/#/person/2"}],"publisher":{"@id":"https://voltage.example/#org"}},
      {"@type":"Person","@id":"https://voltage.example/#/person/1","name":"Dana Whitfield"},
      {"@type":"Person","@id":"https://voltage.example/#/person/2","name":"Tom Becker"},
      {"@type":"Organization","@id":"https://voltage.example/#org","name":"Voltage Daily"}]}</script>`);
    expect(page).toMatchObject({
      title: "Pilot line opens",
      published_at: "2026-11-28T06:30:00.000Z",
      modified_at: "2026-11-28T14:05:00.000Z",
      author: "Dana Whitfield, Tom Becker",
      site_name: "Voltage Daily",
    });
  });

  it("falls back to metas when the JSON-LD is broken, and ignores author metas that are URLs", () => {
    const page = meta(`<script type="application/ld+json">{"@type":"NewsArticle", broken</script>
      <meta property="article:published_time" content="2026-08-15T09:00:00Z"><meta property="article:modified_time" content="2026-08-16T10:00:00Z">
      <meta property="article:author" content="https://facebook.com/lena"><meta name="author" content="Lena Ortiz"><meta property="og:site_name" content="Northwire">
      <meta property="og:title" content="Cell costs fall">`);
    expect(page).toMatchObject({
      title: "Cell costs fall",
      published_at: "2026-08-15T09:00:00.000Z",
      modified_at: "2026-08-16T10:00:00.000Z",
      author: "Lena Ortiz",
      site_name: "Northwire",
    });
  });

  it("resolves a relative canonical link, falls back to og:url, and ignores non-web canonicals", () => {
    expect(meta(`<link rel="canonical" href="/tech/pilot-line">`).canonical_url).toBe(
      "https://voltage.example/tech/pilot-line",
    );
    expect(meta(`<meta property="og:url" content="https://voltage.example/tech/pilot-line">`).canonical_url).toBe(
      "https://voltage.example/tech/pilot-line",
    );
    expect(
      meta(
        `<link rel="canonical" href="javascript:alert(1)"><meta property="og:url" content="https://voltage.example/x">`,
      ).canonical_url,
    ).toBe("https://voltage.example/x");
    expect(meta("").canonical_url).toBeNull();
  });

  it("dates the article by its own <time>, not by a comment's or a related story's", () => {
    const body = `<div class="related"><time datetime="2026-01-01T00:00:00Z">1 Jan</time></div><article><h1>Pilot line</h1>
      <p class="meta"><time datetime="2026-11-28T07:30:00Z">28 Nov</time> <time class="updated" datetime="2026-11-29T08:00:00Z">29 Nov</time></p>${PARAGRAPHS}</article>
      <div id="comments"><time datetime="2026-12-01T00:00:00Z">1 Dec</time></div>`;
    expect(meta("", body)).toMatchObject({
      published_at: "2026-11-28T07:30:00.000Z",
      modified_at: "2026-11-29T08:00:00.000Z",
    });
    const commentsOnly = `<article><h1>Pilot line</h1>${PARAGRAPHS}</article><ol class="comment-list"><li><time datetime="2026-12-01T00:00:00Z">1 Dec</time></li></ol>`;
    expect(meta("", commentsOnly).published_at).toBeNull();
  });

  it("keeps only the day of a zone-less date-time, which would otherwise depend on the host's time zone", () => {
    expect(meta(`<meta name="PubDate" content="2026-11-25 10:30">`).published_at).toBe("2026-11-25T00:00:00.000Z");
  });

  it("reads date and author from the visible byline under the headline, not from the site's top bar", () => {
    const body = `<div class="topbar">Tuesday 1 December 2026 | Weather: 4°C</div><div><h1>Pilot line</h1>
      <div><strong>By Tom Aldane</strong>, Business reporter<br>Sunday, November 29, 2026</div>${PARAGRAPHS}</div>`;
    expect(meta("", body)).toMatchObject({ published_at: "2026-11-29T00:00:00.000Z", author: "Tom Aldane" });
    const zh = `<div><h1>观澜咨询报告</h1><div>来源：快讯汇综合 发布时间：2026-06-18 09:00</div><p>研究机构观澜咨询6月18日发布报告称，2026年中国智能体市场规模约为300亿元，其中金融和制造两个行业合计占比超过一半。</p></div>`;
    expect(meta("", zh, 'lang="zh-CN"')).toMatchObject({
      published_at: "2026-06-18T00:00:00.000Z",
      author: null,
      language: "zh-CN",
    });
    const topBarOnly = `<div>Tuesday 1 December 2026</div><div><h1>Pilot line</h1>${PARAGRAPHS}</div>`;
    expect(meta("", topBarOnly).published_at).toBeNull();
  });

  it("reports the language as a BCP 47 tag: <html lang>, og:locale, or detected from the text", () => {
    expect(meta("", undefined, 'lang="en-us"').language).toBe("en-US");
    expect(meta(`<meta property="og:locale" content="zh_CN">`, undefined, "").language).toBe("zh-CN");
    expect(
      meta(
        "",
        `<div><h1>智能体</h1><p>研究机构观澜咨询发布报告称，2026年中国智能体市场规模预计达到420亿元，比六月的预测上调了40%。</p></div>`,
        "",
      ).language,
    ).toBe("zh");
    expect(meta("", undefined, 'lang="not a tag!"').language).toBe("en");
  });

  it("takes the headline from og:title, else the page's only <h1>, else <title> without the site name", () => {
    expect(meta(`<meta property="og:title" content="Pilot line opens in Halden">`).title).toBe(
      "Pilot line opens in Halden",
    );
    expect(meta("").title).toBe("Pilot line");
    expect(meta(`<meta property="og:site_name" content="Voltage Daily">`, `<div>${PARAGRAPHS}</div>`).title).toBe(
      "Pilot line",
    );
  });
});
