// The one door to the provider and the one owner of its budget, shared by every process through
// Redis keys decided by one script on Redis's clock: a request rate (token bucket; a token is one
// request however many symbols it carries), the daily quota, and a pause that a 429 closes for
// everyone (Retry-After, else backoff with jitter). It is also where requests are counted.
import type { Redis } from 'ioredis';
import type { Config } from '../../config/index.js';
import type { RedisKeys } from '../redis/keys.js';
import type { Logger } from '../platform/logger.js';
import { RateLimitedError, SymbolNotFoundError } from '../providers/errors.js';

const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 5 * 60_000;

export interface UpstreamBudgetOptions {
  readonly requestsPerSecond: number;
  /** Requests per quota window; undefined: the provider has no quota. */
  readonly requestsPerDay?: number | undefined;
  /** The quota window ("day") in ms, aligned to the epoch; a UTC day unless shortened for tests. */
  readonly quotaWindowMs?: number | undefined;
}

/** The budget as configured: every process builds its gate from this one reading. */
export function upstreamBudgetOf(config: Config): UpstreamBudgetOptions {
  const { upstreamRequestsPerSecond, upstreamRequestsPerDay, upstreamQuotaWindowMs } = config.quotes;
  return { requestsPerSecond: upstreamRequestsPerSecond, requestsPerDay: upstreamRequestsPerDay, quotaWindowMs: upstreamQuotaWindowMs };
}

/** What the gate's keys say now (for the planner, health and metrics): ms left of a pause, and the quota if any. */
export interface UpstreamBudgetState {
  readonly pausedMs: number;
  /** elapsedMs: since the current quota window began. */
  readonly quota?: { readonly limit: number; readonly used: number; readonly remaining: number; readonly elapsedMs: number; readonly windowMs: number };
}

/** How one request that went through the gate ended. A refusal while paused is not a request. */
export const UPSTREAM_OUTCOMES = ['ok', 'rate_limited', 'not_found', 'error'] as const;
export type UpstreamOutcome = (typeof UPSTREAM_OUTCOMES)[number];

/** Told of every request that reached the provider (metrics). */
export interface UpstreamRequestObserver {
  observe(request: { provider: string; operation: string; outcome: UpstreamOutcome; seconds: number }): void;
}

function outcomeOf(error: unknown): UpstreamOutcome {
  if (error instanceof RateLimitedError) return 'rate_limited';
  if (error instanceof SymbolNotFoundError) return 'not_found';
  return 'error';
}

