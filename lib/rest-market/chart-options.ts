// Which chart ranges and intervals the configured provider serves, and whether a pair of them
// makes a chart it can answer (intraday bars are only kept for recent history).
import { chartRangeDays } from '../providers/chart-range.js';
import { CHART_INTERVALS, CHART_RANGES, type ChartInterval, type ChartRange, type ProviderCapabilities } from '../providers/provider.js';

export const DEFAULT_CHART_RANGE: ChartRange = '1mo';
export const DEFAULT_CHART_INTERVAL: ChartInterval = '1d';

export function chartOptionsOf({ chartIntervals = CHART_INTERVALS, chartMaxRangeDays = {} }: ProviderCapabilities) {
  return { ranges: CHART_RANGES, intervals: chartIntervals, maxRangeDays: chartMaxRangeDays };
}

export type ChartOptions = ReturnType<typeof chartOptionsOf>;

/** Why the provider cannot chart `range` at `interval`; undefined when it can. */
export function chartPairProblem(options: ChartOptions, range: ChartRange, interval: ChartInterval, now = new Date()): string | undefined {
  const maxDays = options.maxRangeDays[interval];
  // A small margin: a month is up to 31 days, `ytd` grows through the year.
  if (maxDays !== undefined && chartRangeDays(range, now) > maxDays + 0.5) {
    const fitting = options.ranges.filter((candidate) => chartRangeDays(candidate, now) <= maxDays + 0.5);
    return `interval ${interval} covers at most the last ${maxDays} days; use a range of ${fitting.join(', ') || 'none'}`;
  }
  return undefined;
}
