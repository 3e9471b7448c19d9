// The user's session: logs in (creating the account first with --register when login says there is
// none), keeps the current token, and logs in again with the same credentials when it expires.
import { ApiError, type SignedIn, type TickwireApi } from './api.js';
import type { ClientOptions } from './args.js';

export interface AuthSession {
  /** The current token; never printed. */
  token(): string;
  /** Who is logged in, for the user's eyes. */
  readonly who: string;
  /** Logs in again; calls made meanwhile share the one login. */
  renew(): Promise<void>;
  /** Runs a REST call with the token, logging in again once if the token has expired. */
  authorized<T>(call: (token: string) => Promise<T>): Promise<T>;
}

const EXPIRED_TOKEN = new Set(['TOKEN_EXPIRED', 'TOKEN_INVALID', 'AUTH_REQUIRED']);

export const isExpiredToken = (error: unknown): boolean => error instanceof ApiError && error.status === 401 && EXPIRED_TOKEN.has(error.code);

async function logIn(api: TickwireApi, options: Pick<ClientOptions, 'login' | 'registration'>, password: string): Promise<SignedIn & { created: boolean }> {
  try {
    return { ...(await api.login(options.login, password)), created: false };
  } catch (error) {
    // Login answers INVALID_CREDENTIALS both for a missing account and a wrong password; the
    // registration tells them apart: EMAIL_TAKEN means the password was wrong.
    if (!options.registration || !(error instanceof ApiError) || error.code !== 'INVALID_CREDENTIALS') throw error;
    try {
      return { ...(await api.register(options.registration, password)), created: true };
    } catch (registration) {
      if (registration instanceof ApiError && registration.code === 'EMAIL_TAKEN') throw error;
      throw registration;
    }
  }
}

/** Logs in once; throws ApiError (with the server's message) when that fails. */
export async function openSession(
  api: TickwireApi,
  options: Pick<ClientOptions, 'login' | 'registration'>,
  password: string,
): Promise<{ session: AuthSession; created: boolean }> {
  const first = await logIn(api, options, password);
  let token = first.token;
  let renewing: Promise<void> | undefined;

  const session: AuthSession = {
    token: () => token,
    who: first.user.email,
    renew() {
      renewing ??= api
        .login(options.login, password)
        .then((signedIn) => {
          token = signedIn.token;
        })
        .finally(() => {
          renewing = undefined;
        });
      return renewing;
    },
    async authorized(call) {
      try {
        return await call(token);
      } catch (error) {
        if (!isExpiredToken(error)) throw error;
        await session.renew();
        return call(token);
      }
    },
  };
  return { session, created: first.created };
}
