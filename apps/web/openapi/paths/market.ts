// The market-data routes (public, limited per IP) and the Bearer quote lookup by ticker.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { chartQuery, searchParams } from '../../schemas/market.js';
import { symbolParams, tickerParams } from '../../schemas/tickers.js';
import { quoteSchema } from '../../schemas/responses/quote.js';
import { chartResponse, marketOverviewSchema, quoteByTicker, searchResponse } from '../../schemas/responses/market.js';
import { BEARER_ERRORS, errorResponses, SERVICE_ERRORS, type ErrorUse } from '../error-responses.js';
import { bearerSecurity, WATCHLIST_TICKERS_TAG, type ApiDocumentSettings } from '../settings.js';

const TAG = 'Market data';

const STALE_HEADER = {
  Warning: { description: '`110 - "Response is Stale"` when the provider failed and the last known answer is served.', schema: { type: 'string' as const } },
};

export function registerMarketPaths(registry: OpenAPIRegistry, { config, chartOptions }: ApiDocumentSettings): void {
  const { quoteTtlSeconds, searchTtlSeconds, chartTtlSeconds, overviewTtlSeconds, publicRateLimitPerMinute } = config.market;
  const limit = `Limited to ${publicRateLimitPerMinute} requests per minute per IP, shared by the market-data routes.`;
  const rateLimited: ErrorUse = ['RATE_LIMITED', `more than ${publicRateLimitPerMinute} market-data requests per minute from this IP`];
  const unavailable: ErrorUse = 'UPSTREAM_UNAVAILABLE';
  const quoteCaching = `Served from Redis for ${quoteTtlSeconds} s, then PostgreSQL's last known quote, then the provider (one request however many clients ask). While the provider fails, the last known quote is served with \`stale: true\`.`;

  registry.registerPath({
    method: 'get',
    path: '/api/stock/{symbol}',
    operationId: 'getQuote',
    tags: [TAG],
    summary: 'The latest quote of a symbol',
    description: `${quoteCaching} ${limit}`,
    request: { params: symbolParams },
    responses: {
      200: { description: 'The quote.', content: { 'application/json': { schema: quoteSchema } } },
      ...errorResponses('VALIDATION_FAILED', 'SYMBOL_NOT_FOUND', rateLimited, unavailable, ...SERVICE_ERRORS),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/stock/{symbol}/chart',
    operationId: 'getChart',
    tags: [TAG],
    summary: 'Price history of a symbol',
    description: `Cached ${chartTtlSeconds} s per symbol, range and interval; while the provider fails the last known chart is served with a \`Warning\` header. ${limit}`,
    request: { params: symbolParams, query: chartQuery(chartOptions) },
    responses: {
      200: { description: 'The chart, oldest point first.', headers: STALE_HEADER, content: { 'application/json': { schema: chartResponse } } },
      ...errorResponses(
        ['VALIDATION_FAILED', 'a bad symbol, or a range and interval the provider cannot chart'],
        'SYMBOL_NOT_FOUND',
        ['NOT_FOUND', 'the configured provider offers no charts'],
        rateLimited,
        unavailable,
        ...SERVICE_ERRORS,
      ),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/search/{query}',
    operationId: 'searchSymbols',
    tags: [TAG],
    summary: 'Find symbols by ticker or company name',
    description: `Cached ${searchTtlSeconds} s per query (case and spacing ignored); while the provider fails the last known results are served with a \`Warning\` header. ${limit}`,
    request: { params: searchParams },
    responses: {
      200: { description: 'Matching symbols, best first.', headers: STALE_HEADER, content: { 'application/json': { schema: searchResponse } } },
      ...errorResponses('VALIDATION_FAILED', rateLimited, unavailable, ...SERVICE_ERRORS),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/market/overview',
    operationId: 'getMarketOverview',
    tags: [TAG],
    summary: 'Major indices, top gainers and losers',
    description: `Cached ${overviewTtlSeconds} s; while the provider fails the last known overview is served, its quotes \`stale: true\`. ${limit}`,
    responses: {
      200: { description: 'The overview.', content: { 'application/json': { schema: marketOverviewSchema } } },
      ...errorResponses(rateLimited, unavailable, ...SERVICE_ERRORS),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/stocks/search/{ticker}',
    operationId: 'lookupQuote',
    tags: [WATCHLIST_TICKERS_TAG],
    summary: 'The latest quote of a ticker, keyed by ticker',
    description: `The lookup by ticker: the same quote as \`GET /api/stock/{symbol}\`, as \`{ "AAPL": Quote }\`. ${quoteCaching} ${limit}`,
    security: bearerSecurity,
    request: { params: tickerParams },
    responses: {
      200: { description: 'The quote under its ticker.', content: { 'application/json': { schema: quoteByTicker } } },
      ...errorResponses('VALIDATION_FAILED', ...BEARER_ERRORS, 'SYMBOL_NOT_FOUND', rateLimited, unavailable, ...SERVICE_ERRORS),
    },
  });
}
