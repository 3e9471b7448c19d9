import { planWaves, SPREAD_SHARE } from './wave-plan.js';

const symbols = (n: number) => Array.from({ length: n }, (_, i) => `T${String(i).padStart(4, '0')}`);
const everyone = (list: readonly string[], sockets: number) => new Map(list.map((symbol) => [symbol, sockets]));

describe('planWaves', () => {
  it('puts every ticker in exactly one wave of at most one batch, in order', () => {
    const waves = planWaves(symbols(501), { batchSize: 50, intervalMs: 20_000 });
    expect(waves).toHaveLength(11);
    expect(waves.every((wave) => wave.symbols.length <= 50)).toBe(true);
    expect(waves.flatMap((wave) => wave.symbols)).toEqual(symbols(501));
  });

  it('makes the waves as equal as the count allows', () => {
    const sizes = (n: number) => planWaves(symbols(n), { batchSize: 50, intervalMs: 1000 }).map((wave) => wave.symbols.length);
    expect(sizes(120)).toEqual([40, 40, 40]);
    expect(sizes(101)).toEqual([34, 34, 33]);
    expect(sizes(30)).toEqual([30]);
  });

  it('spreads the waves evenly over part of the interval, the first at once', () => {
    const waves = planWaves(symbols(500), { batchSize: 50, intervalMs: 10_000 });
    expect(waves[0]!.delayMs).toBe(0);
    const gaps = waves.slice(1).map((wave, i) => wave.delayMs - waves[i]!.delayMs);
    expect(new Set(gaps)).toEqual(new Set([800]));
    expect(waves.at(-1)!.delayMs).toBeLessThan(10_000 * SPREAD_SHARE);
  });

  it('has nothing to plan without demand', () => {
    expect(planWaves([], { batchSize: 50, intervalMs: 1000, subscribers: new Map() })).toEqual([]);
  });

  it('keeps the fewest waves, however heavy the fan-out', () => {
    // 3 000 sockets x 10 of 500 tickers: 60 sockets a ticker, 30 000 deliveries a tick.
    const list = symbols(500);
    const waves = planWaves(list, { batchSize: 50, intervalMs: 1000, subscribers: everyone(list, 60) });
    expect(waves).toHaveLength(10);
    expect(waves.map((wave) => wave.deliveries)).toEqual(Array(10).fill(3000));
    expect(waves.flatMap((wave) => wave.symbols).sort()).toEqual(list);
  });

  it('deals popular tickers out so the waves carry even deliveries', () => {
    const list = symbols(100);
    // Four tickers with 1 000 sockets each (the first four, which plain slicing would put together),
    // the rest with one: 4 096 deliveries in 4 waves of 25 tickers.
    const heavy = new Set(list.slice(0, 4));
    const subscribers = new Map(list.map((symbol) => [symbol, heavy.has(symbol) ? 1000 : 1]));
    const waves = planWaves(list, { batchSize: 25, intervalMs: 1000, subscribers });
    expect(waves).toHaveLength(4);
    expect(waves.map((wave) => wave.symbols.filter((symbol) => heavy.has(symbol)).length)).toEqual([1, 1, 1, 1]);
    expect(waves.map((wave) => wave.deliveries)).toEqual([1024, 1024, 1024, 1024]);
    expect(waves.flatMap((wave) => wave.symbols).sort()).toEqual(list);
  });
});
