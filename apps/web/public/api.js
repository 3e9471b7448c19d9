// The REST calls the page makes, same origin, JSON both ways. Failures become ApiError with the
// API's error code, so the page can show the server's message and react to the code.

export class ApiError extends Error {
  constructor(status, code, message, details = [], body = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.body = body;
  }

  /** The token is missing, invalid or expired: only a new login helps. */
  get isAuthFailure() {
    return this.status === 401 && this.code !== 'INVALID_CREDENTIALS';
  }
}

/** API.md's `{ error, code, details? }`; `{ error: { code, message } }` is read too, to be lenient. */
function errorFrom(status, body) {
  const error = body?.error;
  if (typeof error === 'string') return new ApiError(status, body.code ?? `HTTP_${status}`, error, Array.isArray(body.details) ? body.details : []);
  // Not an error body (health's 503 is a report): keep it, for callers that read it anyway.
  if (body && typeof body === 'object' && error === undefined) return new ApiError(status, `HTTP_${status}`, `Request failed (${status})`, [], body);
  if (error && typeof error === 'object') return new ApiError(status, error.code ?? `HTTP_${status}`, error.message ?? `Request failed (${status})`);
  return new ApiError(status, `HTTP_${status}`, `Request failed (${status})`);
}

async function request(method, path, { token, body, signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', signal });
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'Tickwire cannot be reached; check your connection and try again');
  }
  if (response.status === 204) return null;
  const payload = await response.json().catch(() => null);
  if (!response.ok) throw errorFrom(response.status, payload);
  return payload;
}

/** Login with an email when the identifier has an @, else with a username (API.md accepts both). */
export function login(identifier, password) {
  const who = identifier.includes('@') ? { email: identifier } : { username: identifier };
  return request('POST', '/api/auth/login', { body: { ...who, password } });
}

export function register(email, password, username) {
  return request('POST', '/api/auth/register', { body: username ? { email, password, username } : { email, password } });
}

/** `{ items: [{ symbol, addedAt, quote }], count, limit }` */
export function getWatchlist(token) {
  return request('GET', '/api/watchlist', { token });
}

/** `{ item: { symbol, addedAt } }`, with the symbol normalised by the server. */
export function addToWatchlist(token, symbol) {
  return request('POST', '/api/watchlist', { token, body: { symbol } });
}

export function removeFromWatchlist(token, symbol) {
  return request('DELETE', `/api/watchlist/${encodeURIComponent(symbol)}`, { token });
}

/** `{ symbol, range, interval, points: [{ time, open, high, low, close, volume }] }` */
export function getChart(symbol, range, interval) {
  const query = new URLSearchParams({ range, interval });
  return request('GET', `/api/stock/${encodeURIComponent(symbol)}/chart?${query}`);
}

/** `{ query, results: [{ symbol, name, exchange, type }] }` */
export function searchSymbols(query, { signal } = {}) {
  return request('GET', `/api/search/${encodeURIComponent(query)}`, { signal });
}

/** `{ asOf, indices: [Quote], gainers: [Quote], losers: [Quote] }` */
export function getMarketOverview() {
  return request('GET', '/api/market/overview');
}

/** `{ status, upstream, ... }`; answered with 503 too while a dependency is down, and still read. */
export async function getHealth() {
  try {
    return await request('GET', '/api/health');
  } catch (error) {
    if (error instanceof ApiError && error.body) return error.body;
    throw error;
  }
}
