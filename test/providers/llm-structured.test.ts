import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ReportError } from "../../src/core/errors.js";
import type { ModelUsage } from "../../src/core/types.js";
import { createOpenAICompatibleModel, ResponseFormatMemory } from "../../src/providers/llm/index.js";
import { type FakeChatRequest, type FakeOpenAI, type FakeResponder, startFakeOpenAI } from "../fakes/openai-server.js";

const outlineSchema = z.object({
  title: z.string().min(1),
  sections: z.array(z.object({ name: z.string().min(1), queries: z.array(z.string()) })).min(1),
});
const validOutline = {
  title: "AI Agents this week",
  sections: [{ name: "Funding", queries: ["agent startup funding"] }],
};

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(responder: FakeResponder, memory = new ResponseFormatMemory()) {
  fake = await startFakeOpenAI({ responder });
  const model = createOpenAICompatibleModel({
    provider: "custom",
    model: "local-model",
    baseUrl: fake.url,
    apiKey: "sk-test",
    formatMemory: memory,
    retryBaseDelayMs: 5,
  });
  const usages: ModelUsage[] = [];
  const generate = () =>
    model.generateObject({
      messages: [
        { role: "system", content: "You plan reports." },
        { role: "user", content: "Outline a report on AI agents." },
      ],
      schema: outlineSchema,
      schemaName: "outline",
      signal: new AbortController().signal,
      onUsage: (usage) => {
        usages.push(usage);
      },
    });
  return { fake, model, usages, generate, memory };
}

const formatType = (call: FakeChatRequest | undefined) => call?.body.response_format?.type ?? "none";
const rejectJsonSchema: FakeResponder = (request) =>
  request.body.response_format?.type === "json_schema"
    ? {
        status: 400,
        content: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
      }
    : { content: JSON.stringify(validOutline) };

