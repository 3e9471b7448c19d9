import { floodWatch } from './message-rate-limit.js';

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
