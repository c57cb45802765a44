import { afterEach, describe, expect, it } from "vitest";
import { createBraveSearch, createGoogleSearch, createTavilySearch } from "../../src/providers/search/index.js";
import { startFakeSearch, type FakeSearchServer } from "../fakes/search-servers.js";

let server: FakeSearchServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const RESULTS = [
  { title: "Good", url: "https://news.example/good", content: "A real article." },
  { title: "Script", url: "javascript:alert(1)", content: "Not a page." },
  { title: "Relative", url: "not-a-url", content: "Not a page." },
  { title: "FTP", url: "ftp://files.example/x", content: "Not a web page." },
];

describe("web search results with URLs that are not web pages", () => {
  for (const provider of ["tavily", "brave", "google"] as const) {
    it(`${provider}: keeps http(s) results only`, async () => {
      server = await startFakeSearch({ provider, responder: () => ({ results: RESULTS }) });
      const search =
        provider === "tavily"
          ? createTavilySearch({ apiKey: "tvly-test-key-123456", baseUrl: server.url })
          : provider === "brave"
            ? createBraveSearch({ apiKey: "brave-test-key-123456", baseUrl: server.url })
            : createGoogleSearch({ apiKey: "google-test-key-123456", cseId: "cse", baseUrl: server.url });
      const hits = await search.search({
        query: "solid-state batteries",
        days: 7,
        maxResults: 10,
        signal: new AbortController().signal,
      });
      expect(hits.map((hit) => hit.url)).toEqual(["https://news.example/good"]);
    });
  }
});