describe("generateObject", () => {
  it("asks for json_schema with the zod schema converted, and validates the reply", async () => {
    const { fake, usages, generate } = await setup(() => ({
      content: JSON.stringify(validOutline),
      usage: { prompt_tokens: 40, completion_tokens: 20 },
    }));
    expect(await generate()).toEqual(validOutline);
    expect(fake.calls).toHaveLength(1);
    const format = fake.calls[0]?.body.response_format;
    expect(format.type).toBe("json_schema");
    expect(format.json_schema.name).toBe("outline");
    expect(format.json_schema.strict).toBe(true);
    expect(format.json_schema.schema.required).toEqual(["title", "sections"]);
    expect(format.json_schema.schema.properties.sections.items.additionalProperties).toBe(false);
    expect(usages).toEqual([{ input_tokens: 40, output_tokens: 20, estimated: false }]);
  });

  it("falls back to json_object with the schema in the prompt when json_schema is rejected, and remembers it", async () => {
    const { fake, usages, generate } = await setup(rejectJsonSchema);
    expect(await generate()).toEqual(validOutline);
    expect(fake.calls.map(formatType)).toEqual(["json_schema", "json_object"]);
    const system = fake.calls[1]?.body.messages[0].content as string;
    expect(system).toContain("You plan reports.");
    expect(system).toContain('"sections"');
    // The rejected call returned no reply, so only the accepted call is reported.
    expect(usages).toHaveLength(1);

    expect(await generate()).toEqual(validOutline);
    expect(fake.calls.map(formatType)).toEqual(["json_schema", "json_object", "json_object"]);
    expect(usages).toHaveLength(2);
  });

  it("shares what it learnt through the memory with another model for the same endpoint", async () => {
    const memory = new ResponseFormatMemory();
    const { fake } = await setup(rejectJsonSchema, memory);
    const first = createOpenAICompatibleModel({
      provider: "custom",
      model: "local-model",
      baseUrl: fake.url,
      apiKey: "k",
      formatMemory: memory,
    });
    const request = {
      messages: [{ role: "user" as const, content: "outline" }],
      schema: outlineSchema,
      schemaName: "outline",
      signal: new AbortController().signal,
      onUsage: () => {},
    };
    await first.generateObject(request);
    const second = createOpenAICompatibleModel({
      provider: "custom",
      model: "local-model",
      baseUrl: fake.url,
      apiKey: "k",
      formatMemory: memory,
    });
    await second.generateObject(request);
    const other = createOpenAICompatibleModel({
      provider: "custom",
      model: "another-model",
      baseUrl: fake.url,
      apiKey: "k",
      formatMemory: memory,
    });
    await other.generateObject(request);
    expect(fake.calls.map(formatType)).toEqual([
      "json_schema",
      "json_object",
      "json_object",
      "json_schema",
      "json_object",
    ]);
  });

  it("falls back to a plain prompt and extracts the JSON from prose, fences and <think> when both formats are rejected", async () => {
    const { fake, memory, generate } = await setup((request) =>
      request.body.response_format
        ? { status: 400, content: `response_format ${request.body.response_format.type} is unavailable now` }
        : {
            content: `<think>{"draft": true}</think>Sure! Here is the outline:\n\`\`\`json\n${JSON.stringify(validOutline, null, 2)}\n\`\`\`\nHope it helps.`,
          },
    );
    expect(await generate()).toEqual(validOutline);
    expect(fake.calls.map(formatType)).toEqual(["json_schema", "json_object", "none"]);
    expect(fake.calls[2]?.body.messages[0].content).toContain('"title"');
    expect(memory.get({ provider: "custom", model: "local-model", baseUrl: fake.url })).toBe("prompt");
    await generate();
    expect(fake.calls.map(formatType)).toEqual(["json_schema", "json_object", "none", "none"]);
  });

  it("handles a model that ignores response_format and wraps its JSON in prose", async () => {
    const { fake, generate } = await setup(() => ({
      content: `The outline is ${JSON.stringify(validOutline)} as requested.`,
    }));
    expect(await generate()).toEqual(validOutline);
    expect(fake.calls).toHaveLength(1);
  });

  it("repairs an invalid reply once, sending the bad output and the issues back", async () => {
    const { fake, usages, generate } = await setup((_request, index) =>
      index === 0
        ? { content: JSON.stringify({ title: "", sections: [] }), usage: { prompt_tokens: 10, completion_tokens: 5 } }
        : { content: JSON.stringify(validOutline), usage: { prompt_tokens: 20, completion_tokens: 7 } },
    );
    expect(await generate()).toEqual(validOutline);
    expect(fake.calls).toHaveLength(2);
    const repairMessages = fake.calls[1]?.body.messages as { role: string; content: string }[];
    expect(repairMessages.at(-2)).toEqual({ role: "assistant", content: JSON.stringify({ title: "", sections: [] }) });
    expect(repairMessages.at(-1)?.role).toBe("user");
    expect(repairMessages.at(-1)?.content).toMatch(/title/);
    expect(repairMessages.at(-1)?.content).toMatch(/sections/);
    expect(usages).toEqual([
      { input_tokens: 10, output_tokens: 5, estimated: false },
      { input_tokens: 20, output_tokens: 7, estimated: false },
    ]);
  });

  it("fails with model_output_invalid naming the model after one failed repair", async () => {
    const { fake, usages, generate } = await setup(() => ({ content: "I cannot produce JSON, sorry." }));
    const error = await generate().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReportError);
    expect(error).toMatchObject({ type: "model_output_invalid" });
    const message = (error as ReportError).message;
    expect(message).toContain("local-model");
    expect(message).toMatch(/no JSON/);
    expect(message).toMatch(/larger model|another provider/);
    expect(fake.calls).toHaveLength(2);
    expect(usages).toHaveLength(2);
  });

  it("reports JSON with the wrong structure as such", async () => {
    const { generate } = await setup(() => ({ content: JSON.stringify({ title: 5 }) }));
    await expect(generate()).rejects.toThrow(/does not match the expected structure/);
  });

  it("does not treat an unrelated 400 as a format rejection", async () => {
    const { fake, generate } = await setup(() => ({
      status: 400,
      content: "This model's maximum context length is 8192 tokens.",
    }));
    const error = await generate().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ type: "model_call_failed", status: 400 });
    expect(fake.calls).toHaveLength(1);
  });
});
