// Path and query parameters of the market-data routes.
import { z } from 'zod';
import { chartPairProblem, DEFAULT_CHART_INTERVAL, DEFAULT_CHART_RANGE, type ChartOptions } from '../../../lib/rest-market/chart-options.js';

export const MAX_SEARCH_QUERY_LENGTH = 50;

/** `/api/search/:query`: 1-50 printable characters once trimmed. */
export const searchParams = z.object({
  query: z
    .string('must be a string')
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_SEARCH_QUERY_LENGTH, `must be at most ${MAX_SEARCH_QUERY_LENGTH} characters`)
    // A refinement, not .regex(): an OpenAPI `pattern` is read without the `u` flag that \p{C} needs.
    .refine((query) => !/\p{C}/u.test(query), 'must contain printable characters only')
    .meta({ description: 'Free text: part of a ticker or of a company name; printable characters only.', example: 'apple' }),
});

/** Intraday intervals only reach back so far; the description says how far, for this provider. */
function describeIntervalLimits(options: ChartOptions): string {
  const limits = Object.entries(options.maxRangeDays).map(([interval, days]) => `${interval}: ${days} days`);
  const base = 'Time between two points.';
  return limits.length ? `${base} Longest range per intraday interval (else 400 VALIDATION_FAILED): ${limits.join(', ')}.` : base;
}

/** `?range=&interval=` of a chart, checked against what the configured provider can chart. */
export function chartQuery(options: ChartOptions) {
  return z
    .object({
      range: z
        .enum(options.ranges, `must be one of ${options.ranges.join(', ')}`)
        .default(DEFAULT_CHART_RANGE)
        .meta({ description: 'How far back the chart goes.' }),
      interval: z
        .enum(options.intervals, `must be one of ${options.intervals.join(', ')}`)
        .default(DEFAULT_CHART_INTERVAL)
        .meta({ description: describeIntervalLimits(options) }),
    })
    .superRefine(({ range, interval }, ctx) => {
      const problem = chartPairProblem(options, range, interval);
      if (problem) ctx.addIssue({ code: 'custom', path: ['interval'], message: problem });
    });
}
