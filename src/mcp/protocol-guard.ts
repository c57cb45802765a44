import type { Transport, TransportSendOptions } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  ClientRequestSchema,
  ErrorCode,
  isJSONRPCRequest,
  type CallToolResult,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type MessageExtraInfo,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { describeIssues } from "../core/validation-issues.js";

/**
 * Protocol checks in front of the SDK server, on every transport (stdio and Streamable HTTP).
 *
 * The SDK (1.32) runs requests that come before `initialize`, answers a `tools/call` without
 * params or a `logging/setLevel` with an unknown level with -32603 and a raw zod dump, turns an
 * unknown tool into an `isError` result, and reports invalid tool arguments as text only. The
 * guard answers those itself, as MCP 2025-11-25 asks:
 * - requests other than `initialize` and `ping` before `initialize`: -32600, "send initialize first";
 * - a known method with malformed params: -32602 naming the offending fields;
 * - `tools/call` of an unknown tool: -32602 listing the tools;
 * - tool arguments that fail the tool's schema: a tool execution error (`isError: true`) with
 *   `{type: "invalid_params", message}` as structured content, so the model can correct itself
 *   (task-augmented calls, which expect a task, get -32602 with the same data instead).
 * Everything else passes through untouched.
 */

/** The tools a server offers, as the guard needs them. */
export type ToolCatalog = {
  /** The input schema of an enabled tool, null for a tool without one, undefined when unknown. */
  inputSchema(name: string): z.ZodType | null | undefined;
  names(): string[];
};

type RequestSchema = z.ZodType;

/** The SDK's schema of every client request method (params shapes of the spec revision it speaks). */
const REQUEST_SCHEMAS: ReadonlyMap<string, RequestSchema> = new Map(
  ClientRequestSchema.options.map((schema) => [schema.shape.method.value, schema as RequestSchema] as const),
);

/** Why a request is refused: a JSON-RPC error, or (invalid tool arguments) a tool result. */
type Refusal = { error: { code: number; message: string; data?: unknown } } | { result: CallToolResult };

const HINTS: Record<string, string> = {
  "tools/call": ' Send {"name": "<tool>", "arguments": {…}}; tools/list names the tools.',
};

function invalidParams(message: string, fields: string[]): Refusal {
  return { error: { code: ErrorCode.InvalidParams, message, data: { type: "invalid_params", message, fields } } };
}

/** What the guard says to one request before the SDK sees it; null lets it through. */
export function refusalFor(
  request: JSONRPCRequest,
  state: { initialized: boolean; tools: ToolCatalog },
): Refusal | null {
  const { method } = request;
  if (!state.initialized && method !== "initialize" && method !== "ping") {
    const message = `The server is not initialized: send "initialize" (then "notifications/initialized") before "${method}".`;
    return { error: { code: ErrorCode.InvalidRequest, message } };
  }
  const schema = REQUEST_SCHEMAS.get(method);
  if (!schema) return null;
  const checked = schema.safeParse(request);
  if (!checked.success) {
    const { message, fields } = describeIssues(checked.error, { subject: `Invalid params for ${method}` });
    return invalidParams(`${message}${HINTS[method] ?? ""}`, fields);
  }
  if (method !== "tools/call") return null;
  const params = (request.params ?? {}) as { name: string; arguments?: Record<string, unknown>; task?: unknown };
  const inputSchema = state.tools.inputSchema(params.name);
  if (inputSchema === undefined) {
    const message = `Unknown tool "${params.name}". Available tools: ${state.tools.names().join(", ")}.`;
    return invalidParams(message, ["params.name"]);
  }
  if (inputSchema === null) return null;
  const parsed = inputSchema.safeParse(params.arguments ?? {});
  if (parsed.success) return null;
  const { message, fields } = describeIssues(parsed.error, { subject: `Invalid arguments for ${params.name}` });
  if (params.task !== undefined)
    return invalidParams(
      message,
      fields.map((field) => `params.arguments.${field}`),
    );
  const payload = { type: "invalid_params" as const, message };
  return {
    result: { isError: true, structuredContent: payload, content: [{ type: "text", text: JSON.stringify(payload) }] },
  };
}

/** Wraps `inner` so that every incoming request passes `refusalFor` first. */
export function guardTransport(
  inner: Transport,
  options: { tools: ToolCatalog; log?: (line: string) => void },
): Transport {
  return new GuardedTransport(inner, options);
}

class GuardedTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  readonly #inner: Transport;
  readonly #tools: ToolCatalog;
  readonly #log: (line: string) => void;
  #initialized = false;

  constructor(inner: Transport, options: { tools: ToolCatalog; log?: (line: string) => void }) {
    this.#inner = inner;
    this.#tools = options.tools;
    this.#log = options.log ?? (() => undefined);
  }

  get sessionId(): string | undefined {
    return this.#inner.sessionId;
  }

  setProtocolVersion = (version: string): void => {
    this.#inner.setProtocolVersion?.(version);
  };

  async start(): Promise<void> {
    const previous = { onmessage: this.#inner.onmessage, onclose: this.#inner.onclose, onerror: this.#inner.onerror };
    this.#inner.onmessage = (message, extra) => {
      previous.onmessage?.(message, extra);
      this.#receive(message, extra);
    };
    this.#inner.onclose = () => {
      previous.onclose?.();
      this.onclose?.();
    };
    this.#inner.onerror = (error) => {
      previous.onerror?.(error);
      this.onerror?.(error);
    };
    await this.#inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return this.#inner.send(message, options);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  #receive(message: JSONRPCMessage, extra: MessageExtraInfo | undefined): void {
    if (isJSONRPCRequest(message)) {
      const refusal = refusalFor(message, { initialized: this.#initialized, tools: this.#tools });
      if (refusal) {
        const reply: JSONRPCMessage =
          "error" in refusal
            ? { jsonrpc: "2.0", id: message.id, error: refusal.error }
            : { jsonrpc: "2.0", id: message.id, result: refusal.result };
        this.#inner.send(reply, { relatedRequestId: message.id }).catch((error: unknown) => {
          this.#log(
            `report-mcp: could not answer ${message.method}: ${error instanceof Error ? error.message : String(error)}`,
          );
        });
        return;
      }
      if (message.method === "initialize") this.#initialized = true;
    }
    this.onmessage?.(message, extra);
  }
}
