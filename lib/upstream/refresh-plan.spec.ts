import { intervalForMarketState, planRefresh, requestsAllowed, requestsByQuota, requestsByRate } from './refresh-plan.js';
import type { RefreshPlanInput } from './refresh-plan.js';
import type { LastRefresh } from '../demand/refresh-log.js';

const INTERVAL = 1000;
const intervals = { closed: 300_000, pre: 60_000, post: 60_000 };
const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);

function input(overrides: Partial<RefreshPlanInput>): RefreshPlanInput {
  return { symbols: [], subscribers: new Map(), lastRefresh: new Map(), requests: 10, batchSize: 50, intervalMs: INTERVAL, marketIntervals: intervals, now: 1_000_000, ...overrides };
}

describe('requests per tick', () => {
  it('is the rate times the interval less the reserve, its fraction dealt out over the ticks', () => {
    const budget = { requestsPerSecond: 5, reserveShare: 0.1, intervalMs: 1000 };
    const ticks = Array.from({ length: 10 }, (_, k) => requestsByRate(budget, k * 1000));
    expect(new Set(ticks)).toEqual(new Set([4, 5]));
    expect(ticks.reduce((a, b) => a + b, 0)).toBe(45);
    expect(requestsByRate({ requestsPerSecond: 20, reserveShare: 0.1, intervalMs: 3000 }, 0)).toBe(54);
  });

  it('paces a daily quota over its window and never plans past it', () => {
    const day = 24 * 3600_000;
    // 25 a day, 10 % reserve: 22.5 planned over the day; an hour in, less than one is due.
    expect(requestsByQuota({ limit: 25, used: 0, elapsedMs: 3600_000, windowMs: day }, 0.1, 1000)).toBe(0);
    expect(requestsByQuota({ limit: 25, used: 0, elapsedMs: day / 2, windowMs: day }, 0.1, 1000)).toBe(11);
    expect(requestsByQuota({ limit: 25, used: 11, elapsedMs: day / 2, windowMs: day }, 0.1, 1000)).toBe(0);
    expect(requestsByQuota({ limit: 25, used: 30, elapsedMs: day - 1, windowMs: day }, 0, 1000)).toBe(0);
    expect(requestsByQuota({ limit: 25, used: 20, elapsedMs: day - 1, windowMs: day }, 0, 1000)).toBe(5);
  });

  it('allows the lesser of rate and quota, less what queued jobs owe, and nothing while a pause outlasts the tick', () => {
    const budget = { requestsPerSecond: 10, reserveShare: 0, intervalMs: 1000 };
    const quota = { limit: 100, used: 0, remaining: 100, elapsedMs: 0, windowMs: 100_000 };
    expect(requestsAllowed(budget, { pausedMs: 0 }, 0, 0)).toBe(10);
    expect(requestsAllowed(budget, { pausedMs: 0, quota }, 0, 0)).toBe(1);
    expect(requestsAllowed(budget, { pausedMs: 0 }, 4, 0)).toBe(6);
    expect(requestsAllowed(budget, { pausedMs: 0 }, 40, 0)).toBe(0);
    expect(requestsAllowed(budget, { pausedMs: 999 }, 0, 0)).toBe(10);
    expect(requestsAllowed(budget, { pausedMs: 1000 }, 0, 0)).toBe(0);
  });
});

