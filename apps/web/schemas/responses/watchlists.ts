// Answers of both watchlist APIs.
import { z } from 'zod';
import { quoteSchema } from './quote.js';

const tickerRejection = z
  .object({
    ticker: z.string().meta({ description: 'The ticker as sent (at most 32 characters of it).' }),
    code: z.literal('INVALID_TICKER'),
    reason: z.string().meta({ example: 'ticker is empty' }),
  })
  .meta({ id: 'TickerRejection' });

const requestedTickers = z.array(z.string()).meta({ description: 'The valid tickers of the request, normalised.', example: ['AAPL', 'MSFT'] });

export const tickerList = z.array(z.string()).meta({ id: 'TickerList', description: 'The watchlist, sorted.', example: ['AAPL', 'MSFT'] });

/** The answer of adding or removing tickers: the same fields but for the name of the count. */
const tickersChanged = (id: string, count: string, description: string) =>
  z
    .object({
      success: z.literal(true),
      [count]: z.number().int().meta({ description }),
      requestedTickers,
      rejected: z.array(tickerRejection),
    })
    .meta({ id });

export const tickersAdded = tickersChanged('TickersAdded', 'addedCount', 'Tickers that were not on the list before.');
export const tickersRemoved = tickersChanged('TickersRemoved', 'removedCount', 'Tickers that were on the list.');

const watchlistItemFields = { symbol: z.string().meta({ example: 'AAPL' }), addedAt: z.iso.datetime() };

export const watchlistItemResponse = z.object({ item: z.object(watchlistItemFields) }).meta({ id: 'WatchlistItemResponse' });

export const watchlistResponse = z
  .object({
    items: z.array(
      z.object({
        ...watchlistItemFields,
        // A union, not .nullable(): zod-to-openapi 9 renders a nullable registered schema as its bare $ref.
        quote: z.union([quoteSchema, z.null()]),
      }).meta({ description: 'A symbol with its cached quote; `quote` is null when none is cached yet (or the cache is away).' }),
    ),
    count: z.number().int(),
    limit: z.number().int().meta({ description: 'MAX_WATCHLIST_SIZE: most symbols the list may hold.' }),
  })
  .meta({ id: 'Watchlist' });
