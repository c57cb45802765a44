import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEstimateSchema } from "../../src/core/cost/estimate-schema.js";
import { buildOpenApiDocument } from "../../src/http/openapi.js";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { postJson } from "./sse-client.js";

let world: ResearchWorld;
let home: string;
let server: HttpServerHandle;

beforeAll(async () => {
  world = await startResearchWorld({ sections: 3 });
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-http-estimate-"));
  server = await serveHttp({ settings: world.settings(home), port: 0 });
});

afterAll(async () => {
  await server?.close();
  await world?.close();
  await rm(home, { recursive: true, force: true });
});

describe("POST /mcp/streaming/estimate over a real socket", () => {
  it("quotes the orchestrator's body (options at top level or under kwargs) and runs nothing", async () => {
    const response = await postJson(`${server.url}/mcp/streaming/estimate`, {
      task: "State of solid-state batteries",
      kwargs: { max_tokens: 40_000, max_iterations: 2 },
    });
    expect(response.status).toBe(200);
    const estimate = runEstimateSchema.parse(await response.json());
    expect(estimate.budget.max_tokens).toBe(40_000);
    expect(estimate.plan.assessment_rounds.high).toBe(2);
    expect(estimate.tokens.high).toBeLessThanOrEqual(40_000);
    expect(estimate.cost?.currency).toBe("USD");
    expect(world.openai.calls).toHaveLength(0);
  });

  it("rejects an invalid budget with 400 and a JSON-RPC error naming the field", async () => {
    const response = await postJson(`${server.url}/mcp/streaming/estimate`, { task: "x", max_cost: -1 });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe(-32602);
    expect(JSON.stringify(body.error.data)).toMatch(/max_cost must be greater than 0/);
  });

  it("is in the OpenAPI document", () => {
    const document = buildOpenApiDocument({ version: "0.0.0" }) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.paths["/mcp/streaming/estimate"]).toBeDefined();
    expect(document.components.schemas["RunEstimate"]).toBeDefined();
  });
});
