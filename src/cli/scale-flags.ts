import type { RedisRegistryOptions } from "../app/create-job-registry.js";
import { CliUsageError } from "./cli-io.js";

/** Flags of the scale-out (`serve --redis`, `worker`), as commander hands them over. */
export type ScaleFlags = {
  redis?: string;
  retention?: string;
  stallTimeout?: string;
};

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration such as `30d`, `12h`, `15m`, `90s` or `500ms` (a bare number is seconds) into
 * milliseconds, between `minMs` and 10 years; anything else is a usage error naming the flag.
 */
export function parseDuration(flag: string, text: string, minMs: number): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i.exec(text.trim());
  const value = match ? Number(match[1]) * (UNITS_MS[(match[2] ?? "s").toLowerCase()] ?? 1000) : Number.NaN;
  if (!Number.isFinite(value) || value < minMs || value > 10 * 365 * 86_400_000) {
    throw new CliUsageError(
      `${flag} must be a duration of at least ${minMs >= 1000 ? `${minMs / 1000}s` : `${minMs}ms`}, e.g. 30d, 12h, 15m or 90s (got "${text}")`,
    );
  }
  return Math.round(value);
}

/** A whole number from `min` to `max`, or a usage error naming the flag. */
export function parseCount(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max)
    throw new CliUsageError(`${flag} must be a whole number from ${min} to ${max} (got "${text}")`);
  return value;
}

/** The retention and stall timeout flags (shared by `serve --redis` and `worker`). */
export function scaleTimings(flags: ScaleFlags): Pick<RedisRegistryOptions, "retentionMs" | "stallTimeoutMs"> {
  return {
    ...(flags.retention === undefined ? {} : { retentionMs: parseDuration("--retention", flags.retention, 1000) }),
    ...(flags.stallTimeout === undefined
      ? {}
      : { stallTimeoutMs: parseDuration("--stall-timeout", flags.stallTimeout, 1000) }),
  };
}
