import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * A Lua script run atomically in Redis: by its SHA1 (EVALSHA), sent whole once when Redis does not
 * know it yet (after a restart, or the first time). Keys first, then arguments.
 */
export class LuaScript {
  readonly #source: string;
  readonly #sha: string;
  readonly #keyCount: number;

  constructor(source: string, keyCount: number) {
    this.#source = source;
    this.#sha = createHash("sha1").update(source).digest("hex");
    this.#keyCount = keyCount;
  }

  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    if (keys.length !== this.#keyCount)
      throw new Error(`Lua script expects ${this.#keyCount} keys, got ${keys.length}`);
    try {
      return await redis.evalsha(this.#sha, this.#keyCount, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return redis.eval(this.#source, this.#keyCount, ...keys, ...args);
    }
  }
}

/**
 * Creates a run: its meta hash, record 1 in its log, its place among the unfinished runs (refused
 * past the cap, after dropping places of runs whose keys are gone) and in the index.
 * KEYS: meta, log, active, index. ARGV: id, cap, head, record, confirm mode, now ms, channel,
 * meta key prefix, meta key suffix. Returns "ok" | "exists" | "full".
 */
export const RESERVE = new LuaScript(
  `
if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end
local cap = tonumber(ARGV[2])
if redis.call('ZCARD', KEYS[3]) >= cap then
  for _, other in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
    if redis.call('EXISTS', ARGV[8] .. other .. ARGV[9]) == 0 then redis.call('ZREM', KEYS[3], other) end
  end
  if redis.call('ZCARD', KEYS[3]) >= cap then return 'full' end
end
redis.call('HSET', KEYS[1], 'seq', 1, 'token', '', 'attempt', 0, 'handbacks', 0, 'handedback', '0',
  'status', 'running', 'ended', '0', 'head', ARGV[3], 'confirm', ARGV[5])
redis.call('XADD', KEYS[2], '0-1', 'r', ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[6], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[1])
redis.call('PUBLISH', ARGV[7], ARGV[4])
return 'ok'
`,
  4,
);

/**
 * Appends one record (or only updates the head) if the caller still owns the run and saw its last
 * seq: the record goes into the log, the head into the meta hash and the record onto the run's
 * channel, in one step. A terminal record ends the run: it leaves the unfinished set and all its
 * keys expire after the retention period.
 * KEYS: meta, log, active, expiring, index, decision. ARGV: token ("*" = any owner), expected seq,
 * record ("" = head only), head, status, terminal ("1"/"0"), retention ms, id, now ms, channel.
 * Returns {outcome, seq}: ok | missing | ended | fenced | conflict.
 */
export const APPEND = new LuaScript(
  `
local meta = redis.call('HMGET', KEYS[1], 'seq', 'token', 'ended')
if not meta[1] then return {'missing', 0} end
local seq = tonumber(meta[1])
if meta[3] == '1' then return {'ended', seq} end
if ARGV[1] ~= '*' and meta[2] ~= ARGV[1] then return {'fenced', seq} end
if meta[1] ~= ARGV[2] then return {'conflict', seq} end
if ARGV[3] ~= '' then
  seq = seq + 1
  redis.call('XADD', KEYS[2], '0-' .. seq, 'r', ARGV[3])
end
redis.call('HSET', KEYS[1], 'seq', seq, 'head', ARGV[4], 'status', ARGV[5])
if ARGV[6] == '1' then
  local now = tonumber(ARGV[9])
  local ttl = tonumber(ARGV[7])
  redis.call('HSET', KEYS[1], 'ended', '1', 'token', '')
  redis.call('ZREM', KEYS[3], ARGV[8])
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
  redis.call('DEL', KEYS[6])
  redis.call('ZADD', KEYS[4], now + ttl, ARGV[8])
  for _, other in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now)) do
    redis.call('ZREM', KEYS[5], other)
    redis.call('ZREM', KEYS[4], other)
  end
end
if ARGV[3] ~= '' then redis.call('PUBLISH', ARGV[10], ARGV[3]) end
return {'ok', seq}
`,
  6,
);

/**
 * A worker takes a run for one attempt: a new owner token (so a worker that was given up on can no
 * longer append), one more attempt. KEYS: meta. ARGV: token.
 * Returns {"ok", seq, attempt, handbacks, head, confirm mode, handed back "1"/"0"} | {"missing"} | {"ended"}.
 */
export const CLAIM = new LuaScript(
  `
local meta = redis.call('HMGET', KEYS[1], 'seq', 'ended', 'head', 'confirm', 'handbacks', 'handedback')
if not meta[1] then return {'missing'} end
if meta[2] == '1' then return {'ended'} end
local attempt = redis.call('HINCRBY', KEYS[1], 'attempt', 1)
redis.call('HSET', KEYS[1], 'token', ARGV[1], 'handedback', '0')
return {'ok', meta[1], attempt, meta[5] or '0', meta[3], meta[4], meta[6] or '0'}
`,
  1,
);

/**
 * A worker that shuts down gives its run back (another worker restarts it; this does not count as
 * a failure). KEYS: meta. ARGV: token. Returns 1, or 0 when the worker no longer owns the run.
 */
export const HANDBACK = new LuaScript(
  `
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
redis.call('HINCRBY', KEYS[1], 'handbacks', 1)
redis.call('HSET', KEYS[1], 'token', '', 'handedback', '1')
return 1
`,
  1,
);

/**
 * Leaves an outline decision for the run's worker and tells the workers, only while the run awaits
 * one and none is pending. KEYS: meta, decision. ARGV: decision, ttl ms, control channel, notice.
 * Returns 1 (accepted), 0 (not awaiting confirmation) or -1 (no such run).
 */
export const CONFIRM = new LuaScript(
  `
local meta = redis.call('HMGET', KEYS[1], 'status', 'ended')
if not meta[1] then return -1 end
if meta[2] == '1' or meta[1] ~= 'awaiting_confirmation' then return 0 end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
`,
  2,
);
