// Both watchlist APIs: /api/stocks/watchlist (lists of tickers) and /api/watchlist (items with quotes).
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { symbolParams } from '../../schemas/tickers.js';
import { symbolBody, tickersBody } from '../../schemas/watchlists.js';
import { tickerList, tickersAdded, tickersRemoved, watchlistItemResponse, watchlistResponse } from '../../schemas/responses/watchlists.js';
import { BEARER_ERRORS, BODY_ERRORS, errorResponses, SERVICE_ERRORS } from '../error-responses.js';
import { bearerSecurity, WATCHLIST_ITEMS_TAG, WATCHLIST_TICKERS_TAG, type ApiDocumentSettings } from '../settings.js';

export function registerWatchlistPaths(registry: OpenAPIRegistry, { config }: ApiDocumentSettings): void {
  const full = ['WATCHLIST_FULL', `the watchlist would hold more than ${config.watchlist.maxSize} symbols; nothing is added`] as const;
  const tickers = { required: true, content: { 'application/json': { schema: tickersBody } } };

  registry.registerPath({
    method: 'get',
    path: '/api/stocks/watchlist',
    operationId: 'listWatchlistTickers',
    tags: [WATCHLIST_TICKERS_TAG],
    summary: 'The watchlist as a sorted list of tickers',
    security: bearerSecurity,
    responses: {
      200: { description: 'The tickers, sorted.', content: { 'application/json': { schema: tickerList } } },
      ...errorResponses(...BEARER_ERRORS, ...SERVICE_ERRORS),
    },
  });

  registry.registerPath({
    method: 'post',
    path: '/api/stocks/watchlist',
    operationId: 'addWatchlistTickers',
    tags: [WATCHLIST_TICKERS_TAG],
    summary: 'Add tickers',
    description: 'A single string is accepted as a list of one. Tickers already on the list are not counted in `addedCount`.',
    security: bearerSecurity,
    request: { body: tickers },
    responses: {
      201: { description: 'Added (invalid tickers listed in `rejected`).', content: { 'application/json': { schema: tickersAdded } } },
      ...errorResponses(['VALIDATION_FAILED', 'the body is not `{ tickers }`, or no ticker in it is valid'], ...BODY_ERRORS, ...BEARER_ERRORS, full, ...SERVICE_ERRORS),
    },
  });

  registry.registerPath({
    method: 'delete',
    path: '/api/stocks/watchlist',
    operationId: 'removeWatchlistTickers',
    tags: [WATCHLIST_TICKERS_TAG],
    summary: 'Remove tickers',
    description: 'A single string is accepted as a list of one. Tickers not on the list are ignored.',
    security: bearerSecurity,
    request: { body: tickers },
    responses: {
      200: { description: 'Removed (invalid tickers listed in `rejected`).', content: { 'application/json': { schema: tickersRemoved } } },
      ...errorResponses(['VALIDATION_FAILED', 'the body is not `{ tickers }`, or no ticker in it is valid'], ...BODY_ERRORS, ...BEARER_ERRORS, ...SERVICE_ERRORS),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/watchlist',
    operationId: 'getWatchlist',
    tags: [WATCHLIST_ITEMS_TAG],
    summary: 'The watchlist with cached quotes',
    description: 'Each item carries its cached quote, or null; quotes are refreshed in the background, this call never waits on the provider.',
    security: bearerSecurity,
    responses: {
      200: { description: 'The items, sorted by symbol.', content: { 'application/json': { schema: watchlistResponse } } },
      ...errorResponses(...BEARER_ERRORS, ...SERVICE_ERRORS),
    },
  });

  registry.registerPath({
    method: 'post',
    path: '/api/watchlist',
    operationId: 'addToWatchlist',
    tags: [WATCHLIST_ITEMS_TAG],
    summary: 'Add one symbol',
    security: bearerSecurity,
    request: { body: { required: true, content: { 'application/json': { schema: symbolBody } } } },
    responses: {
      201: { description: 'Added.', content: { 'application/json': { schema: watchlistItemResponse } } },
      200: { description: 'Already on the list: the existing item.', content: { 'application/json': { schema: watchlistItemResponse } } },
      ...errorResponses('VALIDATION_FAILED', ...BODY_ERRORS, ...BEARER_ERRORS, full, ...SERVICE_ERRORS),
    },
  });

  registry.registerPath({
    method: 'delete',
    path: '/api/watchlist/{symbol}',
    operationId: 'removeFromWatchlist',
    tags: [WATCHLIST_ITEMS_TAG],
    summary: 'Remove one symbol',
    security: bearerSecurity,
    request: { params: symbolParams },
    responses: {
      204: { description: 'Removed.' },
      ...errorResponses('VALIDATION_FAILED', ...BEARER_ERRORS, ['NOT_FOUND', 'the symbol is not on your watchlist'], ...SERVICE_ERRORS),
    },
  });
}
