import { describe, expect, it } from "vitest";
import { extractMainText } from "../../src/providers/fetch/extract.js";
import { markdownToPlain } from "../fixtures/news-site/score.js";

const BODY =
  "Veltrix Energy has started production on a 2 GWh pilot line for solid-state battery cells at its plant in Halden, the company said on Friday.";
const BODY_2 =
  "The cells reach an energy density of 450 Wh/kg at the cell level, roughly 60 percent more than the lithium-ion cells in most cars.";
const BODY_3 =
  "Chief executive Mira Kallstrom said the line would ship sample cells to three carmakers in 2027, with a first model expected in late 2028.";

function extract(
  html: string,
  url = "https://news.example.com/story",
): ReturnType<typeof extractMainText> & { plain: string } {
  const page = extractMainText({ body: html, contentType: "text/html", url, maxChars: 20_000 });
  return { ...page, plain: markdownToPlain(page.text) };
}

const page = (head: string, body: string, lang = "en"): string =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;

describe("page chrome is removed from the article", () => {
  it("drops the byline and dateline even when JSON-LD already names the author", () => {
    const result = extract(
      page(
        `<title>Pilot line</title><script type="application/ld+json">{"@type":"NewsArticle","headline":"Pilot line","author":{"name":"Dana Whitfield"},"datePublished":"2026-11-28T07:30:00Z"}</script>`,
        `<main><h1>Pilot line</h1><p>By Dana Whitfield · 28 November 2026 · 4 min read</p><p>${BODY}</p><p>${BODY_2}</p><p>${BODY_3}</p><p>Dana Whitfield</p></main>`,
      ),
    );
    expect(result.author).toBe("Dana Whitfield");
    expect(result.plain).toContain(BODY);
    expect(result.plain).not.toContain("min read");
    expect(result.plain).not.toContain("Dana Whitfield");
  });

  it("keeps article sentences that merely start like chrome", () => {
    const lines = [
      "By the end of 2027 Veltrix wants to build a 20 GWh factory next to the pilot line, the company said.",
      "Share prices rose 5 percent.",
      "Advertising revenue at the group fell for a third year.",
      "Related research from Aarhen found the same effect.",
    ];
    const result = extract(
      page(
        "<title>t</title>",
        `<article><h1>Story</h1>${lines.map((line) => `<p>${line}</p>`).join("")}<p>${BODY}</p><p>${BODY_2}</p></article>`,
      ),
    );
    for (const line of lines) expect(result.plain).toContain(line);
  });

  it("removes share bars known by their links, ad slots known by their label, newsletter boxes and tag lists", () => {
    const result = extract(
      page(
        "<title>t</title>",
        `<div class="story"><h1>Story</h1>
        <div><a href="https://www.facebook.com/sharer/sharer.php?u=x">Facebook</a> <a href="https://twitter.com/intent/tweet?url=x">Post</a> <a href="mailto:?body=x">Send</a></div>
        <p>${BODY}</p>
        <div><span>Advertisement</span><p>Fleet chargers at half price this week only, book a demo with our team today.</p></div>
        <p>${BODY_2}</p>
        <div><h3>The Morning Brief</h3><p>Sign up to get the day’s energy news in your inbox.</p></div>
        <p>${BODY_3}</p>
        <p>Topics: Batteries, Europe, Veltrix</p></div>`,
      ),
    );
    expect(result.plain).toContain(BODY_3);
    for (const chrome of ["Facebook", "half price", "in your inbox", "Topics:"])
      expect(result.plain).not.toContain(chrome);
  });

  it("removes a 'Related stories' section, teaser <article> cards included, but not the article whose classes mention tags or comments", () => {
    const result = extract(
      page(
        "<title>Story</title>",
        `<article class="post tag-batteries comments-open"><h1>Story</h1><p>${BODY}</p><p>${BODY_2}</p><p>${BODY_3}</p></article>
        <section><h2>Related stories</h2><article><h3><a href="/a">Norden raises $600 million</a></h3><p>Sodium-ion plant planned in Gdansk for 2028.</p></article>
        <article><h3><a href="/b">Ampyra delays factory</a></h3><p>First output now due in 2030.</p></article></section>`,
      ),
    );
    expect(result.plain).toContain(BODY_3);
    expect(result.plain).not.toContain("Norden");
    expect(result.plain).not.toContain("Gdansk");
  });

  it("removes reader comments introduced by a heading, and hidden elements", () => {
    const result = extract(
      page(
        "<title>Story</title>",
        `<div><h1>Story</h1><p>${BODY}</p><p>${BODY_2}</p><p>${BODY_3}</p>
        <div style="display:none">Please enable JavaScript to continue reading this page without interruption.</div></div>
        <div><h3>12 Comments</h3><div><b>kevin</b><p>I heard the line only makes 500 MWh and the rest is marketing, wait for the audited numbers.</p></div></div>`,
      ),
    );
    expect(result.plain).toContain(BODY_3);
    expect(result.plain).not.toContain("500 MWh");
    expect(result.plain).not.toContain("enable JavaScript");
  });

  it("keeps numbers and short cells of a data table, and links in running text", () => {
    const result = extract(
      page(
        "<title>Costs</title>",
        `<article><h1>Costs</h1><p>${BODY}</p><p>Costs fell, according to <a href="https://corvel.example/report">Corvel Research</a>, as yields improved on most lines.</p>
        <table><tr><th>Year</th><th>$/kWh</th></tr><tr><td>2025</td><td>175</td></tr><tr><td>2026</td><td>110</td></tr></table><p>${BODY_2}</p></article>`,
      ),
    );
    expect(result.plain).toContain("Costs fell, according to Corvel Research, as yields improved");
    expect(result.plain).toMatch(/2026\s*\|\s*110|2026[\s\S]*110/);
    expect(result.plain).toContain("175");
  });

  it("cleans a Chinese page: 分享到, 广告, 责任编辑, 版权声明, 相关阅读, 网友评论, 本文转载自", () => {
    const zh1 = "11月28日，智能体平台公司启元智能宣布完成8亿元人民币B轮融资，由云衡资本领投，多家产业基金跟投。";
    const zh2 = "创始人兼首席执行官陈屿表示，本轮资金将主要用于多智能体协作框架的研发和海外市场拓展。";
    const result = extract(
      page(
        "<title>启元智能完成融资</title>",
        `<div class="wrap"><h1>启元智能完成融资</h1><div>2026-11-29 10:32 来源：新智日报 作者：林晓雯</div><div>分享到：<a>微信</a><a>微博</a></div>
        <div><p>本文转载自新智日报，原标题：《启元智能完成融资》</p><p>${zh1}</p><div><span>广告</span><a href="/ad">云服务器限时特惠，新用户首年仅需99元</a></div><p>${zh2}</p><p>（责任编辑：王磊）</p></div>
        <div>版权声明：凡注明来源的作品，版权均属本站所有，未经授权不得转载。</div>
        <div><h3>相关阅读</h3><ul><li><a href="/x">星河科技发布通用智能体，宣称任务完成率达92%</a></li></ul></div>
        <div><div>网友评论（2）</div><p>听说这轮实际只到账5亿，剩下的是对赌条款。</p></div></div>`,
        "zh-CN",
      ),
    );
    expect(result.plain).toContain(zh1);
    expect(result.plain).toContain(zh2);
    for (const chrome of [
      "来源",
      "分享到",
      "本文转载自",
      "广告",
      "云服务器",
      "责任编辑",
      "版权",
      "相关阅读",
      "92%",
      "网友评论",
      "5亿",
    ]) {
      expect(result.plain, chrome).not.toContain(chrome);
    }
    expect(result.author).toBe("林晓雯");
    expect(result.published_at).toBe("2026-11-29T00:00:00.000Z");
  });

  it("stops at an END marker: what follows is the publisher's promotion", () => {
    const zh = "本周三家银行先后上线基于智能体的理财助手，可以根据客户授权自动完成基金定投调整和到期提醒。";
    const result = extract(
      page(
        "<title>周报</title>",
        `<div id="js_content"><section>${zh}</section><section>END</section><section>往期推荐</section><section><a href="/46">制造业质检智能体准确率达99%</a></section></div>`,
        "zh",
      ),
    );
    expect(result.plain).toContain(zh);
    expect(result.plain).not.toContain("END");
    expect(result.plain).not.toContain("99%");
  });

  it("returns the text of a page with no semantic markup at all", () => {
    const result = extract(`<html><body><div>${BODY}<br><br>${BODY_2}<br><br>${BODY_3}</div></body></html>`);
    expect(result.plain).toContain(BODY);
    expect(result.plain).toContain(BODY_3);
    expect(result.language).toBe("en");
  });

  it("passes plain text through and detects its language", () => {
    const result = extractMainText({
      body: "研究机构观澜咨询发布报告称，2026年中国智能体市场规模约为300亿元。\r\n",
      contentType: "text/plain",
      url: "https://x.example/a.txt",
      maxChars: 100,
    });
    expect(result.text).toBe("研究机构观澜咨询发布报告称，2026年中国智能体市场规模约为300亿元。");
    expect(result.language).toBe("zh");
  });
});
