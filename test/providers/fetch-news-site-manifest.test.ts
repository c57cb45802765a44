import { request } from "node:http";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NEWS_PAGES, newsGoldText, newsPage, type NewsPage } from "../fixtures/news-site/manifest.js";
import {
  newsSearchResponder,
  readNewsPageHtml,
  searchNewsSite,
  startNewsSite,
  type NewsSite,
} from "../fakes/news-site.js";
import { startFakeSearch } from "../fakes/search-servers.js";

/** What a reader sees of a page: the body's text without scripts and styles, whitespace collapsed. */
function visibleText(html: string): string {
  const { document } = parseHTML(html);
  for (const element of Array.from(document.querySelectorAll("script, style, noscript, template"))) element.remove();
  return (document.body?.textContent ?? "").replace(/\s+/g, " ");
}

const collapse = (text: string): string => text.replace(/\s+/g, " ");

describe("fixture news site: the manifest matches the HTML", () => {
  it("lists each page once, at the file its host and path name", () => {
    expect(new Set(NEWS_PAGES.map((page) => page.id)).size).toBe(NEWS_PAGES.length);
    expect(new Set(NEWS_PAGES.map((page) => `${page.host}${page.path}`)).size).toBe(NEWS_PAGES.length);
    for (const page of NEWS_PAGES) {
      expect(page.host).toMatch(/^[a-z0-9-]+\.localhost$/);
      expect(page.file).toBe(`${page.host}${page.path}.html`);
    }
  });

  it.each(NEWS_PAGES.map((page) => [page.id, page] as const))(
    "%s: headline, gold paragraphs and clutter are all on the page",
    (_id, page) => {
      const text = visibleText(readNewsPageHtml(page));
      expect(text).toContain(page.title);
      expect(page.paragraphs.length).toBeGreaterThan(0);
      for (const paragraph of page.paragraphs) expect(text).toContain(collapse(paragraph));
      expect(page.clutter.length).toBeGreaterThanOrEqual(8);
      for (const marker of page.clutter) expect(text, `clutter marker «${marker}»`).toContain(marker);
    },
  );

  it.each(NEWS_PAGES.map((page) => [page.id, page] as const))(
    "%s: no clutter marker is article text, and every fact is in it",
    (_id, page) => {
      const gold = newsGoldText(page);
      for (const marker of page.clutter)
        expect(gold, `clutter marker «${marker}» is article text`).not.toContain(marker);
      for (const fact of page.facts) {
        for (const value of fact.values) expect(page.paragraphs.join("\n"), `${fact.claim}: ${value}`).toContain(value);
      }
    },
  );

  it("keeps the roles consistent: copies, supersession, short, undated and off-topic pages", () => {
    const byId = (
      page: NewsPage,
      key: "syndicated_of" | "near_duplicate_of" | "superseded_by" | "supersedes",
    ): NewsPage | null => {
      const id = page.roles[key];
      return id ? newsPage(id) : null;
    };
    for (const page of NEWS_PAGES) {
      const original = byId(page, "syndicated_of");
      if (original) {
        expect(page.canonical).toEqual({ host: original.host, path: original.path });
        expect(page.title).not.toBe(original.title);
        expect(
          page.paragraphs.filter((paragraph) => original.paragraphs.includes(paragraph)).length,
        ).toBeGreaterThanOrEqual(3);
      }
      const copied = byId(page, "near_duplicate_of");
      if (copied) {
        expect(page.canonical?.host ?? page.host).not.toBe(copied.host);
        expect(page.title).not.toBe(copied.title);
        expect(
          page.paragraphs.filter((paragraph) => copied.paragraphs.includes(paragraph)).length,
        ).toBeGreaterThanOrEqual(3);
      }
      const newer = byId(page, "superseded_by");
      if (newer) {
        expect(newer.roles.supersedes).toBe(page.id);
        expect(Date.parse(newer.published_at ?? "")).toBeGreaterThan(Date.parse(page.published_at ?? ""));
        const keys = (candidate: NewsPage): string[] =>
          candidate.facts.flatMap((fact) => (fact.quantity ? [fact.quantity] : []));
        expect(keys(page).filter((key) => keys(newer).includes(key)).length).toBeGreaterThan(0);
      }
      if (page.roles.short) expect(page.paragraphs.join("").length).toBeLessThan(500);
      if (page.roles.undated) expect([page.published_at, page.modified_at]).toEqual([null, null]);
      if (page.roles.off_topic) expect(["property", "房地产"]).toContain(page.topic);
    }
    for (const role of [
      "syndicated_of",
      "near_duplicate_of",
      "superseded_by",
      "undated",
      "short",
      "off_topic",
    ] as const) {
      expect(
        NEWS_PAGES.some((page) => page.roles[role] !== undefined),
        role,
      ).toBe(true);
    }
  });
});

