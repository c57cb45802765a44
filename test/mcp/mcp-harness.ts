/**
 * Connects a real SDK Client to `createMcpServer` over the in-memory transport, and records
 * what a host would see: progress callbacks and `notifications/message`.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { RequestOptions } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  CallToolResultSchema,
  ElicitRequestSchema,
  type CallToolResult,
  LoggingMessageNotificationSchema,
  type ClientCapabilities,
  type ElicitRequest,
  type ElicitResult,
  type JSONRPCMessage,
  type LoggingMessageNotification,
} from "@modelcontextprotocol/sdk/types.js";
import { ReportJobs } from "../../src/core/jobs/index.js";
import type { ReportRuntime } from "../../src/core/runtime.js";
import { createMcpServer } from "../../src/mcp/create-server.js";
import { observeRuntime } from "../helpers/observed-runtime.js";

export type Harness = {
  client: Client;
  jobs: ReportJobs;
  messages: LoggingMessageNotification["params"][];
  elicitations: ElicitRequest["params"][];
  /** Every message the server sent, as it arrived (what a host's transport saw, not what the SDK client kept). */
  wire: JSONRPCMessage[];
  /**
   * Resolves once `condition` holds, re-checked on every pipeline event and every message the
   * host receives (the events themselves, no polling).
   */
  until(condition: () => boolean): Promise<void>;
  /** Resolves once every pipeline run started so far has settled (wound down after a cancel). */
  settled(): Promise<void>;
  close(): Promise<void>;
};

export async function connect(options: {
  runtime: ReportRuntime;
  capabilities?: ClientCapabilities;
  onElicit?: (request: ElicitRequest["params"]) => ElicitResult | Promise<ElicitResult>;
  heartbeatMs?: number;
  log?: (line: string) => void;
}): Promise<Harness> {
  // The runtime as given, observed: each pipeline event wakes the waiters of `until`.
  const observed = observeRuntime(options.runtime);
  const runtime = observed.runtime;
  const jobs = new ReportJobs({ runtime });
  const server = createMcpServer({
    runtime: async () => runtime,
    jobs,
    version: "0.0.0-test",
    heartbeatMs: options.heartbeatMs,
    log: options.log,
  });
  const client = new Client({ name: "test-host", version: "1.0.0" }, { capabilities: options.capabilities ?? {} });
  const messages: LoggingMessageNotification["params"][] = [];
  const elicitations: ElicitRequest["params"][] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    messages.push(notification.params);
  });
  if (options.onElicit) {
    const onElicit = options.onElicit;
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      elicitations.push(request.params);
      return onElicit(request.params);
    });
  }
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  const wire: JSONRPCMessage[] = [];
  const deliver = clientTransport.onmessage;
  clientTransport.onmessage = (message, extra) => {
    wire.push(message);
    deliver?.(message, extra);
    observed.notify();
  };
  return {
    client,
    jobs,
    messages,
    elicitations,
    wire,
    until: observed.until,
    settled: observed.settled,
    async close() {
      await jobs.close();
      await client.close();
      await server.close();
    },
  };
}

/** The `data.msg` of every §6.1 progress message. */
export function progressMessages(
  messages: LoggingMessageNotification["params"][],
): Array<{ status: string; message: string; details: unknown }> {
  return messages.flatMap((message) => {
    const msg = (message.data as { msg?: Record<string, unknown> } | undefined)?.msg;
    return msg && typeof msg.status === "string"
      ? [{ status: msg.status, message: String(msg.message), details: msg.details }]
      : [];
  });
}

/** The `data.msg.data` of every §6.2 model-usage message. */
export function usageMessages(messages: LoggingMessageNotification["params"][]): Array<Record<string, unknown>> {
  return messages.flatMap((message) => {
    const msg = (message.data as { msg?: { type?: string; data?: Record<string, unknown> } } | undefined)?.msg;
    return msg?.type === "model_usage" && msg.data ? [msg.data] : [];
  });
}

/** `tools/call` through the client (which validates structured content), typed as a CallToolResult. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  options?: RequestOptions,
): Promise<CallToolResult> {
  return CallToolResultSchema.parse(await client.callTool({ name, arguments: args }, CallToolResultSchema, options));
}
