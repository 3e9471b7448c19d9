import { mapGlobalQuote, mapSymbolSearch, mapTimeSeries, mapTopMovers, readAvNumber } from './mapping.js';

describe('Alpha Vantage mapping', () => {
  it('maps GLOBAL_QUOTE, leaving what it does not give null', () => {
    const quote = mapGlobalQuote('IBM', {
      'Global Quote': {
        '01. symbol': 'IBM',
        '02. open': '188.9000',
        '03. high': '190.3000',
        '04. low': '188.1000',
        '05. price': '189.8400',
        '06. volume': '51234567',
        '07. latest trading day': '2026-11-20',
        '08. previous close': '188.6100',
        '09. change': '1.2300',
        '10. change percent': '0.6521%',
      },
    });
    expect(quote).toEqual({
      symbol: 'IBM',
      shortName: null,
      price: 189.84,
      change: 1.23,
      changePercent: 0.6521,
      volume: 51234567,
      marketState: null,
      currency: null,
      exchange: null,
      previousClose: 188.61,
      open: 188.9,
      dayHigh: 190.3,
      dayLow: 188.1,
      timestamp: null,
      source: 'alphavantage',
    });
  });

  it('reads an empty Global Quote as an unknown symbol', () => {
    expect(mapGlobalQuote('NOPE', { 'Global Quote': {} })).toBeUndefined();
  });

  it('reads numbers strictly', () => {
    expect(readAvNumber('-1.5%')).toBe(-1.5);
    expect(readAvNumber('None')).toBeNull();
    expect(readAvNumber('')).toBeNull();
    expect(readAvNumber(undefined)).toBeNull();
  });

  it('maps SYMBOL_SEARCH matches', () => {
    const body = { bestMatches: [{ '1. symbol': 'TSCO.LON', '2. name': 'Tesco PLC', '3. type': 'Equity', '4. region': 'United Kingdom' }, { '1. symbol': 'TSCDY', '2. name': 'Tesco PLC', '3. type': 'Equity' }] };
    expect(mapSymbolSearch(body, 1)).toEqual([{ symbol: 'TSCO.LON', name: 'Tesco PLC', exchange: null, type: 'Equity' }]);
    expect(mapSymbolSearch({}, 5)).toBeUndefined();
  });

  it('maps a daily series oldest first, from the range start on', () => {
    const body = {
      'Time Series (Daily)': {
        '2026-11-20': { '1. open': '2', '2. high': '3', '3. low': '1', '4. close': '2.5', '5. volume': '100' },
        '2026-11-19': { '1. open': '1', '2. high': '2', '3. low': '0.5', '4. close': '2', '5. volume': '90' },
        '2026-10-01': { '1. open': '1', '2. high': '1', '3. low': '1', '4. close': '1', '5. volume': '1' },
      },
    };
    const points = mapTimeSeries(body, 'Time Series (Daily)', new Date('2026-11-01T00:00:00Z'));
    expect(points).toEqual([
      { time: '2026-11-19T00:00:00.000Z', open: 1, high: 2, low: 0.5, close: 2, volume: 90 },
      { time: '2026-11-20T00:00:00.000Z', open: 2, high: 3, low: 1, close: 2.5, volume: 100 },
    ]);
  });

  it('maps TOP_GAINERS_LOSERS', () => {
    const body = {
      top_gainers: [{ ticker: 'UP', price: '2.5', change_amount: '1.0', change_percentage: '66.67%', volume: '1000' }],
      top_losers: [{ ticker: 'DOWN', price: '1.0', change_amount: '-1.0', change_percentage: '-50%', volume: '500' }],
    };
    const movers = mapTopMovers(body, 5)!;
    expect(movers.gainers[0]).toMatchObject({ symbol: 'UP', price: 2.5, change: 1, changePercent: 66.67, volume: 1000, source: 'alphavantage', currency: null });
    expect(movers.losers[0]).toMatchObject({ symbol: 'DOWN', changePercent: -50 });
  });
});
