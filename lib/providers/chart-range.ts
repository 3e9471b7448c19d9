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

/** Short ranges count days; the others count calendar months, so `1y` ends on the same date a year ago. */
const RANGE_DAYS = { '1d': 1, '5d': 5 } as const;
const RANGE_MONTHS = { '1mo': 1, '3mo': 3, '6mo': 6, '1y': 12, '2y': 24, '5y': 60, '10y': 120 } as const;

/** First instant a chart of `range` covers, ending at `now`. `max` starts at the Unix epoch. */
export function chartRangeStart(range: ChartRange, now: Date = new Date()): Date {
  if (range === 'ytd') return new Date(Date.UTC(now.getUTCFullYear(), 0, 1));
  if (range === 'max') return new Date(0);
  if (range === '1d' || range === '5d') return new Date(now.getTime() - RANGE_DAYS[range] * DAY_MS);
  const start = new Date(now);
  start.setUTCMonth(start.getUTCMonth() - RANGE_MONTHS[range]);
  return start;
}

/** How many days a chart of `range` ending at `now` covers (fractional; `max` is decades). */
export function chartRangeDays(range: ChartRange, now: Date = new Date()): number {
  return (now.getTime() - chartRangeStart(range, now).getTime()) / DAY_MS;
}
