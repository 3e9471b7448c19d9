// PostgreSQL's copy of the last known quote per symbol (stock_quotes), read when Redis has none.
import { raw } from '@mikro-orm/core';
import type { Orm } from '../db/orm.js';
import { StockQuote } from '../db/entities/index.js';
import { withStaleness, type StaleAfter } from './quote-cache.js';
import type { Quote } from './quote.js';

/** Rows per statement: three parameters a row stay well under PostgreSQL's 65 535. */
const ARCHIVE_ROWS_PER_STATEMENT = 5000;

export function quoteArchive(orm: Orm) {
  return {
    /** Upserts the quotes (one symbol at most once); a row is only replaced by a later quote, so racing writers never go backwards. */
    async save(quotes: readonly Quote[]): Promise<void> {
      const em = orm.em.fork();
      for (let start = 0; start < quotes.length; start += ARCHIVE_ROWS_PER_STATEMENT) {
        const rows = quotes.slice(start, start + ARCHIVE_ROWS_PER_STATEMENT).map((quote) => ({ symbol: quote.symbol, quote, fetchedAt: new Date(quote.fetchedAt) }));
        await em
          .createQueryBuilder(StockQuote)
          .insert(rows)
          .onConflict('symbol')
          .merge(['quote', 'fetchedAt', 'updatedAt'])
          .where({ fetchedAt: { $lt: raw('excluded.fetched_at') } })
          .execute('run');
      }
    },
    /** The archived quote of a symbol, `stale` worked out from its age; null when there is none. */
    async get(symbol: string, staleAfterMs: StaleAfter): Promise<Quote | null> {
      const row = await orm.em.fork().findOne(StockQuote, { symbol }, { fields: ['quote'] });
      return row ? withStaleness(row.quote, staleAfterMs) : null;
    },
  };
}

export type QuoteArchive = ReturnType<typeof quoteArchive>;
