// The only errors a provider throws. The pipeline turns each into a different action: a rate limit
// pauses the queue, an unknown symbol is given up on, anything else is retried with backoff.

/** The upstream said "too many requests" (HTTP 429, or Alpha Vantage's throttling note). */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    readonly provider: string,
    /** How long the upstream asked us to wait (Retry-After), when it said. */
    readonly retryAfterMs: number | undefined,
    message = `${provider} is rate limiting requests`,
  ) {
    super(message);
  }
}

export class SymbolNotFoundError extends Error {
  override readonly name = 'SymbolNotFoundError';
  constructor(
    readonly provider: string,
    readonly symbol: string,
  ) {
    super(`${provider} does not know the symbol ${symbol}`);
  }
}

/** Anything else that went wrong upstream: 5xx, a timeout, a network error, a malformed answer. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    readonly provider: string,
    message: string,
    /** HTTP status when the upstream answered at all. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
