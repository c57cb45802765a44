/**
 * Where report-mcp keeps a scaled-out deployment's state in Redis. Every name starts with the
 * prefix (default `report-mcp`), so one Redis can hold several deployments side by side.
 *
 * Per run: `<prefix>:run:<id>:meta` (hash: head snapshot, last seq, owner token, attempts),
 * `<prefix>:run:<id>:log` (stream: one entry per record, entry id `0-<seq>`),
 * `<prefix>:run:<id>:decision` (an outline decision waiting for its worker) and the pub/sub
 * channel `<prefix>:run:<id>:events` (each record, published as it is appended).
 * Shared: the unfinished runs (sorted set, the cluster-wide cap), the index of runs for
 * listing, the runs due to expire, the control channel (cancel / confirm) and BullMQ's queue.
 */
export type ScaleKeys = {
  prefix: string;
  meta(id: string): string;
  log(id: string): string;
  decision(id: string): string;
  events(id: string): string;
  /** Sorted set: unfinished runs (queued, running or awaiting confirmation), scored by start time. */
  active: string;
  /** Sorted set: every run that can be listed, scored by start time. */
  index: string;
  /** Sorted set: ended runs, scored by the time their keys expire. */
  expiring: string;
  /** Pub/sub channel of cancel and confirm notices for workers. */
  control: string;
  /** BullMQ's prefix and queue name (its keys are `<prefix>:queue:…`). */
  bullPrefix: string;
  queueName: string;
  /** The key of a run's BullMQ job hash (present while the job is queued or running). */
  queueJob(id: string): string;
};

export const DEFAULT_KEY_PREFIX = "report-mcp";

export function scaleKeys(prefix: string = DEFAULT_KEY_PREFIX): ScaleKeys {
  const run = (id: string, part: string): string => `${prefix}:run:${id}:${part}`;
  return {
    prefix,
    meta: (id) => run(id, "meta"),
    log: (id) => run(id, "log"),
    decision: (id) => run(id, "decision"),
    events: (id) => run(id, "events"),
    active: `${prefix}:runs:active`,
    index: `${prefix}:runs:index`,
    expiring: `${prefix}:runs:expiring`,
    control: `${prefix}:control`,
    bullPrefix: prefix,
    queueName: "queue",
    queueJob: (id) => `${prefix}:queue:${id}`,
  };
}

/** The run id of a per-run events channel, or null for another channel. */
export function runIdOfChannel(keys: ScaleKeys, channel: string): string | null {
  const head = `${keys.prefix}:run:`;
  const tail = ":events";
  if (!channel.startsWith(head) || !channel.endsWith(tail)) return null;
  return channel.slice(head.length, channel.length - tail.length);
}
