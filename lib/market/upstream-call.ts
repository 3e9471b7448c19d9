// Provider calls made for REST (search, chart, movers) go through the same door as the workers'
// quote fetches: the shared request budget, and the shared pause that a 429 closes for everyone.
import { RateLimitedError } from '../providers/errors.js';
import type { Logger } from '../platform/logger.js';
import type { UpstreamGate } from '../quotes/upstream-gate.js';

export type UpstreamCall = <T>(operation: string, work: () => Promise<T>) => Promise<T>;

export function gatedUpstreamCall(gate: UpstreamGate, logger: Logger): UpstreamCall {
  return async (operation, work) => {
    // Throws RateLimitedError (with the time left) while the pause is on: no request goes out.
    await gate.acquire();
    try {
      const result = await work();
      await gate.recordSuccess().catch(() => undefined);
      return result;
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      const pauseMs = await gate.pauseAfterRateLimit(error.retryAfterMs);
      logger.warn({ operation, pauseMs, retryAfterMs: error.retryAfterMs ?? null }, 'upstream rate limited; pausing fetches');
      throw new RateLimitedError(error.provider, pauseMs, error.message);
    }
  };
}
