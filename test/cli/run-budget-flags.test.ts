import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runEstimateSchema } from "../../src/core/cost/estimate-schema.js";
import { parsePriceOverrides, findPrice, costOf } from "../../src/core/cost/prices.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { createTestCli } from "../helpers/cli-context.js";

let dir: string;
let world: ResearchWorld;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-budget-cli-"));
  world = await startResearchWorld({ providers: ["tavily"], sections: 3 });
});
afterEach(async () => {
  await world.close();
  await fs.rm(dir, { recursive: true, force: true });
});

function cli(extra: Record<string, string> = {}, tty = false) {
  return createTestCli({ env: { REPORT_MCP_HOME: path.join(dir, "home"), ...world.env(), ...extra }, cwd: dir, tty });
}

describe("report-mcp run: budgets, prices and quotes", () => {
  it("--estimate --json prints a quote and calls no model", async () => {
    const test = cli();
    expect(
      await test.run([
        "run",
        "State of solid-state batteries in 2026",
        "--estimate",
        "--json",
        "--max-tokens",
        "50000",
      ]),
    ).toBe(0);
    const estimate = runEstimateSchema.parse(JSON.parse(test.stdout.text()));
    expect(estimate.budget.max_tokens).toBe(50_000);
    expect(estimate.model_name).toBe("gpt-4.1-mini");
    expect(world.openai.calls).toHaveLength(0);
  });

  it("--estimate prints one line for people", async () => {
    const test = cli();
    expect(await test.run(["run", "State of solid-state batteries in 2026", "--estimate"])).toBe(0);
    expect(test.stdout.text()).toMatch(
      /^Estimate \(openai\/gpt-4\.1-mini, from built-in priors.*model calls.*tokens.*USD/,
    );
  });

  it("the outline dialogue shows the quote for the proposed outline", async () => {
    const test = cli({}, true);
    const running = test.run(["run", "State of solid-state batteries in 2026", "--no-auto-confirm"]);
    await test.stderr.until("Approve this outline?");
    expect(test.stderr.text()).toMatch(/Proposed outline: [\s\S]*Estimate \(openai\/gpt-4\.1-mini, .*~\d+ model calls/);
    test.stdin.write("r\n");
    await test.stderr.until("Why?");
    test.stdin.write("too costly\n");
    expect(await running).toBe(1);
  });

  it("shows the run's cost on the last line", async () => {
    const test = cli();
    expect(await test.run(["run", "State of solid-state batteries in 2026"])).toBe(0);
    expect(test.stderr.text()).toMatch(/Report ready: .*tokens in .* out · \d+\.\d{4} USD · /);
  });

  it("an impossible budget exits 4 with budget_exceeded", async () => {
    const test = cli();
    expect(await test.run(["run", "State of solid-state batteries in 2026", "--max-tokens", "1000"])).toBe(4);
    expect(test.stderr.text()).toMatch(/error \[budget_exceeded\]/);
  });

  it("bad budgets and prices are usage errors naming what is wrong", async () => {
    const flag = cli();
    expect(await flag.run(["run", "x", "--max-tokens", "12"])).toBe(2);
    expect(flag.stderr.text()).toMatch(/--max-tokens must be at least 1000/);
    const cost = cli();
    expect(await cost.run(["run", "x", "--max-cost", "free"])).toBe(2);
    expect(cost.stderr.text()).toMatch(/--max-cost must be a number/);
    const prices = cli({ REPORT_MCP_PRICES: '{"gpt-4.1-mini": {"input": -1, "output": 2}}' });
    expect(await prices.run(["run", "x"])).toBe(2);
    expect(prices.stderr.text()).toMatch(
      /REPORT_MCP_PRICES is invalid: "gpt-4\.1-mini\.input": input must be 0 or more/,
    );
    const env = cli({ REPORT_MCP_MAX_TOKENS: "lots" });
    expect(await env.run(["run", "x"])).toBe(2);
    expect(env.stderr.text()).toMatch(/REPORT_MCP_MAX_TOKENS must be a whole number of tokens/);
  });

  it("config set prices stores validated JSON that runs then use", async () => {
    const set = cli();
    expect(
      await set.run(["config", "set", "prices", '{"gpt-4.1-mini": {"input": 1, "output": 2, "currency": "eur"}}']),
    ).toBe(0);
    const bad = cli();
    expect(await bad.run(["config", "set", "prices", "{not json"])).toBe(2);
    expect(bad.stderr.text()).toMatch(/invalid value for prices: not valid JSON/);
    const quote = cli();
    expect(await quote.run(["run", "State of solid-state batteries", "--estimate", "--json"])).toBe(0);
    expect(runEstimateSchema.parse(JSON.parse(quote.stdout.text())).cost?.currency).toBe("EUR");
  });
});

describe("the price table", () => {
  it("prices the presets' default models and any local model, and honours overrides by model or provider/model", () => {
    expect(findPrice({ provider: "deepseek", model: "deepseek-chat" })).toMatchObject({ currency: "USD" });
    expect(findPrice({ provider: "doubao", model: "doubao-1-5-pro-32k-250115" })?.currency).toBe("CNY");
    expect(findPrice({ provider: "ollama", model: "llama3.1:8b" })).toEqual({ input: 0, output: 0, currency: "USD" });
    expect(findPrice({ provider: "custom", model: "mystery" })).toBeNull();
    const overrides = parsePriceOverrides(
      '{"mystery": {"input": 1, "output": 2}, "custom/mystery": {"input": 3, "output": 4, "currency": "gbp"}}',
    );
    if (!overrides.ok) throw new Error(overrides.problem);
    expect(findPrice({ provider: "custom", model: "mystery", overrides: overrides.value })).toEqual({
      input: 3,
      output: 4,
      currency: "GBP",
    });
    expect(findPrice({ provider: "openai", model: "mystery", overrides: overrides.value })).toEqual({
      input: 1,
      output: 2,
      currency: "USD",
    });
    expect(
      costOf({ input_tokens: 1_000_000, output_tokens: 500_000 }, { input: 0.4, output: 1.6, currency: "USD" }),
    ).toEqual({ amount: 1.2, currency: "USD" });
    expect(parsePriceOverrides('{"x": {"input": 1}}')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/"x\.output": output must be a number/),
    });
  });
});
