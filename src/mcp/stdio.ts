import { PassThrough, Writable } from "node:stream";
import type { Settings } from "../app/settings.js";
import { VERSION } from "../version.js";
import { initializeResult } from "./server-info.js";
import type { RunningStdioServer } from "./stdio-server.js";

export type ServeStdioOptions = {
  /** Resolves settings (flags/env/.env/conf); called on the first tool call, not at startup. */
  loadSettings: () => Promise<Settings>;
  /** Lists `orchestrator_mcp_streaming` in tools/list (see createMcpServer). */
  listSeedTool?: boolean;
};

/** Diagnostics go to stderr, one line each. */
function logToStderr(line: string): void {
  process.stderr.write(`${line.replace(/\s+$/, "")}\n`);
}

/**
 * Makes stdout the protocol's alone: the returned writer reaches the real stdout, while
 * `process.stdout.write` and console.log/info/debug/warn go to stderr, so a chatty dependency
 * can never corrupt the JSON-RPC stream.
 */
function claimStdout(): (chunk: string | Buffer, callback?: (error?: Error | null) => void) => void {
  const stdout = process.stdout;
  const writeToStdout = stdout.write.bind(stdout);
  stdout.write = process.stderr.write.bind(process.stderr);
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  console.warn = console.error;
  return (chunk, callback) => void writeToStdout(chunk, callback);
}

/**
 * Resolves with the first line of stdin (null if it ends first) and a stream replaying everything
 * read. Each chunk is searched once for the newline; the line is joined once (linear time).
 */
function readFirstLine(stdin: NodeJS.ReadStream): Promise<{ line: string | null; replay: PassThrough }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const finish = (line: string | null): void => {
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.pause();
      const replay = new PassThrough();
      for (const chunk of chunks) replay.write(chunk);
      stdin.pipe(replay);
      if (line === null) replay.end();
      resolve({ line, replay });
    };
    const onData = (data: Buffer | string): void => {
      const chunk = typeof data === "string" ? Buffer.from(data) : data;
      chunks.push(chunk);
      const newline = chunk.indexOf(0x0a);
      if (newline < 0) return;
      const head = chunks.slice(0, -1);
      finish(Buffer.concat([...head, chunk.subarray(0, newline)]).toString("utf8").replace(/\r$/, ""));
    };
    const onEnd = (): void => finish(null);
    stdin.on("data", onData);
    stdin.on("end", onEnd);
  });
}

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
      plainWith(entry, { form: (form) => plainWith(form, { applyDefaults: (flag) => typeof flag === "boolean" }), url: isObjectLike }),
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
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isPlainObject(message) || Object.keys(message).some((key) => !["jsonrpc", "id", "method", "params"].includes(key))) return undefined;
  const { jsonrpc, method, id, params } = message;
  if (jsonrpc !== "2.0" || method !== "initialize") return undefined;
  if (typeof id !== "string" && !(typeof id === "number" && Number.isSafeInteger(id))) return undefined;
  // `_meta` and icons are rare in initialize: leave them to the SDK rather than check them here.
  if (!isPlainObject(params) || params._meta !== undefined) return undefined;
  const { protocolVersion, capabilities, clientInfo } = params;
  if (typeof protocolVersion !== "string" || !validCapabilities(capabilities)) return undefined;
  if (!isPlainObject(clientInfo) || clientInfo.icons !== undefined) return undefined;
  const { name, version, title, websiteUrl, description } = clientInfo;
  if (typeof name !== "string" || typeof version !== "string") return undefined;
  if (![title, websiteUrl, description].every((field) => field === undefined || typeof field === "string")) return undefined;
  return { id, protocolVersion };
}

/**
 * A writer to stdout that drops the SDK's own reply to the `initialize` already answered (its
 * result, or an error should it ever refuse what the fast path accepted: one answer per id).
 */
function protocolWriter(write: ReturnType<typeof claimStdout>, answeredId: string | number | undefined, log: (line: string) => void): Writable {
  let pendingDrop = answeredId !== undefined;
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      if (pendingDrop) {
        try {
          const message = JSON.parse(chunk.toString()) as { id?: unknown; result?: unknown; error?: { message?: unknown } };
          if (message.id === answeredId && (message.result !== undefined || message.error !== undefined)) {
            pendingDrop = false;
            if (message.error !== undefined) log(`report-mcp: the server refused the initialize request already answered: ${String(message.error.message)}`);
            callback();
            return;
          }
        } catch {
          // not a single message: pass it on
        }
      }
      write(chunk, callback);
    },
  });
}

/**
 * Serves MCP over stdio (`report-mcp`, `report-mcp stdio`). The `initialize` request is answered
 * before the SDK, zod or any provider is loaded; the SDK server then takes over the stream
 * (replaying `initialize` so it knows the client). Settings and the runtime are created on the
 * first tool call. SIGINT/SIGTERM or the end of stdin cancel running reports and exit cleanly.
 * Resolves once shut down.
 */
export async function serveStdio(options: ServeStdioOptions): Promise<void> {
  const write = claimStdout();
  let server: RunningStdioServer | null = null;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let shuttingDown = false;
  const shutdown = async (reason: string, exitCode: number): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    process.exitCode = exitCode;
    if (reason) logToStderr(`report-mcp: ${reason}; stopping running reports and exiting.`);
    try {
      await server?.close();
    } catch (error) {
      logToStderr(`report-mcp: error while shutting down: ${error instanceof Error ? error.message : String(error)}`);
    }
    resolveClosed();
    // Keep-alive sockets of provider clients must not hold the process open.
    setTimeout(() => process.exit(exitCode), 200).unref();
  };
  process.on("SIGINT", () => void shutdown("interrupted (SIGINT)", 130));
  process.on("SIGTERM", () => void shutdown("terminated (SIGTERM)", 143));
  process.on("uncaughtException", (error) => {
    logToStderr(`report-mcp: unexpected error: ${error.stack ?? error.message}`);
    void shutdown("an unexpected error occurred", 1);
  });
  process.on("unhandledRejection", (reason) => {
    logToStderr(`report-mcp: unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  });

  const { line, replay } = await readFirstLine(process.stdin);
  if (line === null) {
    void shutdown("", 0);
  } else {
    const initialize = initializeRequest(line);
    if (initialize) {
      const response = { jsonrpc: "2.0", id: initialize.id, result: initializeResult(initialize.protocolVersion, VERSION) };
      write(`${JSON.stringify(response)}\n`);
    }
    const { runStdioServer } = await import("./stdio-server.js");
    server = await runStdioServer({
      input: replay,
      output: protocolWriter(write, initialize?.id, logToStderr),
      loadSettings: options.loadSettings,
      listSeedTool: options.listSeedTool,
      version: VERSION,
      log: logToStderr,
      // The client closing stdin ends the session, once everything it sent has been read and answered.
      onInputEnd: () => setImmediate(() => void shutdown("", 0)),
    });
    if (shuttingDown) await server.close();
  }
  await closed;
}
