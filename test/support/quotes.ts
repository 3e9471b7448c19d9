// Sample quotes in API.md's shape for tests: the API.md example's figures unless overridden,
// fetched just now (so readers do not mark them stale).
import type { Quote } from '../../lib/quotes/quote.js';
import type { ProviderQuote } from '../../lib/providers/provider.js';
import { quoteExample } from '../../apps/web/schemas/responses/quote.js';

export function sampleQuote(symbol: string, overrides: Partial<Quote> = {}): Quote {
  return { ...quoteExample, symbol, shortName: `${symbol} Inc.`, fetchedAt: new Date().toISOString(), seq: 1, ...overrides };
}

/** The same, as a provider returns it (before the pipeline adds fetchedAt, seq and stale). */
export function sampleProviderQuote(symbol: string, overrides: Partial<ProviderQuote> = {}): ProviderQuote {
  const { fetchedAt: _fetchedAt, seq: _seq, stale: _stale, ...quote } = sampleQuote(symbol);
  return { ...quote, ...overrides };
}
