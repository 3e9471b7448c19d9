// Errors of the domain, with the API's machine codes. lib/ throws them without knowing about
// HTTP or sockets; each transport maps the code to its own answer.

export type DomainErrorCode =
  | 'EMAIL_TAKEN'
  | 'USERNAME_TAKEN'
  | 'INVALID_CREDENTIALS'
  | 'AUTH_REQUIRED'
  | 'TOKEN_INVALID'
  | 'TOKEN_EXPIRED'
  | 'WATCHLIST_FULL'
  | 'NOT_FOUND'
  | 'SYMBOL_NOT_FOUND'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Extra facts a transport may pass on (e.g. `retryAfterSeconds`, `limit`). */
    readonly meta: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
