import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FetchedPage } from "../../src/core/types.js";
import { createPageFetcher } from "../../src/providers/fetch/index.js";
import { startNewsSite, type NewsSite } from "../fakes/news-site.js";
import { HOLDOUT_PAGES, type HoldoutPage } from "../fixtures/news-site/holdout/manifest.js";
import { NEWS_PAGES, newsCanonicalUrl, type NewsPage } from "../fixtures/news-site/manifest.js";
import { scoreExtraction, type ExtractionScore } from "../fixtures/news-site/score.js";

// Every fixture page through the real fetcher (SSRF guard, undici, decoding, extraction) on loopback.
let site: NewsSite;
const fetched = new Map<string, FetchedPage>();

beforeAll(async () => {
  site = await startNewsSite({ extraPages: HOLDOUT_PAGES });
  const fetcher = createPageFetcher({ allowPrivate: true });
  const signal = new AbortController().signal;
  for (const page of [...NEWS_PAGES, ...HOLDOUT_PAGES])
    fetched.set(page.id, await fetcher.fetchPage(site.pageUrl(page), { signal }));
});
afterAll(async () => {
  await site.close();
});

const page = (entry: NewsPage | HoldoutPage): FetchedPage => {
  const result = fetched.get(entry.id);
  if (!result) throw new Error(`${entry.id} was not fetched`);
  return result;
};

function expectMetadata(entry: NewsPage | HoldoutPage, result: FetchedPage): void {
  expect({
    title: result.title,
    canonical_url: result.canonical_url,
    published_at: result.published_at,
    modified_at: result.modified_at,
    author: result.author,
    site_name: result.site_name,
    language: result.language,
  }).toEqual({
    title: entry.title,
    canonical_url: entry.canonical ? site.pageUrl(entry.canonical) : null,
    published_at: entry.published_at,
    modified_at: entry.modified_at,
    author: entry.author,
    site_name: entry.site_name,
    language: entry.language,
  });
}

describe("article extraction on the fixture news site", () => {
  it.each(NEWS_PAGES.map((entry) => [entry.id, entry.title, entry] as const))(
    "%s (%s): every article paragraph, no page chrome",
    (_id, _title, entry) => {
      const score = scoreExtraction(entry, page(entry).text);
      expect(score.missing).toEqual([]);
      expect(score.leaked).toEqual([]);
    },
  );

  it.each(NEWS_PAGES.map((entry) => [entry.id, entry] as const))(
    "%s: title, canonical URL, dates, author, site name and language",
    (_id, entry) => {
      expectMetadata(entry, page(entry));
    },
  );

  it("resolves a syndicated copy's canonical link to the original's URL", () => {
    for (const entry of NEWS_PAGES.filter((candidate) => candidate.roles.syndicated_of)) {
      const original = NEWS_PAGES.find((candidate) => candidate.id === entry.roles.syndicated_of) as NewsPage;
      expect(page(entry).canonical_url).toBe(site.pageUrl(original));
      expect(page(entry).canonical_url).toBe(newsCanonicalUrl(original, site.port));
    }
  });

  it("keeps clutter under 2 % of the extracted characters overall, and under 5 % on every page", () => {
    const scores = NEWS_PAGES.map((entry) => [entry.id, scoreExtraction(entry, page(entry).text)] as const);
    const total = scores.reduce((sum, [, score]) => sum + score.extractedChars, 0);
    const clutter = scores.reduce((sum, [, score]) => sum + score.clutterChars, 0);
    expect(clutter / total).toBeLessThanOrEqual(0.02);
    const worst = scores
      .filter(([, score]: readonly [string, ExtractionScore]) => score.clutterShare > 0.05)
      .map(([id]) => id);
    expect(worst).toEqual([]);
  });

  it("returns a short news item alone, not the chrome around it (English and Chinese)", () => {
    for (const entry of NEWS_PAGES.filter((candidate) => candidate.roles.short)) {
      const score = scoreExtraction(entry, page(entry).text);
      expect(score.recall).toBe(1);
      expect(score.clutterChars).toBe(0);
    }
  });

  it("does not date an undated page by a comment's <time> or the site's top bar", () => {
    const undated = NEWS_PAGES.filter((candidate) => candidate.roles.undated);
    expect(undated.length).toBeGreaterThan(0);
    for (const entry of undated) expect([page(entry).published_at, page(entry).modified_at]).toEqual([null, null]);
  });
});

describe("article extraction on held-out templates (Ghost, Medium-like, WeChat, government CMS)", () => {
  it.each(HOLDOUT_PAGES.map((entry) => [entry.id, entry.host, entry] as const))(
    "%s (%s): article paragraphs, no chrome, metadata",
    (_id, _host, entry) => {
      const score = scoreExtraction(entry, page(entry).text);
      expect(score.missing).toEqual((entry.known_misses ?? []).map((miss) => miss.paragraph));
      expect(score.leaked).toEqual([]);
      expectMetadata(entry, page(entry));
    },
  );
});
