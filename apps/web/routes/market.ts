// The market-data routes of API.md: quote, chart, search and overview (public, limited per IP),
// and the first description's quote lookup `/api/stocks/search/:ticker` (Bearer). Handlers only
// validate and shape; caching, single flight and stale serving live in lib/rest-market.
import { Router, type RequestHandler } from 'express';
import type { WebContext } from '../context.js';
import { chartQuery, searchParams } from '../schemas/market.js';
import { parse, requestedSymbol } from '../validation.js';

/** Marks an answer that is the last known one, served because the provider failed. */
const STALE_WARNING = '110 - "Response is Stale"';

export function marketRoutes({ market, publicLimiter, requireUser }: Pick<WebContext, 'market' | 'publicLimiter'> & { readonly requireUser: RequestHandler }): Router {
  const router = Router();
  const perIp: RequestHandler = async (req, _res, next) => {
    await publicLimiter.consume(req.ip ?? 'unknown');
    next();
  };
  const chartParams = chartQuery(market.chartOptions);

  router.get('/stock/:symbol', perIp, async (req, res) => {
    res.json(await market.quotes.get(requestedSymbol(req.params.symbol, 'symbol')));
  });

  router.get('/stock/:symbol/chart', perIp, async (req, res) => {
    const symbol = requestedSymbol(req.params.symbol, 'symbol');
    const { range, interval } = parse(chartParams, req.query);
    const { value: points, stale } = await market.charts.chart({ symbol, range, interval });
    if (stale) res.set('Warning', STALE_WARNING);
    res.json({ symbol, range, interval, points });
  });

  router.get('/search/:query', perIp, async (req, res) => {
    const { query } = parse(searchParams, { query: req.params.query });
    const { value: results, stale } = await market.search.search(query);
    if (stale) res.set('Warning', STALE_WARNING);
    res.json({ query, results });
  });

  router.get('/market/overview', perIp, async (_req, res) => {
    res.json(await market.overview.overview());
  });

  router.get('/stocks/search/:ticker', perIp, requireUser, async (req, res) => {
    const quote = await market.quotes.get(requestedSymbol(req.params.ticker, 'ticker'));
    res.json({ [quote.symbol]: quote });
  });

  return router;
}
