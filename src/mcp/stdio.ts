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

/** Resolves with the first line of stdin (null if it ends first) and a stream replaying everything read. */
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
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      const text = Buffer.concat(chunks).toString("utf8");
      const newline = text.indexOf("\n");
      if (newline >= 0) finish(text.slice(0, newline));
    };
    const onEnd = (): void => finish(null);
    stdin.on("data", onData);
    stdin.on("end", onEnd);
  });
}

/**
 * The id and version of a well-formed `initialize` request (one the SDK would accept), or
 * undefined. Checked by hand: zod is one of the imports this fast path exists to avoid.
 */
function initializeRequest(line: string): { id: string | number; protocolVersion: string } | undefined {
  try {
    const message: unknown = JSON.parse(line);
    if (typeof message !== "object" || message === null) return undefined;
    const { jsonrpc, method, id, params } = message as Record<string, unknown>;
    if (jsonrpc !== "2.0" || method !== "initialize" || (typeof id !== "string" && typeof id !== "number")) return undefined;
    if (typeof params !== "object" || params === null) return undefined;
    const { protocolVersion, capabilities, clientInfo } = params as Record<string, unknown>;
    if (typeof protocolVersion !== "string" || typeof capabilities !== "object" || capabilities === null) return undefined;
    const { name, version } = (clientInfo ?? {}) as Record<string, unknown>;
    if (typeof name !== "string" || typeof version !== "string") return undefined;
    return { id, protocolVersion };
  } catch {
    return undefined;
  }
}

/** A writer to stdout that drops the SDK's own reply to the `initialize` already answered. */
function protocolWriter(write: ReturnType<typeof claimStdout>, answeredId: string | number | undefined): Writable {
  let pendingDrop = answeredId !== undefined;
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      if (pendingDrop) {
        try {
          const message = JSON.parse(chunk.toString()) as { id?: unknown; result?: unknown };
          if (message.id === answeredId && message.result !== undefined) {
            pendingDrop = false;
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
    // The client closing stdin ends the session, once everything it sent has been read and answered.
    replay.on("end", () => setImmediate(() => void shutdown("", 0)));
    const { runStdioServer } = await import("./stdio-server.js");
    server = await runStdioServer({
      input: replay,
      output: protocolWriter(write, initialize?.id),
      loadSettings: options.loadSettings,
      listSeedTool: options.listSeedTool,
      version: VERSION,
      log: logToStderr,
    });
    if (shuttingDown) await server.close();
  }
  await closed;
}
