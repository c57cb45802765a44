import { Transform, type TransformCallback } from "node:stream";
import {
  ErrorCode,
  JSONRPCMessageSchema,
  type JSONRPCErrorResponse,
  type RequestId,
} from "@modelcontextprotocol/sdk/types.js";

/**
 * The stdio input in front of the SDK's transport, one line at a time (linear in the input: a
 * line is joined from its chunks once). Lines that are JSON-RPC messages pass through; the SDK
 * transport would drop the others with no reply, so this answers them as JSON-RPC 2.0 asks:
 * not JSON → -32700 Parse error; valid JSON that is no single message (a number, a string, an
 * array or batch — MCP removed batches in 2025-06-18 — a wrong `jsonrpc`, an id that is not a
 * string or integer, an object with neither method nor result) → -32600 Invalid Request. The id
 * is echoed when it can be read, else null. Blank lines are skipped. A last line without a
 * newline is taken when the input ends.
 */
export function createLineFilter(options: { reply: (message: JSONRPCErrorResponse) => void }): Transform {
  let pending: Buffer[] = [];
  const { reply } = options;

  const handleLine = (stream: Transform, bytes: Buffer): void => {
    const text = bytes.toString("utf8").replace(/\r$/, "");
    if (text.trim() === "") return;
    const problem = lineProblem(text);
    if (problem) reply(problem);
    else stream.push(`${text}\n`);
  };

  return new Transform({
    transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      let start = 0;
      for (let newline = bytes.indexOf(0x0a, start); newline >= 0; newline = bytes.indexOf(0x0a, start)) {
        const tail = bytes.subarray(start, newline);
        handleLine(this, pending.length > 0 ? Buffer.concat([...pending, tail]) : tail);
        pending = [];
        start = newline + 1;
      }
      if (start < bytes.length) pending.push(bytes.subarray(start));
      callback();
    },
    flush(callback: TransformCallback) {
      if (pending.length > 0) handleLine(this, Buffer.concat(pending));
      pending = [];
      callback();
    },
  });
}

function errorReply(id: RequestId | null, code: number, message: string): JSONRPCErrorResponse {
  // JSON-RPC 2.0 answers an unreadable id with null (the SDK's type allows only string | number).
  return { jsonrpc: "2.0", id: id as RequestId, error: { code, message } };
}

function readableId(value: unknown): RequestId | null {
  return typeof value === "string" || (typeof value === "number" && Number.isSafeInteger(value)) ? value : null;
}

/** The error to answer a line with, or null when it is one JSON-RPC message. */
export function lineProblem(text: string): JSONRPCErrorResponse | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return errorReply(
      null,
      ErrorCode.ParseError,
      `Parse error: the line is not valid JSON (${reason}). Send one JSON-RPC 2.0 message per line.`,
    );
  }
  if (Array.isArray(value)) {
    const message =
      value.length === 0
        ? "Invalid Request: an empty array is not a JSON-RPC message."
        : "Invalid Request: JSON-RPC batches are not supported (MCP removed them in 2025-06-18); send one message per line.";
    return errorReply(null, ErrorCode.InvalidRequest, message);
  }
  if (typeof value !== "object" || value === null) {
    return errorReply(
      null,
      ErrorCode.InvalidRequest,
      `Invalid Request: a JSON-RPC message is an object, not ${value === null ? "null" : `a ${typeof value}`}.`,
    );
  }
  if (JSONRPCMessageSchema.safeParse(value).success) return null;
  const message = value as Record<string, unknown>;
  const id = readableId(message.id);
  if (message.jsonrpc !== "2.0")
    return errorReply(id, ErrorCode.InvalidRequest, 'Invalid Request: "jsonrpc" must be "2.0".');
  if ("id" in message && id === null)
    return errorReply(null, ErrorCode.InvalidRequest, 'Invalid Request: "id" must be a string or an integer.');
  if (typeof message.method !== "string" && !("result" in message) && !("error" in message)) {
    return errorReply(
      id,
      ErrorCode.InvalidRequest,
      'Invalid Request: a request or notification needs a string "method".',
    );
  }
  if (
    "params" in message &&
    (typeof message.params !== "object" || message.params === null || Array.isArray(message.params))
  ) {
    return errorReply(id, ErrorCode.InvalidRequest, 'Invalid Request: "params" must be an object.');
  }
  const fields = Object.keys(message).filter(
    (key) => !["jsonrpc", "id", "method", "params", "result", "error"].includes(key),
  );
  const detail =
    fields.length > 0
      ? `unexpected member(s) ${fields.map((field) => `"${field}"`).join(", ")}`
      : "its members do not form a request, notification or response";
  return errorReply(id, ErrorCode.InvalidRequest, `Invalid Request: ${detail}.`);
}
