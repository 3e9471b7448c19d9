// Fixed-window counters in Redis (rate-limiter-flexible), shared by every web process. While
// Redis is away or unresponsive a per-process memory limiter stands in, so limits never silently
// switch off and never make a request wait out a Redis timeout more than once.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../platform/domain-error.js';
import { withTimeout } from '../platform/health.js';

/** How long one limiter call waits for Redis before the memory limiter answers instead. */
const STORE_TIMEOUT_MS = 250;
/** After Redis failed to answer, how long every limiter on that client goes straight to memory. */
const STORE_BYPASS_MS = 5000;

/**
 * One per Redis client, shared by all its limiters: a frozen Redis keeps its connection open, so
 * each command would hang until ioredis's commandTimeout, and a login makes three limiter calls.
 * The first call that waits out STORE_TIMEOUT_MS sends everyone to memory for STORE_BYPASS_MS.
 */
const bypassUntil = new WeakMap<Redis, number>();

function limited(res: RateLimiterRes): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new DomainError('RATE_LIMITED', 'Too many attempts; try again later', { retryAfterSeconds });
}

export function createLimiter(redis: Redis, keyPrefix: string, settings: { points: number; windowSeconds: number }) {
  const options = { keyPrefix, points: settings.points, duration: settings.windowSeconds };
  const memory = new RateLimiterMemory(options);
  // No insuranceLimiter of the library's: the fallback is chosen here, with the timeout it lacks.
  const store = new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true });

  async function call<T>(work: (limiter: RateLimiterRedis | RateLimiterMemory) => Promise<T>): Promise<T> {
    if (Date.now() < (bypassUntil.get(redis) ?? 0)) return work(memory);
    try {
      return await withTimeout(work(store), STORE_TIMEOUT_MS, 'rate limit store');
    } catch (error) {
      // A limit reached is an answer, not a store failure.
      if (error instanceof RateLimiterRes) throw error;
      bypassUntil.set(redis, Date.now() + STORE_BYPASS_MS);
      return work(memory);
    }
  }

  return {
    /** Counts one attempt; throws RATE_LIMITED (with `retryAfterSeconds`) once the limit is passed. */
    async consume(key: string): Promise<void> {
      await call((limiter) => limiter.consume(key)).catch((error: unknown) => {
        throw error instanceof RateLimiterRes ? limited(error) : error;
      });
    },
    /** Throws RATE_LIMITED when the key has no attempts left, without counting one. */
    async check(key: string): Promise<void> {
      const res = await call((limiter) => limiter.get(key));
      if (res && res.consumedPoints >= settings.points) throw limited(res);
    },
    /** Forgets the key's attempts (for example after a successful login). */
    async reset(key: string): Promise<void> {
      await call((limiter) => limiter.delete(key));
    },
  };
}
