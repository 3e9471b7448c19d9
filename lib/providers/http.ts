// The one way providers talk HTTP: host rewrite, a hard timeout, and transport failures and 429s
// turned into the typed errors of errors.ts. Other statuses are left to the caller to judge.
import type { Config } from '../../config/index.js';
import { RateLimitedError, UpstreamError } from './errors.js';

export type UpstreamFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

// Where a provider request really goes: the provider's own host, or the configured override origin
// (QUOTE_UPSTREAM_URL, for a local stub or an egress proxy) with the same path and query.
export function rewriteUpstreamUrl(url: string | URL, upstreamOrigin: string | undefined): URL {
  const target = new URL(url);
  if (!upstreamOrigin) return target;
  const origin = new URL(upstreamOrigin);
  target.protocol = origin.protocol;
  target.host = origin.host; // host carries the port; an empty port resets the default one
  target.port = origin.port;
  return target;
}

/** A URL fit for an error message or a log line: no query, so no crumb and no API key. */
export function describeUrl(url: string | URL): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/** Retry-After (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only a real date is accepted: Date.parse would read "5.5" or "-1" as years.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now); // a date in the past means "now", not a negative wait
}

function isTimeout(error: unknown): boolean {
  // Checked by name: the DOMException may come from another realm (jest), where instanceof fails.
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

function causeMessage(error: unknown): string {
  if (!(error instanceof Error) && typeof (error as { message?: unknown })?.message !== 'string') return String(error);
  const { message, cause } = error as { message: string; cause?: { code?: unknown; message?: unknown } };
  // undici says only "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND...) is in the cause.
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : undefined;
  return detail ? `${message} (${detail})` : message;
}

/** Drops a body we will not read, so the connection goes back to the pool. */
export async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

export async function unexpectedStatus(provider: string, url: string | URL, response: Response): Promise<UpstreamError> {
  await discardBody(response);
  return new UpstreamError(provider, `${provider} answered ${response.status} to ${describeUrl(url)}`, response.status);
}

/**
 * A fetch bound to one provider's options. Throws UpstreamError on timeout or network failure and
 * RateLimitedError on 429 (with Retry-After in ms when given); any other answer is returned.
 */
export function upstreamFetch({ provider, upstreamTimeoutMs, upstreamUrl }: Pick<Config['quotes'], 'provider' | 'upstreamTimeoutMs' | 'upstreamUrl'>): UpstreamFetch {
  return async (url, init = {}) => {
    const target = rewriteUpstreamUrl(url, upstreamUrl);
    const timeout = AbortSignal.timeout(upstreamTimeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(target, { ...init, signal });
    } catch (error) {
      const what = isTimeout(error) ? `timed out after ${upstreamTimeoutMs} ms` : `failed: ${causeMessage(error)}`;
      throw new UpstreamError(provider, `${provider} request to ${describeUrl(target)} ${what}`, undefined, { cause: error });
    }
    if (response.status === 429) {
      await discardBody(response);
      throw new RateLimitedError(provider, parseRetryAfter(response.headers.get('retry-after')));
    }
    return response;
  };
}
