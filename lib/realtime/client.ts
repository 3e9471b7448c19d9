// A typed Socket.IO client for Tickwire, for TypeScript projects (and Tickwire's own tests): the
// same event map as the server, so a payload change breaks the client's build, not its users.
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, SubscriptionAck } from './events.js';

export type TickwireClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectOptions extends Partial<ManagerOptions & SocketOptions> {
  /**
   * The JWT from login, or a function giving the current one: it is called on every (re)connection,
   * so a client that refreshes its token reconnects with the new one after `auth_expired`.
   */
  readonly token: string | (() => string | Promise<string>);
}

/**
 * How a client comes back after a lost connection, stated rather than inherited (socket.io-client
 * 4's own defaults, which we rely on): 1 s ±50 %, each next retry twice as late, at most 5 s. The
 * ±50 % spreads the thousands of clients of a dead web process over a second instead of the same
 * millisecond; the cap applies after the jitter, so later retries keep that spread. socket.io-client
 * does not retry a server-side disconnect (`io server disconnect`) or a refused handshake: a client
 * that retries those itself should pause with jitter too (see apps/client).
 */
export const RECONNECTION = { reconnectionDelay: 1000, reconnectionDelayMax: 5000, randomizationFactor: 0.5 } as const;

export function connectTickwire(url: string, { token, ...options }: ConnectOptions): TickwireClientSocket {
  // A token function that fails connects without a token: the server answers AUTH_REQUIRED.
  const auth =
    typeof token === 'string'
      ? { token }
      : (callback: (data: object) => void) => void Promise.resolve().then(token).then((current) => callback({ token: current }), () => callback({}));
  return io(url, { ...RECONNECTION, ...options, auth });
}

/** Subscribes and resolves with the server's ack; rejects when no ack comes within `timeoutMs`. */
export function subscribe(socket: TickwireClientSocket, tickers: string | string[], timeoutMs = 5000): Promise<SubscriptionAck> {
  return socket.timeout(timeoutMs).emitWithAck('subscribe', tickers);
}

export function unsubscribe(socket: TickwireClientSocket, tickers: string | string[], timeoutMs = 5000): Promise<SubscriptionAck> {
  return socket.timeout(timeoutMs).emitWithAck('unsubscribe', tickers);
}
