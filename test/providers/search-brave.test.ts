import { afterEach, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import { braveFreshness, createBraveSearch } from "../../src/providers/search/index.js";
import { startFakeSearch, type FakeSearchServer } from "../fakes/search-servers.js";
import { recordDelays } from "../helpers/recorded-delays.js";

const KEY = "brave-secret-key-123";
let server: FakeSearchServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("Brave search", () => {
  it("sends the subscription token, query, count and freshness, and maps results", async () => {
    server = await startFakeSearch({
      provider: "brave",
      responder: () => ({
        results: [
          {
            title: "<strong>Solid-state</strong> batteries",
            url: "https://a.example/1",
            content: "Toyota &amp; partners <strong>ship</strong> cells.",
            published_at: "2026-11-20T08:00:00Z",
          },
          { title: "Second", url: "https://b.example/2", content: "More news." },
        ],
      }),
    });
    const brave = createBraveSearch({ apiKey: KEY, baseUrl: server.url });
    const hits = await brave.search({
      query: "solid-state batteries",
      days: 7,
      maxResults: 5,
      signal: new AbortController().signal,
    });
    expect(server.calls).toHaveLength(1);
    const call = server.calls[0]!;
    expect(call.query).toBe("solid-state batteries");
    expect(call.headers["x-subscription-token"]).toBe(KEY);
    expect(call.params).toMatchObject({ count: "5", freshness: "pw" });
    expect(hits).toEqual([
      {
        title: "Solid-state batteries",
        url: "https://a.example/1",
        content: "Toyota & partners ship cells.",
        published_at: "2026-11-20T08:00:00.000Z",
        provider: "brave",
      },
      { title: "Second", url: "https://b.example/2", content: "More news.", published_at: null, provider: "brave" },
    ]);
  });

  it("decodes every HTML entity in titles and snippets, named and numeric, once", async () => {
    server = await startFakeSearch({
      provider: "brave",
      responder: () => ({
        results: [
          {
            title: "Caf&eacute; &ndash; news&nbsp;&hellip;",
            url: "https://c.example/",
            content: "&#x4E2D;&#22269; &mdash; &lt;b&gt; is &amp;amp; &rsquo;quoted&rsquo;",
          },
        ],
      }),
    });
    const brave = createBraveSearch({ apiKey: KEY, baseUrl: server.url });
    const [hit] = await brave.search({ query: "q", maxResults: 1, signal: new AbortController().signal });
    expect(hit?.title).toBe("Café – news\u00a0…");
    // Entities are decoded after tags are stripped, so an escaped "<b>" stays text and "&amp;amp;" decodes one level.
    expect(hit?.content).toBe("中国 — <b> is &amp; \u2019quoted\u2019");
  });

  it("maps other windows to a date range", () => {
    const now = Date.parse("2026-11-25T12:00:00Z");
    expect(braveFreshness(1, now)).toBe("pd");
    expect(braveFreshness(30, now)).toBe("pm");
    expect(braveFreshness(365, now)).toBe("py");
    expect(braveFreshness(3, now)).toBe("2026-11-22to2026-11-25");
  });

  it("retries a 429 after the retry-after delay, then succeeds", async () => {
    let calls = 0;
    server = await startFakeSearch({
      provider: "brave",
      responder: () =>
        ++calls === 1
          ? { status: 429, headers: { "retry-after": "1" } }
          : { results: [{ title: "ok", url: "https://ok.example/", content: "fine" }] },
    });
    const delays = recordDelays();
    const brave = createBraveSearch({
      apiKey: KEY,
      baseUrl: server.url,
      retryBaseDelayMs: 1,
      retryDelay: delays.delay,
    });
    const hits = await brave.search({ query: "q", signal: new AbortController().signal });
    expect(delays.waits).toEqual([1_000]);
    expect(hits.map((hit) => hit.url)).toEqual(["https://ok.example/"]);
    expect(server.calls).toHaveLength(2);
  });

  it("waits for x-ratelimit-reset when there is no retry-after, and stops when the monthly quota is used up", async () => {
    let calls = 0;
    server = await startFakeSearch({
      provider: "brave",
      responder: () =>
        ++calls === 1
          ? { status: 429, headers: { "x-ratelimit-reset": "1, 86400", "x-ratelimit-remaining": "0, 500" } }
          : { results: [{ title: "ok", url: "https://ok.example/", content: "fine" }] },
    });
    const delays = recordDelays();
    const brave = createBraveSearch({
      apiKey: KEY,
      baseUrl: server.url,
      retryBaseDelayMs: 1,
      retryDelay: delays.delay,
    });
    await expect(brave.search({ query: "q", signal: new AbortController().signal })).resolves.toHaveLength(1);
    expect(delays.waits).toEqual([1_000]);

    server.setResponder(() => ({
      status: 429,
      headers: { "x-ratelimit-reset": "1, 86400", "x-ratelimit-remaining": "0, 0" },
    }));
    const error = await brave
      .search({ query: "q", signal: new AbortController().signal })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ type: "search_failed", isRetryable: false });
    expect((error as ReportError).message).toMatch(/quota is used up.*BRAVE_API_KEY/);
    expect(server.calls).toHaveLength(3);
  });

  it("gives up on a persistent 500 after 1 + maxRetries tries, saying so", async () => {
    server = await startFakeSearch({ provider: "brave", responder: () => ({ status: 500 }) });
    const brave = createBraveSearch({ apiKey: KEY, baseUrl: server.url, maxRetries: 2, retryBaseDelayMs: 1 });
    const error = await brave
      .search({ query: "q", signal: new AbortController().signal })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).type).toBe("search_failed");
    expect((error as ReportError).message).toBe("Brave search failed (HTTP 500 after 3 tries).");
    expect(server.calls).toHaveLength(3);
  });

  it("does not retry a 401 and names BRAVE_API_KEY, never the key", async () => {
    server = await startFakeSearch({ provider: "brave", responder: () => ({ status: 401 }) });
    const brave = createBraveSearch({ apiKey: KEY, baseUrl: server.url, retryBaseDelayMs: 1 });
    const error = await brave
      .search({ query: "q", signal: new AbortController().signal })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).isRetryable).toBe(false);
    expect((error as ReportError).message).toContain("BRAVE_API_KEY");
    expect((error as ReportError).message).not.toContain(KEY);
    expect(server.calls).toHaveLength(1);
  });

  it("rejects malformed JSON as an unexpected format without retrying", async () => {
    server = await startFakeSearch({ provider: "brave", responder: () => ({ body: '{"web": {"results": 5}}' }) });
    const brave = createBraveSearch({ apiKey: KEY, baseUrl: server.url, retryBaseDelayMs: 1 });
    await expect(brave.search({ query: "q", signal: new AbortController().signal })).rejects.toThrow(
      /unexpected format/,
    );
    expect(server.calls).toHaveLength(1);
  });

  it("times out a slow response and ends with a cancelled error when aborted", async () => {
    // The fake never answers within the test's timeout: only the time limit or the abort can end a search.
    server = await startFakeSearch({ provider: "brave", responder: () => ({ delayMs: 3_600_000, results: [] }) });
    const slow = createBraveSearch({ apiKey: KEY, baseUrl: server.url, timeoutMs: 100, maxRetries: 0 });
    await expect(slow.search({ query: "q", signal: new AbortController().signal })).rejects.toThrow(
      "Brave search failed (no answer within 0.1 s after 1 try).",
    );
    const controller = new AbortController();
    const pending = createBraveSearch({ apiKey: KEY, baseUrl: server.url }).search({
      query: "q",
      signal: controller.signal,
    });
    await server.received(2);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ type: "cancelled" });
  });
});
