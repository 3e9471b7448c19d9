// Spreads one tick's tickers across the interval in small waves of at most one provider batch each,
// so quotes reach clients in small bursts rather than one big one (a single burst of 30 000 socket
// deliveries holds a web process's event loop for ~170 ms) while every ticker is still refreshed
// once per interval.

export interface Wave {
  /** When the wave is released, from the start of the tick. */
  readonly delayMs: number;
  readonly symbols: readonly string[];
}

/** Share of the interval the waves are spread over; the rest is slack for the last wave to finish. */
export const SPREAD_SHARE = 0.8;

/**
 * As few waves as the provider's batch size allows (each wave is one upstream request), made as
 * equal as possible: 120 tickers at 50 a request are 40 + 40 + 40, not 50 + 50 + 20, because the
 * biggest wave is what sets the web's longest burst.
 */
export function planWaves(symbols: readonly string[], batchSize: number, intervalMs: number): Wave[] {
  const count = Math.ceil(symbols.length / batchSize);
  const spreadMs = intervalMs * SPREAD_SHARE;
  const base = Math.floor(symbols.length / Math.max(count, 1));
  const larger = symbols.length - base * count;
  let start = 0;
  return Array.from({ length: count }, (_, index) => {
    const size = base + (index < larger ? 1 : 0);
    const wave = { delayMs: Math.floor((index * spreadMs) / count), symbols: symbols.slice(start, start + size) };
    start += size;
    return wave;
  });
}
