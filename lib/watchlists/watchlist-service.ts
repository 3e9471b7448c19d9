// One watchlist service behind both watchlist APIs. Adds to one user's list are serialised by a
// row lock on the user, so concurrent requests can never push the list past its limit, and a
// request that would pass the limit adds nothing.
import { LockMode } from '@mikro-orm/core';
import type { Orm } from '../db/orm.js';
import { User, WatchlistItem } from '../db/entities/index.js';
import { DomainError } from '../platform/domain-error.js';

const toEntry = ({ symbol, addedAt }: WatchlistItem) => ({ symbol, addedAt });

export function createWatchlistService(orm: Orm, options: { maxSize: number }) {
  return {
    /** The user's list, sorted by symbol. */
    async list(userId: number) {
      const items = await orm.em.fork().find(WatchlistItem, { user: userId }, { orderBy: { symbol: 'asc' } });
      return items.map(toEntry);
    },

    /**
     * Adds normalised symbols all or nothing; throws WATCHLIST_FULL when the limit would be passed.
     * `added`: the symbols this call put on the list; `entries`: every requested one, new or not.
     */
    async add(userId: number, symbols: readonly string[]): Promise<{ added: string[]; entries: ReturnType<typeof toEntry>[] }> {
      if (symbols.length === 0) return { added: [], entries: [] };
      return orm.em.fork().transactional(async (em) => {
        // select … for update: held until this transaction commits.
        const owner = await em.findOne(User, userId, { lockMode: LockMode.PESSIMISTIC_WRITE, fields: ['id'] });
        if (!owner) throw new DomainError('NOT_FOUND', 'The user no longer exists');
        const present = await em.find(WatchlistItem, { user: userId });
        const have = new Set(present.map((item) => item.symbol));
        const missing = symbols.filter((symbol) => !have.has(symbol));
        if (present.length + missing.length > options.maxSize) {
          throw new DomainError('WATCHLIST_FULL', `A watchlist holds at most ${options.maxSize} symbols`, { limit: options.maxSize, count: present.length });
        }
        // One insert for all of them; added_at comes back from the database's default.
        const inserted = missing.map((symbol) => em.create(WatchlistItem, { user: userId, symbol }));
        await em.flush();
        const bySymbol = new Map([...present, ...inserted].map((item) => [item.symbol, toEntry(item)]));
        return { added: missing, entries: symbols.map((symbol) => bySymbol.get(symbol)!) };
      });
    },

    /** Removes symbols; returns those that were on the list. */
    async remove(userId: number, symbols: readonly string[]): Promise<string[]> {
      if (symbols.length === 0) return [];
      return orm.em.fork().transactional(async (em) => {
        // Locked, so of two concurrent removals of a symbol only one reports it removed.
        const items = await em.find(WatchlistItem, { user: userId, symbol: { $in: [...symbols] } }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        em.remove(items);
        return items.map((item) => item.symbol);
      });
    },
  };
}
