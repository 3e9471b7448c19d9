import { staleAfterPolicy, withStaleness } from './quote-cache.js';
import type { Quote } from './quote.js';

const intervals = { closed: 300_000, pre: 60_000, post: 60_000 };

function quoteFetched(agoMs: number, marketState: string | null, now: number): Quote {
  return { symbol: 'AAPL', shortName: null, price: 1, change: null, changePercent: null, volume: null, marketState, currency: null, exchange: null, previousClose: null, open: null, dayHigh: null, dayLow: null, timestamp: null, fetchedAt: new Date(now - agoMs).toISOString(), source: 'yahoo', seq: 1, stale: false };
}

describe('staleness by market state', () => {
  const now = Date.parse('2026-11-21T03:00:00.000Z');
  const policy = staleAfterPolicy(1000, 60_000, intervals);

  it('lets a closed market\'s quote age three of its own (longer) intervals before it is stale', () => {
    expect(withStaleness(quoteFetched(4 * 60_000, 'CLOSED', now), policy, now).stale).toBe(false);
    expect(withStaleness(quoteFetched(16 * 60_000, 'CLOSED', now), policy, now).stale).toBe(true);
    expect(withStaleness(quoteFetched(2 * 60_000, 'PRE', now), policy, now).stale).toBe(false);
  });

  it('keeps the normal bound for an open market or one the provider does not name', () => {
    expect(withStaleness(quoteFetched(2 * 60_000, 'REGULAR', now), policy, now).stale).toBe(true);
    expect(withStaleness(quoteFetched(2 * 60_000, null, now), policy, now).stale).toBe(true);
    expect(withStaleness(quoteFetched(30_000, 'REGULAR', now), policy, now).stale).toBe(false);
  });
});
