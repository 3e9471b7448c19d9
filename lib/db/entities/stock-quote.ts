import { EntitySchema, type Opt } from '@mikro-orm/core';
import type { Quote } from '../../quotes/quote.js';

/**
 * The last known quote per symbol: PostgreSQL's copy behind the Redis cache, so a quote survives
 * a Redis flush or restart. Written in batches by the processes that fetch quotes.
 */
export class StockQuote {
  symbol!: string;
  /** The Quote shape of API.md as stored (with its seq); `stale` is worked out when read. */
  quote!: Quote;
  /** When Tickwire fetched the quote; a write never replaces a row with an older one. */
  fetchedAt!: Date;
  updatedAt: Opt<Date> = new Date();
}

export const StockQuoteSchema = new EntitySchema<StockQuote>({
  class: StockQuote,
  tableName: 'stock_quotes',
  properties: {
    symbol: { type: 'string', length: 21, primary: true },
    quote: { type: 'json' },
    fetchedAt: { type: 'datetime' },
    updatedAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});
