// The workers' side of the realtime path: publishes `stock_update` through Redis to whichever web
// processes hold the subscribed sockets (@socket.io/redis-emitter, classic adapter protocol).
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { Quote } from '../quotes/quote.js';
import type { ServerToClientEvents } from './events.js';
import { tickerRoom } from './rooms.js';

/**
 * `key` must be the web process's adapter key (RedisKeys.socketIo). The emitter fires and forgets
 * its PUBLISH; a failed one (Redis away) is reported to `onError` instead of becoming an unhandled
 * rejection: the next quote for the ticker supersedes the lost update anyway.
 */
export function createQuoteEmitter(redis: Redis, key: string, onError: (error: unknown) => void = () => undefined) {
  const publisher = { publish: (channel: string, message: string | Buffer) => redis.publish(channel, message).catch(onError) };
  const emitter = new Emitter<ServerToClientEvents>(publisher, { key });
  return {
    emitQuote(quote: Quote): void {
      emitter.to(tickerRoom(quote.symbol)).emit('stock_update', { [quote.symbol]: quote });
    },
  };
}

export type QuoteEmitter = ReturnType<typeof createQuoteEmitter>;
