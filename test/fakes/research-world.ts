/**
 * Everything a report needs, on loopback: a fake OpenAI-compatible model answering each
 * pipeline step, fake Tavily/Brave/Google APIs returning results that link to a fake website,
 * and that website serving an article for any path. `env()` and `settings()` point the real
 * clients at them.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { settingsSchema, type Settings } from "../../src/app/settings.js";
import { startFakeOpenAI, type FakeOpenAI } from "./openai-server.js";
import { createResearchResponder, type ResearchResponderOptions } from "./research-responder.js";
import { startFakeSearch, type FakeSearchProviderName, type FakeSearchServer } from "./search-servers.js";

export type ResearchWorld = {
  openai: FakeOpenAI;
  responder: ReturnType<typeof createResearchResponder>;
  search: Partial<Record<FakeSearchProviderName, FakeSearchServer>>;
  siteUrl: string;
  siteRequests: string[];
  env(): Record<string, string>;
  settings(home: string): Settings;
  close(): Promise<void>;
};

const COMPANIES = [
  "Northvolt",
  "QuantumScape",
  "Toyota",
  "CATL",
  "Solid Power",
  "Samsung SDI",
  "ProLogium",
  "Factorial",
  "BYD",
  "Ilika",
  "WeLion",
  "SES",
];
const THINGS = [
  "pilot line",
  "sulfide cells",
  "separator",
  "cathode plant",
  "sample cells",
  "test fleet",
  "supply deal",
  "prototype pack",
  "anode work",
  "factory plan",
  "safety data",
  "cost target",
];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/**
 * A second paragraph of its own for every page (names, figures and months picked by a hash of
 * the title), so that two pages of the fake site are different stories to the duplicate check.
 */
function storyOf(title: string): string {
  let hash = 2166136261;
  for (const char of title) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  const pick = <T>(list: T[], salt: number): T => list[((hash >>> salt) + salt * 7) % list.length] as T;
  const figure = (salt: number) => 10 + (((hash >>> salt) * 31) % 890);
  return (
    `${pick(COMPANIES, 1)} said its ${pick(THINGS, 2)} reached ${figure(3)} units in ${pick(MONTHS, 4)}, ` +
    `while ${pick(COMPANIES, 5)} put ${figure(6)} engineers on ${pick(THINGS, 7)} and ${pick(COMPANIES, 8)} ` +
    `booked ${figure(9)} orders for ${pick(THINGS, 10)} before ${pick(MONTHS, 11)}; ${title} is the page's own subject.`
  );
}

function slug(text: string): string {
  return encodeURIComponent(text.toLowerCase().replace(/\s+/g, "-")).slice(0, 80);
}

export async function startResearchWorld(
  options: ResearchResponderOptions & { latencyMs?: number; providers?: FakeSearchProviderName[]; now?: Date } = {},
): Promise<ResearchWorld> {
  const siteRequests: string[] = [];
  const site = createServer((request, response) => {
    siteRequests.push(request.url ?? "/");
    const title = decodeURIComponent((request.url ?? "/").split("/").pop() ?? "article");
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(
      `<!doctype html><html><head><title>${title}</title></head><body><article><h1>${title}</h1>` +
        `<p>This fake article about ${title} has a first paragraph with enough words to be treated as the main text of the page.</p>` +
        `<p>${storyOf(title)}</p>` +
        `</article></body></html>`,
    );
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  const now = options.now ?? new Date();
  const published = new Date(now.getTime() - 86_400_000).toISOString();

  const responder = createResearchResponder(options);
  const openai = await startFakeOpenAI({ responder, latencyMs: options.latencyMs ?? 0 });
  const search: ResearchWorld["search"] = {};
  for (const provider of options.providers ?? ["tavily"]) {
    search[provider] = await startFakeSearch({
      provider,
      responder: (query) => ({
        results: [1, 2, 3].map((index) => ({
          title: `${query} — report ${index}`,
          url: `${siteUrl}/articles/${slug(query)}-${index}`,
          content: `Snippet ${index} about ${query}: a development worth citing.`,
          published_at: published,
        })),
      }),
    });
  }

  const env = (): Record<string, string> => ({
    OPENAI_API_KEY: "sk-test-fake-key",
    OPENAI_BASE_URL: openai.url,
    REPORT_MCP_ALLOW_PRIVATE_FETCH: "1",
    ...(search.tavily ? { TAVILY_API_KEY: "tvly-test-key", TAVILY_BASE_URL: search.tavily.url } : {}),
    ...(search.brave ? { BRAVE_API_KEY: "brave-test-key", BRAVE_BASE_URL: search.brave.url } : {}),
    ...(search.google
      ? { GOOGLE_API_KEY: "google-test-key", GOOGLE_CSE_ID: "cse-test", GOOGLE_BASE_URL: search.google.url }
      : {}),
  });

  const settings = (home: string): Settings =>
    settingsSchema.parse({
      provider: "openai",
      model: null,
      apiKey: "sk-test-fake-key",
      baseUrl: openai.url,
      tavilyApiKey: search.tavily ? "tvly-test-key" : null,
      tavilyBaseUrl: search.tavily?.url ?? null,
      braveApiKey: search.brave ? "brave-test-key" : null,
      braveBaseUrl: search.brave?.url ?? null,
      googleApiKey: search.google ? "google-test-key" : null,
      googleCseId: search.google ? "cse-test" : null,
      googleBaseUrl: search.google?.url ?? null,
      corpus: [],
      home,
      allowPrivateFetch: true,
      timeoutMs: null,
      token: null,
      redisUrl: null,
    });

  return {
    openai,
    responder,
    search,
    siteUrl,
    siteRequests,
    env,
    settings,
    async close() {
      await Promise.all([openai.close(), ...Object.values(search).map((server) => server.close())]);
      site.closeAllConnections();
      await new Promise<void>((resolve) => site.close(() => resolve()));
    },
  };
}
