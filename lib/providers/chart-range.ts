// Chart ranges and intervals as instants and durations, shared by every provider.
import type { ChartInterval, ChartRange } from './provider.js';

const DAY_MS = 86_400_000;

/** Nominal length of one bar. Months are 30 days: good enough to size and step a series. */
export const CHART_INTERVAL_MS: Readonly<Record<ChartInterval, number>> = {
  '1m': 60_000,
  '2m': 120_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '60m': 3_600_000,
  '90m': 5_400_000,
  '1h': 3_600_000,
  '1d': DAY_MS,
  '5d': 5 * DAY_MS,
  '1wk': 7 * DAY_MS,
  '1mo': 30 * DAY_MS,
  '3mo': 91 * DAY_MS,
};

/** Ranges counted in days, or in calendar months (so `1y` ends on the same date a year ago). */
const RANGE_LENGTH: Record<Exclude<ChartRange, 'ytd' | 'max'>, { days: number } | { months: number }> = {
  '1d': { days: 1 },
  '5d': { days: 5 },
  '1mo': { months: 1 },
  '3mo': { months: 3 },
  '6mo': { months: 6 },
  '1y': { months: 12 },
  '2y': { months: 24 },
  '5y': { months: 60 },
  '10y': { months: 120 },
};

/** First instant a chart of `range` covers, ending at `now`. `max` starts at the Unix epoch. */
export function chartRangeStart(range: ChartRange, now: Date = new Date()): Date {
  if (range === 'ytd') return new Date(Date.UTC(now.getUTCFullYear(), 0, 1));
  if (range === 'max') return new Date(0);
  const length = RANGE_LENGTH[range];
  if ('days' in length) return new Date(now.getTime() - length.days * DAY_MS);
  const start = new Date(now);
  start.setUTCMonth(start.getUTCMonth() - length.months);
  return start;
}

/** How many days a chart of `range` ending at `now` covers (fractional; `max` is decades). */
export function chartRangeDays(range: ChartRange, now: Date = new Date()): number {
  return (now.getTime() - chartRangeStart(range, now).getTime()) / DAY_MS;
}
