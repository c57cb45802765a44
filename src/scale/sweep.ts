import type { RunStore } from "./run-store.js";

/**
 * Ends, with a typed `interrupted` error, unfinished runs that no worker will ever run: their
 * queue job is gone or failed (a front end died between creating the run and queueing it, or the
 * queue gave up on a job that stalled too often). Runs younger than `graceMs` are left alone.
 * Every worker sweeps; ending a run is idempotent, so two sweeps never write twice.
 */
export async function sweepLostRuns(options: {
  store: RunStore;
  graceMs: number;
  log: (line: string) => void;
  name: string;
}): Promise<number> {
  const { store } = options;
  const { keys, redis } = store;
  const flat = await redis.zrangebyscore(keys.active, "-inf", Date.now() - options.graceMs, "WITHSCORES");
  const ids = flat.filter((_, index) => index % 2 === 0);
  if (ids.length === 0) return 0;
  const checks = redis.pipeline();
  for (const id of ids) {
    checks.exists(keys.queueJob(id));
    checks.zscore(`${keys.bullPrefix}:${keys.queueName}:failed`, id);
  }
  const answers = (await checks.exec()) ?? [];
  let ended = 0;
  for (const [index, id] of ids.entries()) {
    const [existsError, exists] = answers[index * 2] ?? [null, 1];
    const [failedError, failedScore] = answers[index * 2 + 1] ?? [null, null];
    if (existsError || failedError) continue;
    if (exists === 1 && failedScore === null) continue;
    const message =
      "This report was lost by the queue (the server that queued it or the workers running it failed) and will not run; start it again.";
    if (await store.end(id, { type: "interrupted", message })) {
      ended += 1;
      options.log(`report-mcp ${options.name}: ended report ${id}, which no worker will run.`);
    }
  }
  return ended;
}
