// The market-data routes (public, limited per IP) and the Bearer quote lookup by ticker.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { chartQuery, searchParams } from '../../schemas/market.js';
import { symbolParams, tickerParams } from '../../schemas/tickers.js';
import { quoteSchema } from '../../schemas/responses/quote.js';
import { chartResponse, marketOverviewSchema, quoteByTicker, searchResponse } from '../../schemas/responses/market.js';
import type { ErrorUse } from '../error-responses.js';
import { json, operationsOf, WATCHLIST_TICKERS_TAG, type ApiDocumentSettings } from '../settings.js';

const STALE_HEADER = {
  Warning: { description: '`110 - "Response is Stale"` when the provider failed and the last known answer is served.', schema: { type: 'string' as const } },
};

export function registerMarketPaths(registry: OpenAPIRegistry, { config, chartOptions }: ApiDocumentSettings): void {
  const { quoteTtlSeconds, searchTtlSeconds, chartTtlSeconds, overviewTtlSeconds, publicRateLimitPerMinute } = config.market;
  const limit = `Limited to ${publicRateLimitPerMinute} requests per minute per IP, shared by the market-data routes.`;
  // Every market-data route may answer these two, after its own errors.
  const limited: ErrorUse[] = [['RATE_LIMITED', `more than ${publicRateLimitPerMinute} market-data requests per minute from this IP`], 'UPSTREAM_UNAVAILABLE'];
  const quoteCaching = `Served from Redis for ${quoteTtlSeconds} s, then PostgreSQL's last known quote, then the provider (one request however many clients ask). While the provider fails, the last known quote is served with \`stale: true\`.`;
  const operation = operationsOf(registry, 'Market data');

  operation({
    method: 'get',
    path: '/api/stock/{symbol}',
    operationId: 'getQuote',
    summary: 'The latest quote of a symbol',
    description: `${quoteCaching} ${limit}`,
    request: { params: symbolParams },
    responses: { 200: json('The quote.', quoteSchema) },
    errors: ['VALIDATION_FAILED', 'SYMBOL_NOT_FOUND', ...limited],
  });

  operation({
    method: 'get',
    path: '/api/stock/{symbol}/chart',
    operationId: 'getChart',
    summary: 'Price history of a symbol',
    description: `Cached ${chartTtlSeconds} s per symbol, range and interval; while the provider fails the last known chart is served with a \`Warning\` header. ${limit}`,
    request: { params: symbolParams, query: chartQuery(chartOptions) },
    responses: { 200: json('The chart, oldest point first.', chartResponse, STALE_HEADER) },
    errors: [
      ['VALIDATION_FAILED', 'a bad symbol, or a range and interval the provider cannot chart'],
      'SYMBOL_NOT_FOUND',
      ...limited,
    ],
  });

  operation({
    method: 'get',
    path: '/api/search/{query}',
    operationId: 'searchSymbols',
    summary: 'Find symbols by ticker or company name',
    description: `Cached ${searchTtlSeconds} s per query (case and spacing ignored); while the provider fails the last known results are served with a \`Warning\` header. ${limit}`,
    request: { params: searchParams },
    responses: { 200: json('Matching symbols, best first.', searchResponse, STALE_HEADER) },
    errors: ['VALIDATION_FAILED', ...limited],
  });

  operation({
    method: 'get',
    path: '/api/market/overview',
    operationId: 'getMarketOverview',
    summary: 'Major indices, top gainers and losers',
    description: `Cached ${overviewTtlSeconds} s; while the provider fails the last known overview is served, its quotes \`stale: true\`. ${limit}`,
    responses: { 200: json('The overview.', marketOverviewSchema) },
    errors: limited,
  });

  operationsOf(registry, WATCHLIST_TICKERS_TAG)({
    method: 'get',
    path: '/api/stocks/search/{ticker}',
    operationId: 'lookupQuote',
    summary: 'The latest quote of a ticker, keyed by ticker',
    description: `The lookup by ticker: the same quote as \`GET /api/stock/{symbol}\`, as \`{ "AAPL": Quote }\`. ${quoteCaching} ${limit}`,
    bearer: true,
    request: { params: tickerParams },
    responses: { 200: json('The quote under its ticker.', quoteByTicker) },
    errors: ['VALIDATION_FAILED', 'SYMBOL_NOT_FOUND', ...limited],
  });
}
