// Yahoo's crumb flow: fetch a page that sets the session cookie, then trade the cookie for a crumb.
// We run it ourselves rather than through yahoo-finance2, whose crumb cache is process-global
// (module variables shared by every client), cannot be invalidated per client, and cannot be
// seeded from Redis.
import { UpstreamError } from '../errors.js';
import { discardBody, unexpectedStatus, type UpstreamFetch } from '../http.js';
import { YAHOO_USER_AGENT } from './client.js';
import type { YahooSession } from './session.js';

/** fc.yahoo.com answers (even with its 404) with the A3 cookie, without the EU consent detour. */
export const YAHOO_COOKIE_URL = 'https://fc.yahoo.com/';
export const YAHOO_CRUMB_URL = 'https://query1.finance.yahoo.com/v1/test/getcrumb';

/** Name=value pairs of Set-Cookie headers, ready for a Cookie header. */
export function cookieHeaderFrom(headers: Headers): string {
  // Array.from: under jest the array comes from another realm, and some consumers test instanceof.
  return Array.from(headers.getSetCookie())
    .map((line) => line.split(';', 1)[0]?.trim() ?? '')
    .filter((pair) => pair.includes('=') && !pair.startsWith('='))
    .join('; ');
}

export async function runCrumbFlow(fetchUpstream: UpstreamFetch): Promise<YahooSession> {
  const page = await fetchUpstream(YAHOO_COOKIE_URL, {
    headers: { 'user-agent': YAHOO_USER_AGENT, accept: 'text/html,application/xhtml+xml,application/xml' },
    redirect: 'manual',
  });
  await discardBody(page);
  if (page.status >= 500) throw await unexpectedStatus('yahoo', YAHOO_COOKIE_URL, page);
  const cookie = cookieHeaderFrom(page.headers);
  if (!cookie) throw new UpstreamError('yahoo', `yahoo set no cookie (status ${page.status}) on ${YAHOO_COOKIE_URL}`, page.status);

  const answer = await fetchUpstream(YAHOO_CRUMB_URL, { headers: { 'user-agent': YAHOO_USER_AGENT, cookie, accept: '*/*' } });
  if (answer.status !== 200) throw await unexpectedStatus('yahoo', YAHOO_CRUMB_URL, answer);
  const crumb = (await answer.text()).trim();
  // A crumb is a short token; HTML or JSON here means Yahoo changed something.
  if (!crumb || crumb.length > 64 || /[\s<>{}]/.test(crumb)) {
    throw new UpstreamError('yahoo', 'yahoo answered the crumb request with something that is not a crumb', answer.status);
  }
  return { cookie, crumb, createdAt: new Date().toISOString() };
}
