// Ticker normalisation as API.md defines it: trimmed, upper-cased, and of a known shape
// (AAPL, BRK-B, RELIANCE.NS, EURUSD=X, GC=F, ^GSPC).

export const TICKER_PATTERN = /^\^?[A-Z0-9][A-Z0-9.=-]{0,19}$/;
/** Longest raw value worth normalising; anything longer is refused before any work. */
export const MAX_RAW_TICKER_LENGTH = 32;

export interface TickerRejection {
  readonly ticker: string;
  readonly code: 'INVALID_TICKER';
  readonly reason: string;
}

export type TickerResult = { ok: true; symbol: string } | { ok: false; rejection: TickerRejection };

export function normalizeTicker(raw: string): TickerResult {
  const symbol = raw.trim().toUpperCase();
  const reject = (reason: string): TickerResult => ({ ok: false, rejection: { ticker: raw.slice(0, MAX_RAW_TICKER_LENGTH), code: 'INVALID_TICKER', reason } });
  if (!symbol) return reject('ticker is empty');
  if (raw.length > MAX_RAW_TICKER_LENGTH || symbol.length > 21) return reject('ticker is too long (at most 20 characters, or 21 with ^)');
  if (!TICKER_PATTERN.test(symbol)) return reject('ticker may contain only letters, digits, ".", "=", "-" and a leading "^"');
  return { ok: true, symbol };
}

/** Normalises a list: accepted symbols (deduplicated, first-seen order) and the rejections. */
export function normalizeTickers(raws: readonly string[]): { symbols: string[]; rejected: TickerRejection[] } {
  const symbols = new Set<string>();
  const rejected: TickerRejection[] = [];
  for (const raw of raws) {
    const result = normalizeTicker(raw);
    if (result.ok) symbols.add(result.symbol);
    else rejected.push(result.rejection);
  }
  return { symbols: [...symbols], rejected };
}
