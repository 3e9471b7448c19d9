import { floodWatch, tokenBucket } from './message-rate-limit.js';

describe('token bucket', () => {
  it('allows a burst of one second, then refills at the rate', () => {
    const start = Date.now();
    const bucket = tokenBucket(5, 5, start);
    const burst = Array.from({ length: 8 }, () => bucket.take(start));
    expect(burst).toEqual([true, true, true, true, true, false, false, false]);
    expect(bucket.take(start + 199)).toBe(false);
    expect(bucket.take(start + 200)).toBe(true);
    expect(bucket.take(start + 200)).toBe(false);
    // A long pause refills to the capacity, not beyond.
    const later = start + 60_000;
    expect(Array.from({ length: 6 }, () => bucket.take(later)).filter(Boolean)).toHaveLength(5);
  });
});

describe('flood watch', () => {
  const floodFor = (watch: (now: number) => boolean, from: number, seconds: number, perSecond: number) => {
    let verdict = false;
    for (let second = 0; second < seconds; second += 1) {
      for (let index = 0; index < perSecond; index += 1) verdict = watch(from + second * 1000 + index) || verdict;
    }
    return verdict;
  };

  it('flags only a flood that lasts the given number of seconds in a row', () => {
    expect(floodFor(floodWatch(100, 3), 0, 2, 500)).toBe(false);
    expect(floodFor(floodWatch(100, 3), 0, 3, 500)).toBe(true);
  });

  it('forgets a flood after a quiet second and never flags refusals under the threshold', () => {
    const watch = floodWatch(100, 3);
    expect(floodFor(watch, 0, 2, 500)).toBe(false);
    expect(floodFor(watch, 3000, 2, 500)).toBe(false);
    expect(floodFor(floodWatch(100, 3), 0, 10, 100)).toBe(false);
  });
});
