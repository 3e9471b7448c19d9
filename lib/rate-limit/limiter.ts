// Fixed-window counters in Redis (rate-limiter-flexible), shared by every web process. While
// Redis is away a per-process memory limiter stands in, so limits never silently switch off.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../platform/domain-error.js';

export interface LimitSettings {
  /** Attempts allowed per window. */
  readonly points: number;
  readonly windowSeconds: number;
}

export interface Limiter {
  /** Counts one attempt; throws RATE_LIMITED (with `retryAfterSeconds`) once the limit is passed. */
  consume(key: string): Promise<void>;
  /** Throws RATE_LIMITED when the key has no attempts left, without counting one. */
  check(key: string): Promise<void>;
  /** Forgets the key's attempts (for example after a successful login). */
  reset(key: string): Promise<void>;
}

function limited(res: RateLimiterRes): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new DomainError('RATE_LIMITED', 'Too many attempts; try again later', { retryAfterSeconds });
}

export function createLimiter(redis: Redis, keyPrefix: string, settings: LimitSettings): Limiter {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points: settings.points,
    duration: settings.windowSeconds,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points: settings.points, duration: settings.windowSeconds }),
  });
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
      } catch (error) {
        if (error instanceof RateLimiterRes) throw limited(error);
        throw error;
      }
    },
    async check(key) {
      const res = await limiter.get(key);
      if (res && res.consumedPoints >= settings.points) throw limited(res);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
