// Whatever a Yahoo call throws, as one of the provider errors of ../errors.ts. Ours pass through;
// yahoo-finance2's own (plain Error, HTTPError, FailedYahooValidationError, "Unexpected result")
// all mean an answer we cannot use: UpstreamError.
import { RateLimitedError, SymbolNotFoundError, UpstreamError, type ProviderError } from '../errors.js';
import { SessionRejectedError } from './module-fetch.js';

const MAX_MESSAGE_LENGTH = 300;

export function toYahooProviderError(error: unknown, operation: string): ProviderError {
  if (error instanceof RateLimitedError || error instanceof SymbolNotFoundError || error instanceof UpstreamError) return error;
  if (error instanceof SessionRejectedError) {
    return new UpstreamError('yahoo', `yahoo ${operation}: a fresh session was rejected too (status ${error.status})`, error.status, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  // The library puts whole answers in some messages ("Unexpected result: {...}").
  const short = message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
  return new UpstreamError('yahoo', `yahoo ${operation} failed: ${short}`, undefined, { cause: error });
}
