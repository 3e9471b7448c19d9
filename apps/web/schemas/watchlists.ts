import { z } from 'zod';
import { MAX_RAW_TICKER_LENGTH } from '../../../lib/tickers/ticker.js';

/** Most tickers one request may name; more than any watchlist may hold. */
export const MAX_TICKERS_PER_REQUEST = 100;

const ticker = z
  .string('must be a string')
  .max(MAX_RAW_TICKER_LENGTH, `must be at most ${MAX_RAW_TICKER_LENGTH} characters`)
  .meta({ description: 'A ticker; trimmed and upper-cased before use.', example: 'AAPL' });

/** `{ tickers: [...] }`; a single string is accepted as a list of one. */
export const tickersBody = z
  .object({
    tickers: z
      // The description shows the input side of the pipe, so the array's bounds are restated there.
      .union([ticker.transform((one) => [one]), z.array(ticker, 'must be an array of strings').meta({ minItems: 1, maxItems: MAX_TICKERS_PER_REQUEST })], {
        error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string or an array of strings'),
      })
      .pipe(z.array(z.string()).min(1, 'must name at least one ticker').max(MAX_TICKERS_PER_REQUEST, `must name at most ${MAX_TICKERS_PER_REQUEST} tickers`))
      .meta({ description: `One ticker, or a list of 1 to ${MAX_TICKERS_PER_REQUEST}.` }),
  })
  .meta({
    id: 'TickersRequest',
    description: 'Invalid tickers are skipped and listed in `rejected`; 400 VALIDATION_FAILED when none is valid.',
    example: { tickers: ['AAPL', 'MSFT'] },
  });

export const symbolBody = z.object({ symbol: ticker }).meta({ id: 'SymbolRequest' });
