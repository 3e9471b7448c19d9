// The domain errors of the market-data services, and which failures mean "the provider is away".
import { RateLimitedError, SymbolNotFoundError, UpstreamError } from '../providers/errors.js';
import { DomainError } from '../platform/domain-error.js';
import { FlightAbandonedError } from './single-flight.js';

export function symbolNotFound(symbol: string): DomainError {
  return new DomainError('SYMBOL_NOT_FOUND', `No symbol ${symbol} is known to the market-data provider`, { symbol });
}

export function isSymbolNotFound(error: unknown): boolean {
  return error instanceof SymbolNotFoundError || (error instanceof DomainError && error.code === 'SYMBOL_NOT_FOUND');
}

/** The provider failed, asked us to wait, or the process fetching for us gave up. */
export function isUpstreamFailure(error: unknown): boolean {
  return error instanceof RateLimitedError || error instanceof UpstreamError || error instanceof FlightAbandonedError;
}

/** 503 UPSTREAM_UNAVAILABLE, with a Retry-After when the provider (or the shared pause) said how long. */
export function upstreamUnavailable(error: unknown): DomainError {
  const retryAfterMs = error instanceof RateLimitedError ? error.retryAfterMs : undefined;
  const meta = retryAfterMs !== undefined ? { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) } : {};
  const why = error instanceof RateLimitedError ? 'is rate limiting us' : 'is not answering';
  return new DomainError('UPSTREAM_UNAVAILABLE', `The market-data provider ${why} and no earlier answer is available; try again later`, meta);
}
