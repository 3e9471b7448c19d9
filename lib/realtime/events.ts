// The one realtime event map (API.md, Socket.IO table). The web process's server, the workers'
// Redis emitter and the typed client helper all use these types, so a payload change is checked
// everywhere at once.
import type { Quote } from '../quotes/quote.js';

export interface SubscriptionRejection {
  readonly ticker: string;
  readonly code: 'INVALID_TICKER' | 'LIMIT_EXCEEDED' | 'VALIDATION_FAILED' | 'RATE_LIMITED';
  readonly reason: string;
}

/** The ack of `subscribe` and `unsubscribe`. */
export interface SubscriptionAck {
  readonly ok: boolean;
  /** Every ticker this socket is subscribed to after the message. */
  readonly subscribed: readonly string[];
  readonly rejected: readonly SubscriptionRejection[];
}

/** `{ "AAPL": Quote }`: one ticker per event. */
export type StockUpdate = Record<string, Quote>;

export interface ServerToClientEvents {
  welcome: (payload: { message: string; userId: number }) => void;
  subscribed: (tickers: string[]) => void;
  unsubscribed: (tickers: string[]) => void;
  stock_update: (update: StockUpdate) => void;
  subscription_error: (payload: { rejected: SubscriptionRejection[] }) => void;
  auth_expired: (payload: { message: string }) => void;
}

export interface ClientToServerEvents {
  subscribe: (tickers: string | string[], ack?: (result: SubscriptionAck) => void) => void;
  unsubscribe: (tickers: string | string[], ack?: (result: SubscriptionAck) => void) => void;
}

/** Server-to-server events: none; the adapter only relays broadcasts. */
export type InterServerEvents = Record<string, never>;

/** What the handshake stores on each socket. */
export interface SocketData {
  userId: number;
  /** Token expiry, seconds since the epoch. */
  tokenExpiresAt: number;
}
