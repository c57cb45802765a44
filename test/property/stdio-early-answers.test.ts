/**
 * The stdio server answers `tools/list` (and reads `notifications/initialized`) before the SDK is
 * loaded, with hand-written checks. Whatever those checks accept, the SDK's own schemas (and the
 * stdio line filter) must accept too, or one id could get an early result and an SDK error.
 */
import {
  InitializedNotificationSchema,
  JSONRPCNotificationSchema,
  JSONRPCRequestSchema,
  ListToolsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isInitializedNotification, toolsListRequest } from "../../src/mcp/stdio-fast-path.js";
import { lineProblem } from "../../src/mcp/stdio-line-filter.js";
import { RUNS } from "./budget.js";

const jsonValue = fc.jsonValue({ maxDepth: 2 });
const id = fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.double(), fc.constant(null), fc.boolean(), jsonValue);
const token = fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.double(), jsonValue);
const meta = fc.oneof(fc.record({ progressToken: token, other: jsonValue }, { requiredKeys: [] }), jsonValue);
const params = fc.oneof(
  fc.record(
    { cursor: fc.oneof(fc.string({ maxLength: 4 }), jsonValue), _meta: meta, extra: jsonValue },
    { requiredKeys: [] },
  ),
  jsonValue,
);

const toolsListLike = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant("2.0"), jsonValue),
    id,
    method: fc.oneof(fc.constant("tools/list"), fc.string({ maxLength: 10 })),
    params,
    result: jsonValue,
  },
  { requiredKeys: [] },
);
/** Mostly well-formed requests, so that many reach the params checks. */
const nearlyValidToolsList = fc.record(
  {
    jsonrpc: fc.constant("2.0"),
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.double()),
    method: fc.constant("tools/list"),
    params: fc.oneof(
      fc.constant(undefined),
      fc.record(
        {
          cursor: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
          _meta: fc.oneof(fc.record({ progressToken: token }, { requiredKeys: [] }), meta),
        },
        { requiredKeys: [] },
      ),
      params,
    ),
  },
  { requiredKeys: ["jsonrpc", "id", "method"] },
);
const initializedLike = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant("2.0"), jsonValue),
    id,
    method: fc.oneof(fc.constant("notifications/initialized"), fc.string({ maxLength: 10 })),
    params: fc.oneof(fc.constant({}), params),
  },
  { requiredKeys: [] },
);

describe("the early tools/list answer", () => {
  it("answers only requests the SDK accepts as tools/list", () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.oneof(toolsListLike, nearlyValidToolsList), (message) => {
        const line = JSON.stringify(message);
        const early = toolsListRequest(line);
        if (!early) return;
        answered += 1;
        const parsed: unknown = JSON.parse(line);
        expect(lineProblem(line)).toBeNull();
        expect(JSONRPCRequestSchema.safeParse(parsed).success).toBe(true);
        expect(ListToolsRequestSchema.safeParse(parsed).success).toBe(true);
        expect(early.id).toBe((parsed as { id: unknown }).id);
      }),
      { numRuns: RUNS * 10 },
    );
    expect(answered).toBeGreaterThan(0);
  });

  it("answers what real clients send", () => {
    for (const request of [
      { jsonrpc: "2.0", id: 1, method: "tools/list" },
      { jsonrpc: "2.0", id: "2", method: "tools/list", params: {} },
      { jsonrpc: "2.0", id: 3, method: "tools/list", params: { cursor: "next" } },
      { jsonrpc: "2.0", id: 4, method: "tools/list", params: { _meta: { progressToken: "p1" } } },
    ]) {
      expect(toolsListRequest(JSON.stringify(request))).toEqual({ id: request.id });
    }
  });
});

describe("reading notifications/initialized early", () => {
  it("takes only notifications the SDK accepts as such", () => {
    let taken = 0;
    fc.assert(
      fc.property(initializedLike, (message) => {
        const line = JSON.stringify(message);
        if (!isInitializedNotification(line)) return;
        taken += 1;
        const parsed: unknown = JSON.parse(line);
        expect(lineProblem(line)).toBeNull();
        expect(JSONRPCNotificationSchema.safeParse(parsed).success).toBe(true);
        expect(InitializedNotificationSchema.safeParse(parsed).success).toBe(true);
      }),
      { numRuns: RUNS * 10 },
    );
    expect(taken).toBeGreaterThan(0);
  });
});
