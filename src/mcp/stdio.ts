import { type PassThrough, Writable } from "node:stream";
import type { Settings } from "../app/settings.js";
import { VERSION } from "../version.js";
import { initializeResult } from "./server-info.js";
import { initializeRequest, isInitializedNotification, toolsListRequest, toolsListResult } from "./stdio-fast-path.js";
import { readPrefix } from "./stdio-prefix.js";
import type { RunningStdioServer } from "./stdio-server.js";

export { initializeRequest };

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
  /* eslint-disable no-console -- not logging: points every console method of dependencies at stderr */
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  console.warn = console.error;
  /* eslint-enable no-console */
  return (chunk, callback) => void writeToStdout(chunk, callback);
}

/**
 * A writer to stdout that drops the SDK's own reply to the `initialize` already answered (its
 * result, or an error should it ever refuse what the fast path accepted: one answer per id).
 */
function protocolWriter(
  write: ReturnType<typeof claimStdout>,
  answeredId: string | number | undefined,
  log: (line: string) => void,
): Writable {
  let pendingDrop = answeredId !== undefined;
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      if (pendingDrop) {
        try {
          const message = JSON.parse(chunk.toString()) as {
            id?: unknown;
            result?: unknown;
            error?: { message?: unknown };
          };
          if (message.id === answeredId && (message.result !== undefined || message.error !== undefined)) {
            pendingDrop = false;
            if (message.error !== undefined)
              log(
                `report-mcp: the server refused the initialize request already answered: ${String(message.error.message)}`,
              );
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

/** How long the server waits, after `initialize`, for a `tools/list` to answer before loading the SDK anyway. */
const TOOLS_LIST_WAIT_MS = 100;

/**
 * The start of a stdio session, before the SDK is loaded: a valid `initialize` is answered at once,
 * and a valid `tools/list` after it from the precomputed listing (the host sees its tools ~150 ms
 * sooner). Reading stops at the first line it does not answer, right after `tools/list`, or when
 * the host sends nothing for a moment; the SDK then gets every line but the `tools/list` answered.
 */
function answerBeforeSdk(options: { write: ReturnType<typeof claimStdout>; listSeedTool: boolean }): {
  done: Promise<{ replay: PassThrough; sawInput: boolean }>;
  initializeId: () => string | number | undefined;
} {
  const { write } = options;
  let initializeId: string | number | undefined;
  let wait: NodeJS.Timeout | undefined;
  const answer = (id: string | number, result: unknown) => write(`${JSON.stringify({ jsonrpc: "2.0", id, result })}\n`);
  const prefix = readPrefix(process.stdin, (line) => {
    if (line.trim() === "") return { replay: true, more: true };
    if (initializeId === undefined) {
      const initialize = initializeRequest(line);
      if (!initialize) return { replay: true, more: false };
      initializeId = initialize.id;
      answer(initialize.id, initializeResult(initialize.protocolVersion, VERSION));
      wait = setTimeout(() => prefix.startNow(), TOOLS_LIST_WAIT_MS);
      wait.unref();
      return { replay: true, more: true };
    }
    if (isInitializedNotification(line)) return { replay: true, more: true };
    const toolsList = toolsListRequest(line);
    if (toolsList) answer(toolsList.id, toolsListResult({ listSeedTool: options.listSeedTool }));
    return { replay: toolsList === undefined, more: false };
  });
  const done = prefix.done.then((result) => {
    clearTimeout(wait);
    return result;
  });
  return { done, initializeId: () => initializeId };
}

/**
 * Serves MCP over stdio (`report-mcp`, `report-mcp stdio`). `initialize` and `tools/list` are
 * answered before the SDK, zod or any provider is loaded; the SDK server then takes over the stream
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
    logToStderr(
      `report-mcp: unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
    );
  });

  const fast = answerBeforeSdk({ write, listSeedTool: options.listSeedTool === true });
  const { replay, sawInput } = await fast.done;
  if (!sawInput) {
    void shutdown("", 0);
  } else {
    const { runStdioServer } = await import("./stdio-server.js");
    server = await runStdioServer({
      input: replay,
      output: protocolWriter(write, fast.initializeId(), logToStderr),
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
