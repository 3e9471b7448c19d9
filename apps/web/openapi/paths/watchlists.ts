// Both watchlist APIs: /api/stocks/watchlist (lists of tickers) and /api/watchlist (items with quotes).
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { symbolParams } from '../../schemas/tickers.js';
import { symbolBody, tickersBody } from '../../schemas/watchlists.js';
import { tickerList, tickersAdded, tickersRemoved, watchlistItemResponse, watchlistResponse } from '../../schemas/responses/watchlists.js';
import { json, operationsOf, WATCHLIST_ITEMS_TAG, WATCHLIST_TICKERS_TAG, type ApiDocumentSettings } from '../settings.js';

export function registerWatchlistPaths(registry: OpenAPIRegistry, { config }: ApiDocumentSettings): void {
  const full = ['WATCHLIST_FULL', `the watchlist would hold more than ${config.watchlist.maxSize} symbols; nothing is added`] as const;
  const noValidTicker = ['VALIDATION_FAILED', 'the body is not `{ tickers }`, or no ticker in it is valid'] as const;
  // Both APIs are behind the token as a whole, as their routers are.
  const tickersOperation = operationsOf(registry, WATCHLIST_TICKERS_TAG, { bearer: true });
  const itemsOperation = operationsOf(registry, WATCHLIST_ITEMS_TAG, { bearer: true });

  tickersOperation({
    method: 'get',
    path: '/api/stocks/watchlist',
    operationId: 'listWatchlistTickers',
    summary: 'The watchlist as a sorted list of tickers',
    responses: { 200: json('The tickers, sorted.', tickerList) },
  });

  tickersOperation({
    method: 'post',
    path: '/api/stocks/watchlist',
    operationId: 'addWatchlistTickers',
    summary: 'Add tickers',
    description: 'A single string is accepted as a list of one. Tickers already on the list are not counted in `addedCount`.',
    body: tickersBody,
    responses: { 201: json('Added (invalid tickers listed in `rejected`).', tickersAdded) },
    errors: [noValidTicker, full],
  });

  tickersOperation({
    method: 'delete',
    path: '/api/stocks/watchlist',
    operationId: 'removeWatchlistTickers',
    summary: 'Remove tickers',
    description: 'A single string is accepted as a list of one. Tickers not on the list are ignored.',
    body: tickersBody,
    responses: { 200: json('Removed (invalid tickers listed in `rejected`).', tickersRemoved) },
    errors: [noValidTicker],
  });

  itemsOperation({
    method: 'get',
    path: '/api/watchlist',
    operationId: 'getWatchlist',
    summary: 'The watchlist with cached quotes',
    description: 'Each item carries its cached quote, or null; quotes are refreshed in the background, this call never waits on the provider.',
    responses: { 200: json('The items, sorted by symbol.', watchlistResponse) },
  });

  itemsOperation({
    method: 'post',
    path: '/api/watchlist',
    operationId: 'addToWatchlist',
    summary: 'Add one symbol',
    body: symbolBody,
    responses: {
      201: json('Added.', watchlistItemResponse),
      200: json('Already on the list: the existing item.', watchlistItemResponse),
    },
    errors: ['VALIDATION_FAILED', full],
  });

  itemsOperation({
    method: 'delete',
    path: '/api/watchlist/{symbol}',
    operationId: 'removeFromWatchlist',
    summary: 'Remove one symbol',
    request: { params: symbolParams },
    responses: { 204: { description: 'Removed.' } },
    errors: ['VALIDATION_FAILED', ['NOT_FOUND', 'the symbol is not on your watchlist']],
  });
}