/** Exponential backoff with "equal jitter": half fixed, half random, so workers do not return in step. */
export function backoffDelay(strike: number, random = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, strike - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

// Redis's clock in ms, as `now`: every script decides on it, so no process's clock or delay counts.
const REDIS_NOW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

// Shared by the acquire and state scripts: the quota window's key and position.
const CLOCK_AND_QUOTA = `${REDIS_NOW}
local limit = tonumber(ARGV[3])
local windowMs = tonumber(ARGV[4])
local windowStart = now - (now % windowMs)
local quotaKey = KEYS[3] .. math.floor(now / windowMs)
local used = 0
if limit > 0 then used = tonumber(redis.call('GET', quotaKey) or '0') end
`;

// KEYS: pause, bucket, quota prefix. ARGV: rate per second, bucket capacity, quota limit (0: none),
// quota window ms. Returns {verdict, ms, quota used}: 0 granted; 1 paused for ms; 2 quota used up,
// ms to the next window; 3 no token yet, ms until one is due.
const ACQUIRE_SCRIPT = `${CLOCK_AND_QUOTA}
local pause = redis.call('PTTL', KEYS[1])
if pause > 0 then return {1, pause, used} end
if limit > 0 and used >= limit then return {2, windowStart + windowMs - now, used} end
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local bucket = redis.call('HMGET', KEYS[2], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or capacity
local at = tonumber(bucket[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
if tokens < 1 then
  redis.call('HSET', KEYS[2], 'tokens', tostring(tokens), 'at', now)
  return {3, math.ceil((1 - tokens) * 1000 / rate), used}
end
redis.call('HSET', KEYS[2], 'tokens', tostring(tokens - 1), 'at', now)
redis.call('PEXPIRE', KEYS[2], math.ceil(capacity * 1000 / rate) + 1000)
if limit > 0 then
  used = redis.call('INCR', quotaKey)
  redis.call('PEXPIRE', quotaKey, windowStart + windowMs - now + 60000)
end
return {0, 0, used}
`;

// Same KEYS and ARGV; returns {pause ms left, quota used, ms into the quota window}.
const STATE_SCRIPT = `${CLOCK_AND_QUOTA}
local pause = redis.call('PTTL', KEYS[1])
return {math.max(0, pause), used, now - windowStart}
`;

// KEYS: pause. ARGV: pause ms. Extends the pause to ms from now unless it already lasts longer;
// returns {the ms it lasts from now, the time it ends}, both on Redis's clock (the time is also the
// key's value, for operators reading Redis). The worker's own clock, read once it has the answer,
// would put the end later than the one every process obeys by however long the worker was held up.
const PAUSE_SCRIPT = `${REDIS_NOW}
local current = redis.call('PTTL', KEYS[1])
local ms = tonumber(ARGV[1])
if current >= ms then return {current, now + current} end
redis.call('SET', KEYS[1], now + ms, 'PX', ms)
return {ms, now + ms}
`;

type ScriptCall = (keyCount: number, ...args: Array<string | number>) => Promise<number[]>;

export function createUpstreamGate(
  redis: Redis,
  keys: RedisKeys,
  provider: string,
  options: UpstreamBudgetOptions & { logger?: Logger; observer?: UpstreamRequestObserver },
) {
  redis.defineCommand('tickwireUpstreamAcquire', { lua: ACQUIRE_SCRIPT });
  redis.defineCommand('tickwireUpstreamState', { lua: STATE_SCRIPT });
  redis.defineCommand('tickwireUpstreamPause', { lua: PAUSE_SCRIPT });
  const commands = redis as unknown as { tickwireUpstreamAcquire: ScriptCall; tickwireUpstreamState: ScriptCall; tickwireUpstreamPause: ScriptCall };
  const limit = options.requestsPerDay ?? 0;
  const windowMs = options.quotaWindowMs ?? 86_400_000;
  // One second's worth of burst: the same as the per-second budget it replaces.
  const args = [keys.upstreamPause, keys.upstreamBucket, keys.upstreamQuotaPrefix, options.requestsPerSecond, Math.max(1, options.requestsPerSecond), limit, windowMs] as const;
  const observe = (operation: string, outcome: UpstreamOutcome, startedAt: number) =>
    options.observer?.observe({ provider, operation, outcome, seconds: (performance.now() - startedAt) / 1000 });

  /** Takes one request's token, waiting for it; throws RateLimitedError (with the time left) while paused or past the quota. */
  async function acquire(): Promise<void> {
    for (;;) {
      const [verdict = 0, ms = 0] = await commands.tickwireUpstreamAcquire.call(redis, 3, ...args);
      if (verdict === 0) return;
      if (verdict === 1) throw new RateLimitedError(provider, ms, `${provider} asked us to wait; ${ms} ms left`);
      if (verdict === 2) {
        // Used up until the next window: a rate limit too, so callers wait or serve stale.
        const message = `the daily quota of ${provider} requests is used up; ${ms} ms until it renews`;
        throw new RateLimitedError(provider, ms, message);
      }
      // The next token is due in `ms`: waiting for it is the only throttle, and it holds the whole request.
      await new Promise((resolve) => setTimeout(resolve, ms + Math.random() * 5));
    }
  }

  /** Closes the gate for every process after a rate limit; returns how long it stays closed, and until when. */
  async function pauseAfterRateLimit(retryAfterMs: number | undefined): Promise<{ pauseMs: number; pausedUntil: number }> {
    let pauseMs = retryAfterMs;
    if (pauseMs === undefined) {
      const [[, strike]] = (await redis.multi().incr(keys.upstreamStrikes).pexpire(keys.upstreamStrikes, BACKOFF_MAX_MS * 2).exec()) as [[unknown, number]];
      pauseMs = backoffDelay(strike);
    }
    // Never shorten a pause another process already set: read and write in one script, as two
    // 429s answered together would otherwise both read "no pause" and the shorter write last.
    const [inForce, pausedUntil] = (await commands.tickwireUpstreamPause.call(redis, 1, keys.upstreamPause, pauseMs)) as [number, number];
    return { pauseMs: inForce, pausedUntil };
  }

  return {
    /** One request: waits for a token, records success, turns a rate limit into the shared pause (rethrown with its length). */
    async call<T>(operation: string, work: () => Promise<T>): Promise<T> {
      await acquire();
      const startedAt = performance.now();
      try {
        const result = await work();
        observe(operation, 'ok', startedAt);
        // The next rate limit without Retry-After starts the backoff afresh. Not awaited: the quotes
        // must not wait a Redis round trip for it, and it goes out ahead of anything sent after.
        void redis.del(keys.upstreamStrikes).catch(() => undefined);
        return result;
      } catch (error) {
        observe(operation, outcomeOf(error), startedAt);
        if (!(error instanceof RateLimitedError)) throw error;
        const { pauseMs, pausedUntil } = await pauseAfterRateLimit(error.retryAfterMs);
        // pausedUntil: epoch ms on Redis's clock, the end every process obeys.
        options.logger?.warn({ provider, operation, pauseMs, pausedUntil, retryAfterMs: error.retryAfterMs ?? null }, 'upstream rate limited; pausing fetches');
        throw new RateLimitedError(error.provider, pauseMs, error.message);
      }
    },
    async state(): Promise<UpstreamBudgetState> {
      const [pausedMs = 0, used = 0, elapsedMs = 0] = await commands.tickwireUpstreamState.call(redis, 3, ...args);
      if (limit === 0) return { pausedMs };
      return { pausedMs, quota: { limit, used, remaining: Math.max(0, limit - used), elapsedMs, windowMs } };
    },
  };
}

export type UpstreamGate = ReturnType<typeof createUpstreamGate>;
