/**
 * The MCP boundaries under arbitrary input: raw stdio lines (a JSON-RPC error or a message for
 * the SDK, never a throw), the `initialize` fast path (it answers only what the SDK accepts,
 * so one id never gets a result and an error), the protocol guard, and tool arguments sent
 * through a real SDK client (a typed result or error, never a crash or a schema failure).
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import {
  CallToolResultSchema,
  InitializeRequestSchema,
  JSONRPCMessageSchema,
  JSONRPCRequestSchema,
  McpError,
  type JSONRPCRequest,
} from "@modelcontextprotocol/sdk/types.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import { ReportJobs } from "../../src/core/jobs/index.js";
import { reportErrorSchema } from "../../src/core/result.js";
import type { ReportRuntime } from "../../src/core/runtime.js";
import { createMcpServer } from "../../src/mcp/create-server.js";
import { refusalFor, type ToolCatalog } from "../../src/mcp/protocol-guard.js";
import { initializeRequest } from "../../src/mcp/stdio.js";
import { lineProblem } from "../../src/mcp/stdio-line-filter.js";
import { RUNS } from "./budget.js";

/** A runtime whose every run and search fails at once with a typed error (no provider, no network). */
const failingRuntime: ReportRuntime = {
  runReport: async () => {
    throw new ReportError("no_search_source", "No search source in this test.");
  },
  search: async () => {
    throw new ReportError("no_search_source", "No search source in this test.");
  },
  describe: () => ({ engine: "extractive", modelProvider: null, modelName: null, searchProviders: [] }),
};

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const requestId = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.boolean(),
  fc.object({ maxDepth: 1 }),
);
const messageLike = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant("2.0"), fc.constant("1.0"), jsonValue),
    id: requestId,
    method: fc.oneof(
      fc.constantFrom(
        "initialize",
        "ping",
        "tools/list",
        "tools/call",
        "logging/setLevel",
        "notifications/initialized",
      ),
      fc.string({ maxLength: 12 }),
      jsonValue,
    ),
    params: fc.oneof(fc.object({ maxDepth: 2 }), jsonValue),
    result: fc.object({ maxDepth: 1 }),
    extra: jsonValue,
  },
  { requiredKeys: [] },
);
const stdioLine = fc.oneof(
  fc.string({ maxLength: 60 }),
  jsonValue.map((value) => JSON.stringify(value)),
  messageLike.map((value) => JSON.stringify(value)),
  fc.array(messageLike, { maxLength: 3 }).map((value) => JSON.stringify(value)),
);

