import { EntitySchema, type Opt, type Ref } from '@mikro-orm/core';
import { User } from './user.js';

export class WatchlistItem {
  id!: number;
  user!: Ref<User>;
  symbol!: string;
  /** Set by the database (now()) on insert, and read back with it. */
  addedAt!: Opt<Date>;
}

export const WatchlistItemSchema = new EntitySchema<WatchlistItem>({
  class: WatchlistItem,
  tableName: 'watchlist_items',
  // One row per user and symbol; the symbol index serves "which tickers are in demand".
  uniques: [{ name: 'watchlist_items_user_symbol_unique', properties: ['user', 'symbol'] }],
  indexes: [{ name: 'watchlist_items_symbol_index', properties: ['symbol'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    user: { kind: 'm:1', entity: () => User, ref: true, deleteRule: 'cascade', updateRule: 'cascade' },
    symbol: { type: 'string', length: 21 },
    addedAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});
