import { describe, expect, it } from "vitest";
import { z } from "zod";
import { extractJson, stripThinking, toModelJsonSchema, toSchemaName } from "../../src/providers/llm/index.js";

describe("stripThinking", () => {
  it("removes think blocks anywhere, template-opened blocks and unterminated leading blocks", () => {
    expect(stripThinking("<think>a</think>Answer <THINK>b</THINK>end")).toBe("Answer end");
    expect(stripThinking("<thinking>plan</thinking>\nDone.")).toBe("Done.");
    expect(stripThinking("reasoning only</think>\n\nFinal.")).toBe("Final.");
    expect(stripThinking("  <think>never closed because of the token limit")).toBe("");
    expect(stripThinking("No reasoning here.")).toBe("No reasoning here.");
  });
});

describe("extractJson", () => {
  it("parses a bare JSON reply", () => {
    expect(extractJson('{"a":1}', { shape: "object" })).toEqual({ ok: true, value: { a: 1 } });
  });

  it("finds JSON in code fences, after reasoning and inside prose", () => {
    expect(extractJson('<think>{"wrong":true}</think>```json\n{"a":[1,2]}\n```')).toEqual({
      ok: true,
      value: { a: [1, 2] },
    });
    expect(
      extractJson('Here you go: {"text":"has } and { in a string","n":2} — enjoy {x}', { shape: "object" }),
    ).toEqual({
      ok: true,
      value: { text: "has } and { in a string", n: 2 },
    });
    expect(extractJson('note [1] then {"k":"v"}', { shape: "object" })).toEqual({ ok: true, value: { k: "v" } });
    expect(extractJson('list: [{"k":1}]', { shape: "array" })).toEqual({ ok: true, value: [{ k: 1 }] });
  });

  it("skips unparsable candidates and says when nothing is found", () => {
    expect(extractJson('{not json} then {"ok":true}', { shape: "object" })).toEqual({ ok: true, value: { ok: true } });
    const missing = extractJson("I cannot do that.", { shape: "object" });
    expect(missing.ok).toBe(false);
    const empty = extractJson("<think>only thoughts</think>");
    expect(empty).toEqual({ ok: false, reason: expect.stringContaining("empty") });
  });
});

describe("toModelJsonSchema", () => {
  it("marks all-required object schemas strict and closes their objects", () => {
    const converted = toModelJsonSchema(z.object({ a: z.string(), b: z.array(z.object({ c: z.number() })) }));
    expect(converted.strict).toBe(true);
    expect(converted.shape).toBe("object");
    expect(converted.schema.$schema).toBeUndefined();
    expect(converted.schema.additionalProperties).toBe(false);
  });

  it("leaves schemas with optional fields non-strict", () => {
    expect(toModelJsonSchema(z.object({ a: z.string(), b: z.string().optional() })).strict).toBe(false);
    expect(toModelJsonSchema(z.object({ a: z.string().default("x") })).strict).toBe(false);
    expect(toModelJsonSchema(z.array(z.string())).shape).toBe("array");
  });

  it("makes API-safe schema names", () => {
    expect(toSchemaName("quality assessment/v2")).toBe("quality_assessment_v2");
    expect(toSchemaName("")).toBe("result");
  });
});
