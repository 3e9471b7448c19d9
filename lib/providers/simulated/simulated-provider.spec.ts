import { jest } from '@jest/globals';
import { createSimulatedProvider } from './simulated-provider.js';
import { walkOffset } from './random-walk.js';

describe('simulated provider', () => {
  const at = Date.parse('2026-11-20T15:30:00.400Z');
  // The provider reads the clock through Date.now: pinned here, and moved by the tests that walk it.
  let now = at;
  beforeEach(() => {
    now = at;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('gives the same quote to every instance at the same time (no shared state)', async () => {
    const first = createSimulatedProvider();
    const second = createSimulatedProvider();
    const [a, b] = await Promise.all([first.getQuotes(['AAPL', 'ZZZZ', '^GSPC']), second.getQuotes(['AAPL', 'ZZZZ', '^GSPC'])]);
    expect(a).toEqual(b);
    expect(a.missing).toEqual([]);
    expect(a.quotes).toHaveLength(3);
  });

  it('moves with the clock, step by step', async () => {
    const provider = createSimulatedProvider();
    const prices = new Set<number | null>();
    for (let i = 0; i < 10; i += 1) {
      prices.add((await provider.getQuotes(['MSFT'])).quotes[0]!.price);
      now += 1000;
    }
    expect(prices.size).toBeGreaterThan(3);
  });

  it('fills a consistent quote', async () => {
    const provider = createSimulatedProvider();
    const quote = (await provider.getQuotes(['NVDA'])).quotes[0]!;
    expect(quote).toMatchObject({ symbol: 'NVDA', shortName: 'NVIDIA Corporation', source: 'simulated', marketState: 'REGULAR', currency: 'USD', exchange: 'SIM' });
    expect(quote.timestamp).toBe('2026-11-20T15:30:00.000Z');
    expect(quote.dayHigh!).toBeGreaterThanOrEqual(Math.max(quote.price!, quote.open!));
    expect(quote.dayLow!).toBeLessThanOrEqual(Math.min(quote.price!, quote.open!));
    expect(quote.change).toBeCloseTo(quote.price! - quote.previousClose!, 2);
  });

  it('keeps volume growing through the day', async () => {
    const provider = createSimulatedProvider();
    let last = 0;
    for (let i = 0; i < 20; i += 1) {
      const volume = (await provider.getQuotes(['TSLA'])).quotes[0]!.volume!;
      expect(volume).toBeGreaterThan(last);
      last = volume;
      now += 1000;
    }
  });

  it('computes a price far from the epoch directly: a pure function of the step, within the walk\'s bound', () => {
    // Nothing is replayed from the epoch (that would take minutes, and any state kept to avoid it
    // would make the answer depend on what was asked before): asked cold, or after its
    // neighbours, the far step gives the same offset. How fast is not a unit test's business.
    const far = 1_800_000_000;
    const cold = walkOffset(12345, far);
    const neighbours = Array.from({ length: 1000 }, (_, i) => walkOffset(12345, far - 500 + i));
    expect(walkOffset(12345, far)).toBe(cold);
    expect(neighbours[500]).toBe(cold);
    // Each of the 22 octaves adds at most √period × 1.2e-4: the level stays bounded however far.
    const bound = 1.2e-4 * Array.from({ length: 22 }, (_, octave) => Math.sqrt(2 ** octave)).reduce((sum, amplitude) => sum + amplitude, 0);
    for (const offset of [cold, ...neighbours]) expect(Math.abs(offset)).toBeLessThanOrEqual(bound);
    // Neighbouring steps are close (a walk, not noise): at most a few hundredths apart.
    expect(Math.max(...neighbours.slice(1).map((offset, i) => Math.abs(offset - neighbours[i]!)))).toBeLessThan(0.01);
  });

  it('searches its universe by symbol prefix, then by name', async () => {
    const provider = createSimulatedProvider();
    expect((await provider.search('msf', 5)).map((result) => result.symbol)).toEqual(['MSFT']);
    // "ms" is a prefix of MSFT and inside "Meta PlatforMS": symbol matches come first.
    expect((await provider.search('ms', 5)).map((result) => result.symbol)).toEqual(['MSFT', 'META']);
    expect((await provider.search('apple', 5))[0]).toEqual({ symbol: 'AAPL', name: 'Apple Inc.', exchange: 'SIM', type: 'EQUITY' });
    expect(await provider.search('^', 10)).toHaveLength(3);
  });

  it('charts a range at an interval', async () => {
    const provider = createSimulatedProvider();
    const points = await provider.chart('AAPL', '5d', '1h');
    expect(points.length).toBeGreaterThanOrEqual(119);
    expect(points.length).toBeLessThanOrEqual(121);
    for (const point of points) expect(point.high!).toBeGreaterThanOrEqual(Math.max(point.open!, point.close!));
    expect(Date.parse(points.at(-1)!.time)).toBeLessThanOrEqual(at);
  });

  it('ranks movers by change', async () => {
    const provider = createSimulatedProvider();
    const { gainers, losers } = await provider.movers(3);
    expect(gainers.length + losers.length).toBeGreaterThan(0);
    for (let i = 1; i < gainers.length; i += 1) expect(gainers[i - 1]!.changePercent!).toBeGreaterThanOrEqual(gainers[i]!.changePercent!);
    for (const loser of losers) expect(loser.changePercent!).toBeLessThan(0);
  });
});
