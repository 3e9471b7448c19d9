// The user's session: logs in (creating the account first with --register when login says there is
// none), keeps the current token, and logs in again with the same credentials when it expires.
import { ApiError, type TickwireApi } from './api.js';
import type { ClientOptions } from './args.js';

/** The codes of a refused token (a REST 401 or a refused handshake): logging in again cures them. */
export const TOKEN_REFUSALS = new Set(['TOKEN_EXPIRED', 'TOKEN_INVALID', 'AUTH_REQUIRED']);

async function logIn(api: TickwireApi, options: Pick<ClientOptions, 'login' | 'registration'>, password: string) {
  try {
    return { ...(await api.login(options.login, password)), created: false };
  } catch (error) {
    // Login answers INVALID_CREDENTIALS both for a missing account and a wrong password; the
    // registration tells them apart: EMAIL_TAKEN means the password was wrong.
    if (!options.registration || !(error instanceof ApiError) || error.code !== 'INVALID_CREDENTIALS') throw error;
    try {
      return { ...(await api.register(options.registration, password)), created: true };
    } catch (registration) {
      throw registration instanceof ApiError && registration.code === 'EMAIL_TAKEN' ? error : registration;
    }
  }
}

export type AuthSession = Awaited<ReturnType<typeof openSession>>['session'];

/** Logs in once; throws ApiError (with the server's message) when that fails. */
export async function openSession(api: TickwireApi, options: Pick<ClientOptions, 'login' | 'registration'>, password: string) {
  const first = await logIn(api, options, password);
  let token = first.token;
  let renewing: Promise<void> | undefined;

  const session = {
    /** The current token; never printed. */
    token: () => token,
    /** Who is logged in, for the user's eyes. */
    who: first.user.email,
    /** Logs in again; calls made meanwhile share the one login. */
    renew(): Promise<void> {
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
    /** Runs a REST call with the token, logging in again once if the token has expired. */
    async authorized<T>(call: (token: string) => Promise<T>): Promise<T> {
      try {
        return await call(token);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401 && TOKEN_REFUSALS.has(error.code))) throw error;
        await session.renew();
        return call(token);
      }
    },
  };
  return { session, created: first.created };
}
