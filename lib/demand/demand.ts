// The tickers in demand right now: on any watchlist, or subscribed by a live socket on any web
// process, minus those the provider recently said it does not know. The watchlists come from
// PostgreSQL, or, while it is slow or away, from the last known copy (last-known-demand.ts).
import { readLiveSubscribers } from './live-demand.js';
import { createWatchedReader, type WatchedReaderOptions } from './last-known-demand.js';
import { unknownSymbols } from './unknown-symbols.js';

export interface Demand {
  readonly symbols: string[];
  readonly watched: number;
  /** Live sockets subscribed to each ticker, over every web process (its size: tickers in live demand). */
  readonly subscribers: ReadonlyMap<string, number>;
}

export function createDemandReader(options: WatchedReaderOptions): () => Promise<Demand> {
  const { redis, keys } = options;
  const readWatched = createWatchedReader(options);
  const unknown = unknownSymbols(redis, keys);
  return async () => {
    const [watched, subscribers] = await Promise.all([readWatched(), readLiveSubscribers(redis, keys)]);
    const all = [...new Set([...watched, ...subscribers.keys()])].sort();
    return { symbols: await unknown.withoutUnknown(all), watched: watched.length, subscribers };
  };
}
