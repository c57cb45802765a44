import { afterEach, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import { createOpenAICompatibleModel } from "../../src/providers/llm/index.js";
import { type FakeOpenAI, type FakeReply, startFakeOpenAI } from "../fakes/openai-server.js";

/** A reply stream the connection cut: content arrived, but no finish_reason and no [DONE]. */
const CUT_STREAM: FakeReply = {
  body: `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "fake-model", choices: [{ index: 0, delta: { content: "Solid-state batteries are" }, finish_reason: null }] })}\n\n`,
};

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function ask(url: string) {
  const model = createOpenAICompatibleModel({
    provider: "openai",
    baseUrl: url,
    apiKey: "sk-test-key-123456",
    retryBaseDelayMs: 5,
    maxRetries: 1,
  });
  return model.generateText({
    messages: [{ role: "user", content: "Write the section." }],
    signal: new AbortController().signal,
    onUsage: () => {},
  });
}

describe("a reply stream cut off mid-reply", () => {
  it("is not taken as the complete text: the call is retried", async () => {
    fake = await startFakeOpenAI({
      responder: (_request, index) => (index === 0 ? CUT_STREAM : { content: "Solid-state batteries are coming. [1]" }),
    });
    await expect(ask(fake.url)).resolves.toBe("Solid-state batteries are coming. [1]");
    expect(fake.calls).toHaveLength(2);
  });

  it("ends with model_call_failed saying the stream was cut when it keeps happening", async () => {
    fake = await startFakeOpenAI({ responder: () => CUT_STREAM });
    const error = await ask(fake.url).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).type).toBe("model_call_failed");
    expect((error as ReportError).message).toContain("the reply stream ended before the model finished");
    expect(fake.calls).toHaveLength(2);
  });
});
