import { afterEach, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import { createGoogleSearch } from "../../src/providers/search/index.js";
import { startFakeSearch, type FakeSearchServer } from "../fakes/search-servers.js";

const KEY = "google-secret-key-456";
let server: FakeSearchServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("Google Custom Search", () => {
  it("sends key, cx, q, num (max 10) and dateRestrict, and maps items", async () => {
    server = await startFakeSearch({
      provider: "google",
      responder: () => ({
        results: [
          {
            title: "固态电池量产",
            url: "https://news.example.cn/a",
            content: "丰田宣布  固态电池\n量产计划。",
            published_at: "2026-11-21T09:30:00+08:00",
          },
          { title: "Plain", url: "https://plain.example/b", content: "No date here." },
        ],
      }),
    });
    const google = createGoogleSearch({ apiKey: KEY, cseId: "cse-1", baseUrl: server.url });
    const hits = await google.search({
      query: "固态电池",
      days: 30,
      maxResults: 25,
      signal: new AbortController().signal,
    });
    expect(server.calls[0]?.params).toMatchObject({
      key: KEY,
      cx: "cse-1",
      q: "固态电池",
      num: "10",
      dateRestrict: "d30",
    });
    expect(hits).toEqual([
      {
        title: "固态电池量产",
        url: "https://news.example.cn/a",
        content: "丰田宣布 固态电池 量产计划。",
        published_at: "2026-11-21T01:30:00.000Z",
        provider: "google",
      },
      {
        title: "Plain",
        url: "https://plain.example/b",
        content: "No date here.",
        published_at: null,
        provider: "google",
      },
    ]);
  });

  it("returns no hits (not an error) when Google omits items", async () => {
    server = await startFakeSearch({ provider: "google", responder: () => ({ results: [] }) });
    const google = createGoogleSearch({ apiKey: KEY, cseId: "cse-1", baseUrl: server.url });
    await expect(google.search({ query: "nothing", signal: new AbortController().signal })).resolves.toEqual([]);
  });

  it("treats 403 and 400 keyInvalid as credential errors naming GOOGLE_API_KEY and GOOGLE_CSE_ID", async () => {
    server = await startFakeSearch({ provider: "google", responder: () => ({ status: 403 }) });
    const google = createGoogleSearch({ apiKey: KEY, cseId: "cse-1", baseUrl: server.url, retryBaseDelayMs: 1 });
    const forbidden = await google
      .search({ query: "q", signal: new AbortController().signal })
      .catch((caught: unknown) => caught);
    expect(forbidden).toBeInstanceOf(ReportError);
    expect((forbidden as ReportError).message).toMatch(/GOOGLE_API_KEY and GOOGLE_CSE_ID/);
    expect((forbidden as ReportError).message).not.toContain(KEY);
    expect(server.calls).toHaveLength(1);

    server.setResponder(() => ({
      status: 400,
      body: JSON.stringify({
        error: {
          code: 400,
          message: "API key not valid. Please pass a valid API key.",
          errors: [{ reason: "keyInvalid" }],
        },
      }),
    }));
    const invalid = await google
      .search({ query: "q", signal: new AbortController().signal })
      .catch((caught: unknown) => caught);
    expect((invalid as ReportError).isRetryable).toBe(false);
    expect((invalid as ReportError).message).toMatch(/rejected the API key \(HTTP 400\)/);
  });

  it("does not retry when the daily quota is used up", async () => {
    server = await startFakeSearch({
      provider: "google",
      responder: () => ({
        status: 429,
        body: JSON.stringify({
          error: {
            code: 429,
            message:
              "Quota exceeded for quota metric 'Queries' and limit 'Queries per day' of service 'customsearch.googleapis.com'.",
            status: "RESOURCE_EXHAUSTED",
          },
        }),
      }),
    });
    const google = createGoogleSearch({ apiKey: KEY, cseId: "cse-1", baseUrl: server.url, retryBaseDelayMs: 1 });
    await expect(google.search({ query: "q", signal: new AbortController().signal })).rejects.toThrow(
      /daily quota is used up/,
    );
    expect(server.calls).toHaveLength(1);
  });

  it("retries 503 and succeeds on the next try", async () => {
    let calls = 0;
    server = await startFakeSearch({
      provider: "google",
      responder: () =>
        ++calls < 3 ? { status: 503 } : { results: [{ title: "t", url: "https://x.example/", content: "c" }] },
    });
    const google = createGoogleSearch({ apiKey: KEY, cseId: "cse-1", baseUrl: server.url, retryBaseDelayMs: 1 });
    const hits = await google.search({ query: "q", signal: new AbortController().signal });
    expect(hits).toHaveLength(1);
    expect(server.calls).toHaveLength(3);
  });
});
