import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEstimateSchema } from "../../src/core/cost/estimate-schema.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { callTool, connect, usageMessages, type Harness } from "./mcp-harness.js";
import { removeRuntimeHomes, worldRuntime } from "./test-runtime.js";

let world: ResearchWorld;
let harness: Harness;

beforeAll(async () => {
  world = await startResearchWorld({ sections: 3, usage: { prompt_tokens: 1000, completion_tokens: 500 } });
  harness = await connect({ runtime: worldRuntime(world) });
});

afterAll(async () => {
  await harness?.close();
  await world?.close();
  removeRuntimeHomes();
});

describe("estimate_report through the SDK client", () => {
  it("quotes calls, tokens and cost for generate_report's arguments without running anything", async () => {
    const result = await callTool(harness.client, "estimate_report", {
      task: "State of solid-state batteries in 2026",
      max_tokens: 50_000,
    });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const estimate = runEstimateSchema.parse(result.structuredContent);
    expect(estimate.engine).toBe("llm");
    expect(estimate.model_name).toBe("gpt-4.1-mini");
    expect(estimate.model_calls.expected).toBeGreaterThanOrEqual(5);
    expect(estimate.tokens.low).toBeLessThanOrEqual(estimate.tokens.expected);
    expect(estimate.tokens.expected).toBeLessThanOrEqual(estimate.tokens.high);
    expect(estimate.tokens.high).toBeLessThanOrEqual(50_000);
    expect(estimate.cost?.currency).toBe("USD");
    expect(estimate.budget.max_tokens).toBe(50_000);
    expect(result.content[0]).toMatchObject({ type: "text" });
    expect(JSON.stringify(result.content[0])).toMatch(/model calls/);
    // A quote spends nothing.
    expect(world.openai.calls).toHaveLength(0);
  });

  it("rejects a bad budget naming the field", async () => {
    const result = await callTool(harness.client, "estimate_report", { task: "x", max_tokens: 10 }).catch(
      (error: unknown) => error,
    );
    expect(JSON.stringify(result)).toMatch(/max_tokens must be at least 1000/);
  });

  it("generate_report's usage messages carry the cost after the seed's fields", async () => {
    const result = await callTool(harness.client, "generate_report", {
      task: "State of solid-state batteries in 2026",
    });
    expect(result.isError).toBeFalsy();
    const usage = usageMessages(harness.messages);
    expect(usage.length).toBeGreaterThan(0);
    for (const data of usage) {
      expect(Object.keys(data).slice(0, 4)).toEqual(["model_provider", "model_name", "input_tokens", "output_tokens"]);
      expect(data["cost"]).toEqual({ amount: 0.0012, currency: "USD" });
    }
    const metadata = (result.structuredContent as { metadata: { cost?: { amount: number } } }).metadata;
    expect(metadata.cost?.amount).toBeCloseTo(0.0012 * usage.length, 6);
  });
});
