// The workers' side of the realtime path: publishes `stock_update` through Redis to whichever web
// processes hold the subscribed sockets (@socket.io/redis-emitter, classic adapter protocol).
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { Quote } from '../quotes/quote.js';
import type { ServerToClientEvents } from './events.js';
import { tickerRoom } from './rooms.js';

/**
 * `key` must be the web process's adapter key (RedisKeys.socketIo). The emitter fires and forgets
 * its PUBLISHes; a failed one (Redis away) is reported to `onError` instead of becoming an unhandled
 * rejection: the next quote for the ticker supersedes the lost update anyway.
 */
export function createQuoteEmitter(redis: Redis, key: string, onError: (error: unknown) => void = () => undefined) {
  return {
    // A batch's PUBLISHes leave as one pipeline: one write from here and one read for Redis, which
    // relays them to each web process in one piece too, where a socket's share of the batch is then
    // written at once (apps/web/socket/direct-broadcast.ts) rather than one write per quote.
    emitQuotes(quotes: readonly Quote[]): void {
      if (quotes.length === 0) return;
      const pipeline = redis.pipeline();
      const emitter = new Emitter<ServerToClientEvents>(pipeline, { key });
      for (const quote of quotes) emitter.to(tickerRoom(quote.symbol)).emit('stock_update', { [quote.symbol]: quote });
      pipeline.exec().then((results) => results?.forEach(([error]) => error && onError(error)), onError);
    },
  };
}

export type QuoteEmitter = ReturnType<typeof createQuoteEmitter>;
