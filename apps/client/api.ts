// The REST routes the CLI uses (API.md), over fetch. Failures become ApiError carrying the API's
// own message and code, so the user reads what the server said.
import type { Login } from './args.js';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  /** `status` 0: the server could not be reached at all. */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SignedIn {
  readonly token: string;
  readonly user: { readonly id: number; readonly email: string; readonly username: string };
}

export interface WatchlistAddition {
  readonly addedCount: number;
  readonly requestedTickers: readonly string[];
  readonly rejected: ReadonlyArray<{ readonly ticker: string; readonly code: string; readonly reason: string }>;
}

const REQUEST_TIMEOUT_MS = 10_000;

function unreachable(url: string, error: unknown): ApiError {
  if (error instanceof Error && error.name === 'TimeoutError') return new ApiError(0, 'TIMEOUT', `${url} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`);
  // fetch's own message is "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND...) is its cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const reason = (cause as { code?: string } | undefined)?.code ?? (cause instanceof Error ? cause.message : String(cause));
  return new ApiError(0, 'UNREACHABLE', `cannot reach ${url}: ${reason}`);
}

export type TickwireApi = ReturnType<typeof createTickwireApi>;

export function createTickwireApi(baseUrl: string) {
  async function call<T>(method: string, path: string, { body, token }: { body?: unknown; token?: string } = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/api${path}`, {
        method,
        headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw unreachable(baseUrl, error);
    }
    const data = (await response.json().catch(() => undefined)) as unknown;
    if (response.ok) return data as T;
    const problem = (data ?? {}) as { error?: unknown; code?: unknown };
    // A proxy's HTML page, or another server on that port: say what came back.
    if (typeof problem.error !== 'string') throw new ApiError(response.status, 'HTTP_ERROR', `${method} ${path} answered HTTP ${response.status}; is ${baseUrl} a Tickwire server?`);
    throw new ApiError(response.status, typeof problem.code === 'string' ? problem.code : 'HTTP_ERROR', problem.error);
  }

  return {
    login: (login: Login, password: string) => call<SignedIn>('POST', '/auth/login', { body: { ...login, password } }),
    register: ({ email, username }: { email: string; username: string | undefined }, password: string) =>
      call<SignedIn>('POST', '/auth/register', { body: { email, password, ...(username ? { username } : {}) } }),
    watchlist: (token: string) => call<string[]>('GET', '/stocks/watchlist', { token }),
    addToWatchlist: (token: string, tickers: readonly string[]) => call<WatchlistAddition>('POST', '/stocks/watchlist', { token, body: { tickers } }),
  };
}
