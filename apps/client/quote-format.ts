// How a quote reads on screen: the cells of a table row, and the plain one-line form for pipes.
import type { Quote } from '../../lib/quotes/quote.js';

/** The client's own staleness: no update for this long (API.md's default quote lifetime). */
export const STALE_AFTER_MS = 60_000;

export type Direction = 'up' | 'down' | 'flat';

export interface QuoteRow {
  readonly symbol: string;
  readonly price: string;
  readonly change: string;
  readonly changePercent: string;
  /** The market's time of the price (else when Tickwire fetched it), local HH:MM:SS. */
  readonly time: string;
  readonly stale: boolean;
  /** Sign of the day's change: colours the change columns. */
  readonly trend: Direction;
}

const MISSING = '-';
const pad = (n: number) => String(n).padStart(2, '0');

/** Decimals for a price and its change: currencies and penny stocks (under 10) need four. */
const decimalsFor = (price: number | null) => (price !== null && Math.abs(price) < 10 ? 4 : 2);

export function formatPrice(price: number | null): string {
  if (price === null || !Number.isFinite(price)) return MISSING;
  return price.toFixed(decimalsFor(price));
}

const signed = (value: string, n: number) => (n > 0 ? `+${value}` : value);

/** With the decimals of its price, so a change reads on the same scale as the price. */
export function formatChange(change: number | null, price: number | null): string {
  if (change === null || !Number.isFinite(change)) return MISSING;
  return signed(change.toFixed(decimalsFor(price)), change);
}

export function formatChangePercent(changePercent: number | null): string {
  if (changePercent === null || !Number.isFinite(changePercent)) return MISSING;
  return `${signed(changePercent.toFixed(2), changePercent)}%`;
}

/** Local wall-clock time, HH:MM:SS: what a user compares with their own clock. */
export function formatClock(iso: string | null): string {
  const date = iso ? new Date(iso) : undefined;
  if (!date || Number.isNaN(date.getTime())) return MISSING;
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export const trendOf = (change: number | null): Direction => (change === null || change === 0 ? 'flat' : change > 0 ? 'up' : 'down');

/** `now`: for the client's own staleness check against when the update arrived. */
export function quoteRow(quote: Quote, receivedAt: number, now: number): QuoteRow {
  return {
    symbol: quote.symbol,
    price: formatPrice(quote.price),
    change: formatChange(quote.change, quote.price),
    changePercent: formatChangePercent(quote.changePercent),
    time: formatClock(quote.timestamp ?? quote.fetchedAt),
    stale: quote.stale || now - receivedAt > STALE_AFTER_MS,
    trend: trendOf(quote.change),
  };
}

/** `AAPL 187.42 +1.20 +0.64% 12:00:01`, plus ` stale` when the server says so. */
export function quoteLine(quote: Quote): string {
  const row = quoteRow(quote, 0, 0);
  return `${row.symbol} ${row.price} ${row.change} ${row.changePercent} ${row.time}${quote.stale ? ' stale' : ''}`;
}
