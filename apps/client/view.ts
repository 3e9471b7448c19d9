// What the client shows, whichever way it shows it: a live table on a terminal, or plain lines.
import type { Quote } from '../../lib/quotes/quote.js';

export interface ClientView {
  /** The tickers the socket is subscribed to now: the rows. */
  showSymbols(symbols: readonly string[]): void;
  showQuote(quote: Quote): void;
  /** Something the user should know: connected, watchlist changes, logged in again. */
  notice(message: string): void;
  /** Something went wrong and the client carries on (or is about to stop). */
  problem(message: string): void;
  /** Draws a last time and gives the terminal back. */
  close(): void;
}
