// How a quote reads on screen: the cells of a table row, and the plain one-line form for pipes.
import type { Quote } from '../../lib/quotes/quote.js';

/** The client's own staleness: no update for this long (API.md's default quote lifetime). */
export const STALE_AFTER_MS = 60_000;

export type Direction = 'up' | 'down' | 'flat';

const MISSING = '-';

/** Decimals for a price and its change: currencies and penny stocks (under 10) need four. */
const decimalsFor = (price: number | null) => (price !== null && Math.abs(price) < 10 ? 4 : 2);

/** `n` to `decimals` places (with a + when positive, if `signed`) and `unit`, or '-' for a missing number. */
const fixed = (n: number | null, decimals: number, signed = false, unit = '') =>
  n === null || !Number.isFinite(n) ? MISSING : `${signed && n > 0 ? '+' : ''}${n.toFixed(decimals)}${unit}`;

export const formatPrice = (price: number | null): string => fixed(price, decimalsFor(price));

/** With the decimals of its price, so a change reads on the same scale as the price. */
export const formatChange = (change: number | null, price: number | null): string => fixed(change, decimalsFor(price), true);

export const formatChangePercent = (changePercent: number | null): string => fixed(changePercent, 2, true, '%');

/** Local wall-clock time, HH:MM:SS: what a user compares with their own clock. */
export function formatClock(iso: string | null): string {
  const date = iso ? new Date(iso) : undefined;
  if (!date || Number.isNaN(date.getTime())) return MISSING;
  return date.toTimeString().slice(0, 8);
}

export const trendOf = (change: number | null): Direction => (change === null || change === 0 ? 'flat' : change > 0 ? 'up' : 'down');

/** `now`: for the client's own staleness check against when the update arrived. */
export function quoteRow(quote: Quote, receivedAt: number, now: number) {
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
