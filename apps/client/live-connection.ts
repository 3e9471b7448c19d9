// The Socket.IO side of the client: connects with the session's current token, passes quotes to the
// view, and keeps the connection up: socket.io-client retries lost transports by itself; after the
// server's own disconnect (token expiry: `auth_expired`) or a refused handshake it does not, so this
// logs in again when the token is the problem and reconnects.
import { connectTickwire } from '../../lib/realtime/client.js';
import { ApiError } from './api.js';
import { TOKEN_REFUSALS, type AuthSession } from './auth-session.js';
import type { ClientView } from './view.js';

/**
 * How long to wait before a retry that socket.io does not make by itself: the server's
 * `retryAfterSeconds` when it gives one (SERVICE_UNAVAILABLE) plus up to half of it again, else
 * 2 s ±50 %, so the clients of a web process that refused them all (PostgreSQL away) do not
 * return in step.
 */
export function retryPauseMs(refusal: { retryAfterSeconds?: unknown } | undefined, random: () => number = Math.random): number {
  const after = refusal?.retryAfterSeconds;
  if (typeof after === 'number' && Number.isFinite(after) && after > 0) return after * 1000 * (1 + random() / 2);
  return 2000 * (0.5 + random());
}

const pause = (ms = retryPauseMs(undefined)) => new Promise((resolve) => setTimeout(resolve, ms));

/** A login that fails for the user's own reasons (credentials) will not succeed by waiting. */
const hopeless = (error: unknown) => error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429;

export function openLiveConnection({ url, session, view, onFatal }: {
  readonly url: string;
  readonly session: AuthSession;
  readonly view: ClientView;
  /** The client cannot go on (the credentials stopped working). */
  readonly onFatal: (reason: string) => void;
}) {
  const socket = connectTickwire(url, { token: () => session.token(), autoConnect: false });
  let closing = false;
  let tokenExpired = false;
  /** Set when we reconnect with a token fresh from login: refusing that one means something else is wrong. */
  let freshToken = false;
  /** The last connection problem shown: a long outage is one line, not one per retry. */
  let outage: string | undefined;
  let connectedBefore = false;

  const problem = (text: string) => {
    if (text !== outage) view.problem(text);
    outage = text;
  };

  async function logInAgainAndConnect() {
    while (!closing) {
      try {
        await session.renew();
        break;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (hopeless(error)) return onFatal(`could not log in again: ${reason}`);
        problem(`could not log in again: ${reason}; retrying`);
        await pause();
      }
    }
    if (closing) return;
    freshToken = true;
    socket.connect();
  }

  socket.on('connect', () => {
    view.notice(`${connectedBefore ? 'reconnected' : 'connected'} to ${url}`);
    connectedBefore = true;
    outage = undefined;
    freshToken = false;
  });

  socket.on('stock_update', (update) => {
    for (const quote of Object.values(update)) view.showQuote(quote);
  });

  socket.on('auth_expired', () => {
    tokenExpired = true;
    view.notice('the token expired; logging in again');
  });

  socket.on('disconnect', (reason) => {
    if (closing) return;
    if (tokenExpired) {
      tokenExpired = false;
      void logInAgainAndConnect();
      return;
    }
    problem(`disconnected (${reason}); reconnecting`);
    if (reason === 'io server disconnect') void pause().then(() => closing || socket.connect());
  });

  socket.on('connect_error', (error) => {
    if (closing) return;
    const refusal = (error as Error & { data?: { code?: string; retryAfterSeconds?: unknown } }).data;
    if (refusal?.code && TOKEN_REFUSALS.has(refusal.code)) {
      if (freshToken) return onFatal(`the server refuses a token it has just issued: ${error.message}`);
      view.notice(`${error.message}; logging in again`);
      void logInAgainAndConnect();
    } else if (!socket.active) {
      // Refused by the server for another reason (SERVICE_UNAVAILABLE while PostgreSQL is away).
      problem(`${error.message}; retrying`);
      void pause(retryPauseMs(refusal)).then(() => closing || socket.connect());
    } else {
      problem(`cannot reach ${url} (${error.message}); retrying`);
    }
  });

  return {
    socket,
    close() {
      closing = true;
      socket.disconnect();
    },
  };
}
