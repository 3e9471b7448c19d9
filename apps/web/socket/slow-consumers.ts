// Slow consumers. A client that stops reading (a tab in the background, a stalled network) must
// get the latest quote of each ticker when it reads again, not the backlog of old ones, and must
// not grow the server's memory meanwhile.
//
// The kernels' socket buffers take megabytes (minutes of updates) before the server's own output
// backs up, so reading is proven instead: each socket with subscriptions is sent a WebSocket ping
// once per refresh interval (at least a second apart; in the same TCP write as its next quotes
// when they come within a round of checks), which a conforming client (browsers, `ws`,
// the socket.io clients) answers once it has read everything sent before it. Unanswered for
// `behindAfterMs`, the client is behind: it leaves its ticker rooms until the pong comes, then
// rejoins them with the latest quote of each ticker from the cache. On its way back it reads only
// what was written before the server noticed (at most `probeEveryMs` + `behindAfterMs` of updates).
//
// Behind past `cutAfterMs`, or with queued output past either limit anyway (a burst larger than
// the kernels take, or long polling, which has no pong), a client is dropped with what it queued.
//
// A round of checks visits every socket, but reads a socket's queued output (engine.io's buffer,
// ws and the TCP socket: several objects apart in memory) only once per `limitsEveryMs`, a share
// of the sockets each round: at 10 000 sockets reading them all four times a second was 3 % of a
// core and an 8 ms hold of the event loop each round.
import type { Logger } from '../../../lib/platform/logger.js';
import { pingWithNextWrite, withdrawPing } from './direct-broadcast.js';
import { dropConnection, pendingPackets, rawWebSocket, WEBSOCKET_OPEN, type RawWebSocket } from './raw-transport.js';
import type { TickwireSocket } from './types.js';

export const DEFAULT_SLOW_CONSUMER_LIMITS = {
  checkIntervalMs: 250,
  /** How often each socket's queued output is held against the limits below (spread over the rounds). */
  limitsEveryMs: 1000,
  /** Counted from the socket's last pong; server.ts raises it to the quotes' refresh interval. */
  probeEveryMs: 1000,
  behindAfterMs: 500,
  cutAfterMs: 60_000,
  // What engine.io may hold for one socket, and its WebSocket beyond what the kernel has taken. A
  // healthy client's output drains within milliseconds of each burst, far below these; a burst
  // that fills them (1000 packets is ten snapshots of 100 tickers) is already unhealthy.
  maxPendingPackets: 1000,
  maxBufferedBytes: 1024 * 1024,
};

export type SlowConsumerLimits = Readonly<typeof DEFAULT_SLOW_CONSUMER_LIMITS>;

/** What a socket does when its client falls behind and when it has caught up. */
export interface Conflation {
  /** Sockets without subscriptions get no updates, so there is nothing to fall behind on. */
  receivesUpdates(): boolean;
  fallBehind(): void;
  catchUp(): void;
}

interface Watched {
  readonly socket: TickwireSocket;
  readonly conflation: Conflation;
  /** The WebSocket whose pongs are listened to (a socket may start on long polling). */
  webSocket?: RawWebSocket;
  /** When the unanswered ping went; undefined when none is out. */
  pingSentAt?: number;
  /** When the ping was asked to go with the socket's next quotes; undefined when none waits. */
  pingAskedAt?: number;
  lastPongAt: number;
  behind: boolean;
  /** The round (modulo the rounds per `limitsEveryMs`) in which its queued output is checked. */
  readonly limitsRound: number;
}

