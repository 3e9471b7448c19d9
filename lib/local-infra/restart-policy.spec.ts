import { DEFAULT_RESTART_POLICY, failuresInARow, restartDelayMs } from './restart-policy.js';

describe('restart policy', () => {
  const policy = { initialDelayMs: 500, maxDelayMs: 4000, stableAfterMs: 60_000 };

  it('doubles the delay with each failure in a row, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 10].map((failures) => restartDelayMs(failures, policy))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('starts over after a run longer than the stable period', () => {
    expect(failuresInARow(6, 59_999, policy)).toBe(7);
    expect(failuresInARow(6, 60_000, policy)).toBe(1);
  });

  it('defaults to half a second, doubling to 30 s', () => {
    expect(restartDelayMs(1)).toBe(DEFAULT_RESTART_POLICY.initialDelayMs);
    expect(restartDelayMs(100)).toBe(30_000);
  });
});
