import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { ReportJobs } from "../../src/core/jobs/index.js";
import type { ReportRuntime } from "../../src/core/runtime.js";
import { createMcpServer } from "../../src/mcp/create-server.js";
import { initializeResult } from "../../src/mcp/server-info.js";
import { VERSION } from "../../src/version.js";

const unusedRuntime = (): Promise<ReportRuntime> => Promise.reject(new Error("initialize must not build the runtime"));

/** The SDK server's own answer to a raw `initialize`. */
async function sdkInitialize(protocolVersion: string): Promise<unknown> {
  const server = createMcpServer({
    runtime: unusedRuntime,
    jobs: new ReportJobs({ runtime: unusedRuntime }),
    version: VERSION,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const response = new Promise<JSONRPCMessage>((resolve) => (clientSide.onmessage = resolve));
  await server.connect(serverSide);
  await clientSide.start();
  await clientSide.send({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion, capabilities: {}, clientInfo: { name: "host", version: "1" } },
  });
  const message = await response;
  await server.close();
  return "result" in message ? message.result : message;
}

describe("the stdio fast path's initialize answer", () => {
  it.each(["2025-11-25", "2025-06-18", "2024-11-05", "1999-01-01"])(
    "equals the SDK server's for protocol %s",
    async (version) => {
      expect(initializeResult(version, VERSION)).toEqual(await sdkInitialize(version));
    },
  );
});
