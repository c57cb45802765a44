/**
 * A loopback OpenAI-compatible chat server for tests. Point the real `openai` client (or any
 * provider built on it) at `url` and script the replies with a responder.
 *
 * Serves `POST /v1/chat/completions` (JSON and SSE streaming, with a final usage chunk when the
 * request asks for `stream_options.include_usage`) and `GET /v1/models`. Every chat request is
 * recorded in `calls` when it arrives (before any delay), so a test can assert on what was sent
 * and on how many requests were made.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Notifier } from "../helpers/notifier.js";

/** One recorded chat request. */
export type FakeChatRequest = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw parsed JSON body
  body: any;
  headers: Record<string, string>;
  path: string;
};

/** What the fake answers to one request. */
export type FakeReply = {
  /** Assistant text (or the error message when `status` ≥ 400 and no `body`). */
  content?: string;
  /** HTTP status; default 200. ≥ 400 sends an OpenAI-style error body. */
  status?: number;
  /** Extra response headers, e.g. `{"retry-after": "1"}`. */
  headers?: Record<string, string>;
  /** Raw response body override (sent as-is with `content-type: application/json`), e.g. malformed JSON. */
  body?: string;
  /** Token usage to report; default = ceil(prompt chars / 4), ceil(completion chars / 4). `null` omits usage. */
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  /** Delay before answering (added to the server's `latencyMs`); cleared when the client disconnects. */
  delayMs?: number;
  /** Never answer (until the client disconnects or the server closes): for timeout tests. */
  hang?: boolean;
  /** Reasoning text sent as `reasoning_content` (streamed before the content). */
  reasoning?: string;
  /** Streaming only: pause between chunks (a stream that stalls midway); cleared when the client disconnects. */
  chunkDelayMs?: number;
  /** Streaming only: send the content in pieces of this many characters, as real APIs stream a few tokens at a time (default: 4 pieces). */
  chunkChars?: number;
};

/** Scripts the fake: gets the request and its 0-based index among all chat calls. */
export type FakeResponder = (request: FakeChatRequest, callIndex: number) => FakeReply | Promise<FakeReply>;

export type FakeOpenAI = {
  /** Base URL ending in `/v1`, e.g. `http://127.0.0.1:53211/v1`. */
  url: string;
  /** Every chat request received, in arrival order. */
  calls: FakeChatRequest[];
  /** Resolves once `count` chat requests have arrived (the event itself, not a poll). */
  received(count: number): Promise<void>;
  /** Resolves once `count` streamed chunks have been written (over all calls): a reply is mid-stream. */
  streamed(count: number): Promise<void>;
  /**
   * Resolves once no client connection is open (every request that was sent has been read and
   * recorded): after a client process has exited, `calls` is final.
   */
  idle(): Promise<void>;
  setResponder(responder: FakeResponder): void;
  close(): Promise<void>;
};

const FAKE_MODEL_ID = "fake-model";

/** Starts the fake on 127.0.0.1 with an OS-assigned port. */
export async function startFakeOpenAI(options: { responder: FakeResponder; latencyMs?: number }): Promise<FakeOpenAI> {
  let responder = options.responder;
  const latencyMs = options.latencyMs ?? 0;
  const calls: FakeChatRequest[] = [];
  const arrivals = new Notifier();
  let chunksWritten = 0;
  const onChunk = () => {
    chunksWritten += 1;
    arrivals.notify();
  };
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendError(response, 500, `Fake server failure: ${error instanceof Error ? error.message : String(error)}`);
      } else {
        response.destroy();
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => {
      sockets.delete(socket);
      arrivals.notify();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (request.method === "GET" && path === "/v1/models") {
      sendJson(response, 200, {
        object: "list",
        data: [{ id: FAKE_MODEL_ID, object: "model", created: 0, owned_by: "fake" }],
      });
      return;
    }
    if (request.method !== "POST" || path !== "/v1/chat/completions") {
      sendError(response, 404, `No route for ${request.method ?? "?"} ${path}`);
      return;
    }
    const raw = await readBody(request);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      sendError(response, 400, "Request body is not valid JSON");
      return;
    }
    const recorded: FakeChatRequest = { body, headers: flattenHeaders(request), path };
    calls.push(recorded);
    arrivals.notify();
    const disconnected = new AbortController();
    response.on("close", () => {
      if (!response.writableFinished) disconnected.abort();
    });
    const reply = await responder(recorded, calls.length - 1);
    if (reply.hang) return; // answered never; the socket is destroyed by the client or close()
    await wait(latencyMs + (reply.delayMs ?? 0), disconnected.signal);
    if (disconnected.signal.aborted) return;
    await sendReply(response, recorded.body, reply, disconnected.signal, onChunk);
  }

  server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    calls,
    received: (count) => arrivals.until(() => calls.length >= count),
    streamed: (count) => arrivals.until(() => chunksWritten >= count),
    idle: () => arrivals.until(() => sockets.size === 0),
    setResponder(next) {
      responder = next;
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
    },
  };
}

