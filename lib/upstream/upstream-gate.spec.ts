import { backoffDelay } from './upstream-gate.js';

describe('backoffDelay', () => {
  it('doubles per strike with half of it random, capped at five minutes', () => {
    expect(backoffDelay(1, () => 0)).toBe(1_000);
    expect(backoffDelay(1, () => 1)).toBe(2_000);
    expect(backoffDelay(3, () => 0)).toBe(4_000);
    expect(backoffDelay(3, () => 1)).toBe(8_000);
    expect(backoffDelay(30, () => 1)).toBe(300_000);
  });
});
