import type { Quote } from '../../lib/quotes/quote.js';
import { formatChange, formatChangePercent, formatClock, formatPrice, quoteLine, quoteRow, STALE_AFTER_MS } from './quote-format.js';

/** 12:00:01 on the machine's clock, whatever its time zone, as the quote's ISO string. */
const NOON = new Date(2026, 10, 20, 12, 0, 1).toISOString();

const quote = (overrides: Partial<Quote> = {}): Quote => ({
  symbol: 'AAPL',
  shortName: 'Apple Inc.',
  price: 187.42,
  change: 1.2,
  changePercent: 0.6444,
  volume: 51234567,
  marketState: 'REGULAR',
  currency: 'USD',
  exchange: 'NMS',
  previousClose: 186.22,
  open: 186.5,
  dayHigh: 188,
  dayLow: 186.1,
  timestamp: NOON,
  fetchedAt: NOON,
  source: 'yahoo',
  seq: 7,
  stale: false,
  ...overrides,
});

describe('quote formatting', () => {
  it('prints the plain line of the README', () => {
    expect(quoteLine(quote())).toBe('AAPL 187.42 +1.20 +0.64% 12:00:01');
  });

  it('marks a quote the server calls stale', () => {
    expect(quoteLine(quote({ stale: true }))).toBe('AAPL 187.42 +1.20 +0.64% 12:00:01 stale');
  });

  it('shows falls with a minus and no plus on zero', () => {
    expect(quoteLine(quote({ change: -3.456, changePercent: -1.8 }))).toBe('AAPL 187.42 -3.46 -1.80% 12:00:01');
    expect(quoteLine(quote({ change: 0, changePercent: 0 }))).toBe('AAPL 187.42 0.00 0.00% 12:00:01');
  });

  it('prints a dash for what the provider did not give', () => {
    expect(quoteLine(quote({ price: null, change: null, changePercent: null, timestamp: null, fetchedAt: 'not a date' }))).toBe('AAPL - - - -');
  });

  it('falls back to the fetch time when the market time is missing', () => {
    expect(quoteLine(quote({ timestamp: null, fetchedAt: new Date(2026, 0, 2, 9, 5, 7).toISOString() }))).toBe('AAPL 187.42 +1.20 +0.64% 09:05:07');
  });

  it('gives currencies and penny stocks four decimals, on the price and its change', () => {
    expect(formatPrice(1.08431)).toBe('1.0843');
    expect(formatChange(0.0012, 1.08431)).toBe('+0.0012');
    expect(formatPrice(1234.5)).toBe('1234.50');
    expect(formatChange(-12.345, 1234.5)).toBe('-12.35');
    expect(formatChangePercent(12.3456)).toBe('+12.35%');
    expect(formatClock(null)).toBe('-');
  });

  it('builds a table row with its trend and staleness', () => {
    const received = Date.parse(NOON);
    expect(quoteRow(quote(), received, received + 1000)).toEqual({
      symbol: 'AAPL',
      price: '187.42',
      change: '+1.20',
      changePercent: '+0.64%',
      time: '12:00:01',
      stale: false,
      trend: 'up',
    });
    expect(quoteRow(quote({ change: -1 }), received, received).trend).toBe('down');
    expect(quoteRow(quote({ change: null }), received, received).trend).toBe('flat');
    // No update for longer than a quote lives: stale on the client's own clock.
    expect(quoteRow(quote(), received, received + STALE_AFTER_MS + 1).stale).toBe(true);
  });
});
