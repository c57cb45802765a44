import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import type { ModelUsage } from "../../src/core/types.js";
import { createOpenAICompatibleModel, type OpenAICompatibleModelOptions } from "../../src/providers/llm/index.js";
import { type FakeOpenAI, type FakeResponder, startFakeOpenAI } from "../fakes/openai-server.js";
import { recordDelays } from "../helpers/recorded-delays.js";

const SECRET = "sk-live-SECRET1234567890abcdef";

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(responder: FakeResponder, options: Partial<OpenAICompatibleModelOptions> = {}) {
  fake = await startFakeOpenAI({ responder });
  const model = createOpenAICompatibleModel({
    provider: "doubao",
    baseUrl: fake.url,
    apiKey: SECRET,
    retryBaseDelayMs: 5,
    ...options,
  });
  const usages: ModelUsage[] = [];
  const ask = (signal: AbortSignal = new AbortController().signal) =>
    model.generateText({
      messages: [{ role: "user", content: "Write the summary." }],
      signal,
      onUsage: (usage) => {
        usages.push(usage);
      },
    });
  return { fake, model, usages, ask };
}

async function failure(promise: Promise<unknown>): Promise<ReportError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ReportError)) throw new Error(`expected a ReportError, got ${String(error)}`);
  return error;
}

describe("retries", () => {
  it("retries a 429 after the server's retry-after (seconds) and then succeeds", async () => {
    const delays = recordDelays();
    const { fake, usages, ask } = await setup(
      (_request, index) =>
        index === 0
          ? { status: 429, headers: { "retry-after": "1" }, content: "Rate limit reached" }
          : { content: "done" },
      { retryDelay: delays.delay },
    );
    expect(await ask()).toBe("done");
    expect(delays.waits).toEqual([1_000]);
    expect(fake.calls).toHaveLength(2);
    expect(usages).toHaveLength(1);
  });

  it("prefers retry-after-ms", async () => {
    const delays = recordDelays();
    const { fake, ask } = await setup(
      (_request, index) =>
        index < 2 ? { status: 429, headers: { "retry-after-ms": "150", "retry-after": "30" } } : { content: "done" },
      { retryDelay: delays.delay },
    );
    expect(await ask()).toBe("done");
    expect(delays.waits).toEqual([150, 150]);
    expect(fake.calls).toHaveLength(3);
  });

  it("backs off from retryBaseDelayMs, doubling, when the server sends no retry-after", async () => {
    const delays = recordDelays();
    const { fake, ask } = await setup((_request, index) => (index < 2 ? { status: 503 } : { content: "done" }), {
      retryBaseDelayMs: 400,
      retryDelay: delays.delay,
    });
    expect(await ask()).toBe("done");
    expect(fake.calls).toHaveLength(3);
    expect(delays.waits).toHaveLength(2);
    // Jitter takes up to a quarter off: 300–400 ms, then 600–800 ms.
    expect(delays.waits[0]).toBeGreaterThanOrEqual(300);
    expect(delays.waits[0]).toBeLessThanOrEqual(400);
    expect(delays.waits[1]).toBeGreaterThanOrEqual(600);
    expect(delays.waits[1]).toBeLessThanOrEqual(800);
  });

  it("gives up on repeated 500s with model_call_failed after 1 + maxRetries attempts", async () => {
    const { fake, usages, ask } = await setup(() => ({ status: 500, content: "upstream exploded" }), { maxRetries: 2 });
    const error = await failure(ask());
    expect(error.type).toBe("model_call_failed");
    expect(error.status).toBe(500);
    expect(error.message).toContain("HTTP 500");
    expect(error.message).toContain("3 attempts");
    expect(error.message).toContain("upstream exploded");
    expect(fake.calls).toHaveLength(3);
    expect(usages).toHaveLength(0);
  });

  it("does not wait out an unreasonable retry-after and says how long was asked", async () => {
    const delays = recordDelays();
    const { fake, ask } = await setup(
      () => ({ status: 429, headers: { "retry-after": "3600" }, content: "Too many requests" }),
      {
        retryDelay: delays.delay,
      },
    );
    const error = await failure(ask());
    expect(delays.waits).toEqual([]);
    expect(error.type).toBe("model_call_failed");
    expect(error.message).toContain("HTTP 429");
    expect(error.message).toContain("3600 s");
    expect(error.isRetryable).toBe(true);
    expect(fake.calls).toHaveLength(1);
  });

  it("cancel during a retry wait ends at once and makes no further request", async () => {
    const delays = recordDelays({ mode: "hold" });
    const { fake, ask } = await setup(() => ({ status: 429, headers: { "retry-after": "20" } }), {
      retryDelay: delays.delay,
    });
    const controller = new AbortController();
    const pending = failure(ask(controller.signal));
    await delays.requested(1);
    controller.abort();
    const error = await pending;
    expect(error.type).toBe("cancelled");
    expect(delays.waits).toEqual([20_000]);
    // The call has returned: nothing is left that could send another request.
    expect(fake.calls).toHaveLength(1);
  });
});