const capabilityValue = fc.oneof(
  fc.constant({}),
  fc.constant([]),
  fc.boolean(),
  fc.string({ maxLength: 4 }),
  fc.constant(null),
  fc.object({ maxDepth: 2 }),
);
const capabilities = fc.oneof(
  fc.record(
    {
      experimental: fc.oneof(fc.dictionary(fc.string({ maxLength: 4 }), capabilityValue), capabilityValue),
      extensions: fc.oneof(fc.dictionary(fc.string({ maxLength: 4 }), capabilityValue), capabilityValue),
      sampling: fc.oneof(
        fc.record({ context: capabilityValue, tools: capabilityValue }, { requiredKeys: [] }),
        capabilityValue,
      ),
      elicitation: fc.oneof(
        fc.record(
          {
            form: fc.oneof(
              fc.record({ applyDefaults: fc.oneof(fc.boolean(), capabilityValue) }, { requiredKeys: [] }),
              capabilityValue,
            ),
            url: capabilityValue,
          },
          { requiredKeys: [] },
        ),
        capabilityValue,
      ),
      roots: fc.oneof(
        fc.record({ listChanged: fc.oneof(fc.boolean(), capabilityValue) }, { requiredKeys: [] }),
        capabilityValue,
      ),
      tasks: fc.oneof(
        fc.record(
          {
            list: capabilityValue,
            cancel: capabilityValue,
            requests: fc.oneof(
              fc.record(
                {
                  sampling: fc.oneof(
                    fc.record({ createMessage: capabilityValue }, { requiredKeys: [] }),
                    capabilityValue,
                  ),
                  elicitation: capabilityValue,
                },
                { requiredKeys: [] },
              ),
              capabilityValue,
            ),
          },
          { requiredKeys: [] },
        ),
        capabilityValue,
      ),
      other: capabilityValue,
    },
    { requiredKeys: [] },
  ),
  capabilityValue,
);
const nearlyValidInitialize = fc.record(
  {
    jsonrpc: fc.constant("2.0"),
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 6 })),
    method: fc.constant("initialize"),
    params: fc.record(
      {
        protocolVersion: fc.constantFrom("2025-11-25", "2025-06-18", "1999-01-01"),
        capabilities,
        clientInfo: fc.record(
          {
            name: fc.string({ maxLength: 6 }),
            version: fc.string({ maxLength: 6 }),
            title: fc.oneof(fc.string({ maxLength: 4 }), jsonValue),
            description: fc.string({ maxLength: 4 }),
          },
          { requiredKeys: ["name", "version"] },
        ),
      },
      { requiredKeys: ["protocolVersion", "capabilities", "clientInfo"] },
    ),
  },
  { requiredKeys: ["jsonrpc", "id", "method", "params"] },
);
const anyInitialize = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant("2.0"), jsonValue),
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), requestId),
    method: fc.oneof(fc.constant("initialize"), fc.string({ maxLength: 4 })),
    params: fc.oneof(
      fc.record(
        {
          protocolVersion: fc.oneof(fc.constantFrom("2025-11-25", "2025-06-18", "1999-01-01"), jsonValue),
          capabilities,
          clientInfo: fc.oneof(
            fc.record(
              {
                name: fc.oneof(fc.string({ maxLength: 6 }), jsonValue),
                version: fc.oneof(fc.string({ maxLength: 6 }), jsonValue),
                title: jsonValue,
                websiteUrl: jsonValue,
                description: jsonValue,
              },
              { requiredKeys: ["name", "version"] },
            ),
            jsonValue,
          ),
          _meta: fc.object({ maxDepth: 1 }),
        },
        { requiredKeys: ["protocolVersion", "capabilities", "clientInfo"] },
      ),
      jsonValue,
    ),
    extra: jsonValue,
  },
  { requiredKeys: ["jsonrpc", "id", "method", "params"] },
);
const initializeLike = fc.oneof(
  { arbitrary: nearlyValidInitialize, weight: 4 },
  { arbitrary: anyInitialize, weight: 1 },
);

describe("raw stdio lines", () => {
  it("each line is a message for the SDK (exactly when the SDK's schema takes it) or gets a -32700/-32600 error", () => {
    fc.assert(
      fc.property(stdioLine, (line) => {
        const problem = lineProblem(line);
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          expect(problem?.error.code).toBe(-32700);
          return;
        }
        const accepted = JSONRPCMessageSchema.safeParse(parsed).success;
        expect(problem === null).toBe(accepted);
        if (problem) {
          expect(problem.error.code).toBe(-32600);
          expect(problem.error.message).toMatch(/^Invalid Request: \S/);
          expect(problem.id === null || typeof problem.id === "string" || Number.isSafeInteger(problem.id)).toBe(true);
        }
      }),
      { numRuns: RUNS * 8 },
    );
  });
});

describe("the initialize fast path", () => {
  it("answers only requests the SDK accepts", () => {
    let answered = 0;
    fc.assert(
      fc.property(initializeLike, (message) => {
        const line = JSON.stringify(message);
        const fast = initializeRequest(line);
        if (!fast) return;
        answered += 1;
        const parsed: unknown = JSON.parse(line);
        expect(JSONRPCRequestSchema.safeParse(parsed).success).toBe(true);
        expect(InitializeRequestSchema.safeParse(parsed).success).toBe(true);
      }),
      { numRuns: RUNS * 10 },
    );
    expect(answered).toBeGreaterThan(0);
  });

  it("still answers what real clients send", () => {
    const clients = [
      { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "sdk", version: "1.0.0" } },
      {
        protocolVersion: "2025-11-25",
        capabilities: {
          roots: { listChanged: true },
          sampling: {},
          elicitation: { form: {}, url: {} },
          tasks: { list: {}, cancel: {}, requests: { elicitation: { create: {} } } },
        },
        clientInfo: { name: "Visual Studio Code", title: "VS Code", version: "1.107.0" },
      },
      {
        protocolVersion: "2025-06-18",
        capabilities: { elicitation: {} },
        clientInfo: { name: "claude-ai", version: "0.1.0" },
      },
    ];
    for (const params of clients)
      expect(initializeRequest(JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params }))).toBeDefined();
  });
});

