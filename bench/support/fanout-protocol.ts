// The IPC messages between bench/fanout.ts and its client processes (bench/support/fanout-clients.ts).
// Kept apart from the client script, which starts working as soon as it is imported.

/**
 * `socket.io`: the typed client (lib/realtime/client.ts, socket.io-client). `raw`: the same
 * Engine.IO 4 / Socket.IO 5 protocol spoken over a bare `ws` socket, reading only the ticker and
 * the price out of each frame: the server sees the same traffic, the clients (which share the
 * machine's cores with the server) spend about a third less CPU per message.
 */
export type ClientKind = 'socket.io' | 'raw';

export interface ConnectOrder {
  readonly type: 'connect';
  readonly client: ClientKind;
  /** The web processes; this process's socket j connects to urls[j % urls.length]. */
  readonly urls: readonly string[];
  /** One per socket of this process, in order: every socket is a user of its own. */
  readonly tokens: readonly string[];
  /** Tickers per socket. */
  readonly subscriptions: number;
  /** Tickers in the universe; a socket's tickers are indexes into it. */
  readonly tickers: number;
  /** Flat: socket i subscribes to assignments[i * subscriptions ... + subscriptions). */
  readonly assignments: Int32Array;
  /** Sockets connecting at once in this process. */
  readonly batchSize: number;
  /** When set, sockets open at this rate (per second, this process's share) instead of in batches. */
  readonly ratePerSecond?: number;
  /**
   * Raw clients only: a socket whose connection is lost after it subscribed reconnects, as a load
   * balancer would route it, to the next of `urls`, after socket.io-client's default backoff
   * (1 s, doubling up to 5 s, each ±50 %), and subscribes again. See FailoverReport.
   */
  readonly failover?: boolean;
  readonly timeoutMs: number;
}

export type ParentMessage = ConnectOrder | { readonly type: 'record' } | { readonly type: 'report' } | { readonly type: 'failover' } | { readonly type: 'stop' };

export interface ConnectReport {
  readonly type: 'connected';
  readonly connected: number;
  /** connect_error messages (or "timeout") and subscribe failures, with their counts. */
  readonly failures: Record<string, number>;
  readonly subscribeFailed: number;
  /** Sockets of this process subscribed to each ticker (index = ticker). */
  readonly subscribers: Int32Array;
  /** Per subscribed socket: ms from opening it to the subscribe ack. */
  readonly connectMs: Float64Array;
  /**
   * Raw client only, per subscribed socket, the ms each step of connecting took (CONNECT_STAGES):
   * stage k of socket i at [i * CONNECT_STAGES.length + k].
   */
  readonly stageMs: Float64Array;
}

/** The steps of a raw client's connect, each ending when its reply arrives. */
export const CONNECT_STAGES = ['WebSocket upgrade', 'Engine.IO open', 'Socket.IO connect (auth)', 'subscribe ack'] as const;

export interface SamplesReport {
  readonly type: 'samples';
  readonly count: number;
  readonly ticker: Int32Array;
  readonly cents: Int32Array;
  readonly receivedAt: Float64Array;
  /** Which of this process's sockets received it (raw client); -1 with the socket.io client. */
  readonly socket: Int32Array;
  /** Disconnections after connecting, by reason. */
  readonly disconnects: Record<string, number>;
  /** This process's event-loop delay while recording, ms. */
  readonly loopDelay: { readonly p50: number; readonly p99: number; readonly max: number };
}

/** What became of the sockets lost since they subscribed (ConnectOrder.failover). */
export interface FailoverReport {
  readonly type: 'failover';
  /** Losses, by the index in `urls` of the web process the socket was on. */
  readonly lost: readonly number[];
  /** Losses followed by a subscribed socket again. */
  readonly back: number;
  /** Reconnect attempts that failed, by reason. */
  readonly failures: Record<string, number>;
  /** Per return: ms from the loss to the subscribe ack on the other web process. */
  readonly backMs: Float64Array;
}

export type ChildMessage = { readonly type: 'ready' } | ConnectReport | SamplesReport | FailoverReport;

export const tickerName = (index: number) => `FAN${index}`;
