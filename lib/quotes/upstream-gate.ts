// The one door to the provider, shared by every worker process through Redis: a request budget
// per second, and a pause that a 429 closes for everyone (Retry-After, else exponential backoff
// with jitter), so no request reaches a provider that asked us to wait. Being the one door, it is
// also where requests are counted: each one that reached the provider is told to an observer.
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisKeys } from '../redis/keys.js';
import type { Logger } from '../platform/logger.js';
import { RateLimitedError, SymbolNotFoundError } from '../providers/errors.js';

const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 5 * 60_000;

export interface UpstreamGate {
  /** Waits for a request slot; throws RateLimitedError (with the time left) while paused. */
  acquire(): Promise<void>;
  /** Closes the gate for every worker after a rate limit; returns how long it stays closed. */
  pauseAfterRateLimit(retryAfterMs: number | undefined): Promise<number>;
  /** A request went through: the next rate limit without Retry-After starts the backoff afresh. */
  recordSuccess(): Promise<void>;
  /**
   * One upstream request through the gate: waits for a slot, records success, and turns a rate
   * limit into the shared pause (rethrown with the pause's length as `retryAfterMs`).
   */
  call<T>(operation: string, work: () => Promise<T>): Promise<T>;
}

/** How one request that went through the gate ended. A refusal while paused is not a request. */
export type UpstreamOutcome = 'ok' | 'rate_limited' | 'not_found' | 'error';

export interface UpstreamRequest {
  readonly provider: string;
  readonly operation: string;
  readonly outcome: UpstreamOutcome;
  readonly seconds: number;
}

/** Told of every request that reached the provider (metrics). */
export interface UpstreamRequestObserver {
  observe(request: UpstreamRequest): void;
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createUpstreamGate(redis: Redis, keys: RedisKeys, provider: string, options: { requestsPerSecond: number; logger?: Logger; observer?: UpstreamRequestObserver }): UpstreamGate {
  const budget = new RateLimiterRedis({ storeClient: redis, keyPrefix: keys.rateLimit('upstream'), points: options.requestsPerSecond, duration: 1 });
  let hadStrikes = true;
  const observe = (operation: string, outcome: UpstreamOutcome, startedAt: number) =>
    options.observer?.observe({ provider, operation, outcome, seconds: (performance.now() - startedAt) / 1000 });

  async function throwIfPaused(): Promise<void> {
    const remaining = await redis.pttl(keys.upstreamPause);
    if (remaining > 0) throw new RateLimitedError(provider, remaining, `${provider} asked us to wait; ${remaining} ms left`);
  }

  const gate: UpstreamGate = {
    async acquire() {
      await throwIfPaused();
      for (;;) {
        try {
          await budget.consume(provider);
          break;
        } catch (error) {
          if (!(error instanceof RateLimiterRes)) throw error;
          await sleep(error.msBeforeNext + Math.random() * 20);
        }
      }
      // A pause may have started while this request waited for its slot.
      await throwIfPaused();
    },
    async pauseAfterRateLimit(retryAfterMs) {
      let pauseMs = retryAfterMs;
      if (pauseMs === undefined) {
        const strike = await redis.incr(keys.upstreamStrikes);
        await redis.pexpire(keys.upstreamStrikes, BACKOFF_MAX_MS * 2);
        pauseMs = backoffDelay(strike);
      }
      hadStrikes = true;
      // Never shorten a pause another worker already set.
      const current = await redis.pttl(keys.upstreamPause);
      if (current < pauseMs) await redis.set(keys.upstreamPause, String(Date.now() + pauseMs), 'PX', pauseMs);
      return Math.max(current, pauseMs);
    },
    async recordSuccess() {
      if (!hadStrikes) return;
      hadStrikes = false;
      await redis.del(keys.upstreamStrikes);
    },
    async call(operation, work) {
      await gate.acquire();
      const startedAt = performance.now();
      try {
        const result = await work();
        observe(operation, 'ok', startedAt);
        await gate.recordSuccess().catch(() => undefined);
        return result;
      } catch (error) {
        observe(operation, outcomeOf(error), startedAt);
        if (!(error instanceof RateLimitedError)) throw error;
        const pauseMs = await gate.pauseAfterRateLimit(error.retryAfterMs);
        options.logger?.warn({ provider, operation, pauseMs, retryAfterMs: error.retryAfterMs ?? null }, 'upstream rate limited; pausing fetches');
        throw new RateLimitedError(error.provider, pauseMs, error.message);
      }
    },
  };
  return gate;
}
