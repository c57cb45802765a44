/**
 * Loopback fakes of the Tavily, Brave and Google Custom Search APIs (their real wire formats)
 * plus a tiny website server for page-fetch tests. Everything binds 127.0.0.1 on port 0.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Notifier } from "../helpers/notifier.js";

export type FakeSearchResult = {
  title: string;
  url: string;
  content: string;
  published_at?: string;
  /** Tavily's `raw_content` (sent only when the request asks with `include_raw_content`). */
  raw_content?: string;
};
export type FakeSearchReply = {
  results?: FakeSearchResult[];
  /** HTTP status; default 200. Non-2xx without `body` sends the provider's real error shape. */
  status?: number;
  headers?: Record<string, string>;
  /** Raw body sent instead of the generated one (e.g. malformed JSON). */
  body?: string;
  /** Delay before the response is sent. */
  delayMs?: number;
};
export type FakeSearchProviderName = "tavily" | "brave" | "google";
export type FakeSearchRequest = {
  provider: FakeSearchProviderName;
  params: Record<string, unknown>;
  headers: Record<string, string>;
};
export type FakeSearchResponder = (
  query: string,
  request: FakeSearchRequest,
) => FakeSearchReply | Promise<FakeSearchReply>;
export type FakeSearchCall = { query: string; params: Record<string, unknown>; headers: Record<string, string> };
export type FakeSearchServer = {
  /** Base URL to pass as the provider's base URL (no trailing slash). */
  url: string;
  calls: FakeSearchCall[];
  /** Resolves once `count` search requests have arrived. */
  received(count: number): Promise<void>;
  setResponder(responder: FakeSearchResponder): void;
  close(): Promise<void>;
};

const PATHS: Record<FakeSearchProviderName, { method: string; path: string }> = {
  tavily: { method: "POST", path: "/search" },
  brave: { method: "GET", path: "/res/v1/web/search" },
  google: { method: "GET", path: "/customsearch/v1" },
};

/** Starts a fake search API speaking `provider`'s wire format on 127.0.0.1. */
export async function startFakeSearch(options: {
  provider: FakeSearchProviderName;
  responder: FakeSearchResponder;
}): Promise<FakeSearchServer> {
  const { provider } = options;
  let responder = options.responder;
  const calls: FakeSearchCall[] = [];
  const arrivals = new Notifier();
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const route = PATHS[provider];
      if (request.method !== route.method || url.pathname !== route.path) {
        sendJson(response, 404, { error: `no route ${request.method} ${url.pathname}` });
        return;
      }
      const headers = lowerHeaders(request);
      let params: Record<string, unknown>;
      if (provider === "tavily") {
        const raw = await readBody(request);
        try {
          params = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          sendJson(response, 400, { detail: { error: "Invalid JSON body." } });
          return;
        }
      } else {
        params = Object.fromEntries(url.searchParams.entries());
      }
      const query = String((provider === "tavily" ? params["query"] : params["q"]) ?? "");
      calls.push({ query, params, headers });
      arrivals.notify();
      const reply = await responder(query, { provider, params, headers });
      if (reply.delayMs) await delay(reply.delayMs);
      if (response.destroyed) return;
      const status = reply.status ?? 200;
      const extraHeaders = reply.headers ?? {};
      if (reply.body !== undefined) {
        response.writeHead(status, { "content-type": "application/json", ...extraHeaders });
        response.end(reply.body);
        return;
      }
      const payload =
        status >= 200 && status < 300
          ? successBody(provider, query, reply.results ?? [], Boolean(params["include_raw_content"]))
          : errorBody(provider, status);
      sendJson(response, status, payload, extraHeaders);
    })().catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: String(error) });
      else response.destroy();
    });
  });
  const url = await listen(server);
  return {
    url,
    calls,
    received: (count) => arrivals.until(() => calls.length >= count),
    setResponder(next) {
      responder = next;
    },
    close: () => closeServer(server),
  };
}

