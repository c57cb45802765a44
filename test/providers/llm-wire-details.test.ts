import { afterEach, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import { createOpenAICompatibleModel } from "../../src/providers/llm/index.js";
import { type FakeOpenAI, type FakeReply, startFakeOpenAI } from "../fakes/openai-server.js";

/**
 * What report-mcp's own chat client (fetch + SSE, no `openai` package) sends and how it reads
 * the less common shapes OpenAI-compatible servers answer with.
 */
const frame = (value: unknown, event?: string) => `${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(value)}\n\n`;
const delta = (content: unknown, finish: string | null = null) =>
  frame({ id: "c1", object: "chat.completion.chunk", created: 1, model: "fake-model", choices: [{ index: 0, delta: { content }, finish_reason: finish }] });

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function serve(reply: (index: number) => FakeReply): Promise<FakeOpenAI> {
  fake = await startFakeOpenAI({ responder: (_request, index) => reply(index) });
  return fake;
}

function ask(url: string, options: { apiKey?: string; provider?: "openai" | "ollama"; maxRetries?: number } = {}) {
  const model = createOpenAICompatibleModel({
    provider: options.provider ?? "openai",
    baseUrl: url,
    model: "wire-model",
    apiKey: options.apiKey ?? "sk-wire-test-123456",
    retryBaseDelayMs: 1,
    maxRetries: options.maxRetries ?? 0,
  });
  return model.generateText({ messages: [{ role: "user", content: "Write it." }], signal: new AbortController().signal, onUsage: () => {} });
}

async function failure(promise: Promise<unknown>): Promise<ReportError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ReportError);
  return error as ReportError;
}

describe("the chat client on the wire", () => {
  it("posts a streamed chat completion as JSON with the bearer key and its own user agent", async () => {
    const server = await serve(() => ({ content: "ok" }));
    await ask(server.url);
    const call = server.calls[0];
    expect(call?.headers["content-type"]).toBe("application/json");
    expect(call?.headers.authorization).toBe("Bearer sk-wire-test-123456");
    expect(call?.headers["user-agent"]).toMatch(/^report-mcp\//);
    expect(call?.body).toMatchObject({ model: "wire-model", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "Write it." }] });
  });

  it("sends no Authorization header to a local server that needs no key", async () => {
    const server = await serve(() => ({ content: "ok" }));
    const model = createOpenAICompatibleModel({ provider: "ollama", baseUrl: server.url, model: "qwen3" });
    await model.generateText({ messages: [{ role: "user", content: "q" }], signal: new AbortController().signal, onUsage: () => {} });
    expect(server.calls[0]?.headers.authorization).toBeUndefined();
  });

  it("reads frames split across writes and ignores content that is not text", async () => {
    const body = `${delta("Solid")}${delta(42)}${delta(null)}${delta("-state", "stop")}data: [DONE]\n\n`;
    const server = await serve(() => ({ body: body.replace(/\n\n/g, "\r\n\r\n") }));
    await expect(ask(server.url)).resolves.toBe("Solid-state");
  });

  it("takes an `event: error` frame as the upstream's error and quotes it", async () => {
    const server = await serve(() => ({ body: `${delta("Half ")}${frame({ error: { message: "upstream exploded", type: "invalid_request_error" } }, "error")}` }));
    const error = await failure(ask(server.url, { maxRetries: 2 }));
    expect(error.type).toBe("model_call_failed");
    expect(error.message).toContain("upstream exploded");
    // The frame says the request is at fault: not retried.
    expect(server.calls).toHaveLength(1);
  });

  it("explains an error body whether it nests its message under `error` or not", async () => {
    const server = await serve((index) =>
      index === 0
        ? { status: 422, body: JSON.stringify({ error: { message: "messages must not be empty", type: "invalid_request_error" } }) }
        : { status: 422, body: JSON.stringify({ message: "model field is required" }) },
    );
    expect((await failure(ask(server.url))).message).toContain("messages must not be empty");
    expect((await failure(ask(server.url))).message).toContain("model field is required");
  });
});
