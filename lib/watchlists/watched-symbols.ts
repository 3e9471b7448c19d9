// Every ticker on at least one watchlist: the scheduler's standing demand.
import type { Orm } from '../db/orm.js';

export async function watchedSymbols(orm: Orm): Promise<string[]> {
  const rows = await orm.em.fork().getConnection().execute<Array<{ symbol: string }>>('select distinct symbol from watchlist_items order by symbol');
  return rows.map((row) => row.symbol);
}
