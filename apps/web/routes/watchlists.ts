// Both watchlist APIs of API.md over the one watchlist service:
//   /api/stocks/watchlist (first description: symbol lists in, counts out)
//   /api/watchlist        (second description: items with cached quotes)
import { Router, type RequestHandler } from 'express';
import { normalizeTickers, type TickerRejection } from '../../../lib/tickers/ticker.js';
import type { Logger } from '../../../lib/platform/logger.js';
import type { WebContext } from '../context.js';
import { currentUser } from '../middleware/authenticate.js';
import { HttpError } from '../http-error.js';
import { symbolBody, tickersBody } from '../schemas/watchlists.js';
import { parse, requestedSymbol } from '../validation.js';

type WatchlistRouteDeps = Pick<WebContext, 'watchlists' | 'quotes'> & { readonly requireUser: RequestHandler; readonly maxSize: number; readonly logger: Logger };

/** Valid, normalised tickers of a `{ tickers }` body; 400 when none is valid. */
function requestedTickers(body: unknown): { symbols: string[]; rejected: TickerRejection[] } {
  const { tickers } = parse(tickersBody, body);
  const { symbols, rejected } = normalizeTickers(tickers);
  if (symbols.length === 0) {
    const details = rejected.map(({ index, reason }) => ({ path: `tickers.${index}`, message: reason }));
    throw new HttpError(400, 'VALIDATION_FAILED', 'No valid ticker in the request', details);
  }
  return { symbols, rejected: rejected.map(({ ticker, code, reason }) => ({ ticker, code, reason })) };
}

export function stocksWatchlistRoutes({ watchlists, requireUser }: WatchlistRouteDeps): Router {
  const router = Router();
  router.use(requireUser);

  router.get('/', async (req, res) => {
    const entries = await watchlists.list(currentUser(req).id);
    res.json(entries.map((entry) => entry.symbol));
  });

  router.post('/', async (req, res) => {
    const { symbols, rejected } = requestedTickers(req.body);
    const { added } = await watchlists.add(currentUser(req).id, symbols);
    res.status(201).json({ success: true, addedCount: added.length, requestedTickers: symbols, rejected });
  });

  router.delete('/', async (req, res) => {
    const { symbols, rejected } = requestedTickers(req.body);
    const removed = await watchlists.remove(currentUser(req).id, symbols);
    res.json({ success: true, removedCount: removed.length, requestedTickers: symbols, rejected });
  });

  return router;
}

export function watchlistRoutes({ watchlists, quotes, requireUser, maxSize, logger }: WatchlistRouteDeps): Router {
  const router = Router();
  router.use(requireUser);

  router.get('/', async (req, res) => {
    const entries = await watchlists.list(currentUser(req).id);
    // Quotes are a bonus here: with the cache away the list still answers, quotes null.
    const cached = await quotes.getMany(entries.map((entry) => entry.symbol)).catch((error: unknown) => {
      logger.warn({ err: error }, 'quote cache unavailable; answering without quotes');
      return entries.map(() => null);
    });
    const items = entries.map((entry, index) => ({ symbol: entry.symbol, addedAt: entry.addedAt.toISOString(), quote: cached[index] ?? null }));
    res.json({ items, count: items.length, limit: maxSize });
  });

  router.post('/', async (req, res) => {
    const symbol = requestedSymbol(parse(symbolBody, req.body).symbol, 'symbol');
    const { added, entries } = await watchlists.add(currentUser(req).id, [symbol]);
    const entry = entries[0]!;
    res.status(added.length ? 201 : 200).json({ item: { symbol: entry.symbol, addedAt: entry.addedAt.toISOString() } });
  });

  router.delete('/:symbol', async (req, res) => {
    const symbol = requestedSymbol(req.params.symbol, 'symbol');
    const removed = await watchlists.remove(currentUser(req).id, [symbol]);
    if (removed.length === 0) throw new HttpError(404, 'NOT_FOUND', `${symbol} is not on your watchlist`);
    res.status(204).end();
  });

  return router;
}
