import { UpstreamError } from '../errors.js';
import { mapChartPoints, mapQuoteBatch, mapSearchResults, readTime } from './mapping.js';

describe('Yahoo mapping', () => {
  it('maps a quote and leaves absent fields null', () => {
    const batch = mapQuoteBatch(['AAPL', 'NOPE'], [
      { symbol: 'AAPL', longName: 'Apple Inc.', regularMarketPrice: 189.84, regularMarketTime: new Date('2026-11-20T20:59:58Z'), currency: 'USD', extraField: 1 },
    ]);
    expect(batch.missing).toEqual(['NOPE']);
    expect(batch.quotes).toEqual([
      {
        symbol: 'AAPL',
        shortName: 'Apple Inc.',
        price: 189.84,
        change: null,
        changePercent: null,
        volume: null,
        marketState: null,
        currency: 'USD',
        exchange: null,
        previousClose: null,
        open: null,
        dayHigh: null,
        dayLow: null,
        timestamp: '2026-11-20T20:59:58.000Z',
        source: 'yahoo',
      },
    ]);
  });

  it('reads market times as epoch seconds, dates or strings', () => {
    expect(readTime(1795208398)).toBe('2026-11-20T20:59:58.000Z');
    expect(readTime('2026-11-20T20:59:58Z')).toBe('2026-11-20T20:59:58.000Z');
    expect(readTime('garbage')).toBeNull();
    expect(readTime(undefined)).toBeNull();
  });

  it('refuses a malformed answer instead of returning nothing', () => {
    expect(() => mapQuoteBatch(['AAPL'], { quoteResponse: null })).toThrow(UpstreamError);
    expect(() => mapChartPoints(undefined)).toThrow(UpstreamError);
  });

  it('skips search entries without a ticker', () => {
    const results = mapSearchResults({ quotes: [{ symbol: 'AAPL', shortname: 'Apple Inc.', exchange: 'NMS', quoteType: 'EQUITY' }, { name: 'Private Co' }] }, 5);
    expect(results).toEqual([{ symbol: 'AAPL', name: 'Apple Inc.', exchange: 'NMS', type: 'EQUITY' }]);
  });
});
