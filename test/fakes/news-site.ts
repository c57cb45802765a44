/**
 * The fixture news site on loopback: one HTTP server on 127.0.0.1 that serves every page of
 * test/fixtures/news-site by its `Host` header (`voltage-daily.localhost:<port>`, …). The page
 * fetcher sends `*.localhost` to 127.0.0.1, so with `allowPrivate` (or
 * REPORT_MCP_ALLOW_PRIVATE_FETCH=1) the real fetcher reads these pages as it would a news site.
 * Absolute links to the site's own hosts in the HTML (canonical, og:url, …) are served with the
 * running port so they resolve to this server.
 *
 * `newsSearchResponder` turns the manifest into a search-fake responder (test/fakes/search-servers.ts):
 * a query finds the pages whose article text contains its terms.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  NEWS_HOSTS,
  NEWS_PAGES,
  newsCanonicalUrl,
  newsGoldText,
  newsPage,
  newsPageUrl,
  type NewsPage,
  type NewsPageId,
} from "../fixtures/news-site/manifest.js";
import type { FakeSearchReply, FakeSearchResponder, FakeSearchResult } from "./search-servers.js";

export type NewsSiteRequest = { host: string; path: string };

/** What the server needs of a page: where it lives and which file holds it. */
export type ServedPage = { id: string; host: string; path: string; file: string };

export type NewsSite = {
  port: number;
  /** Where the site serves `page` (a manifest page or an extra one). */
  pageUrl(page: { host: string; path: string }): string;
  /** Where the site serves page `id`. */
  url(id: NewsPageId): string;
  /** Page `id`'s canonical URL on the running site, or null when it names none. */
  canonicalUrl(id: NewsPageId): string | null;
  /** The HTML served for page `id` (hosts rewritten to the running port). */
  html(id: NewsPageId): string;
  /** Requests received, in order. */
  requests: NewsSiteRequest[];
  close(): Promise<void>;
};

/** The fixture folder (test/fixtures/news-site) as seen from this file. */
export const NEWS_SITE_ROOT = fileURLToPath(new URL("../fixtures/news-site/", import.meta.url));

/** A fixture page's HTML as stored, hosts not rewritten. */
export function readNewsPageHtml(page: { file: string }, root: string = NEWS_SITE_ROOT): string {
  return readFileSync(path.join(root, page.file), "utf8");
}

/**
 * Starts the fixture news site on 127.0.0.1 (port 0). `root` overrides the fixture folder
 * (benches bundle this file elsewhere); `extraPages` are served too (the held-out pages).
 */
export async function startNewsSite(
  options: { root?: string; extraPages?: readonly ServedPage[] } = {},
): Promise<NewsSite> {
  const root = options.root ?? NEWS_SITE_ROOT;
  const pages: ServedPage[] = [...NEWS_PAGES, ...(options.extraPages ?? [])];
  const hosts = [...new Set([...NEWS_HOSTS, ...pages.map((page) => page.host)])];
  const requests: NewsSiteRequest[] = [];
  const byAddress = new Map(pages.map((page) => [`${page.host}${page.path}`, page]));
  const served = new Map<string, string>();
  let port = 0;

  const render = (page: ServedPage): string => {
    const cached = served.get(page.id);
    if (cached !== undefined) return cached;
    let html = readNewsPageHtml(page, root);
    for (const host of hosts) html = html.replaceAll(`//${host}/`, `//${host}:${port}/`);
    served.set(page.id, html);
    return html;
  };

  const server: Server = createServer((request, response) => {
    const host = (request.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
    const pathname = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    requests.push({ host, path: pathname });
    const page = byAddress.get(`${host}${pathname}`);
    if (!page) {
      response.writeHead(404, { "content-type": "text/html; charset=utf-8" });
      response.end(
        `<!doctype html><html><head><title>Page not found</title></head><body><h1>404</h1><p>No page at ${host}${pathname}.</p></body></html>`,
      );
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "max-age=60" });
    response.end(render(page));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    pageUrl: (page) => `http://${page.host}:${port}${page.path}`,
    url: (id) => newsPageUrl(newsPage(id), port),
    canonicalUrl: (id) => newsCanonicalUrl(newsPage(id), port),
    html: (id) => render(newsPage(id)),
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/* ---------- search responders ---------- */

const STOPWORDS = new Set(
  "a an and are as at be by for from has have in is it its of on or that the this to was were will with what when how why who which".split(
    " ",
  ),
);

/**
 * Search terms of `text`: lower-cased Latin/number words of two or more characters (stopwords
 * dropped) and overlapping character pairs of Han runs (a lone Han character stays as it is).
 */
export function searchTerms(text: string): Set<string> {
  const terms = new Set<string>();
  for (const match of text.toLowerCase().matchAll(/\p{Script=Han}+|[\p{L}\p{N}]+/gu)) {
    const run = match[0];
    if (/\p{Script=Han}/u.test(run)) {
      if (run.length === 1) terms.add(run);
      for (let index = 0; index + 1 < run.length; index += 1) terms.add(run.slice(index, index + 2));
    } else if (run.length >= 2 && !STOPWORDS.has(run)) {
      terms.add(run);
    }
  }
  return terms;
}

/** Share (0–1) of the query's terms found in `text`. */
export function termMatch(query: string, text: string): number {
  const wanted = searchTerms(query);
  if (wanted.size === 0) return 0;
  const have = searchTerms(text);
  let found = 0;
  for (const term of wanted) if (have.has(term)) found += 1;
  return found / wanted.size;
}

export type NewsSearchOptions = {
  site: { port: number };
  /** Pages that can be found; default all. */
  pages?: readonly NewsPage[];
  /** Results per query at most; default 8. */
  maxResults?: number;
  /** Share of the query's terms a page's article text must contain; default 0.5. */
  minMatch?: number;
  /** Sent as Tavily's `raw_content` when a request asks for it (`include_raw_content`). */
  rawContent?: (page: NewsPage) => string;
};

/**
 * The search results for `query` over the fixture site: pages whose headline and paragraphs
 * contain at least `minMatch` of the query's terms, best match first (manifest order on ties),
 * with the best-matching paragraph as the snippet and the manifest's publication date.
 */
export function searchNewsSite(
  query: string,
  options: NewsSearchOptions,
): Array<FakeSearchResult & { page: NewsPage }> {
  const { site, pages = NEWS_PAGES, maxResults = 8, minMatch = 0.5 } = options;
  const scored = pages
    .map((page, order) => ({ page, order, score: termMatch(query, newsGoldText(page)) }))
    .filter((entry) => entry.score > 0 && entry.score >= minMatch)
    .sort((left, right) => right.score - left.score || left.order - right.order)
    .slice(0, maxResults);
  return scored.map(({ page }) => {
    const snippet =
      [...page.paragraphs].sort((left, right) => termMatch(query, right) - termMatch(query, left))[0] ?? page.title;
    return {
      page,
      title: page.title,
      url: newsPageUrl(page, site.port),
      content: snippet.length > 300 ? `${snippet.slice(0, 299)}…` : snippet,
      ...(page.published_at ? { published_at: page.published_at } : {}),
    };
  });
}

/** A responder for `startFakeSearch` (any provider) answering from the fixture site. */
export function newsSearchResponder(options: NewsSearchOptions): FakeSearchResponder {
  return (query, request): FakeSearchReply => {
    const wantsRaw = request.provider === "tavily" && Boolean(request.params["include_raw_content"]);
    return {
      results: searchNewsSite(query, options).map(({ page, ...result }) =>
        wantsRaw && options.rawContent ? { ...result, raw_content: options.rawContent(page) } : result,
      ),
    };
  };
}
