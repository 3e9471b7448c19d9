// The fetch handed to yahoo-finance2 for one call: sends the request through our upstream fetch
// (host rewrite, timeout, 429 → RateLimitedError), sets our session's cookie and crumb, and turns
// every non-2xx answer into a typed error before the library sees it (the library would otherwise
// print the URL, crumb included, with console.error and throw untyped errors without the status).
import { UpstreamError } from '../errors.js';
import { discardBody, unexpectedStatus, type UpstreamFetch } from '../http.js';
import { YAHOO_CRUMB_URL } from './crumb-flow.js';
import type { YahooSession } from './session.js';

/** Yahoo refused our cookie or crumb (401/403): the session must be replaced. Callers see an UpstreamError. */
export class SessionRejectedError extends UpstreamError {
  constructor(status: number) {
    super('yahoo', `yahoo rejected the session (status ${status})`, status);
  }
}

/**
 * Quote and screener make the library run its own crumb flow first (a quote page for the cookie,
 * then getcrumb) and cache the crumb for the whole process, where it can be neither shared nor
 * replaced. Its two requests are answered here from our session, without a request to Yahoo.
 */
function answerLibraryCrumbFlow(url: URL, session: YahooSession): Response | undefined {
  if (url.href === YAHOO_CRUMB_URL) return new Response(session.crumb);
  if (url.hostname !== 'finance.yahoo.com') return undefined;
  const page = new Response(null);
  // The library takes Set-Cookie only as an `instanceof Array`: under jest, fetch's own arrays come
  // from another realm and fail that test, so this list is made in ours.
  Object.defineProperty(page.headers, 'getSetCookie', { value: () => [session.cookie] });
  return page;
}

export function yahooModuleFetch(fetchUpstream: UpstreamFetch, session: YahooSession | undefined): typeof fetch {
  return async (input, init) => {
    // Duck-typed, not instanceof: under jest a Request or URL may come from another realm.
    const url = new URL(typeof input === 'object' && 'url' in input ? input.url : String(input));
    const local = session && answerLibraryCrumbFlow(url, session);
    if (local) return local;
    const headers = new Headers(init?.headers);
    // The library fills `cookie` and `crumb` from its jar and its process-wide crumb: ours replace them.
    headers.delete('cookie');
    if (session) {
      headers.set('cookie', session.cookie);
      url.searchParams.set('crumb', session.crumb);
    }
    const response = await fetchUpstream(url, { ...init, headers });
    if (response.ok) return response;
    if (session && (response.status === 401 || response.status === 403)) {
      await discardBody(response);
      throw new SessionRejectedError(response.status);
    }
    throw await unexpectedStatus('yahoo', url, response);
  };
}
