import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { LoggingLevelSchema, SetLevelRequestSchema, type LoggingLevel } from "@modelcontextprotocol/sdk/types.js";

/**
 * `logging/setLevel` bookkeeping (a small seam: the 2026-07-28 spec revision deprecates logging).
 *
 * The SDK's own `sendLoggingMessage` filters by level but cannot tie a message to the request
 * that caused it (Streamable HTTP routes related messages onto that request's stream), so the
 * server keeps the level here and tools send `notifications/message` through the request's
 * `sendNotification`, asking `allows()` first.
 */
export type LogLevelGate = {
  /** Whether a message of `level` passes the level the client set for `sessionId` (all pass until set). */
  allows(level: LoggingLevel, sessionId: string | undefined): boolean;
};

const SEVERITY: ReadonlyMap<LoggingLevel, number> = new Map(
  LoggingLevelSchema.options.map((level, index) => [level, index]),
);

/** Installs the `logging/setLevel` handler on `server` (which must declare `logging`) and returns its gate. */
export function installLogLevelGate(server: Server): LogLevelGate {
  const levels = new Map<string | undefined, LoggingLevel>();
  server.setRequestHandler(SetLevelRequestSchema, (request, extra) => {
    levels.set(extra.sessionId, request.params.level);
    return {};
  });
  return {
    allows(level, sessionId) {
      const threshold = levels.get(sessionId);
      if (threshold === undefined) return true;
      return (SEVERITY.get(level) ?? 0) >= (SEVERITY.get(threshold) ?? 0);
    },
  };
}
