import { ALPHA_VANTAGE_CHART_INTERVALS } from '../providers/alphavantage/alphavantage-provider.js';
import { CHART_INTERVALS, CHART_RANGES } from '../providers/provider.js';
import { YAHOO_CHART_MAX_RANGE_DAYS } from '../providers/yahoo/yahoo-provider.js';
import { chartOptionsOf, chartPairProblem } from './chart-options.js';

const base = { maxSymbolsPerRequest: 50 };
const now = new Date('2026-11-20T21:00:00.000Z');

describe('chart options of a provider', () => {
  it('are every range and interval unless the provider narrows them', () => {
    expect(chartOptionsOf(base)).toEqual({ ranges: CHART_RANGES, intervals: CHART_INTERVALS, maxRangeDays: {} });
    expect(chartOptionsOf({ ...base, chartIntervals: ALPHA_VANTAGE_CHART_INTERVALS }).intervals).toEqual(['1d', '1wk', '1mo']);
  });

  it('refuse intraday intervals over ranges the provider no longer keeps', () => {
    const yahoo = chartOptionsOf({ ...base, chartMaxRangeDays: YAHOO_CHART_MAX_RANGE_DAYS });
    expect(chartPairProblem(yahoo, '5d', '1m', now)).toBeUndefined();
    expect(chartPairProblem(yahoo, '1mo', '1m', now)).toMatch(/at most the last 7 days; use a range of 1d, 5d$/);
    expect(chartPairProblem(yahoo, '1mo', '5m', now)).toBeUndefined();
    expect(chartPairProblem(yahoo, '3mo', '5m', now)).toMatch(/60 days/);
    expect(chartPairProblem(yahoo, '1y', '1h', now)).toBeUndefined();
    expect(chartPairProblem(yahoo, '5y', '1h', now)).toMatch(/730 days/);
    expect(chartPairProblem(yahoo, 'max', '1d', now)).toBeUndefined();
    expect(chartPairProblem(chartOptionsOf(base), 'max', '1m', now)).toBeUndefined();
  });
});
