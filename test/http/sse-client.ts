import { request as httpRequest } from "node:http";
import { createParser } from "eventsource-parser";
import { Notifier } from "../helpers/notifier.js";

/** One SSE event as a client sees it: the `id:` field and the JSON-RPC message in `data:`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read any wire message by path; the assertions check the values
export type SseEvent = { id: string | undefined; message: Record<string, any> };

export type SseRead = {
  status: number;
  headers: Headers;
  events: SseEvent[];
  comments: string[];
  /** True when the server ended the stream (false when we stopped reading or the connection broke). */
  ended: boolean;
  /** True when the connection broke mid-stream (e.g. the server process was killed). */
  broken?: boolean;
};

/**
 * Reads an SSE response with a real parser (eventsource-parser). Stops, disconnecting, when
 * `stopAfter` returns true for an event; otherwise reads until the server closes the stream.
 */
export async function readSse(
  response: Response,
  options: { stopAfter?: (event: SseEvent, index: number) => boolean; onComment?: (comment: string) => void } = {},
): Promise<SseRead> {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let stop = false;
  const parser = createParser({
    onEvent: (event) => {
      if (stop) return;
      // An empty `data:` (the MCP SDK's priming event) parses to an empty message.
      const parsed: SseEvent = {
        id: event.id,
        message: event.data.trim() === "" ? {} : (JSON.parse(event.data) as SseEvent["message"]),
      };
      events.push(parsed);
      if (options.stopAfter?.(parsed, events.length - 1)) stop = true;
    },
    onComment: (comment) => {
      comments.push(comment);
      options.onComment?.(comment);
    },
  });
  const result = { status: response.status, headers: response.headers, events, comments, ended: false };
  if (!response.body) return { ...result, ended: true };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      return { ...result, broken: true };
    }
    const { done, value } = chunk;
    if (done) return { ...result, ended: true };
    parser.feed(decoder.decode(value, { stream: true }));
    if (stop) {
      await reader.cancel();
      return result;
    }
  }
}

export type SseFollow = {
  /** Events and comments read so far (growing while the stream is read). */
  events: SseEvent[];
  comments: string[];
  /** Resolves once `condition` holds, re-checked on every event and comment as it is read. */
  until(condition: () => boolean): Promise<void>;
  /** The whole read, when the server ends the stream. */
  done: Promise<SseRead>;
};

/** Reads an SSE response to its end, letting the test wait for a given event meanwhile. */
export function followSse(response: Response): SseFollow {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const changes = new Notifier();
  const done = readSse(response, {
    stopAfter: (event) => {
      events.push(event);
      changes.notify();
      return false;
    },
    onComment: (comment) => {
      comments.push(comment);
      changes.notify();
    },
  });
  return { events, comments, until: (condition) => changes.until(condition), done };
}

/** POSTs JSON and returns the fetch Response. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** A raw HTTP request with full control over headers (fetch will not let a test forge `Host`). */
export function rawRequest(options: {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(options.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: options.method ?? "GET",
        headers: options.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
}
