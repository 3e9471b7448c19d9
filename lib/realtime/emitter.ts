// The workers' side of the realtime path: publishes `stock_update` through Redis to whichever web
// processes hold the subscribed sockets (@socket.io/redis-emitter, classic adapter protocol).
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { Quote } from '../quotes/quote.js';
import type { ServerToClientEvents } from './events.js';
import { tickerRoom } from './rooms.js';

export interface QuoteEmitter {
  emitQuote(quote: Quote): void;
}

/** `key` must be the same as the web process's adapter key (RedisKeys.socketIo). */
export function createQuoteEmitter(redis: Redis, key: string): QuoteEmitter {
  const emitter = new Emitter<ServerToClientEvents>(redis, { key });
  return {
    emitQuote(quote) {
      emitter.to(tickerRoom(quote.symbol)).emit('stock_update', { [quote.symbol]: quote });
    },
  };
}
