import type { ProgressToken, ServerNotification } from "@modelcontextprotocol/sdk/types.js";
import type { PipelineEvent } from "../core/events/index.js";
import { seedNotification } from "../core/events/seed-messages.js";
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
 * Progress values for one progress token, strictly increasing as MCP requires (each
 * notification's `progress` MUST increase) and never above 100. A step that moves the run
 * forward is sent as it is; a notification that does not (a heartbeat, a warning, a step at the
 * same value) moves a sub-step on from the last step's value: step + (1 − 1/(k+1)) × span for the
 * k-th repeat (span = 1, or what is left below 100), which climbs towards one unit above the
 * step without reaching it; pipeline steps move in whole units, so the next real step still
 * lands above it. Stays representable (strictly increasing doubles) for millions of repeats.
 */
export function createProgressCounter(initial = 0): { next(value: number): number | null; readonly current: number } {
  let base = Math.min(100, Math.max(0, initial));
  let current = base;
  let repeats = 0;
  let started = false;
  return {
    next(value) {
      const target = Math.min(100, Math.max(0, Number.isFinite(value) ? value : 0));
      if (!started || target > current) {
        started = true;
        base = Math.max(target, current);
        current = base;
        repeats = 0;
        return current;
      }
      const span = Math.min(1, 100 - base);
      repeats += 1;
      const candidate = base + span * (1 - 1 / (repeats + 1));
      if (!(candidate > current)) return null;
      current = candidate;
      return current;
    },
    get current() {
      return current;
    },
  };
}

/**
 * The MCP adapter over pipeline events, one per request. Progress is strictly increasing with
 * `total: 100` (see createProgressCounter); while nothing else is sent a heartbeat moves it a
 * sub-step every `heartbeatMs` with "still working: …". Notifications go out in order through
 * one queue.
 */
export function createRequestNotifier(options: RequestNotifierOptions): RequestNotifier {
  const { send, progressToken, gate, sessionId, log } = options;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  let queue: Promise<void> = Promise.resolve();
  const counter = createProgressCounter(options.initial?.progress ?? 0);
  let currentStep = options.initial?.step || "starting";
  let heartbeat: NodeJS.Timeout | undefined;
  let closed = false;

  const enqueue = (notification: ServerNotification): void => {
    queue = queue.then(() =>
      send(notification).catch((error: unknown) => {
        log?.(
          `report-mcp: could not send ${notification.method}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }),
    );
  };

  const armHeartbeat = (): void => {
    if (progressToken === undefined || closed) return;
    clearTimeout(heartbeat);
    heartbeat = setTimeout(() => {
      sendProgress(counter.current, `still working: ${currentStep}`);
    }, heartbeatMs);
    heartbeat.unref();
  };

  const sendProgress = (value: number, message: string): void => {
    if (progressToken === undefined || closed) return;
    const progress = counter.next(value);
    // Nothing higher can be sent (the run is at 100): only the step message goes out.
    if (progress !== null)
      enqueue({ method: "notifications/progress", params: { progressToken, progress, total: 100, message } });
    armHeartbeat();
  };

  /** The seed's `notifications/message` (§6.1/§6.2, core/events/seed-messages.ts), as far as the client's log level lets it through. */
  const sendMessage = (event: PipelineEvent): void => {
    const notification = seedNotification(event, { logger: LOGGER_NAME });
    if (!gate.allows(notification.params.level, sessionId)) return;
    enqueue(notification);
  };

  armHeartbeat();

  return {
    handle(event) {
      if (closed) return;
      sendMessage(event);
      if (event.type === "model_usage") return;
      if (event.status !== "warning") currentStep = event.message;
      sendProgress(event.progress, event.message);
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
