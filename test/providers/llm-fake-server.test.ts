import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "../fakes/openai-server.js";

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe("fake OpenAI server", () => {
  it("answers non-streaming chat with default usage and records the call", async () => {
    fake = await startFakeOpenAI({ responder: () => ({ content: "hello world!" }) });
    const client = new OpenAI({ baseURL: fake.url, apiKey: "sk-test", maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: "m1",
      messages: [{ role: "user", content: "12345678" }],
    });
    expect(completion.choices[0]?.message.content).toBe("hello world!");
    expect(completion.usage?.prompt_tokens).toBe(2);
    expect(completion.usage?.completion_tokens).toBe(3);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]?.body.model).toBe("m1");
    expect(fake.calls[0]?.headers.authorization).toBe("Bearer sk-test");
  });

  it("streams chunks and a usage chunk only when asked", async () => {
    fake = await startFakeOpenAI({
      responder: () => ({
        content: "流式输出的文本 streaming text",
        usage: { prompt_tokens: 7, completion_tokens: 9 },
      }),
    });
    const client = new OpenAI({ baseURL: fake.url, apiKey: "sk-test", maxRetries: 0 });
    const read = async (includeUsage: boolean) => {
      const stream = await client.chat.completions.create({
        model: "m1",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
        ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
      });
      let text = "";
      let usage: unknown = null;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        if (chunk.usage) usage = chunk.usage;
      }
      return { text, usage };
    };
    expect(await read(true)).toEqual({
      text: "流式输出的文本 streaming text",
      usage: { prompt_tokens: 7, completion_tokens: 9, total_tokens: 16 },
    });
    expect(await read(false)).toEqual({ text: "流式输出的文本 streaming text", usage: null });
  });

  it("serves errors, raw bodies and the model list", async () => {
    fake = await startFakeOpenAI({
      responder: (_request, index) =>
        index === 0 ? { status: 400, content: "bad response_format" } : { body: "{not json" },
    });
    const client = new OpenAI({ baseURL: fake.url, apiKey: "sk-test", maxRetries: 0 });
    await expect(client.chat.completions.create({ model: "m", messages: [] })).rejects.toMatchObject({ status: 400 });
    await expect(client.chat.completions.create({ model: "m", messages: [] })).rejects.toThrow();
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain("fake-model");
  });
});
