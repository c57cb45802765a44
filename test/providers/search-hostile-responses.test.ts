/**
 * Property-based tests (fast-check) over what search APIs send back: any status, any JSON (shaped
 * like the real answer or not), any bytes. Every search ends with well-formed hits or a typed
 * `search_failed` error that does not leak the key — never a TypeError, never a hang.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import type { SearchHit, SearchProvider } from "../../src/core/types.js";
import { createBraveSearch, createGoogleSearch, createTavilySearch } from "../../src/providers/search/index.js";
import { PER_INPUT_TIMEOUT_MS, propertyRuns } from "../helpers/property-runs.js";
import {
  startFakeSearch,
  type FakeSearchProviderName,
  type FakeSearchReply,
  type FakeSearchServer,
} from "../fakes/search-servers.js";

const KEY = "key-that-must-never-show-0123";
const servers: Partial<Record<FakeSearchProviderName, FakeSearchServer>> = {};
let reply: FakeSearchReply = {};

beforeAll(async () => {
  for (const provider of ["tavily", "brave", "google"] as const)
    servers[provider] = await startFakeSearch({ provider, responder: () => reply });
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.close()));
});

function client(provider: FakeSearchProviderName): SearchProvider {
  const baseUrl = servers[provider]?.url ?? "";
  const common = { apiKey: KEY, baseUrl, maxRetries: 0, timeoutMs: 3_000 };
  if (provider === "tavily") return createTavilySearch(common);
  if (provider === "brave") return createBraveSearch(common);
  return createGoogleSearch({ ...common, cseId: "cse" });
}

const anyValue = fc.jsonValue({ maxDepth: 2 });
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof(arbitrary, anyValue);
const url = maybe(
  fc.oneof(fc.webUrl(), fc.constantFrom("javascript:alert(1)", "ftp://x.example/", "//no-scheme", "", "http://[::1]/")),
);
const text = maybe(fc.string({ maxLength: 60 }));
const date = maybe(
  fc.oneof(
    fc
      .date({ noInvalidDate: false })
      .map((value) => (Number.isNaN(value.getTime()) ? "not a date" : value.toISOString())),
    fc.constantFrom("2 days ago", "Mon, 23 Nov 2026 10:00:00 GMT", ""),
  ),
);

/** Bodies shaped like each API's real answer, with every field possibly of the wrong type. */
const shaped: Record<FakeSearchProviderName, fc.Arbitrary<unknown>> = {
  tavily: fc.record(
    {
      query: text,
      results: maybe(
        fc.array(
          maybe(
            fc.record(
              { title: text, url, content: text, score: maybe(fc.double()), published_date: date },
              { requiredKeys: [] },
            ),
          ),
          { maxLength: 6 },
        ),
      ),
      images: maybe(fc.array(anyValue, { maxLength: 2 })),
      response_time: anyValue,
    },
    { requiredKeys: [] },
  ),
  brave: fc.record(
    {
      web: maybe(
        fc.record(
          {
            results: maybe(
              fc.array(
                maybe(
                  fc.record(
                    {
                      title: text,
                      url,
                      description: text,
                      page_age: date,
                      age: text,
                      extra_snippets: maybe(fc.array(text, { maxLength: 3 })),
                    },
                    { requiredKeys: [] },
                  ),
                ),
                { maxLength: 6 },
              ),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
      error: anyValue,
    },
    { requiredKeys: [] },
  ),
  google: fc.record(
    {
      items: maybe(
        fc.array(
          maybe(
            fc.record(
              {
                title: text,
                link: url,
                snippet: text,
                pagemap: maybe(
                  fc.record({
                    metatags: maybe(
                      fc.array(fc.dictionary(fc.constantFrom("og:published_time", "date", "x"), date), {
                        maxLength: 2,
                      }),
                    ),
                  }),
                ),
              },
              { requiredKeys: [] },
            ),
          ),
          { maxLength: 6 },
        ),
      ),
      error: anyValue,
    },
    { requiredKeys: [] },
  ),
};

const status = fc.constantFrom(200, 200, 200, 201, 400, 401, 403, 404, 408, 409, 422, 429, 432, 433, 500, 502, 503);
const replyFor = (provider: FakeSearchProviderName): fc.Arbitrary<FakeSearchReply> =>
  fc
    .record({
      status,
      body: fc.oneof(
        shaped[provider].map((value) => JSON.stringify(value)),
        anyValue.map((value) => JSON.stringify(value)),
        fc.string({ maxLength: 80 }),
        fc.constant(""),
      ),
      headers: fc.option(fc.record({ "retry-after": fc.constantFrom("0", "1", "soon", "-3", "99999") }), {
        nil: undefined,
      }),
    })
    .map(({ headers, ...rest }) => (headers ? { ...rest, headers } : rest));

function expectWellFormed(hits: SearchHit[], provider: string): void {
  for (const hit of hits) {
    expect(hit.provider).toBe(provider);
    expect(/^https?:\/\//.test(hit.url), hit.url).toBe(true);
    expect(typeof hit.title).toBe("string");
    expect(typeof hit.content).toBe("string");
    expect(hit.published_at == null || !Number.isNaN(Date.parse(hit.published_at))).toBe(true);
    expect(hit.score == null || typeof hit.score === "number").toBe(true);
  }
}

describe.each(["tavily", "brave", "google"] as const)("%s answering anything", (provider) => {
  it("yields well-formed hits or a typed search_failed error without the key", async () => {
    const search = client(provider);
    await fc.assert(
      fc.asyncProperty(replyFor(provider), async (next) => {
        reply = next;
        try {
          expectWellFormed(
            await search.search({ query: "solid-state batteries", days: 7, signal: new AbortController().signal }),
            provider,
          );
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(ReportError);
          const reportError = error as ReportError;
          expect(reportError.type).toBe("search_failed");
          expect(reportError.message.length).toBeGreaterThan(10);
          expect(reportError.message).not.toContain(KEY);
        }
      }),
      { numRuns: propertyRuns(60), timeout: PER_INPUT_TIMEOUT_MS },
    );
  });
});