describe("error mapping", () => {
  it("401 names the key's env var and never echoes the key", async () => {
    const { fake, ask } = await setup(() => ({ status: 401, content: `Incorrect API key provided: ${SECRET}` }));
    const error = await failure(ask());
    expect(error.type).toBe("model_call_failed");
    expect(error.message).toContain("rejected the key for doubao (HTTP 401)");
    expect(error.message).toContain("ARK_API_KEY");
    expect(error.message).toContain("report-mcp config set apiKey");
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify(error.toJSON())).not.toContain(SECRET);
    expect(fake.calls).toHaveLength(1);
  });

  it("redacts the key from other upstream messages", async () => {
    const { ask } = await setup(() => ({ status: 400, content: `Bad request for key ${SECRET}` }));
    const error = await failure(ask());
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toContain("HTTP 400");
  });

  it("404 says the model name is not known to the provider", async () => {
    const { ask } = await setup(() => ({ status: 404, content: "The model `no-such-model` does not exist" }), {
      model: "no-such-model",
    });
    const error = await failure(ask());
    expect(error.type).toBe("model_call_failed");
    expect(error.message).toContain('"no-such-model" is not known to doubao');
  });

  it("a hanging server hits timeoutMs on every attempt and ends with model_call_failed", async () => {
    const { fake, ask } = await setup(() => ({ hang: true }), { timeoutMs: 300, maxRetries: 1 });
    const error = await failure(ask());
    expect(error.type).toBe("model_call_failed");
    expect(error.message).toMatch(/did not answer within 0\.3 s \(2 attempts\)/);
    expect(fake.calls).toHaveLength(2);
  });

  it("a stream that stalls midway also times out", async () => {
    const { fake, usages, ask } = await setup(() => ({ content: "a slow stream of words", chunkDelayMs: 5_000 }), {
      timeoutMs: 300,
      maxRetries: 0,
    });
    const error = await failure(ask());
    expect(error.type).toBe("model_call_failed");
    expect(error.message).toContain("did not answer within 0.3 s");
    expect(fake.calls).toHaveLength(1);
    expect(usages).toHaveLength(0);
  });

  it("abort while the reply is streaming ends with cancelled", async () => {
    const { fake, ask } = await setup(() => ({ content: "a slow stream of words", chunkDelayMs: 5_000 }));
    const controller = new AbortController();
    const pending = failure(ask(controller.signal));
    await fake.streamed(1);
    controller.abort();
    expect((await pending).type).toBe("cancelled");
    expect(fake.calls).toHaveLength(1);
  });

  it("abort mid-call ends with cancelled and no further request", async () => {
    const { fake, usages, ask } = await setup(() => ({ hang: true }));
    const controller = new AbortController();
    const pending = failure(ask(controller.signal));
    await fake.received(1);
    controller.abort();
    const error = await pending;
    expect(error.type).toBe("cancelled");
    expect(fake.calls).toHaveLength(1);
    expect(usages).toHaveLength(0);
  });

  it("an already aborted signal makes no request", async () => {
    const { fake, ask } = await setup(() => ({ content: "never" }));
    const controller = new AbortController();
    controller.abort();
    expect((await failure(ask(controller.signal))).type).toBe("cancelled");
    expect(fake.calls).toHaveLength(0);
  });

  it("an unreachable base URL says to check the base URL", async () => {
    const port = await closedPort();
    const model = createOpenAICompatibleModel({
      provider: "ollama",
      baseUrl: `http://127.0.0.1:${port}/v1`,
      maxRetries: 1,
      retryBaseDelayMs: 5,
    });
    const error = await failure(
      model.generateText({
        messages: [{ role: "user", content: "q" }],
        signal: new AbortController().signal,
        onUsage: () => {},
      }),
    );
    expect(error.type).toBe("model_call_failed");
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toMatch(/base URL/);
    expect(error.message).toContain("2 attempts");
  });
});

/** A port nothing listens on: bind, read the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