async function sendReply(
  response: ServerResponse,
  requestBody: FakeChatRequest["body"],
  reply: FakeReply,
  disconnected: AbortSignal,
  onChunk: () => void,
): Promise<void> {
  const status = reply.status ?? 200;
  for (const [name, value] of Object.entries(reply.headers ?? {})) response.setHeader(name, value);
  if (reply.body !== undefined) {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(reply.body);
    return;
  }
  if (status >= 400) {
    sendError(response, status, reply.content ?? `Fake error ${status}`);
    return;
  }
  const content = reply.content ?? "";
  const model = typeof requestBody?.model === "string" ? requestBody.model : FAKE_MODEL_ID;
  const usage =
    reply.usage === null ? null : (reply.usage ?? defaultUsage(requestBody, content + (reply.reasoning ?? "")));
  const id = `chatcmpl-fake-${Math.random().toString(36).slice(2, 10)}`;
  const created = Math.floor(Date.now() / 1000);

  if (requestBody?.stream === true) {
    response.writeHead(status, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
      `data: ${JSON.stringify({
        id,
        object: "chat.completion.chunk",
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finishReason }],
      })}\n\n`;
    const pieces = [
      chunk({ role: "assistant", content: "" }, null),
      ...splitPieces(reply.reasoning ?? "").map((piece) => chunk({ reasoning_content: piece }, null)),
      ...splitPieces(content, reply.chunkChars).map((piece) => chunk({ content: piece }, null)),
      chunk({}, "stop"),
    ];
    for (const [index, piece] of pieces.entries()) {
      if (index > 0) await wait(reply.chunkDelayMs ?? 0, disconnected);
      if (disconnected.aborted) return;
      response.write(piece);
      onChunk();
    }
    if (requestBody?.stream_options?.include_usage === true && usage) {
      response.write(
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage: withTotal(usage) })}\n\n`,
      );
    }
    response.end("data: [DONE]\n\n");
    return;
  }

  const message: Record<string, unknown> = { role: "assistant", content };
  if (reply.reasoning !== undefined) message.reasoning_content = reply.reasoning;
  sendJson(response, status, {
    id,
    object: "chat.completion",
    created,
    model,
    choices: [{ index: 0, message, finish_reason: "stop", logprobs: null }],
    ...(usage ? { usage: withTotal(usage) } : {}),
  });
}

function defaultUsage(
  requestBody: FakeChatRequest["body"],
  completion: string,
): { prompt_tokens: number; completion_tokens: number } {
  const messages: unknown[] = Array.isArray(requestBody?.messages) ? requestBody.messages : [];
  let promptChars = 0;
  for (const message of messages) {
    const content = (message as { content?: unknown }).content;
    if (typeof content === "string") promptChars += content.length;
  }
  return { prompt_tokens: Math.ceil(promptChars / 4), completion_tokens: Math.ceil(completion.length / 4) };
}

function withTotal(usage: { prompt_tokens: number; completion_tokens: number }) {
  return { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
}

/** Splits text into a few chunks (keeps multi-byte characters intact). */
function splitPieces(text: string, chunkChars?: number): string[] {
  if (text === "") return [];
  const characters = Array.from(text);
  const size = chunkChars ?? Math.max(1, Math.ceil(characters.length / 4));
  const pieces: string[] = [];
  for (let index = 0; index < characters.length; index += size)
    pieces.push(characters.slice(index, index + size).join(""));
  return pieces;
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(value));
}

function sendError(response: ServerResponse, status: number, message: string): void {
  sendJson(response, status, {
    error: {
      message,
      type: status === 401 ? "authentication_error" : "invalid_request_error",
      param: null,
      code: null,
    },
  });
}

function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
