// The latest quote per subscribed symbol. Updates are applied in `seq` order: a late or repeated
// one (the snapshot sent again on every re-subscribe) is dropped, as API.md advises.
import type { Quote } from '../../lib/quotes/quote.js';
import { trendOf, type Direction } from './quote-format.js';

/**
 * News: a higher seq; or a lower seq fetched later, which means the server's quote store started
 * over (Redis flushed) rather than a late delivery, whose fetchedAt is older.
 */
function isNewer(quote: Quote, previous: Quote | undefined): boolean {
  if (!previous) return true;
  if (quote.seq > previous.seq) return true;
  return quote.seq < previous.seq && Date.parse(quote.fetchedAt) > Date.parse(previous.fetchedAt);
}

export interface BoardEntry {
  readonly symbol: string;
  readonly quote: Quote | undefined;
  /** When the latest update arrived (ms since the epoch). */
  readonly receivedAt: number;
  /** How the price moved at the latest update: colours the price. */
  readonly tick: Direction;
}

export function createQuoteBoard() {
  const board = new Map<string, BoardEntry>();
  return {
    /** The symbols shown now; quotes of symbols that leave are forgotten. */
    setSymbols(symbols: readonly string[]) {
      const wanted = new Set(symbols);
      for (const symbol of board.keys()) if (!wanted.has(symbol)) board.delete(symbol);
      for (const symbol of wanted) if (!board.has(symbol)) board.set(symbol, { symbol, quote: undefined, receivedAt: 0, tick: 'flat' });
    },
    /** True when the quote is news (see isNewer) for a symbol on the board. */
    apply(quote: Quote, receivedAt: number) {
      const entry = board.get(quote.symbol);
      if (!entry) return false;
      const previous = entry.quote;
      if (!isNewer(quote, previous)) return false;
      const moved = previous?.price != null && quote.price != null ? quote.price - previous.price : 0;
      board.set(quote.symbol, { symbol: quote.symbol, quote, receivedAt, tick: trendOf(moved) });
      return true;
    },
    entries: () => [...board.values()].sort((a, b) => a.symbol.localeCompare(b.symbol)),
  };
}
