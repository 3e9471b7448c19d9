// API.md's Quote object: the one quote shape of REST and of `stock_update`.
import { z } from 'zod';
import type { Quote } from '../../../../lib/quotes/quote.js';

/** API.md's example quote. */
export const quoteExample: Quote = {
  symbol: 'AAPL',
  shortName: 'Apple Inc.',
  price: 189.84,
  change: 1.23,
  changePercent: 0.65,
  volume: 51234567,
  marketState: 'REGULAR',
  currency: 'USD',
  exchange: 'NMS',
  previousClose: 188.61,
  open: 188.9,
  dayHigh: 190.3,
  dayLow: 188.1,
  timestamp: '2026-11-20T20:59:58.000Z',
  fetchedAt: '2026-11-20T21:00:01.120Z',
  source: 'yahoo',
  seq: 1842,
  stale: false,
};

const nullableNumber = z.number().nullable();
const nullableString = z.string().nullable();

export const quoteSchema = z
  .object({
    symbol: z.string(),
    shortName: nullableString,
    price: nullableNumber,
    change: nullableNumber,
    changePercent: nullableNumber.meta({ description: 'In percent: 0.65 means 0.65 %.' }),
    volume: nullableNumber,
    marketState: nullableString.meta({ description: 'As the provider says it: REGULAR, PRE, POST, CLOSED, ...' }),
    currency: nullableString,
    exchange: nullableString,
    previousClose: nullableNumber,
    open: nullableNumber,
    dayHigh: nullableNumber,
    dayLow: nullableNumber,
    timestamp: z.iso.datetime().nullable().meta({ description: "The market's time of the price." }),
    fetchedAt: z.iso.datetime().meta({ description: 'When Tickwire fetched it.' }),
    source: z.string().meta({ description: 'The provider: yahoo, alphavantage or simulated.' }),
    seq: z.number().int().meta({ description: 'Grows by one per new quote stored for the symbol: drop an update older than one you have.' }),
    stale: z.boolean().meta({ description: 'True when older than the refresh policy allows, e.g. served from cache while the provider fails.' }),
  })
  .meta({
    id: 'Quote',
    description: 'Fields the provider does not give are null, never invented.',
    example: quoteExample,
  }) satisfies z.ZodType<Quote>;