export function watchSlowConsumers(limits: SlowConsumerLimits, logger: Logger) {
  const watched = new Map<string, Watched>();

  const cut = (entry: Watched, why: Record<string, unknown>) => {
    logger.warn({ userId: entry.socket.data.userId, ...why }, 'slow consumer disconnected');
    // Leaves the rooms (and gives back live demand) first; the drop frees what was queued.
    entry.socket.disconnect(true);
    dropConnection(entry.socket.conn);
  };

  const onPong = (entry: Watched) => {
    entry.pingSentAt = undefined;
    entry.lastPongAt = Date.now();
    if (!entry.behind) return;
    entry.behind = false;
    entry.conflation.catchUp();
  };

  const pingSent = (entry: Watched) => {
    entry.pingAskedAt = undefined;
    entry.pingSentAt = Date.now();
  };

  const openWebSocket = (entry: Watched): RawWebSocket | undefined => {
    if (entry.webSocket?.readyState === WEBSOCKET_OPEN) return entry.webSocket;
    const webSocket = rawWebSocket(entry.socket.conn);
    if (!webSocket || webSocket.readyState !== WEBSOCKET_OPEN) return undefined;
    // A new one: the one held, if any, is no longer open.
    entry.webSocket = webSocket;
    webSocket.on('pong', () => onPong(entry));
    return webSocket;
  };

  /** Cuts a socket whose queued output is past either limit; true when it did. */
  const cutIfOverLimits = (entry: Watched): boolean => {
    const packets = pendingPackets(entry.socket.conn);
    const bytes = openWebSocket(entry)?.bufferedAmount ?? 0;
    if (packets <= limits.maxPendingPackets && bytes <= limits.maxBufferedBytes) return false;
    cut(entry, { pendingPackets: packets, bufferedBytes: bytes });
    return true;
  };

  const probe = (entry: Watched, now: number, judge: boolean) => {
    if (entry.pingSentAt === undefined) {
      if (now - entry.lastPongAt < limits.probeEveryMs || !entry.conflation.receivesUpdates()) return;
      // Opened here, not earlier: its pong listener must be on before the ping goes. No WebSocket
      // (long polling, or a closing one): no ping, and the limits alone apply.
      const webSocket = openWebSocket(entry);
      if (!webSocket) return;
      const conn = entry.socket.conn;
      if (entry.pingAskedAt === undefined && pingWithNextWrite(conn, () => pingSent(entry))) return void (entry.pingAskedAt = now);
      if (entry.pingAskedAt !== undefined && now - entry.pingAskedAt < limits.checkIntervalMs) return;
      // No quote went straight to the socket since the last round (or none can): the ping goes on its own.
      withdrawPing(conn);
      entry.pingAskedAt = undefined;
      entry.pingSentAt = now;
      webSocket.ping();
      return;
    }
    if (!judge) return;
    const waited = now - entry.pingSentAt;
    if (waited > limits.cutAfterMs) return cut(entry, { behindMs: waited });
    if (waited > limits.behindAfterMs && !entry.behind) {
      entry.behind = true;
      entry.conflation.fallBehind();
    }
  };

  const limitsRounds = Math.max(1, Math.round(limits.limitsEveryMs / limits.checkIntervalMs));
  let round = 0;
  let watchedCount = 0;
  let lastCheckAt = Date.now();
  const check = () => {
    const now = Date.now();
    // A late round means this process was busy, not its clients: their pongs may still wait unread
    // in the kernel (timers run before the loop reads sockets), so nobody is judged behind on it.
    const judge = now - lastCheckAt < 2 * limits.checkIntervalMs;
    lastCheckAt = now;
    const limitsRound = round++ % limitsRounds;
    for (const entry of watched.values()) {
      if (entry.limitsRound === limitsRound && cutIfOverLimits(entry)) continue;
      probe(entry, now, judge);
    }
  };
  const timer = setInterval(check, limits.checkIntervalMs);
  timer.unref();

  return {
    watch(socket: TickwireSocket, conflation: Conflation): void {
      watched.set(socket.id, { socket, conflation, lastPongAt: Date.now(), behind: false, limitsRound: watchedCount++ % limitsRounds });
      socket.once('disconnect', () => watched.delete(socket.id));
    },
    stop: () => clearInterval(timer),
  };
}
