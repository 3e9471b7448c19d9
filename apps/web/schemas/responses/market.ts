// Answers of the market-data routes.
import { z } from 'zod';
import type { MarketOverview } from '../../../../lib/rest-market/overview-service.js';
import { CHART_INTERVALS, CHART_RANGES, type ChartPoint, type SearchResult } from '../../../../lib/providers/provider.js';
import { quoteExample, quoteSchema } from './quote.js';

const price = z.number().nullable();

export const chartPoint = z
  .object({ time: z.iso.datetime(), open: price, high: price, low: price, close: price, volume: z.number().nullable() })
  .meta({ id: 'ChartPoint' }) satisfies z.ZodType<ChartPoint>;

export const chartResponse = z
  .object({ symbol: z.string().meta({ example: 'AAPL' }), range: z.enum(CHART_RANGES), interval: z.enum(CHART_INTERVALS), points: z.array(chartPoint) })
  .meta({ id: 'Chart' });

export const searchResult = z
  .object({
    symbol: z.string().meta({ example: 'AAPL' }),
    name: z.string().nullable().meta({ example: 'Apple Inc.' }),
    exchange: z.string().nullable().meta({ example: 'NMS' }),
    type: z.string().nullable().meta({ example: 'EQUITY' }),
  })
  .meta({ id: 'SearchResult' }) satisfies z.ZodType<SearchResult>;

export const searchResponse = z
  .object({ query: z.string().meta({ description: 'The query, trimmed.', example: 'apple' }), results: z.array(searchResult).meta({ description: 'Best first.' }) })
  .meta({ id: 'SearchResults' });

export const quoteByTicker = z.record(z.string(), quoteSchema).meta({
  id: 'QuoteByTicker',
  description: 'One entry: the normalised ticker and its quote (the lookup by ticker).',
  example: { AAPL: quoteExample },
});

export const marketOverviewSchema = z
  .object({
    asOf: z.iso.datetime(),
    indices: z.array(quoteSchema).meta({ description: 'S&P 500 (^GSPC), Dow Jones (^DJI), Nasdaq Composite (^IXIC).' }),
    gainers: z.array(quoteSchema),
    losers: z.array(quoteSchema),
  })
  .meta({ id: 'MarketOverview' }) satisfies z.ZodType<MarketOverview>;
