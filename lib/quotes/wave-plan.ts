// Spreads one tick's tickers across the interval in small waves of one provider batch each, so
// quotes reach clients in small bursts rather than one big one (a single burst of 30 000 socket
// deliveries holds a web process's event loop for ~170 ms) while every ticker is still refreshed
// once per interval.

export interface Wave {
  readonly delayMs: number;
  readonly symbols: readonly string[];
}

/** Share of the interval the waves are spread over; the rest is slack for the last wave to finish. */
export const SPREAD_SHARE = 0.8;

export function planWaves(symbols: readonly string[], batchSize: number, intervalMs: number): Wave[] {
  const count = Math.ceil(symbols.length / batchSize);
  const spreadMs = intervalMs * SPREAD_SHARE;
  return Array.from({ length: count }, (_, index) => ({
    delayMs: Math.floor((index * spreadMs) / count),
    symbols: symbols.slice(index * batchSize, (index + 1) * batchSize),
  }));
}
