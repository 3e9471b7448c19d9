// The fetch handed to yahoo-finance2 for one call: sends the request through our upstream fetch
// (host rewrite, timeout, 429 → RateLimitedError), adds our session's cookie and crumb, and turns
// every non-2xx answer into a typed error before the library sees it (the library would otherwise
// print the URL, crumb included, with console.error and throw untyped errors without the status).
import { discardBody, unexpectedStatus, type UpstreamFetch } from '../http.js';
import type { YahooSession } from './session.js';

/** Yahoo refused our cookie or crumb (401/403): the session must be replaced. */
export class SessionRejectedError extends Error {
  override readonly name = 'SessionRejectedError';
  constructor(readonly status: number) {
    super(`yahoo rejected the session (status ${status})`);
  }
}

function requestUrl(input: string | URL | Request): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

/** Same answer without Set-Cookie: cookies are ours to manage, not the library's jar's. */
function withoutSetCookie(response: Response): Response {
  const headers = new Headers();
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers.append(name, value);
  });
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

export function yahooModuleFetch(fetchUpstream: UpstreamFetch, session: YahooSession | undefined): typeof fetch {
  return async (input, init) => {
    const url = new URL(requestUrl(input));
    const headers = new Headers(init?.headers);
    // The library fills `cookie` from its own (unused, empty) jar.
    headers.delete('cookie');
    if (session) {
      headers.set('cookie', session.cookie);
      url.searchParams.set('crumb', session.crumb);
    }
    const response = await fetchUpstream(url, { ...init, headers });
    if (response.ok) return withoutSetCookie(response);
    if (session && (response.status === 401 || response.status === 403)) {
      await discardBody(response);
      throw new SessionRejectedError(response.status);
    }
    throw await unexpectedStatus('yahoo', url, response);
  };
}
