import type { JobRecord, JobRegistry } from "../core/jobs/index.js";
import { sseFrame } from "./wire.js";

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
} as const;

export type JobStreamOptions = {
  jobs: JobRegistry;
  id: string;
  /** Deliver records with seq greater than this (the client's Last-Event-ID); 0 = from the start. */
  afterSeq: number;
  /** Interval of `: keep-alive` comments while no event was sent; default 15 s. */
  keepAliveMs?: number;
  /** Called after each record is queued for the client (benchmarks measure delivery delay). */
  onFrame?: (record: JobRecord) => void;
};

/**
 * The SSE body of one client's view of a job: replays records after `afterSeq`, then streams new
 * ones live, each as `id: <seq>` + one JSON-RPC `data:` line, and closes after the terminal record.
 * A client that goes away only unsubscribes; the job keeps running.
 */
export function jobEventStream(options: JobStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let unsubscribe: () => void = () => undefined;
  let keepAlive: NodeJS.Timeout | null = null;
  let closed = false;

  const stop = (): void => {
    closed = true;
    unsubscribe();
    if (keepAlive) clearInterval(keepAlive);
    keepAlive = null;
  };

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const snapshot = await options.jobs.get(options.id);
      if (!snapshot) {
        controller.close();
        return;
      }
      let wroteSinceTick = false;
      const finish = (): void => {
        if (closed) return;
        stop();
        controller.close();
      };
      const unsubscribeNow = await options.jobs.subscribe(options.id, options.afterSeq, (record) => {
        if (closed) return;
        controller.enqueue(encoder.encode(sseFrame(record, snapshot)));
        wroteSinceTick = true;
        options.onFrame?.(record);
        if (record.kind === "result" || record.kind === "error") queueMicrotask(finish);
      });
      // A shared registry may deliver the whole log (terminal record included) before it resolves.
      if (closed) return unsubscribeNow();
      unsubscribe = unsubscribeNow;
      const current = await options.jobs.get(options.id);
      if (closed) return;
      if (current && current.end_time !== null && current.last_seq <= options.afterSeq) {
        finish();
        return;
      }
      keepAlive = setInterval(() => {
        if (closed) return;
        if (!wroteSinceTick) controller.enqueue(encoder.encode(": keep-alive\n\n"));
        wroteSinceTick = false;
      }, options.keepAliveMs ?? 15_000);
      keepAlive.unref?.();
    },
    cancel() {
      stop();
    },
  });
}

/** Parses a `Last-Event-ID` header (or `last_event_id` query) into a seq; 0 when absent. */
export function parseLastEventId(value: string | undefined | null): number | null {
  if (value === undefined || value === null || value.trim() === "") return 0;
  // Event ids are plain decimal sequence numbers: "0x14" or "1e1" are not ids this server sent.
  if (!/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}