describe('refresh plan', () => {
  it('refreshes every ticker when the demand fits', () => {
    const symbols = names('T', 500);
    const plan = planRefresh(input({ symbols, requests: 10 }));
    expect(plan).toMatchObject({ due: 500, deferred: 0 });
    expect(plan.symbols.sort()).toEqual(symbols);
  });

  it('fills whole batches with live tickers first, then the least recently refreshed, and rotates', () => {
    const live = names('L', 100);
    const watched = names('W', 1000);
    const subscribers = new Map(live.map((symbol) => [symbol, 3]));
    const lastRefresh = new Map<string, LastRefresh>();
    const refreshedAt = new Map<string, number[]>([...live, ...watched].map((symbol) => [symbol, []]));
    let now = 1_000_000;
    for (let tick = 0; tick < 20; tick += 1) {
      const plan = planRefresh(input({ symbols: [...watched, ...live], subscribers, lastRefresh, requests: 6, batchSize: 50, now }));
      expect(plan.symbols).toHaveLength(300);
      expect(plan.deferred).toBe(800);
      for (const symbol of live) expect(plan.symbols).toContain(symbol);
      for (const symbol of plan.symbols) {
        lastRefresh.set(symbol, { at: now, marketState: 'REGULAR' });
        refreshedAt.get(symbol)!.push(tick);
      }
      now += INTERVAL;
    }
    // 200 watchlist-only tickers a tick: each of the 1 000 every 5 ticks, none left out.
    for (const symbol of watched) {
      const ticks = refreshedAt.get(symbol)!;
      expect(ticks).toHaveLength(4);
      for (let i = 1; i < ticks.length; i += 1) expect(ticks[i]! - ticks[i - 1]!).toBe(5);
    }
  });

  it('keeps a tenth of the budget for watchlist-only tickers when live ones alone exceed it, so none starves', () => {
    const live = names('L', 200);
    const watched = names('W', 30);
    const subscribers = new Map(live.map((symbol) => [symbol, 1]));
    const lastRefresh = new Map<string, LastRefresh>();
    const seen = new Map<string, number>();
    let now = 10_000_000;
    for (let tick = 0; tick < 6; tick += 1) {
      const plan = planRefresh(input({ symbols: [...live, ...watched], subscribers, lastRefresh, requests: 2, batchSize: 50, now }));
      expect(plan.symbols).toHaveLength(100);
      expect(plan.symbols.filter((symbol) => symbol.startsWith('W'))).toHaveLength(10);
      for (const symbol of plan.symbols) {
        lastRefresh.set(symbol, { at: now, marketState: 'REGULAR' });
        seen.set(symbol, (seen.get(symbol) ?? 0) + 1);
      }
      now += INTERVAL;
    }
    // Six ticks of 90 live and 10 others: every ticker had its turn, the live ones in a rotation of their own.
    expect([...live, ...watched].filter((symbol) => !seen.has(symbol))).toEqual([]);
    expect(Math.max(...live.map((symbol) => seen.get(symbol)!))).toBeLessThanOrEqual(3);
  });

  it('rests tickers of a closed market until their closed interval, and brings them back on REGULAR', () => {
    const now = 10_000_000;
    const lastRefresh = new Map<string, LastRefresh>([
      ['SHUT', { at: now - 5_000, marketState: 'CLOSED' }],
      ['LONGSHUT', { at: now - 300_000, marketState: 'CLOSED' }],
      ['OPEN', { at: now - 900, marketState: 'REGULAR' }],
      ['EARLY', { at: now - 5_000, marketState: 'PRE' }],
    ]);
    const plan = planRefresh(input({ symbols: ['EARLY', 'LONGSHUT', 'OPEN', 'SHUT'], lastRefresh, now }));
    expect(plan.symbols.sort()).toEqual(['LONGSHUT', 'OPEN']);
    expect(plan.resting).toBe(2);
    expect(intervalForMarketState('REGULAR', intervals, INTERVAL)).toBe(INTERVAL);
    expect(intervalForMarketState(null, intervals, INTERVAL)).toBe(INTERVAL);
    expect(intervalForMarketState('POSTPOST', intervals, INTERVAL)).toBe(300_000);
    // Never more often than the normal interval.
    expect(intervalForMarketState('PRE', { closed: 1000, pre: 1000, post: 1000 }, 20_000)).toBe(20_000);
  });

  it('plans nothing when the budget allows no request', () => {
    expect(planRefresh(input({ symbols: ['A', 'B'], requests: 0 }))).toMatchObject({ symbols: [], due: 2, deferred: 2 });
  });
});
