import { chartRangeStart } from './chart-range.js';

describe('chartRangeStart', () => {
  const now = new Date('2026-11-20T21:00:00Z');

  it('counts days and calendar months back from now', () => {
    expect(chartRangeStart('1d', now).toISOString()).toBe('2026-11-19T21:00:00.000Z');
    expect(chartRangeStart('5d', now).toISOString()).toBe('2026-11-15T21:00:00.000Z');
    expect(chartRangeStart('1mo', now).toISOString()).toBe('2026-10-20T21:00:00.000Z');
    expect(chartRangeStart('1y', now).toISOString()).toBe('2025-11-20T21:00:00.000Z');
  });

  it('starts ytd on the 1st of January and max at the epoch', () => {
    expect(chartRangeStart('ytd', now).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(chartRangeStart('max', now).getTime()).toBe(0);
  });
});
