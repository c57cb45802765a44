import { afterEach, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import type { ModelUsage } from "../../src/core/types.js";
import { createOpenAICompatibleModel, MODEL_PRESETS } from "../../src/providers/llm/index.js";
import { type FakeOpenAI, type FakeResponder, startFakeOpenAI } from "../fakes/openai-server.js";

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(responder: FakeResponder) {
  fake = await startFakeOpenAI({ responder });
  const model = createOpenAICompatibleModel({
    provider: "deepseek",
    baseUrl: fake.url,
    apiKey: "sk-secret-test-key",
    retryBaseDelayMs: 5,
  });
  const usages: ModelUsage[] = [];
  const onUsage = (usage: ModelUsage) => {
    usages.push(usage);
  };
  return { fake, model, usages, onUsage };
}

const signal = () => new AbortController().signal;

describe("generateText", () => {
  it("streams the reply and reports the API's usage once", async () => {
    const { fake, model, usages, onUsage } = await setup(() => ({
      content: "Solid-state batteries moved to pilot lines in 2026.",
      usage: { prompt_tokens: 560, completion_tokens: 830 },
    }));
    const text = await model.generateText({
      messages: [
        { role: "system", content: "You write reports." },
        { role: "user", content: "Summarise." },
      ],
      signal: signal(),
      temperature: 0.3,
      maxOutputTokens: 400,
      onUsage,
    });
    expect(text).toBe("Solid-state batteries moved to pilot lines in 2026.");
    expect(usages).toEqual([{ input_tokens: 560, output_tokens: 830, estimated: false }]);
    expect(model.provider).toBe("deepseek");
    expect(model.model).toBe("deepseek-chat");
    const body = fake.calls[0]?.body;
    expect(body).toMatchObject({
      model: "deepseek-chat",
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.3,
      max_tokens: 400,
    });
    expect(fake.calls[0]?.headers.authorization).toBe("Bearer sk-secret-test-key");
  });

  it("counts tokens locally and marks them estimated when the API sends no usage", async () => {
    const { model, usages, onUsage } = await setup(() => ({ content: "一二三四五 five words of text", usage: null }));
    const text = await model.generateText({
      messages: [{ role: "user", content: "hello there" }],
      signal: signal(),
      onUsage,
    });
    expect(text).toBe("一二三四五 five words of text");
    expect(usages).toHaveLength(1);
    expect(usages[0]?.estimated).toBe(true);
    expect(usages[0]?.input_tokens).toBeGreaterThan(2);
    expect(usages[0]?.output_tokens).toBeGreaterThan(3);
  });

  it("drops stream_options when the server rejects it and still answers", async () => {
    const { fake, model, usages, onUsage } = await setup((request) =>
      request.body.stream_options
        ? { status: 400, content: "Unrecognized request argument supplied: stream_options" }
        : { content: "ok", usage: null },
    );
    expect(await model.generateText({ messages: [{ role: "user", content: "hi" }], signal: signal(), onUsage })).toBe(
      "ok",
    );
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[1]?.body.stream_options).toBeUndefined();
    expect(usages).toHaveLength(1);
    expect(usages[0]?.estimated).toBe(true);
  });

  it("strips <think> blocks, a template-opened block and reasoning_content", async () => {
    const replies = [
      { content: "<think>let me reason about batteries</think>\n\nThe answer." },
      { content: "reasoning whose opening tag was in the template</think>Second answer." },
      { content: "Third answer.", reasoning: "hidden chain of thought" },
    ];
    const { model, onUsage } = await setup((_request, index) => replies[index] ?? { content: "" });
    const ask = () => model.generateText({ messages: [{ role: "user", content: "q" }], signal: signal(), onUsage });
    expect(await ask()).toBe("The answer.");
    expect(await ask()).toBe("Second answer.");
    expect(await ask()).toBe("Third answer.");
  });

  it("fails with model_output_invalid when only an unterminated <think> block comes back", async () => {
    const { model, usages, onUsage } = await setup(() => ({ content: "<think>thinking until the token limit ran o" }));
    const error = await model
      .generateText({ messages: [{ role: "user", content: "q" }], signal: signal(), onUsage })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReportError);
    expect(error).toMatchObject({ type: "model_output_invalid" });
    expect((error as ReportError).message).toContain("only reasoning");
    expect(usages).toHaveLength(1);
  });

  it("uses max_completion_tokens for the openai preset", async () => {
    fake = await startFakeOpenAI({ responder: () => ({ content: "fine" }) });
    const model = createOpenAICompatibleModel({ provider: "openai", baseUrl: fake.url, apiKey: "sk-x" });
    await model.generateText({
      messages: [{ role: "user", content: "q" }],
      signal: signal(),
      maxOutputTokens: 50,
      onUsage: () => {},
    });
    expect(fake.calls[0]?.body.max_completion_tokens).toBe(50);
    expect(fake.calls[0]?.body.max_tokens).toBeUndefined();
  });
});

describe("createOpenAICompatibleModel options", () => {
  it("uses the preset's default model and reports the preset name", () => {
    const model = createOpenAICompatibleModel({ provider: "doubao", apiKey: "ark-key" });
    expect(model.provider).toBe("doubao");
    expect(model.model).toBe("doubao-1-5-pro-32k-250115");
    expect(MODEL_PRESETS.doubao.apiKeyEnv).toBe("ARK_API_KEY");
    expect(MODEL_PRESETS.ollama.requiresKey).toBe(false);
  });

  it("rejects custom without base URL or model, naming what to set", () => {
    expect(() => createOpenAICompatibleModel({ provider: "custom", model: "m", apiKey: "k" })).toThrow(
      /OPENAI_BASE_URL/,
    );
    expect(() =>
      createOpenAICompatibleModel({ provider: "custom", baseUrl: "http://127.0.0.1:1/v1", apiKey: "k" }),
    ).toThrow(/REPORT_MCP_MODEL/);
    try {
      createOpenAICompatibleModel({ provider: "custom", apiKey: "k" });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ type: "invalid_params" });
    }
  });

  it("asks for the preset's key env var when a keyed preset has no key, but ollama needs none", () => {
    expect(() => createOpenAICompatibleModel({ provider: "deepseek" })).toThrow(/DEEPSEEK_API_KEY/);
    expect(() => createOpenAICompatibleModel({ provider: "openai", apiKey: "" })).toThrow(/OPENAI_API_KEY/);
    expect(createOpenAICompatibleModel({ provider: "ollama" }).model).toBe(MODEL_PRESETS.ollama.defaultModel);
  });

  it("rejects a base URL that is not http(s)", () => {
    expect(() => createOpenAICompatibleModel({ provider: "ollama", baseUrl: "ftp://example.test" })).toThrow(
      /base URL/,
    );
  });
});
