import { MAX_TIMER_DELAY_MS, nextExpiryStep } from './token-expiry.js';

describe('token expiry timer steps', () => {
  const now = 1_800_000_000_000;

  it('waits the remaining time when setTimeout can hold it', () => {
    expect(nextExpiryStep(now / 1000 + 90, now)).toEqual({ delayMs: 90_000, expires: true });
  });

  it('expires at once when the expiry has passed', () => {
    expect(nextExpiryStep(now / 1000 - 5, now)).toEqual({ delayMs: 0, expires: true });
  });

  it('steps by at most 2^31-1 ms towards an expiry further away (30 days)', () => {
    const expiresAt = now / 1000 + 30 * 86_400;
    const first = nextExpiryStep(expiresAt, now);
    expect(first).toEqual({ delayMs: MAX_TIMER_DELAY_MS, expires: false });
    const second = nextExpiryStep(expiresAt, now + first.delayMs);
    expect(second).toEqual({ delayMs: 30 * 86_400_000 - MAX_TIMER_DELAY_MS, expires: true });
  });
});
