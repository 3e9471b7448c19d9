// Every ticker on at least one watchlist: the scheduler's standing demand.
import type { Orm } from '../db/orm.js';
import { WatchlistItem } from '../db/entities/index.js';

export async function watchedSymbols(orm: Orm): Promise<string[]> {
  const rows = await orm.em.fork().createQueryBuilder(WatchlistItem).select('symbol', true).orderBy({ symbol: 'asc' }).execute<Array<{ symbol: string }>>('all');
  return rows.map((row) => row.symbol);
}
