import { normalizeTicker, normalizeTickers } from './ticker.js';

describe('normalizeTicker', () => {
  it.each([
    [' aapl ', 'AAPL'],
    ['brk-b', 'BRK-B'],
    ['reliance.ns', 'RELIANCE.NS'],
    ['EURUSD=X', 'EURUSD=X'],
    ['gc=f', 'GC=F'],
    ['^gspc', '^GSPC'],
  ])('accepts %j as %s', (raw, symbol) => {
    expect(normalizeTicker(raw)).toEqual({ ok: true, symbol });
  });

  it.each([
    ['', 'ticker is empty'],
    ['   ', 'ticker is empty'],
    ["AAPL'; DROP TABLE users;--", 'ticker may contain only letters, digits, ".", "=", "-" and a leading "^"'],
    ["A'--", 'ticker may contain only letters, digits, ".", "=", "-" and a leading "^"'],
    ['A'.repeat(500), 'ticker is too long (at most 20 characters, or 21 with ^)'],
    ['-AAPL', 'ticker must start with a letter or a digit (after an optional "^")'],
    ['A'.repeat(21), 'ticker is too long (at most 20 characters, or 21 with ^)'],
    ['AA PL', 'ticker may contain only letters, digits, ".", "=", "-" and a leading "^"'],
  ])('rejects %j: %s', (raw, reason) => {
    const result = normalizeTicker(raw);
    expect(result).toEqual({ ok: false, rejection: { ticker: raw.slice(0, 32), code: 'INVALID_TICKER', reason } });
  });

  it('deduplicates a list after normalising, keeping first-seen order', () => {
    expect(normalizeTickers(['msft', 'AAPL', ' msft', '$$'])).toEqual({
      symbols: ['MSFT', 'AAPL'],
      rejected: [{ ticker: '$$', code: 'INVALID_TICKER', reason: 'ticker may contain only letters, digits, ".", "=", "-" and a leading "^"', index: 3 }],
    });
  });
});
