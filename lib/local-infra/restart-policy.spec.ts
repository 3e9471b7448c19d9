import { nextRestart } from './restart-policy.js';

describe('restart policy', () => {
  it('doubles the delay with each failure in a row, from half a second up to 30 s', () => {
    const delays: number[] = [];
    let failures = 0;
    for (let restart = 0; restart < 9; restart += 1) {
      const next = nextRestart(failures, 1000);
      failures = next.failures;
      delays.push(next.delayMs);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(failures).toBe(9);
  });

  it('starts over after a run longer than the stable period', () => {
    expect(nextRestart(6, 59_999)).toEqual({ failures: 7, delayMs: 30_000 });
    expect(nextRestart(6, 60_000)).toEqual({ failures: 1, delayMs: 500 });
  });
});
