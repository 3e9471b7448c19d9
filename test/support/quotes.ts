// Sample quotes in API.md's shape for tests: the API.md example's figures unless overridden,
// fetched just now (so readers do not mark them stale).
import type { Quote } from '../../lib/quotes/quote.js';
import type { ProviderQuote } from '../../lib/providers/provider.js';

export function sampleQuote(symbol: string, overrides: Partial<Quote> = {}): Quote {
  return {
    symbol,
    shortName: `${symbol} Inc.`,
    price: 189.84,
    change: 1.23,
    changePercent: 0.65,
    volume: 51234567,
    marketState: 'REGULAR',
    currency: 'USD',
    exchange: 'NMS',
    previousClose: 188.61,
    open: 188.9,
    dayHigh: 190.3,
    dayLow: 188.1,
    timestamp: '2026-11-20T20:59:58.000Z',
    fetchedAt: new Date().toISOString(),
    source: 'yahoo',
    seq: 1,
    stale: false,
    ...overrides,
  };
}

/** The same, as a provider returns it (before the pipeline adds fetchedAt, seq and stale). */
export function sampleProviderQuote(symbol: string, overrides: Partial<ProviderQuote> = {}): ProviderQuote {
  const { fetchedAt: _fetchedAt, seq: _seq, stale: _stale, ...quote } = sampleQuote(symbol);
  return { ...quote, ...overrides };
}
