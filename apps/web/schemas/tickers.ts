// A ticker in a path or a body field, normalised as API.md says (lib/tickers). The routes validate
// with this schema and the OpenAPI description is generated from it.
import { z } from 'zod';
import { MAX_RAW_TICKER_LENGTH, normalizeTicker, TICKER_PATTERN } from '../../../lib/tickers/ticker.js';

export const tickerParam = z
  .string('must be a string')
  .transform((raw, ctx) => {
    const result = normalizeTicker(raw);
    if (result.ok) return result.symbol;
    ctx.addIssue({ code: 'custom', message: result.rejection.reason });
    return z.NEVER;
  })
  .meta({
    description: `A ticker, trimmed and upper-cased before use; it must then match \`${TICKER_PATTERN.source}\` (AAPL, BRK-B, RELIANCE.NS, EURUSD=X, ^GSPC).`,
    // The same shape before normalisation (any case, surrounding white space allowed), so
    // documentation tools can check a value before sending it.
    pattern: `^\\s*${TICKER_PATTERN.source.replace(/^\^/, '').replace(/\$$/, '').replaceAll('A-Z', 'A-Za-z')}\\s*$`,
    // normalizeTicker refuses longer raw values before any other check.
    maxLength: MAX_RAW_TICKER_LENGTH,
    example: 'AAPL',
  });

/** `/:symbol` path parameters. */
export const symbolParams = z.object({ symbol: tickerParam });

/** `/api/stocks/search/:ticker`. */
export const tickerParams = z.object({ ticker: tickerParam });
