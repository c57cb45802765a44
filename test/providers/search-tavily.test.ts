import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import { classifyTavilyError, createTavilySearch } from "../../src/providers/search/index.js";
import { startFakeSearch, type FakeSearchServer } from "../fakes/search-servers.js";

const KEY = "tvly-secret-key-789";
let server: FakeSearchServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

describe("Tavily search through @tavily/core", () => {
  it("sends the key as a bearer token, the query, max_results and start_date, and maps results", async () => {
    server = await startFakeSearch({
      provider: "tavily",
      responder: () => ({
        results: [
          {
            title: "AI agents this week",
            url: "https://news.example/agents",
            content: "Agents shipped.",
            published_at: "Mon, 23 Nov 2026 10:00:00 GMT",
          },
          { title: "Second", url: "https://news.example/two", content: "Other." },
        ],
      }),
    });
    const search = createTavilySearch({ apiKey: KEY, baseUrl: server.url });
    const hits = await search.search({
      query: "AI agent news",
      days: 7,
      maxResults: 4,
      signal: new AbortController().signal,
    });
    const call = server.calls[0]!;
    expect(call.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(call.params).toMatchObject({
      query: "AI agent news",
      max_results: 4,
      topic: "general",
      start_date: daysAgo(7),
    });
    expect(hits[0]).toEqual({
      title: "AI agents this week",
      url: "https://news.example/agents",
      content: "Agents shipped.",
      published_at: "2026-11-23T10:00:00.000Z",
      score: 0.95,
      provider: "tavily",
    });
    expect(hits[1]?.published_at).toBeNull();
  });

  it("retries a 429 and then succeeds", async () => {
    let calls = 0;
    server = await startFakeSearch({
      provider: "tavily",
      responder: () =>
        ++calls === 1 ? { status: 429 } : { results: [{ title: "t", url: "https://x.example/", content: "c" }] },
    });
    const search = createTavilySearch({ apiKey: KEY, baseUrl: server.url, retryBaseDelayMs: 1 });
    await expect(search.search({ query: "q", signal: new AbortController().signal })).resolves.toHaveLength(1);
    expect(server.calls).toHaveLength(2);
  });

  it("gives up after three tries of HTTP 500", async () => {
    server = await startFakeSearch({ provider: "tavily", responder: () => ({ status: 500 }) });
    const search = createTavilySearch({ apiKey: KEY, baseUrl: server.url, retryBaseDelayMs: 1 });
    await expect(search.search({ query: "q", signal: new AbortController().signal })).rejects.toThrow(
      "Tavily search failed (server error after 3 tries).",
    );
    expect(server.calls).toHaveLength(3);
  });

  it("does not retry a 401; the message names TAVILY_API_KEY and not the key", async () => {
    server = await startFakeSearch({ provider: "tavily", responder: () => ({ status: 401 }) });
    const search = createTavilySearch({ apiKey: KEY, baseUrl: server.url, retryBaseDelayMs: 1 });
    const error = await search
      .search({ query: "q", signal: new AbortController().signal })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).type).toBe("search_failed");
    expect((error as ReportError).isRetryable).toBe(false);
    expect((error as ReportError).message).toContain("TAVILY_API_KEY");
    expect((error as ReportError).message).not.toContain(KEY);
    expect(server.calls).toHaveLength(1);
  });

  it("reads the status from bodies without detail", async () => {
    server = await startFakeSearch({
      provider: "tavily",
      responder: () => ({ status: 502, body: '{"message":"bad gateway"}' }),
    });
    const search = createTavilySearch({ apiKey: KEY, baseUrl: server.url, maxRetries: 1, retryBaseDelayMs: 1 });
    await expect(search.search({ query: "q", signal: new AbortController().signal })).rejects.toThrow(
      "Tavily search failed (HTTP 502 after 2 tries).",
    );
  });

  it("stops waiting as soon as the run is cancelled", async () => {
    // The fake never answers within the test's timeout: only the abort can end the search.
    server = await startFakeSearch({ provider: "tavily", responder: () => ({ delayMs: 3_600_000, results: [] }) });
    const search = createTavilySearch({ apiKey: KEY, baseUrl: server.url });
    const controller = new AbortController();
    const pending = search.search({ query: "q", signal: controller.signal });
    await server.received(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ type: "cancelled" });
  });

  it.each([
    ["Request timed out after 30 seconds.", true, /no answer within 30 s/],
    ["200 Error: undefined", true, /incomplete answer \(HTTP 200\)/],
    [
      "An unexpected error occurred while making the request. Error: AxiosError: connect ECONNREFUSED 127.0.0.1:9",
      true,
      /network error: ECONNREFUSED/,
    ],
    [
      "An unexpected error occurred while making the request. Error: TypeError: Cannot read properties of undefined (reading 'map')",
      false,
      /unexpected format/,
    ],
    [
      "This request exceeds your plan's set usage limit. Please upgrade your plan or contact support@tavily.com",
      false,
      /usage limit is reached/,
    ],
    ["Invalid topic. Must be 'general' or 'news'.", false, /^Tavily search failed \(Invalid topic/],
    [`401 Error: {"message":"bad key ${KEY}"}`, false, /TAVILY_API_KEY/],
  ])("classifies %j", (message, retryable, expected) => {
    const error = classifyTavilyError(new Error(message), { apiKey: KEY, timeoutMs: 30_000 });
    expect(error.isRetryable).toBe(retryable);
    expect(error.message).toMatch(expected);
    expect(error.message).not.toContain(KEY);
  });
});

describe("Tavily: a reply that stalls", () => {
  /** A Tavily stand-in whose first `stalls` replies send headers and half a body, then nothing. */
  async function stallingTavily(
    stalls: number,
  ): Promise<{ url: string; calls: () => number; close: () => Promise<void> }> {
    let calls = 0;
    const server = createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        calls += 1;
        response.writeHead(200, { "content-type": "application/json" });
        if (calls <= stalls) {
          response.write('{"query":"q","results":[');
          return;
        }
        response.end(
          JSON.stringify({
            query: "q",
            results: [{ title: "t", url: "https://x.example/", content: "c", score: 0.5 }],
            images: [],
            response_time: 0.1,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      calls: () => calls,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }

  it("is given up after the per-call limit and retried", async () => {
    const stalling = await stallingTavily(1);
    try {
      const search = createTavilySearch({ apiKey: KEY, baseUrl: stalling.url, timeoutMs: 200, retryBaseDelayMs: 1 });
      const hits = await search.search({ query: "q", signal: new AbortController().signal });
      expect(hits.map((hit) => hit.url)).toEqual(["https://x.example/"]);
      expect(stalling.calls()).toBe(2);
    } finally {
      await stalling.close();
    }
  });

  it("that keeps stalling fails saying it got no answer in time, not 'HTTP 200'", async () => {
    const stalling = await stallingTavily(Number.POSITIVE_INFINITY);
    try {
      const search = createTavilySearch({
        apiKey: KEY,
        baseUrl: stalling.url,
        timeoutMs: 200,
        maxRetries: 1,
        retryBaseDelayMs: 1,
      });
      const error = await search.search({ query: "q", signal: new AbortController().signal }).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ReportError);
      expect((error as ReportError).message).toBe("Tavily search failed (no answer within 0.2 s after 2 tries).");
      expect(stalling.calls()).toBe(2);
    } finally {
      await stalling.close();
    }
  });
});
