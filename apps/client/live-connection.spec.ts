import { retryPauseMs } from './live-connection.js';

describe('retryPauseMs', () => {
  it("waits at least the server's retryAfterSeconds, and at most half as long again", () => {
    expect(retryPauseMs({ retryAfterSeconds: 5 }, () => 0)).toBe(5000);
    expect(retryPauseMs({ retryAfterSeconds: 5 }, () => 0.999)).toBeCloseTo(7497.5);
  });

  it('falls back to 2 s ±50 % without a usable retryAfterSeconds', () => {
    for (const refusal of [undefined, {}, { retryAfterSeconds: 'soon' }, { retryAfterSeconds: -1 }, { retryAfterSeconds: Number.NaN }]) {
      expect(retryPauseMs(refusal, () => 0)).toBe(1000);
      expect(retryPauseMs(refusal, () => 0.999)).toBeCloseTo(2998);
    }
  });
});
