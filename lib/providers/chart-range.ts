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

function monthsBefore(now: Date, months: number): Date {
  const start = new Date(now);
  start.setUTCMonth(start.getUTCMonth() - months);
  return start;
}

/** First instant a chart of `range` covers, ending at `now`. `max` starts at the Unix epoch. */
export function chartRangeStart(range: ChartRange, now: Date = new Date()): Date {
  switch (range) {
    case '1d':
      return new Date(now.getTime() - DAY_MS);
    case '5d':
      return new Date(now.getTime() - 5 * DAY_MS);
    case '1mo':
      return monthsBefore(now, 1);
    case '3mo':
      return monthsBefore(now, 3);
    case '6mo':
      return monthsBefore(now, 6);
    case '1y':
      return monthsBefore(now, 12);
    case '2y':
      return monthsBefore(now, 24);
    case '5y':
      return monthsBefore(now, 60);
    case '10y':
      return monthsBefore(now, 120);
    case 'ytd':
      return new Date(Date.UTC(now.getUTCFullYear(), 0, 1));
    case 'max':
      return new Date(0);
  }
}

/** How many days a chart of `range` ending at `now` covers (fractional; `max` is decades). */
export function chartRangeDays(range: ChartRange, now: Date = new Date()): number {
  return (now.getTime() - chartRangeStart(range, now).getTime()) / DAY_MS;
}
