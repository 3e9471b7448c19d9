// What the API description needs to know about this deployment: its limits, lifetimes and what
// the configured provider can chart, so the documented numbers are the ones the server applies.
import type { Config } from '../../../config/index.js';
import type { ChartOptions } from '../../../lib/rest-market/chart-options.js';

export interface ApiDocumentSettings {
  readonly config: Pick<Config, 'version' | 'auth' | 'authLimits' | 'watchlist' | 'market'>;
  readonly chartOptions: ChartOptions;
}

/** Name of the Bearer JWT security scheme. */
export const BEARER = 'bearerAuth';

/** The `security` of an operation behind the Bearer token. */
export const bearerSecurity = [{ [BEARER]: [] }];

/** The two watchlist APIs' tags: the ticker-list API (counts out) and the item API (quotes out). */
export const WATCHLIST_TICKERS_TAG = 'Watchlist tickers';
export const WATCHLIST_ITEMS_TAG = 'Watchlist items';
