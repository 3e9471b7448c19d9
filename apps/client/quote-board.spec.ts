import type { Quote } from '../../lib/quotes/quote.js';
import { createQuoteBoard } from './quote-board.js';
import { palette, renderQuoteTable } from './quote-table.js';

const at = (second: number) => new Date(Date.UTC(2026, 10, 20, 12, 0, second)).toISOString();

const quote = (symbol: string, seq: number, price: number, fetchedSecond = seq): Quote => ({
  symbol,
  shortName: null,
  price,
  change: price - 100,
  changePercent: price - 100,
  volume: null,
  marketState: null,
  currency: null,
  exchange: null,
  previousClose: 100,
  open: null,
  dayHigh: null,
  dayLow: null,
  timestamp: at(fetchedSecond),
  fetchedAt: at(fetchedSecond),
  source: 'simulated',
  seq,
  stale: false,
});

describe('quote board', () => {
  it('keeps the latest quote per subscribed symbol, in seq order', () => {
    const board = createQuoteBoard();
    board.setSymbols(['MSFT', 'AAPL']);
    expect(board.apply(quote('AAPL', 2, 101), 0)).toBe(true);
    // Late (lower seq, fetched earlier) and repeated (the snapshot after a re-subscribe): dropped.
    expect(board.apply(quote('AAPL', 1, 99), 0)).toBe(false);
    expect(board.apply(quote('AAPL', 2, 101), 0)).toBe(false);
    expect(board.apply(quote('AAPL', 3, 100.5), 0)).toBe(true);
    expect(board.entries().map((entry) => [entry.symbol, entry.quote?.seq, entry.tick])).toEqual([
      ['AAPL', 3, 'down'],
      ['MSFT', undefined, 'flat'],
    ]);
  });

  it('takes a lower seq fetched later: the server\'s store started over', () => {
    const board = createQuoteBoard();
    board.setSymbols(['AAPL']);
    board.apply(quote('AAPL', 500, 101), 0);
    expect(board.apply(quote('AAPL', 1, 102, 600), 0)).toBe(true);
    expect(board.entries()[0]!.tick).toBe('up');
  });

  it('ignores symbols it does not show, and forgets those that leave', () => {
    const board = createQuoteBoard();
    board.setSymbols(['AAPL']);
    expect(board.apply(quote('MSFT', 1, 101), 0)).toBe(false);
    board.apply(quote('AAPL', 5, 101), 0);
    board.setSymbols(['MSFT']);
    board.setSymbols(['AAPL', 'MSFT']);
    expect(board.entries().map((entry) => entry.quote)).toEqual([undefined, undefined]);
  });
});

describe('quote table', () => {
  it('has one row per symbol, waiting ones included, without colours when they are off', () => {
    const board = createQuoteBoard();
    board.setSymbols(['MSFT', 'AAPL']);
    board.apply({ ...quote('AAPL', 1, 187.42), change: 1.2, changePercent: 0.64, stale: true }, 0);
    const text = renderQuoteTable(board.entries(), 0, palette(false));
    expect(text).not.toContain('\x1b[');
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/Symbol\s+│\s+Price\s+│\s+Change\s+│\s+Change %\s+│\s+Updated/);
    expect(lines[2]).toMatch(/│ AAPL\s+│\s+187\.42 │\s+\+1\.20 │\s+\+0\.64% │ \d\d:\d\d:\d\d │ stale\s+│/);
    expect(lines[3]).toMatch(/│ MSFT\s+│\s+- │\s+- │\s+- │ -\s+│ waiting │/);
    expect(lines).toHaveLength(5);
  });

  it('colours rises green and falls red', () => {
    const board = createQuoteBoard();
    board.setSymbols(['AAPL', 'MSFT']);
    board.apply(quote('AAPL', 1, 101), 0);
    board.apply(quote('MSFT', 1, 99), 0);
    const [, , aapl, msft] = renderQuoteTable(board.entries(), 0, palette(true)).split('\n');
    expect(aapl).toContain('\x1b[32m+1.00\x1b[39m');
    expect(msft).toContain('\x1b[31m-1.00\x1b[39m');
  });

  it('says so when the watchlist is empty', () => {
    expect(renderQuoteTable([], 0, palette(false))).toContain('watchlist is empty');
  });
});
