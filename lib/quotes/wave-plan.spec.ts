import { planWaves, SPREAD_SHARE } from './wave-plan.js';

const symbols = (n: number) => Array.from({ length: n }, (_, i) => `T${i}`);

describe('planWaves', () => {
  it('puts every ticker in exactly one wave of at most one batch, in order', () => {
    const waves = planWaves(symbols(501), 50, 20_000);
    expect(waves).toHaveLength(11);
    expect(waves.every((wave) => wave.symbols.length <= 50)).toBe(true);
    expect(waves.flatMap((wave) => wave.symbols)).toEqual(symbols(501));
  });

  it('makes the waves as equal as the count allows', () => {
    expect(planWaves(symbols(120), 50, 1000).map((wave) => wave.symbols.length)).toEqual([40, 40, 40]);
    expect(planWaves(symbols(101), 50, 1000).map((wave) => wave.symbols.length)).toEqual([34, 34, 33]);
    expect(planWaves(symbols(30), 50, 1000).map((wave) => wave.symbols.length)).toEqual([30]);
  });

  it('spreads the waves evenly over part of the interval, the first at once', () => {
    const waves = planWaves(symbols(500), 50, 10_000);
    expect(waves[0]!.delayMs).toBe(0);
    const gaps = waves.slice(1).map((wave, i) => wave.delayMs - waves[i]!.delayMs);
    expect(new Set(gaps)).toEqual(new Set([800]));
    expect(waves.at(-1)!.delayMs).toBeLessThan(10_000 * SPREAD_SHARE);
  });

  it('has nothing to plan without demand', () => {
    expect(planWaves([], 50, 1000)).toEqual([]);
  });
});
