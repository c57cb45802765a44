import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import { createOpenAICompatibleModel } from "../../src/providers/llm/index.js";
import { createCappedFetch } from "../../src/providers/llm/capped-fetch.js";
import { BodyTooLargeError } from "../../src/providers/http/read-capped.js";
import { type FakeOpenAI, type FakeReply, startFakeOpenAI } from "../fakes/openai-server.js";

const chunk = (content: string, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "fake-model", choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;

/** A stream that starts a reply, then carries an error frame (as OpenAI-compatible APIs do when the upstream fails mid-reply). */
const errorFrame = (error: Record<string, unknown>): FakeReply => ({
  body: `${chunk("Solid-state ")}data: ${JSON.stringify({ error })}\n\n`,
});
const OVERLOADED = errorFrame({
  message: "The engine is currently overloaded, please try again later",
  type: "server_error",
  code: null,
});

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function ask(url: string, options: { maxRetries?: number; maxReplyBytes?: number } = {}) {
  const model = createOpenAICompatibleModel({
    provider: "openai",
    baseUrl: url,
    apiKey: "sk-test-key-123456",
    retryBaseDelayMs: 1,
    maxRetries: options.maxRetries ?? 2,
    maxReplyBytes: options.maxReplyBytes,
  });
  return model.generateText({
    messages: [{ role: "user", content: "Write the section." }],
    signal: new AbortController().signal,
    onUsage: () => {},
  });
}

async function failure(promise: Promise<unknown>): Promise<ReportError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ReportError);
  return error as ReportError;
}

describe("an error frame inside the reply stream", () => {
  it("is retried like an HTTP 500", async () => {
    fake = await startFakeOpenAI({
      responder: (_request, index) => (index === 0 ? OVERLOADED : { content: "Solid-state batteries are coming. [1]" }),
    });
    await expect(ask(fake.url)).resolves.toBe("Solid-state batteries are coming. [1]");
    expect(fake.calls).toHaveLength(2);
  });

  it("that keeps coming fails after the retries, counting the attempts and quoting the frame", async () => {
    fake = await startFakeOpenAI({ responder: () => OVERLOADED });
    const error = await failure(ask(fake.url, { maxRetries: 2 }));
    expect(error.type).toBe("model_call_failed");
    expect(error.message).toContain("(3 attempts)");
    expect(error.message).toContain("currently overloaded");
    expect(fake.calls).toHaveLength(3);
  });

  it.each([
    ["invalid_request_error", "context_length_exceeded", "This model's maximum context length is 8192 tokens"],
    ["invalid_request_error", "content_filter", "The response was filtered"],
  ])("is not retried when it blames the request (%s / %s)", async (type, code, message) => {
    fake = await startFakeOpenAI({ responder: () => errorFrame({ message, type, code }) });
    const error = await failure(ask(fake.url));
    expect(error.message).toContain(message);
    expect(error.message).toContain("(1 attempt)");
    expect(fake.calls).toHaveLength(1);
  });

  it("a frame that is not JSON is retried too", async () => {
    fake = await startFakeOpenAI({
      responder: (_request, index) =>
        index === 0 ? { body: `${chunk("Solid")}data: {"choices": [\n\n` } : { content: "Whole reply." },
    });
    await expect(ask(fake.url)).resolves.toBe("Whole reply.");
    expect(fake.calls).toHaveLength(2);
  });
});

describe("size caps on what the model API sends", () => {
  it("a reply stream past the cap fails at once (not retried) and says why", async () => {
    fake = await startFakeOpenAI({ responder: () => ({ content: "word ".repeat(4000) }) });
    const error = await failure(ask(fake.url, { maxReplyBytes: 4096 }));
    expect(error.type).toBe("model_call_failed");
    expect(error.message).toContain("larger than 4 KiB");
    expect(fake.calls).toHaveLength(1);
  });

  it("cuts an error body after its cap and fails a reply body past its cap", async () => {
    const server = createServer((request, response) => {
      request.resume();
      const ok = request.url === "/ok";
      response.writeHead(ok ? 200 : 502, { "content-type": "text/html" });
      // 4 MiB, written in pieces: the cap must stop reading long before the end.
      const piece = "<p>" + "x".repeat(64 * 1024 - 7) + "</p>";
      let sent = 0;
      const write = (): void => {
        while (sent < 64) {
          sent += 1;
          if (!response.write(piece)) return void response.once("drain", write);
        }
        response.end();
      };
      response.on("error", () => undefined);
      write();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const cappedFetch = createCappedFetch({ maxReplyBytes: 100_000, maxErrorBytes: 10_000 });
      const errorPage = await cappedFetch(`${base}/error`);
      expect(errorPage.status).toBe(502);
      expect((await errorPage.text()).length).toBe(10_000);
      const reply = await cappedFetch(`${base}/ok`);
      await expect(reply.text()).rejects.toBeInstanceOf(BodyTooLargeError);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
