// Path and query parameters of the market-data routes.
import { z } from 'zod';
import { chartPairProblem, DEFAULT_CHART_INTERVAL, DEFAULT_CHART_RANGE, type ChartOptions } from '../../../lib/market/chart-options.js';

export const MAX_SEARCH_QUERY_LENGTH = 50;

/** `/api/search/:query`: 1-50 printable characters once trimmed. */
export const searchParams = z.object({
  query: z
    .string('must be a string')
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_SEARCH_QUERY_LENGTH, `must be at most ${MAX_SEARCH_QUERY_LENGTH} characters`)
    .regex(/^[^\p{C}]*$/u, 'must contain printable characters only'),
});

/** `?range=&interval=` of a chart, checked against what the configured provider can chart. */
export function chartQuery(options: ChartOptions) {
  return z
    .object({
      range: z.enum(options.ranges, `must be one of ${options.ranges.join(', ')}`).default(DEFAULT_CHART_RANGE),
      interval: z.enum(options.intervals, `must be one of ${options.intervals.join(', ')}`).default(DEFAULT_CHART_INTERVAL),
    })
    .superRefine(({ range, interval }, ctx) => {
      const problem = chartPairProblem(options, range, interval);
      if (problem) ctx.addIssue({ code: 'custom', path: ['interval'], message: problem });
    });
}
