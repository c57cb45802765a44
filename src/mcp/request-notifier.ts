import type { ProgressToken, ServerNotification } from "@modelcontextprotocol/sdk/types.js";
import type { PipelineEvent } from "../core/events.js";
import type { LogLevelGate } from "./log-level.js";

/** `logger` of every `notifications/message` the server sends. */
export const LOGGER_NAME = "report-mcp";

/** Longest silence on a progress token while a run works; hosts reset their timeouts on progress. */
export const DEFAULT_HEARTBEAT_MS = 15_000;

export type RequestNotifierOptions = {
  /** The request's own `sendNotification` (ties every message to the originating request). */
  send: (notification: ServerNotification) => Promise<void>;
  /** `_meta.progressToken` of the request; no progress notifications without one. */
  progressToken: ProgressToken | undefined;
  gate: LogLevelGate;
  sessionId: string | undefined;
  heartbeatMs?: number;
  /** Where the run already stands (a get_report joining a running report): heartbeats start from here. */
  initial?: { progress: number; step: string };
  /** Diagnostics (stderr); a failed send never fails the run. */
  log?: (line: string) => void;
};

export type RequestNotifier = {
  /** Maps one pipeline event to `notifications/progress` and `notifications/message` (SPEC §6.1/§6.2). */
  handle(event: PipelineEvent): void;
  /** Resolves once everything queued so far has been handed to the transport. */
  flush(): Promise<void>;
  /** Stops the heartbeat; later events are ignored. */
  close(): void;
};

/**
 * The MCP adapter over pipeline events, one per request. Progress is monotonic with
 * `total: 100`; while nothing else is sent a heartbeat repeats the current value every
 * `heartbeatMs` with "still working: …". Notifications go out in order through one queue.
 */
export function createRequestNotifier(options: RequestNotifierOptions): RequestNotifier {
  const { send, progressToken, gate, sessionId, log } = options;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  let queue: Promise<void> = Promise.resolve();
  let progress = Math.min(100, Math.max(0, options.initial?.progress ?? 0));
  let currentStep = options.initial?.step || "starting";
  let heartbeat: NodeJS.Timeout | undefined;
  let closed = false;

  const enqueue = (notification: ServerNotification): void => {
    queue = queue.then(() =>
      send(notification).catch((error: unknown) => {
        log?.(`report-mcp: could not send ${notification.method}: ${error instanceof Error ? error.message : String(error)}`);
      }),
    );
  };

  const armHeartbeat = (): void => {
    if (progressToken === undefined || closed) return;
    clearTimeout(heartbeat);
    heartbeat = setTimeout(() => {
      sendProgress(`still working: ${currentStep}`);
    }, heartbeatMs);
    heartbeat.unref();
  };

  const sendProgress = (message: string): void => {
    if (progressToken === undefined || closed) return;
    enqueue({ method: "notifications/progress", params: { progressToken, progress, total: 100, message } });
    armHeartbeat();
  };

  /** `extra` is set for the §6.1 step messages only: the seed's progress shape carries `"extra": null`, its usage shape none. */
  const sendMessage = (level: "info" | "warning", data: Record<string, unknown>, extra?: { extra: null }): void => {
    if (!gate.allows(level, sessionId)) return;
    enqueue({ method: "notifications/message", params: { level, logger: LOGGER_NAME, data, ...extra } });
  };

  armHeartbeat();

  return {
    handle(event) {
      if (closed) return;
      if (event.type === "model_usage") {
        sendMessage("info", {
          msg: {
            type: "model_usage",
            data: {
              model_provider: event.model_provider,
              model_name: event.model_name,
              input_tokens: event.input_tokens,
              output_tokens: event.output_tokens,
              ...(event.estimated ? { estimated: true } : {}),
            },
          },
        });
        return;
      }
      sendMessage(
        event.status === "warning" ? "warning" : "info",
        { msg: { status: event.status, message: event.message, details: event.details ?? {} } },
        { extra: null },
      );
      if (event.status !== "warning") currentStep = event.message;
      progress = Math.max(progress, Math.min(100, Math.max(0, event.progress)));
      sendProgress(event.message);
    },
    flush() {
      return queue;
    },
    close() {
      closed = true;
      clearTimeout(heartbeat);
    },
  };
}
