// Spreads one tick's tickers across the interval in the fewest waves of at most one provider batch
// (one upstream request each), so quotes reach clients in bursts of one batch instead of one burst
// of the whole tick (30 000 socket deliveries would hold a web process's event loop for ~170 ms).
// The tickers are dealt out so the waves' socket deliveries come out even. A heavy fan-out is the
// web processes' to absorb (more of them, one per core), not a reason to spend upstream requests.

export interface WavePlanOptions {
  readonly batchSize: number;
  readonly intervalMs: number;
  /** Live sockets subscribed to each ticker; a ticker not in it has none (watchlists only). */
  readonly subscribers?: ReadonlyMap<string, number>;
}

/** Share of the interval the waves are spread over; the rest is slack for the last wave to finish. */
export const SPREAD_SHARE = 0.8;

/** Consecutive slices as equal as the count allows (120 tickers in 3 waves: 40 + 40 + 40). */
function slices(symbols: readonly string[], count: number): string[][] {
  const base = Math.floor(symbols.length / count);
  // The first `larger` slices take one more; slice i starts after i slices and the larger ones among them.
  const larger = symbols.length % count;
  const start = (index: number) => index * base + Math.min(index, larger);
  return Array.from({ length: count }, (_, index) => symbols.slice(start(index), start(index + 1)));
}

/**
 * Most-subscribed first, each ticker into the wave with the fewest deliveries so far that still
 * has room; room is an even share of the tickers, so no wave outgrows one provider batch.
 */
function balanced(symbols: readonly string[], count: number, weight: (symbol: string) => number): string[][] {
  const room = Math.ceil(symbols.length / count);
  const waves = Array.from({ length: count }, () => ({ symbols: [] as string[], deliveries: 0 }));
  const order = [...symbols].sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : a > b ? 1 : 0));
  for (const symbol of order) {
    let target: (typeof waves)[number] | undefined;
    for (const wave of waves) {
      if (wave.symbols.length >= room) continue;
      if (!target || wave.deliveries < target.deliveries || (wave.deliveries === target.deliveries && wave.symbols.length < target.symbols.length)) target = wave;
    }
    target!.symbols.push(symbol);
    target!.deliveries += weight(symbol);
  }
  return waves.map((wave) => wave.symbols.sort());
}

/** Each wave's `delayMs` from the start of the tick; `deliveries`: the live subscribers of its tickers. */
export function planWaves(symbols: readonly string[], options: WavePlanOptions) {
  if (symbols.length === 0) return [];
  const weight = (symbol: string) => options.subscribers?.get(symbol) ?? 0;
  const deliveries = symbols.reduce((sum, symbol) => sum + weight(symbol), 0);
  const count = Math.ceil(symbols.length / options.batchSize);
  const groups = deliveries === 0 ? slices(symbols, count) : balanced(symbols, count, weight);
  const spreadMs = options.intervalMs * SPREAD_SHARE;
  return groups.map((group, index) => ({
    delayMs: Math.floor((index * spreadMs) / count),
    symbols: group,
    deliveries: group.reduce((sum, symbol) => sum + weight(symbol), 0),
  }));
}
