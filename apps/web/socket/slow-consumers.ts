// Slow consumers: a client that stops reading (or reads slower than quotes arrive) would make the
// server queue its output without bound. Once a second every socket's pending output is checked;
// a socket above either limit is disconnected and its connection dropped with what it queued.
// A healthy client's output drains within milliseconds of each burst, far below the limits; a
// burst that fills them (1000 packets is ten snapshots of 100 tickers) is already unhealthy.
import type { Logger } from '../../../lib/platform/logger.js';
import { dropConnection, pendingOutput } from './raw-transport.js';
import type { TickwireServer } from './types.js';

export interface SlowConsumerLimits {
  readonly checkIntervalMs: number;
  /** Packets engine.io may hold for one socket. */
  readonly maxPendingPackets: number;
  /** Bytes a socket's WebSocket may hold beyond what the kernel has taken. */
  readonly maxBufferedBytes: number;
}

export const DEFAULT_SLOW_CONSUMER_LIMITS: SlowConsumerLimits = {
  checkIntervalMs: 1000,
  maxPendingPackets: 1000,
  maxBufferedBytes: 1024 * 1024,
};

/** Starts the periodic check; returns its stop function. */
export function disconnectSlowConsumers(io: TickwireServer, limits: SlowConsumerLimits, logger: Logger): () => void {
  const check = () => {
    for (const socket of io.sockets.sockets.values()) {
      const pending = pendingOutput(socket.conn);
      if (pending.packets <= limits.maxPendingPackets && pending.bytes <= limits.maxBufferedBytes) continue;
      logger.warn({ userId: socket.data.userId, pendingPackets: pending.packets, bufferedBytes: pending.bytes }, 'slow consumer disconnected');
      // Leaves the rooms (and gives back live demand) first; the drop frees what was queued.
      socket.disconnect(true);
      dropConnection(socket.conn);
    }
  };
  const timer = setInterval(check, limits.checkIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
