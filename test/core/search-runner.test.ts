import { afterEach, describe, expect, it } from "vitest";
import { Notifier } from "../helpers/notifier.js";
import { ReportError } from "../../src/core/errors.js";
import { runSearches } from "../../src/core/search/index.js";
import type { SearchHit, SearchProvider, SearchRequest } from "../../src/core/types.js";
import { createBraveSearch, createTavilySearch } from "../../src/providers/search/index.js";
import { startFakeSearch, type FakeSearchServer } from "../fakes/search-servers.js";

/** An in-process SearchProvider: answers from `answer`, records calls. */
class FakeProvider implements SearchProvider {
  readonly calls: SearchRequest[] = [];
  constructor(
    readonly name: string,
    private readonly answer: (request: SearchRequest) => Promise<SearchHit[]>,
  ) {}
  search(request: SearchRequest): Promise<SearchHit[]> {
    this.calls.push(request);
    return this.answer(request);
  }
}

function hit(provider: string, url: string, content = `${provider} says something about ${url}`): SearchHit {
  return { title: url, url, content, provider };
}

const servers: FakeSearchServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe("runSearches", () => {
  it("merges copies of one text at other URLs unless asked to merge by URL only", async () => {
    const text =
      "Toyota opened its first solid-state battery pilot line in Aichi this month, the company said on Tuesday.";
    const provider = new FakeProvider("tavily", async () => [
      hit("tavily", "https://a.example.com/story", text),
      hit("tavily", "https://b.example.org/copy", text),
      hit("tavily", "https://a.example.com/story/", "another passage"),
    ]);
    const signal = new AbortController().signal;
    const merged = await runSearches({ providers: [provider], queries: ["toyota"], signal });
    expect(merged.hits.map((item) => item.url)).toEqual(["https://a.example.com/story"]);
    const byUrl = await runSearches({ providers: [provider], queries: ["toyota"], signal, dedupe: "url" });
    expect(byUrl.hits.map((item) => item.url)).toEqual(["https://a.example.com/story", "https://b.example.org/copy"]);
    expect(byUrl.perQuery[0]?.hits).toBe(2);
  });

  it("fans every query out to every provider in parallel, bounded by concurrency", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    // Every search is held until 4 are in flight at once (a limit below 4 never gets there and
    // the test times out); after that they answer at once.
    const changes = new Notifier();
    const answer = (name: string) => async (request: SearchRequest) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      changes.notify();
      await changes.until(() => maxInFlight >= 4);
      inFlight -= 1;
      return [hit(name, `https://${name}.example/${encodeURIComponent(request.query)}`)];
    };
    const alpha = new FakeProvider("alpha", answer("alpha"));
    const beta = new FakeProvider("beta", answer("beta"));
    const result = await runSearches({
      providers: [alpha, beta],
      queries: ["q1", "q2", "q3"],
      days: 7,
      concurrency: 4,
      signal: new AbortController().signal,
    });
    expect(alpha.calls.map((call) => call.query)).toEqual(["q1", "q2", "q3"]);
    expect(beta.calls).toHaveLength(3);
    expect(alpha.calls[0]).toMatchObject({ days: 7, maxResults: 5 });
    expect(maxInFlight).toBe(4);
    expect(result.hits.map((entry) => entry.url)).toEqual([
      "https://alpha.example/q1",
      "https://beta.example/q1",
      "https://alpha.example/q2",
      "https://beta.example/q2",
      "https://alpha.example/q3",
      "https://beta.example/q3",
    ]);
    expect(result.perQuery[0]).toEqual({ query: "q1", hits: 2, providers: ["alpha", "beta"] });
    expect(result.failedProviders).toEqual([]);
  });

  it("falls back to the other provider when Brave returns 500, warning once (real clients, fake servers)", async () => {
    const brave = await startFakeSearch({ provider: "brave", responder: () => ({ status: 500 }) });
    const tavily = await startFakeSearch({
      provider: "tavily",
      responder: (query) => ({
        results: [{ title: query, url: `https://t.example/${encodeURIComponent(query)}`, content: `About ${query}.` }],
      }),
    });
    servers.push(brave, tavily);
    const warnings: Array<{ message: string; details: Record<string, unknown> }> = [];
    const result = await runSearches({
      providers: [
        createBraveSearch({ apiKey: "b", baseUrl: brave.url, retryBaseDelayMs: 1 }),
        createTavilySearch({ apiKey: "t", baseUrl: tavily.url, retryBaseDelayMs: 1 }),
      ],
      queries: ["solid-state batteries", "固态电池"],
      signal: new AbortController().signal,
      onWarning: (message, details) => {
        warnings.push({ message, details });
      },
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toBe("Brave search failed (HTTP 500 after 3 tries); continuing with tavily");
    expect(warnings[0]?.details).toMatchObject({ provider: "brave", status: 500 });
    expect(result.hits.map((entry) => entry.provider)).toEqual(["tavily", "tavily"]);
    expect(result.failedProviders).toEqual(["brave"]);
    expect(result.perQuery.map((entry) => entry.providers)).toEqual([["tavily"], ["tavily"]]);
    // retryable failures are retried per query, so Brave was tried for both queries
    expect(brave.calls).toHaveLength(6);
  });

  it("stops calling a provider whose key was rejected", async () => {
    const rejected = new FakeProvider("brave", async () => {
      throw new ReportError("search_failed", "Brave search rejected the API key (HTTP 401): check BRAVE_API_KEY.", {
        status: 401,
      });
    });
    const working = new FakeProvider("corpus", async (request) => [hit("corpus", `file:///notes/${request.query}.md`)]);
    const warnings: string[] = [];
    const result = await runSearches({
      providers: [rejected, working],
      queries: ["a", "b", "c"],
      concurrency: 1,
      signal: new AbortController().signal,
      onWarning: (message) => {
        warnings.push(message);
      },
    });
    expect(rejected.calls).toHaveLength(1);
    expect(warnings).toEqual([
      "Brave search rejected the API key (HTTP 401): check BRAVE_API_KEY; continuing with corpus",
    ]);
    expect(result.hits).toHaveLength(3);
  });

  it("throws search_failed naming every provider's problem when all fail", async () => {
    const tavily = new FakeProvider("tavily", async () => {
      throw new ReportError("search_failed", "Tavily search rejected the API key (HTTP 401): check TAVILY_API_KEY.");
    });
    const brave = new FakeProvider("brave", async () => {
      throw new ReportError("search_failed", "Brave search failed (HTTP 503 after 3 tries).", {
        retryable: true,
        status: 503,
      });
    });
    const error = await runSearches({
      providers: [tavily, brave],
      queries: ["x", "y"],
      signal: new AbortController().signal,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).type).toBe("search_failed");
    expect((error as ReportError).message).toContain("TAVILY_API_KEY");
    expect((error as ReportError).message).toContain("Brave search failed (HTTP 503 after 3 tries)");
  });

  it("returns an empty result, not an error, when nothing is found", async () => {
    const empty = new FakeProvider("tavily", async () => []);
    const result = await runSearches({
      providers: [empty],
      queries: ["obscure"],
      signal: new AbortController().signal,
    });
    expect(result).toEqual({
      hits: [],
      perQuery: [{ query: "obscure", hits: 0, providers: ["tavily"] }],
      failedProviders: [],
    });
  });

  it("fails with no_search_source when there is no provider", async () => {
    await expect(
      runSearches({ providers: [], queries: ["x"], signal: new AbortController().signal }),
    ).rejects.toMatchObject({
      type: "no_search_source",
    });
  });

  it("on abort ends with cancelled and starts no further provider call", async () => {
    const controller = new AbortController();
    const provider = new FakeProvider("tavily", (request) => {
      controller.abort();
      return new Promise((_resolve, reject) => {
        request.signal.addEventListener("abort", () => reject(new ReportError("cancelled", "cancelled")), {
          once: true,
        });
        if (request.signal.aborted) reject(new ReportError("cancelled", "cancelled"));
      });
    });
    const other = new FakeProvider("brave", async () => []);
    const warnings: string[] = [];
    await expect(
      runSearches({
        providers: [provider, other],
        queries: ["a", "b", "c"],
        concurrency: 1,
        signal: controller.signal,
        onWarning: (message) => {
          warnings.push(message);
        },
      }),
    ).rejects.toMatchObject({ type: "cancelled" });
    expect(provider.calls).toHaveLength(1);
    expect(other.calls).toHaveLength(0);
    expect(warnings).toEqual([]);
  });

  it("de-duplicates the same page found by two providers and two queries", async () => {
    const alpha = new FakeProvider("alpha", async () => [
      hit("alpha", "http://www.Example.com/story/?utm_source=x#top", "Short."),
      hit("alpha", "https://unique.example/a"),
    ]);
    const beta = new FakeProvider("beta", async () => [
      hit("beta", "https://example.com/story", "A much longer and richer description of the same story, with detail."),
    ]);
    const result = await runSearches({
      providers: [alpha, beta],
      queries: ["one", "two"],
      signal: new AbortController().signal,
    });
    expect(result.hits.map((entry) => entry.url)).toEqual([
      "http://www.Example.com/story/?utm_source=x#top",
      "https://unique.example/a",
    ]);
    expect(result.hits[0]?.content).toMatch(/much longer and richer/);
    expect(result.perQuery.map((entry) => entry.hits)).toEqual([2, 2]);
  });
});
