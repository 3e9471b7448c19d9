// Alpha Vantage answers HTTP 200 to nearly everything and puts the real outcome in the body:
// `Note` / `Information` (throttling, or a refusal such as a premium-only endpoint) and
// `Error Message` (a bad call: unknown symbol, bad key). This reads those, never echoing the key.
import { RateLimitedError, UpstreamError } from '../errors.js';
import { isRecord } from '../provider.js';

export const PROVIDER = 'alphavantage';

/** The text with every occurrence of the API key replaced, for messages and logs. */
export function redactKey(text: string, apiKey: string): string {
  return apiKey ? text.split(apiKey).join('[redacted]') : text;
}

const THROTTLE_WORDS = /rate limit|call frequency|requests? per (second|minute|day)|calls? per (second|minute|day)|spreading out|sparingly/i;

/** How long a throttling note asks us to wait: a minute for per-minute limits, else unknown. */
export function throttleRetryAfterMs(note: string): number | undefined {
  if (/per minute|\bminute\b/i.test(note)) return 60_000;
  if (/per second|\bsecond\b/i.test(note)) return 1000;
  return undefined; // a daily allowance: no way to know when it resets for this key
}

/**
 * The error a `Note` or `Information` answer stands for, or undefined when there is none.
 * `Note` is always throttling; `Information` is throttling when it says so, and otherwise a
 * refusal (premium-only endpoint, demo key) that waiting will not cure: an UpstreamError.
 */
export function noticeError(body: unknown, apiKey: string): RateLimitedError | UpstreamError | undefined {
  if (!isRecord(body)) return undefined;
  const note = typeof body.Note === 'string' ? body.Note : undefined;
  const information = typeof body.Information === 'string' ? body.Information : undefined;
  const text = note ?? information;
  if (text === undefined) return undefined;
  const message = `alphavantage: ${redactKey(text, apiKey)}`;
  if (note !== undefined || THROTTLE_WORDS.test(text)) return new RateLimitedError(PROVIDER, throttleRetryAfterMs(text), message);
  return new UpstreamError(PROVIDER, message, 200);
}

/** The `Error Message` of an answer, redacted, when there is one. */
export function errorMessageOf(body: unknown, apiKey: string): string | undefined {
  if (!isRecord(body) || typeof body['Error Message'] !== 'string') return undefined;
  return redactKey(body['Error Message'], apiKey);
}

/** An `Error Message` about the key concerns every request, not the symbol asked for. */
export const isKeyProblem = (message: string): boolean => /api ?key/i.test(message);
