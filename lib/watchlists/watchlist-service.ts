// One watchlist service behind both watchlist APIs. Adds to one user's list are serialised by a
// row lock on the user, so concurrent requests can never push the list past its limit, and a
// request that would pass the limit adds nothing.
import type { Orm } from '../db/orm.js';
import { DomainError } from '../platform/domain-error.js';

export interface WatchlistEntry {
  readonly symbol: string;
  readonly addedAt: Date;
}

export interface AddResult {
  /** Symbols this call put on the list. */
  readonly added: readonly string[];
  /** Every requested symbol with its entry, whether new or already there. */
  readonly entries: readonly WatchlistEntry[];
}

export interface WatchlistService {
  /** The user's list, sorted by symbol. */
  list(userId: number): Promise<WatchlistEntry[]>;
  /** Adds normalised symbols all or nothing; throws WATCHLIST_FULL when the limit would be passed. */
  add(userId: number, symbols: readonly string[]): Promise<AddResult>;
  /** Removes symbols; returns those that were on the list. */
  remove(userId: number, symbols: readonly string[]): Promise<string[]>;
}

interface Row {
  symbol: string;
  added_at: Date;
}

const toEntry = (row: Row): WatchlistEntry => ({ symbol: row.symbol, addedAt: new Date(row.added_at) });

export function createWatchlistService(orm: Orm, options: { maxSize: number }): WatchlistService {
  return {
    async list(userId) {
      const rows = await orm.em.fork().getConnection().execute<Row[]>('select symbol, added_at from watchlist_items where user_id = ? order by symbol', [userId]);
      return rows.map(toEntry);
    },

    async add(userId, symbols) {
      if (symbols.length === 0) return { added: [], entries: [] };
      return orm.em.fork().transactional(async (em) => {
        // em.execute runs inside this transaction, which holds the lock until commit.
        const [owner] = await em.execute<Array<{ id: number }>>('select id from users where id = ? for update', [userId]);
        if (!owner) throw new DomainError('NOT_FOUND', 'The user no longer exists');
        const present = await em.execute<Row[]>('select symbol, added_at from watchlist_items where user_id = ?', [userId]);
        const have = new Set(present.map((row) => row.symbol));
        const missing = symbols.filter((symbol) => !have.has(symbol));
        if (present.length + missing.length > options.maxSize) {
          throw new DomainError('WATCHLIST_FULL', `A watchlist holds at most ${options.maxSize} symbols`, {
            limit: options.maxSize,
            count: present.length,
          });
        }
        const inserted = missing.length
          ? await em.execute<Row[]>(
              `insert into watchlist_items (user_id, symbol) values ${missing.map(() => '(?, ?)').join(', ')} returning symbol, added_at`,
              missing.flatMap((symbol) => [userId, symbol]),
            )
          : [];
        const bySymbol = new Map([...present, ...inserted].map((row) => [row.symbol, toEntry(row)]));
        return { added: inserted.map((row) => row.symbol), entries: symbols.map((symbol) => bySymbol.get(symbol)!) };
      });
    },

    async remove(userId, symbols) {
      if (symbols.length === 0) return [];
      const rows = await orm.em
        .fork()
        .getConnection()
        .execute<Row[]>(`delete from watchlist_items where user_id = ? and symbol in (${symbols.map(() => '?').join(', ')}) returning symbol`, [userId, ...symbols]);
      return rows.map((row) => row.symbol);
    },
  };
}
