import { Redis } from "ioredis";
import { ReportError } from "../core/errors.js";

/**
 * Front ends fail fast while Redis is away (their requests answer 503 with Retry-After); workers
 * queue their writes until it is back (a run's last record must still reach its log).
 */
export type RedisRole = "front end" | "worker";

/** How long a 503 asks clients to wait while Redis is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_MS = 2000;

/** Redis ≥ 6.2 (GETDEL, XADD with explicit ids, Lua); BullMQ needs ≥ 5. */
const MINIMUM_VERSION = [6, 2, 0];

/** `redis://user:secret@host:6379/0` → `redis://user:***@host:6379/0`: URLs in messages never carry passwords. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unreadable Redis URL)";
  }
}

/** Checks the shape of a Redis URL; returns the problem in words, or null. */
export function redisUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "a URL such as redis://127.0.0.1:6379";
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")
    return "a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379";
  if (!parsed.hostname) return "a Redis URL with a host, e.g. redis://127.0.0.1:6379";
  return null;
}

/**
 * Opens a connection and waits until Redis answers. A Redis that cannot be reached now is an
 * error at once (ReportError `invalid_params`: the CLI exits 2 with it); once connected, the
 * connection reconnects for ever with a backoff of up to 2 s.
 */
export async function connectRedis(options: {
  url: string;
  role: RedisRole;
  name: string;
  log: (line: string) => void;
}): Promise<Redis> {
  const problem = redisUrlProblem(options.url);
  if (problem)
    throw new ReportError(
      "invalid_params",
      `The Redis URL ${redactRedisUrl(options.url)} is not usable: expected ${problem}.`,
    );
  let established = false;
  const worker = options.role === "worker";
  const redis = new Redis(options.url, {
    lazyConnect: true,
    connectionName: `report-mcp ${options.name} ${process.pid}`,
    connectTimeout: 5000,
    enableOfflineQueue: worker,
    maxRetriesPerRequest: worker ? null : 0,
    autoResendUnfulfilledCommands: worker,
    // Commands issued in one tick go out in one write: hundreds of runs appending at once cost a few syscalls.
    enableAutoPipelining: true,
    retryStrategy: (times) => (established ? Math.min(50 * 2 ** Math.min(times, 10), 2000) : null),
  });
  // Errors show up as failed commands (and the availability log); without a listener ioredis prints them.
  let lastError: Error | null = null;
  redis.on("error", (error: Error) => {
    lastError = error;
  });
  const connecting = redis.connect();
  try {
    await connecting;
    await checkVersion(redis);
  } catch (error) {
    redis.disconnect();
    if (error instanceof ReportError) throw error;
    const reason = (lastError as Error | null)?.message ?? (error instanceof Error ? error.message : String(error));
    throw new ReportError(
      "invalid_params",
      `Cannot reach Redis at ${redactRedisUrl(options.url)} (${reason}). Start Redis there, or point --redis / REPORT_MCP_REDIS_URL at a running one.`,
      { cause: error },
    );
  }
  established = true;
  return redis;
}

/** A second connection with the same settings (pub/sub and BullMQ need their own), connected. */
export async function duplicateConnection(
  redis: Redis,
  overrides: { enableAutoPipelining?: boolean } = {},
): Promise<Redis> {
  const copy = redis.duplicate(overrides);
  copy.on("error", () => undefined);
  await copy.connect();
  return copy;
}

async function checkVersion(redis: Redis): Promise<void> {
  const info = await redis.info("server");
  const version = /redis_version:([\d.]+)/.exec(info)?.[1] ?? "0";
  const parts = version.split(".").map(Number);
  for (let index = 0; index < MINIMUM_VERSION.length; index += 1) {
    const have = parts[index] ?? 0;
    const need = MINIMUM_VERSION[index] ?? 0;
    if (have > need) return;
    if (have < need) {
      throw new ReportError(
        "invalid_params",
        `Redis ${version} is too old for report-mcp's scale-out: it needs Redis ${MINIMUM_VERSION.join(".")} or newer.`,
      );
    }
  }
}

/** Whether an error means "Redis is not reachable right now" rather than a bug or bad data. */
export function isUnavailable(error: unknown, redis: Redis): boolean {
  if (redis.status !== "ready") return true;
  if (!(error instanceof Error)) return false;
  return /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|MaxRetriesPerRequest|LOADING|READONLY|MISCONF|BUSY/i.test(
    `${error.name} ${error.message}`,
  );
}

/** The error a front end answers with while Redis is away: 503 with Retry-After over HTTP. */
export function unavailableError(cause: unknown): ReportError {
  return new ReportError(
    "interrupted",
    "The shared job store (Redis) is not reachable right now, so this server cannot start, read or change reports. Try again in a few seconds; it recovers by itself when Redis is back.",
    { cause, retryable: true, retryAfterMs: UNAVAILABLE_RETRY_AFTER_MS, status: 503 },
  );
}

/** Runs a Redis call, turning "Redis is away" into `unavailableError` (other errors pass through). */
export async function guard<T>(redis: Redis, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ReportError) throw error;
    if (isUnavailable(error, redis)) throw unavailableError(error);
    throw error;
  }
}
