import type { ListToolsResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import toolListing from "./tool-listing.json" with { type: "json" };

/**
 * What the stdio server answers before the MCP SDK and zod are loaded (they take ~150 ms to
 * import): `initialize`, and then `tools/list` from the listing precomputed from the SDK server
 * itself (tool-listing.json; test/mcp/tool-listing.test.ts holds it equal to the SDK's answer).
 * Every request is validated by hand first, on the safe side: what these checks let through,
 * the SDK's schemas accept (property tests hold them to that), so one id never gets a result
 * here and an error from the SDK; whatever they do not take is left to the SDK to answer.
 */

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The SDK's "any object" (arrays included, null not). */
function isObjectLike(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

function optional(value: unknown, check: (value: unknown) => boolean): boolean {
  return value === undefined || check(value);
}

function everyValue(value: unknown, check: (value: unknown) => boolean): boolean {
  return isPlainObject(value) && Object.values(value).every(check);
}

function plainWith(value: unknown, checks: Record<string, (value: unknown) => boolean>): boolean {
  return isPlainObject(value) && Object.entries(checks).every(([key, check]) => optional(value[key], check));
}

/** The client capabilities the SDK's schema accepts (checked member by member, unknown members allowed as it allows them). */
function validCapabilities(value: unknown): boolean {
  return plainWith(value, {
    experimental: (entry) => everyValue(entry, isObjectLike),
    extensions: (entry) => everyValue(entry, isObjectLike),
    sampling: (entry) => plainWith(entry, { context: isObjectLike, tools: isObjectLike }),
    elicitation: (entry) =>
      plainWith(entry, {
        form: (form) => plainWith(form, { applyDefaults: (flag) => typeof flag === "boolean" }),
        url: isObjectLike,
      }),
    roots: (entry) => plainWith(entry, { listChanged: (flag) => typeof flag === "boolean" }),
    tasks: (entry) =>
      plainWith(entry, {
        list: isObjectLike,
        cancel: isObjectLike,
        requests: (requests) =>
          plainWith(requests, {
            sampling: (sampling) => plainWith(sampling, { createMessage: isObjectLike }),
            elicitation: (elicitation) => plainWith(elicitation, { create: isObjectLike }),
          }),
      }),
  });
}

/**
 * The id and version of an `initialize` request the SDK certainly accepts, or undefined (the SDK
 * then answers it, with a result or an error). Checked by hand (zod is one of the imports this
 * fast path exists to avoid) and on the safe side: what it lets through, the SDK's schemas
 * accept (a property test holds it to that), so one id never gets a result and an error.
 */
export function initializeRequest(line: string): { id: string | number; protocolVersion: string } | undefined {
  const request = plainRequest(line, "initialize");
  if (!request) return undefined;
  const { id, params } = request;
  // `_meta` and icons are rare in initialize: leave them to the SDK rather than check them here.
  if (!isPlainObject(params) || params._meta !== undefined) return undefined;
  const { protocolVersion, capabilities, clientInfo } = params;
  if (typeof protocolVersion !== "string" || !validCapabilities(capabilities)) return undefined;
  if (!isPlainObject(clientInfo) || clientInfo.icons !== undefined) return undefined;
  const { name, version, title, websiteUrl, description } = clientInfo;
  if (typeof name !== "string" || typeof version !== "string") return undefined;
  if (![title, websiteUrl, description].every((field) => field === undefined || typeof field === "string"))
    return undefined;
  return { id, protocolVersion };
}

/** A JSON-RPC request line with exactly these members, `jsonrpc` "2.0" and a string or integer id; else undefined. */
function plainRequest(line: string, method: string): { id: string | number; params: unknown } | undefined {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (
    !isPlainObject(message) ||
    Object.keys(message).some((key) => !["jsonrpc", "id", "method", "params"].includes(key))
  )
    return undefined;
  const { jsonrpc, id, params } = message;
  if (jsonrpc !== "2.0" || message.method !== method) return undefined;
  if (typeof id !== "string" && !(typeof id === "number" && Number.isSafeInteger(id))) return undefined;
  return { id, params };
}

/**
 * The id of a `tools/list` request the SDK certainly accepts (params absent, or only a string
 * `cursor` and a `_meta` with at most a string or integer `progressToken`), or undefined.
 */
export function toolsListRequest(line: string): { id: string | number } | undefined {
  const request = plainRequest(line, "tools/list");
  if (!request) return undefined;
  const { params } = request;
  if (params !== undefined) {
    if (!isPlainObject(params) || Object.keys(params).some((key) => key !== "cursor" && key !== "_meta"))
      return undefined;
    if (params.cursor !== undefined && typeof params.cursor !== "string") return undefined;
    const meta = params._meta;
    if (meta !== undefined) {
      if (!isPlainObject(meta) || Object.keys(meta).some((key) => key !== "progressToken")) return undefined;
      const token = meta.progressToken;
      if (
        token !== undefined &&
        typeof token !== "string" &&
        !(typeof token === "number" && Number.isSafeInteger(token))
      )
        return undefined;
    }
  }
  return { id: request.id };
}

/** Whether a line is the `notifications/initialized` notification as the SDK accepts it. */
export function isInitializedNotification(line: string): boolean {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return false;
  }
  if (!isPlainObject(message) || Object.keys(message).some((key) => !["jsonrpc", "method", "params"].includes(key)))
    return false;
  if (message.jsonrpc !== "2.0" || message.method !== "notifications/initialized") return false;
  return message.params === undefined || (isPlainObject(message.params) && Object.keys(message.params).length === 0);
}

type ToolListing = { tools: Tool[]; seedTool: Tool };

/** The `tools/list` result the SDK server gives (the seed tool's alias appended when listed). */
export function toolsListResult(options: { listSeedTool: boolean }): ListToolsResult {
  const listing = toolListing as unknown as ToolListing;
  return { tools: options.listSeedTool ? [...listing.tools, listing.seedTool] : listing.tools };
}