describe("the protocol guard", () => {
  const tools: ToolCatalog = {
    inputSchema: (name) => (name === "search" ? null : undefined),
    names: () => ["search"],
  };
  it("refuses or lets through any request, never throws, and refuses everything but initialize and ping before initialize", () => {
    const request = fc.record({
      jsonrpc: fc.constant("2.0" as const),
      id: fc.oneof(fc.integer(), fc.string({ maxLength: 4 })),
      method: fc.oneof(
        fc.constantFrom(
          "initialize",
          "ping",
          "tools/call",
          "tools/list",
          "logging/setLevel",
          "resources/read",
          "tasks/get",
        ),
        fc.string({ maxLength: 10 }),
      ),
      params: fc.option(fc.object({ maxDepth: 2 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(request, fc.boolean(), (message, initialized) => {
        const refusal = refusalFor(message as JSONRPCRequest, { initialized, tools });
        if (!initialized && message.method !== "initialize" && message.method !== "ping")
          expect(refusal).toMatchObject({ error: { code: -32600 } });
        if (refusal && "error" in refusal) expect([-32600, -32602]).toContain(refusal.error.code);
      }),
      { numRuns: RUNS * 8 },
    );
  });
});

describe("tool arguments through an SDK client", () => {
  let client: Client;
  let jobs: ReportJobs;
  let close: () => Promise<void>;

  beforeAll(async () => {
    jobs = new ReportJobs({ runtime: failingRuntime });
    const server = createMcpServer({ runtime: async () => failingRuntime, jobs, version: "0.0.0-test" });
    client = new Client({ name: "fuzz-host", version: "1.0.0" });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
    close = async () => {
      await jobs.close();
      await client.close();
      await server.close();
    };
  });

  afterAll(async () => {
    await close?.();
  });

  const fieldValue = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.integer({ min: -5, max: 5000 }),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 2 }),
    fc.constantFrom("auto", "news_report", "en", "zh-CN", "x".repeat(2100)),
  );
  const argumentsFor = (fields: string[]) =>
    fc.dictionary(fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 6 })), fieldValue, { maxKeys: 5 });
  const cases: Array<[string, string[]]> = [
    [
      "generate_report",
      ["task", "task_type", "days", "quality_threshold", "max_iterations", "auto_confirm", "language"],
    ],
    ["start_report", ["task", "task_type", "days", "max_iterations", "language"]],
    ["get_report", ["report_id", "wait_seconds", "after_seq"]],
    ["cancel_report", ["report_id"]],
    ["search", ["query", "days", "max_results"]],
  ];

  for (const [name, fields] of cases) {
    it(`${name}: any arguments get a result whose structured content fits the schema, or a typed error`, async () => {
      await fc.assert(
        fc.asyncProperty(argumentsFor(fields), async (args) => {
          // wait_seconds is capped so that a valid get_report never holds the battery up.
          const sent =
            name === "get_report" && typeof args.wait_seconds === "number"
              ? { ...args, wait_seconds: Math.min(args.wait_seconds, 0) }
              : args;
          let result: unknown;
          try {
            result = await client.callTool({ name, arguments: sent }, CallToolResultSchema);
          } catch (error) {
            // Only a protocol-level refusal is acceptable here, never a crash or a schema mismatch.
            expect(error).toBeInstanceOf(McpError);
            expect((error as McpError).code).toBe(-32602);
            return;
          }
          const call = CallToolResultSchema.parse(result);
          if (call.isError) expect(reportErrorSchema.safeParse(call.structuredContent).success).toBe(true);
        }),
        { numRuns: Math.max(20, Math.round(RUNS / 3)) },
      );
    }, 60_000);
  }
});