describe("fixture news site: server and search responder", () => {
  let site: NewsSite;
  beforeAll(async () => {
    site = await startNewsSite();
  });
  afterAll(async () => {
    await site.close();
  });

  it("serves pages by Host header with the site's own links pointing at the running port", async () => {
    const get = (host: string, path: string): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const call = request(
          { host: "127.0.0.1", port: site.port, path, headers: { host: `${host}:${site.port}` } },
          (response) => {
            let body = "";
            response.setEncoding("utf8");
            response.on("data", (chunk: string) => (body += chunk));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
          },
        );
        call.on("error", reject);
        call.end();
      });
    const page = await get("northwire.localhost", newsPage("E2").path);
    expect(page.status).toBe(200);
    expect(page.body).toContain(
      `href="http://voltage-daily.localhost:${site.port}/tech/2026/11/28/veltrix-pilot-line"`,
    );
    expect(site.requests.at(-1)).toEqual({ host: "northwire.localhost", path: newsPage("E2").path });
    expect((await get("voltage-daily.localhost", newsPage("E2").path)).status).toBe(404);
    expect(site.canonicalUrl("E2")).toBe(site.url("E1"));
  });

  it("finds the pages whose article text matches a query, in English and Chinese", () => {
    const english = searchNewsSite("Veltrix solid-state pilot line", { site }).map((result) => result.page.id);
    expect(english.slice(0, 3).sort()).toEqual(["E1", "E2", "E3"]);
    // The property page's "solid demand", "state-backed" and "pilot" make it a hit, as on a real engine.
    expect(english.indexOf("E12")).toBeGreaterThan(2);
    const chinese = searchNewsSite("启元智能 融资", { site }).map((result) => result.page.id);
    expect(chinese.sort()).toEqual(["Z1", "Z2"]);
    const market = searchNewsSite("智能体市场规模", { site }).map((result) => result.page.id);
    expect(market).toEqual(expect.arrayContaining(["Z5", "Z6"]));
    expect(searchNewsSite("quantum annealing", { site })).toEqual([]);
  });

  it("answers a real Tavily request, with raw content only when asked for it", async () => {
    const tavily = await startFakeSearch({
      provider: "tavily",
      responder: newsSearchResponder({ site, maxResults: 2, rawContent: (page) => `RAW ${page.id}` }),
    });
    try {
      const ask = async (
        includeRaw: boolean,
      ): Promise<Array<{ url: string; raw_content: string | null; published_date?: string }>> => {
        const response = await fetch(`${tavily.url}/search`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "solid-state cell cost kWh", include_raw_content: includeRaw }),
        });
        return (
          (await response.json()) as {
            results: Array<{ url: string; raw_content: string | null; published_date?: string }>;
          }
        ).results;
      };
      const plain = await ask(false);
      expect(plain).toHaveLength(2);
      expect(plain.every((result) => result.raw_content === null)).toBe(true);
      const raw = await ask(true);
      expect(raw.map((result) => result.raw_content)).toEqual(
        raw.map((result) => `RAW ${NEWS_PAGES.find((page) => result.url.endsWith(page.path))?.id}`),
      );
      expect(raw[0]?.published_date).toMatch(/^2026-/);
    } finally {
      await tavily.close();
    }
  });
});
