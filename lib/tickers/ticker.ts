// Ticker normalisation as API.md defines it: trimmed, upper-cased, and of a known shape
// (AAPL, BRK-B, RELIANCE.NS, EURUSD=X, GC=F, ^GSPC).

export const TICKER_PATTERN = /^\^?[A-Z0-9][A-Z0-9.=-]{0,19}$/;
const TICKER_CHARACTERS = /^\^?[A-Z0-9.=-]*$/;
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
  if (!TICKER_CHARACTERS.test(symbol)) return reject('ticker may contain only letters, digits, ".", "=", "-" and a leading "^"');
  if (raw.length > MAX_RAW_TICKER_LENGTH || symbol.replace(/^\^/, '').length > 20) return reject('ticker is too long (at most 20 characters, or 21 with ^)');
  if (!TICKER_PATTERN.test(symbol)) return reject('ticker must start with a letter or a digit (after an optional "^")');
  return { ok: true, symbol };
}

/**
 * Normalises a list: accepted symbols (deduplicated, first-seen order) and the rejections, each
 * with the position of its ticker in the request, for error paths like `tickers.3`.
 */
export function normalizeTickers(raws: readonly string[]) {
  const symbols = new Set<string>();
  const rejected: Array<TickerRejection & { readonly index: number }> = [];
  for (const [index, raw] of raws.entries()) {
    const result = normalizeTicker(raw);
    if (result.ok) symbols.add(result.symbol);
    else rejected.push({ ...result.rejection, index });
  }
  return { symbols: [...symbols], rejected };
}
