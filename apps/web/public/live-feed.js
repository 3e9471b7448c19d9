// The live connection: Socket.IO with the session's token (API.md's `auth: { token }`), the
// watchlist's tickers subscribed again after every reconnection (the server forgets a socket's
// subscriptions with it), and the server's events turned into calls on the page.
import { io } from '/vendor/socket.io.esm.min.js';

const AUTH_CODES = new Set(['AUTH_REQUIRED', 'TOKEN_INVALID', 'TOKEN_EXPIRED']);

/** Wait before connecting again after a refusal Socket.IO does not retry by itself. */
const RETRY_MS = 3000;

/**
 * `symbols()` names the tickers to follow. Handlers: onStatus('connecting' | 'live' |
 * 'reconnecting' | 'unavailable'), onQuote(quote), onRejected([{ ticker, code, reason }]),
 * onAuthLost(message) once the server says the token is no longer good (the feed is closed then).
 */
export function connectLive(token, { symbols, onStatus, onQuote, onRejected, onAuthLost }) {
  // WebSocket only: no long-polling fallback, so several web processes need no sticky sessions.
  // forceNew: a new login gets a new connection with its own token, not the last session's socket.
  const socket = io({ auth: { token }, transports: ['websocket'], forceNew: true });
  let closed = false;
  let retry;

  const close = () => {
    closed = true;
    clearTimeout(retry);
    socket.close();
  };
  const retryLater = () => {
    clearTimeout(retry);
    retry = setTimeout(() => closed || socket.connect(), RETRY_MS);
  };
  const authLost = (message) => {
    if (closed) return;
    close();
    onAuthLost(message);
  };

  onStatus('connecting');
  socket.on('connect', () => {
    onStatus('live');
    const list = symbols();
    if (list.length > 0) socket.emit('subscribe', list);
  });
  socket.on('stock_update', (update) => {
    for (const quote of Object.values(update ?? {})) if (quote && typeof quote.symbol === 'string') onQuote(quote);
  });
  socket.on('subscription_error', (payload) => onRejected(Array.isArray(payload?.rejected) ? payload.rejected : []));
  socket.on('auth_expired', () => authLost('Your session has expired; log in again.'));
  socket.on('connect_error', (error) => {
    if (closed) return;
    const code = error?.data?.code;
    if (AUTH_CODES.has(code)) {
      authLost(code === 'TOKEN_EXPIRED' ? 'Your session has expired; log in again.' : 'Your session is no longer valid; log in again.');
      return;
    }
    onStatus(code === 'SERVICE_UNAVAILABLE' ? 'unavailable' : 'reconnecting');
    // A refusal by the server (not a network failure) leaves the socket inactive.
    if (!socket.active) retryLater();
  });
  socket.on('disconnect', () => {
    if (closed) return;
    onStatus('reconnecting');
    // The server ended the socket (a flood or slow-consumer limit): Socket.IO waits for us.
    if (!socket.active) retryLater();
  });

  return {
    subscribe(list) {
      if (socket.connected && list.length > 0) socket.emit('subscribe', list);
    },
    unsubscribe(list) {
      if (socket.connected && list.length > 0) socket.emit('unsubscribe', list);
    },
    close,
  };
}
