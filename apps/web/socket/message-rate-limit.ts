// Per-socket message rate limit (SOCKET_MESSAGES_PER_SECOND), in memory: rate-limiter-flexible's
// one-second window per socket. A message past it is refused with RATE_LIMITED and not processed;
// refusing costs a counter and an ack, so one flooding socket cannot slow the others.
//
// Flood policy: a socket refused more than FLOOD_FACTOR times the rate within a second, for
// FLOOD_SECONDS seconds in a row, is disconnected (`io server disconnect`, so its client does not
// reconnect by itself). A client that merely bursts gets refusals, never a disconnect.
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Logger } from '../../../lib/platform/logger.js';
import type { SubscriptionRejection } from '../../../lib/realtime/events.js';
import { previewPayload, readMessage } from './subscription-payload.js';
import type { TickwireSocket } from './types.js';

const FLOOD_FACTOR = 10;
export const FLOOD_SECONDS = 3;
/** At most one `subscription_error` per this many ms tells a limited client why it is refused. */
const ERROR_INTERVAL_MS = 1000;

/** Counts refusals per second; true once a socket has flooded `seconds` seconds in a row. */
export function floodWatch(refusalsPerSecond: number, seconds: number): (now: number) => boolean {
  let windowStart = Number.NEGATIVE_INFINITY;
  let refused = 0;
  let floodedSeconds = 0;
  return (now) => {
    if (now - windowStart >= 1000) {
      const followsDirectly = now - windowStart < 2000;
      floodedSeconds = followsDirectly && refused > refusalsPerSecond ? floodedSeconds + 1 : 0;
      windowStart = now;
      refused = 0;
    }
    refused += 1;
    return refused > refusalsPerSecond && floodedSeconds + 1 >= seconds;
  };
}

/** Limits each socket's messages; returns what to call for every new socket. */
export function messageRateLimit(messagesPerSecond: number, logger: Logger) {
  // One limiter keyed by socket id, as the library is meant to be used: a key lives only while
  // its socket has sent something within the last second, so idle sockets cost nothing here.
  const limiter = new RateLimiterMemory({ points: messagesPerSecond, duration: 1 });
  return (socket: TickwireSocket, currentSubscriptions: () => string[]): void => {
    let flooding: ((now: number) => boolean) | undefined;
    let lastErrorAt = Number.NEGATIVE_INFINITY;

    const refuse = (args: unknown[], now: number): void => {
      const message = readMessage(args);
      const rejection: SubscriptionRejection = {
        ticker: previewPayload(message.payload),
        code: 'RATE_LIMITED',
        reason: `too many messages: at most ${messagesPerSecond} per second`,
      };
      message.ack?.({ ok: false, subscribed: currentSubscriptions(), rejected: [rejection] });
      if (now - lastErrorAt >= ERROR_INTERVAL_MS) {
        lastErrorAt = now;
        socket.emit('subscription_error', { rejected: [rejection] });
      }
      flooding ??= floodWatch(FLOOD_FACTOR * messagesPerSecond, FLOOD_SECONDS);
      if (flooding(now) && socket.connected) {
        logger.warn({ userId: socket.data.userId, messagesPerSecond }, 'socket disconnected for flooding');
        socket.disconnect(true);
      }
    };

    socket.use(([, ...args], next) => {
      // Not calling next() drops the message: its handler never runs. Socket.IO runs an accepted
      // message's handler on the next tick; refusing on the next tick too keeps the messages' order.
      const now = Date.now();
      limiter.consume(socket.id).then(
        () => next(),
        () => process.nextTick(() => refuse(args, now)),
      );
    });
  };
}
