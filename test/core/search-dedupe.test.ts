import { describe, expect, it } from "vitest";
import { containment, dedupeHits, jaccard, normalizeUrl, shingles } from "../../src/core/search/index.js";
import type { SearchHit } from "../../src/core/types.js";

function hit(url: string, content: string, provider = "tavily"): SearchHit {
  return { title: url, url, content, provider };
}

describe("normalizeUrl", () => {
  it("treats scheme, www, case of host, fragment, trailing slash and tracking params as the same page", () => {
    const variants = [
      "https://example.com/news/item?id=7",
      "http://www.EXAMPLE.com/news/item/?id=7#comments",
      "https://example.com:443/news/item?utm_source=tw&id=7&utm_medium=social",
      "https://example.com/news/item?fbclid=abc&id=7&gclid=xyz",
    ];
    expect(new Set(variants.map(normalizeUrl)).size).toBe(1);
    expect(normalizeUrl("https://example.com/News/Item?id=7")).not.toBe(normalizeUrl(variants[0]!));
    expect(normalizeUrl("https://example.com/a?b=2&a=1")).toBe(normalizeUrl("https://example.com/a?a=1&b=2"));
    expect(normalizeUrl("https://example.com/")).toBe("https://example.com");
    expect(normalizeUrl("not a url ")).toBe("not a url");
  });
});

describe("dedupeHits", () => {
  const english =
    "Toyota said on Tuesday it will begin mass production of solid-state batteries in 2027, promising electric cars with a range of 1,000 kilometres and charging times of ten minutes.";

  it("drops a syndicated copy of an English story with trivially different text", () => {
    const copy = `${english.replace("Tuesday", "tuesday").replace(/,/g, "")} `;
    const different =
      "Panasonic reported weaker battery demand from North American carmakers and cut its outlook for the fiscal year, citing slower EV adoption.";
    const result = dedupeHits([
      hit("https://a.example/1", english),
      hit("https://b.example/2", copy, "brave"),
      hit("https://c.example/3", different),
    ]);
    expect(result.map((entry) => entry.url)).toEqual(["https://a.example/1", "https://c.example/3"]);
  });

  it("keeps stories that merely share a topic", () => {
    const related =
      "Toyota said on Tuesday it would delay its hydrogen truck programme to 2028, citing costs, while keeping its battery plans unchanged for now.";
    expect(dedupeHits([hit("https://a.example/1", english), hit("https://b.example/2", related)])).toHaveLength(2);
  });

  it("drops a near-identical Chinese story (character bigrams)", () => {
    const chinese =
      "丰田汽车周二宣布，将于2027年开始量产全固态电池，搭载该电池的电动汽车续航里程可达1000公里，充电时间仅需十分钟。";
    const copy =
      "丰田汽车周二宣布：将于2027年开始量产全固态电池，搭载该电池的电动汽车续航里程可达1000公里，充电时间仅需十分钟！";
    const other = "宁德时代发布新一代钠离子电池，能量密度达到每公斤175瓦时，计划明年在乘用车上实现规模化应用。";
    const result = dedupeHits([
      hit("https://cn.example/a", chinese),
      hit("https://mirror.example/b", copy),
      hit("https://cn.example/c", other),
    ]);
    expect(result.map((entry) => entry.url)).toEqual(["https://cn.example/a", "https://cn.example/c"]);
  });

  it("keeps the earlier hit's place but takes the richer content and a missing date", () => {
    const result = dedupeHits([
      { ...hit("https://example.com/x", "Short snippet."), score: 0.9 },
      {
        ...hit("http://www.example.com/x/", "A far longer snippet with much more useful detail in it.", "brave"),
        published_at: "2026-11-01T00:00:00.000Z",
      },
    ]);
    expect(result).toEqual([
      {
        title: "https://example.com/x",
        url: "https://example.com/x",
        content: "A far longer snippet with much more useful detail in it.",
        provider: "tavily",
        score: 0.9,
        published_at: "2026-11-01T00:00:00.000Z",
      },
    ]);
  });
});

describe("containment", () => {
  it("stays high for a copy with its own intro and footer, where Jaccard falls", () => {
    const body = Array.from(
      { length: 12 },
      (_, index) =>
        `Paragraph ${index} of the wire story says the pilot line made ${index * 100} cells in its first week of running.`,
    ).join(" ");
    const copy = `An intro written by the republishing site, long enough to matter. ${body} This story first appeared on the wire and is republished with permission; all rights reserved by the original outlet and its partners.`;
    const [a, b] = [shingles(body), shingles(copy)];
    expect(containment(a, b)).toBe(1);
    expect(jaccard(a, b)).toBeLessThan(containment(a, b));
    expect(
      containment(a, shingles("An unrelated story about lithium prices falling for a sixth month in a row.")),
    ).toBe(0);
    expect(containment(new Set(), b)).toBe(0);
  });
});
