// PostgreSQL's copy of the last known quote per symbol (stock_quotes), read when Redis has none.
import type { Orm } from '../db/orm.js';
import { withStaleness } from './quote-cache.js';
import type { Quote } from './quote.js';
import type { StaleAfter } from './freshness.js';

/** Rows per statement: keeps one statement's parameter (a JSON array) to a few megabytes. */
export const ARCHIVE_ROWS_PER_STATEMENT = 5000;

export interface QuoteArchive {
  /** Upserts the quotes (one symbol at most once); a row is only replaced by a later quote, so racing writers never go backwards. */
  save(quotes: readonly Quote[]): Promise<void>;
  /** The archived quote of a symbol, `stale` worked out from its age; null when there is none. */
  get(symbol: string, staleAfterMs: StaleAfter): Promise<Quote | null>;
}

// One parameter whatever the batch size: the rows as a JSON array, unpacked by PostgreSQL.
const UPSERT = `insert into stock_quotes (symbol, quote, fetched_at, updated_at)
select row.symbol, row.quote, row.fetched_at, now()
from jsonb_to_recordset(?::jsonb) as row(symbol varchar(21), quote jsonb, fetched_at timestamptz)
on conflict (symbol) do update set quote = excluded.quote, fetched_at = excluded.fetched_at, updated_at = excluded.updated_at
where stock_quotes.fetched_at < excluded.fetched_at`;

export function quoteArchive(orm: Orm): QuoteArchive {
  const connection = () => orm.em.fork().getConnection();
  return {
    async save(quotes) {
      for (let start = 0; start < quotes.length; start += ARCHIVE_ROWS_PER_STATEMENT) {
        const rows = quotes.slice(start, start + ARCHIVE_ROWS_PER_STATEMENT).map((quote) => ({ symbol: quote.symbol, quote, fetched_at: quote.fetchedAt }));
        await connection().execute(UPSERT, [JSON.stringify(rows)], 'run');
      }
    },
    async get(symbol, staleAfterMs) {
      const [row] = await connection().execute<Array<{ quote: Quote }>>('select quote from stock_quotes where symbol = ?', [symbol]);
      return row ? withStaleness(row.quote, staleAfterMs) : null;
    },
  };
}