function successBody(
  provider: FakeSearchProviderName,
  query: string,
  results: FakeSearchResult[],
  includeRawContent = false,
): unknown {
  if (provider === "tavily") {
    return {
      query,
      follow_up_questions: null,
      answer: null,
      images: [],
      results: results.map((result, index) => ({
        title: result.title,
        url: result.url,
        content: result.content,
        score: Math.max(0.01, 0.95 - index * 0.05),
        raw_content: includeRawContent ? (result.raw_content ?? null) : null,
        ...(result.published_at ? { published_date: result.published_at } : {}),
      })),
      response_time: 0.42,
      request_id: `fake-${Date.now()}`,
    };
  }
  if (provider === "brave") {
    return {
      type: "search",
      query: { original: query },
      web: {
        type: "search",
        results: results.map((result) => ({
          type: "search_result",
          title: result.title,
          url: result.url,
          description: result.content,
          ...(result.published_at ? { page_age: result.published_at } : {}),
        })),
      },
    };
  }
  const items = results.map((result) => ({
    kind: "customsearch#result",
    title: result.title,
    link: result.url,
    displayLink: safeHost(result.url),
    snippet: result.content,
    ...(result.published_at ? { pagemap: { metatags: [{ "article:published_time": result.published_at }] } } : {}),
  }));
  // Google omits `items` entirely when there are no results.
  return {
    kind: "customsearch#search",
    searchInformation: { totalResults: String(items.length) },
    ...(items.length > 0 ? { items } : {}),
  };
}

function errorBody(provider: FakeSearchProviderName, status: number): unknown {
  const message =
    status === 401
      ? "Unauthorized: missing or invalid API key."
      : status === 403
        ? "Forbidden."
        : status === 429
          ? "Your request has been blocked due to excessive requests. Please reduce rate of requests."
          : status >= 500
            ? "Internal Server Error"
            : "Bad request.";
  if (provider === "tavily") return { detail: { error: message } };
  if (provider === "brave") {
    return {
      type: "ErrorResponse",
      error: { id: "fake", status, code: status === 401 ? "SUBSCRIPTION_TOKEN_INVALID" : "ERROR", detail: message },
    };
  }
  return {
    error: {
      code: status,
      message,
      errors: [{ message, domain: "global", reason: status === 429 ? "rateLimitExceeded" : "backendError" }],
    },
  };
}

/* ---------- fake website ---------- */

export type FakePage = {
  status?: number;
  headers?: Record<string, string>;
  body: string | Buffer;
  /** Delay before the response headers are sent. */
  delayMs?: number;
};
export type FakeWebsite = {
  /** Origin, e.g. http://127.0.0.1:43210 (no trailing slash). */
  url: string;
  port: number;
  /** Paths (with query) requested so far, in order. */
  requests: string[];
  /** Resolves once `count` requests have arrived. */
  received(count: number): Promise<void>;
  close(): Promise<void>;
};

/**
 * Serves `pages` keyed by path (`/a`, or `/a?x=1` to match a query exactly) on 127.0.0.1.
 * Redirects are pages with a 3xx status and a `location` header. Unknown paths get 404.
 * `pages` is read at request time, so entries may be added after start (e.g. a redirect to
 * the site's own URL, which is only known then).
 */
export async function startFakeWebsite(pages: Record<string, FakePage>): Promise<FakeWebsite> {
  const requests: string[] = [];
  const arrivals = new Notifier();
  const server = createServer((request, response) => {
    const target = request.url ?? "/";
    requests.push(target);
    arrivals.notify();
    const page = pages[target] ?? pages[new URL(target, "http://127.0.0.1").pathname];
    if (!page) {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found");
      return;
    }
    const send = (): void => {
      if (response.destroyed) return;
      response.writeHead(page.status ?? 200, { "content-type": "text/html; charset=utf-8", ...page.headers });
      response.end(page.body);
    };
    if (page.delayMs) setTimeout(send, page.delayMs).unref();
    else send();
  });
  const url = await listen(server);
  return {
    url,
    port: Number(new URL(url).port),
    requests,
    received: (count) => arrivals.until(() => requests.length >= count),
    close: () => closeServer(server),
  };
}

/* ---------- helpers ---------- */

function lowerHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
