/**
 * Property-based tests (fast-check) over what a model API sends back: any status, any stream of
 * frames (content, error frames, usage of the wrong type, garbage, early [DONE], `<think>`), any
 * JSON. Every call ends with text / a schema-valid object or a typed model error — never a
 * TypeError, never a hang.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ReportError } from "../../src/core/errors.js";
import { createOpenAICompatibleModel } from "../../src/providers/llm/index.js";
import { PER_INPUT_TIMEOUT_MS, propertyRuns } from "../helpers/property-runs.js";
import { type FakeOpenAI, type FakeReply, startFakeOpenAI } from "../fakes/openai-server.js";

let fake: FakeOpenAI;
let reply: FakeReply = {};
beforeAll(async () => {
  fake = await startFakeOpenAI({ responder: () => reply });
});
afterAll(async () => {
  await fake?.close();
});

const anyValue = fc.jsonValue({ maxDepth: 2 });
const frame = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
const chunk = (delta: unknown, finish: unknown) => ({
  id: "c",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const content = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '{"title": "T", "points": ["a"]}',
    "<think>hmm",
    "</think>",
    "```json\n{",
    "}\n```",
    '{"title": 3}',
    "[DONE]",
  ),
);
const frames = fc.array(
  fc.oneof(
    fc
      .tuple(content, fc.constantFrom(null, null, "stop", "length", "content_filter"))
      .map(([text, finish]) => frame(chunk({ content: text }, finish))),
    fc
      .tuple(fc.string({ maxLength: 20 }), fc.constantFrom(null, "stop"))
      .map(([text, finish]) => frame(chunk({ reasoning_content: text }, finish))),
    fc
      .record({ message: anyValue, type: anyValue, code: anyValue }, { requiredKeys: [] })
      .map((error) => frame({ error })),
    fc
      .record({ prompt_tokens: anyValue, completion_tokens: anyValue }, { requiredKeys: [] })
      .map((usage) => frame({ id: "c", object: "chat.completion.chunk", choices: [], usage })),
    anyValue.map((value) => frame(value)),
    fc.string({ maxLength: 40 }).map((text) => `data: ${text.replace(/\n/g, " ")}\n\n`),
    fc.constant("data: [DONE]\n\n"),
    fc.constant(": keep-alive\n\n"),
    anyValue.map((value) => `event: error\ndata: ${JSON.stringify(value)}\n\n`),
  ),
  { maxLength: 10 },
);
const replies: fc.Arbitrary<FakeReply> = fc.oneof(
  frames.map((parts) => ({ body: parts.join("") })),
  fc.record({
    status: fc.constantFrom(400, 401, 404, 408, 422, 429, 500, 502, 503),
    body: fc.oneof(
      anyValue.map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 60 }),
    ),
  }),
  content.map((text) => ({ content: text })),
);

function model() {
  return createOpenAICompatibleModel({
    provider: "custom",
    model: "m",
    baseUrl: fake.url,
    apiKey: "sk-never-shown-0123456789",
    maxRetries: 0,
    retryBaseDelayMs: 1,
    timeoutMs: 3_000,
  });
}

function expectTypedModelError(error: unknown): void {
  expect(error, String(error)).toBeInstanceOf(ReportError);
  const reportError = error as ReportError;
  expect(["model_call_failed", "model_output_invalid"]).toContain(reportError.type);
  expect(reportError.message).not.toContain("sk-never-shown-0123456789");
}

const OPTIONS = { numRuns: propertyRuns(60), timeout: PER_INPUT_TIMEOUT_MS };

describe("a model API answering anything", () => {
  it("generateText: non-empty text, or a typed model error", async () => {
    const llm = model();
    await fc.assert(
      fc.asyncProperty(replies, async (next) => {
        reply = next;
        try {
          const text = await llm.generateText({
            messages: [{ role: "user", content: "Write." }],
            signal: new AbortController().signal,
            onUsage: () => {},
          });
          expect(typeof text).toBe("string");
          expect(text.trim()).not.toBe("");
        } catch (error) {
          expectTypedModelError(error);
        }
      }),
      OPTIONS,
    );
  });

  it("generateObject: a schema-valid object, or a typed model error", async () => {
    const llm = model();
    const schema = z.object({ title: z.string(), points: z.array(z.string()) });
    await fc.assert(
      fc.asyncProperty(replies, async (next) => {
        reply = next;
        try {
          const value = await llm.generateObject({
            messages: [{ role: "user", content: "Plan." }],
            schema,
            schemaName: "plan",
            signal: new AbortController().signal,
            onUsage: () => {},
          });
          expect(schema.safeParse(value).success).toBe(true);
        } catch (error) {
          expectTypedModelError(error);
        }
      }),
      OPTIONS,
    );
  });
});
