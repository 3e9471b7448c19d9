// Picks the market-data provider named by QUOTE_PROVIDER and wires it to config and Redis.
import type { Config } from '../../config/index.js';
import type { Logger } from '../platform/logger.js';
import type { Redis } from '../redis/connections.js';
import type { RedisKeys } from '../redis/keys.js';
import { createAlphaVantageProvider } from './alphavantage/alphavantage-provider.js';
import { upstreamFetch } from './http.js';
import type { QuoteProvider } from './provider.js';
import { createSimulatedProvider } from './simulated/simulated-provider.js';
import { createYahooProvider } from './yahoo/yahoo-provider.js';

export interface ProviderDeps {
  /** Holds shared provider state (Yahoo's session); a cache client fits. */
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly logger: Logger;
}

export function createProvider(config: Config, deps: ProviderDeps): QuoteProvider {
  const { provider, alphaVantageApiKey } = config.quotes;
  const http = upstreamFetch(config.quotes);
  switch (provider) {
    case 'yahoo':
      return createYahooProvider(http, deps);
    case 'alphavantage':
      // The config schema already requires the key with this provider; this guards other callers.
      if (!alphaVantageApiKey) throw new Error('ALPHA_VANTAGE_API_KEY is required when QUOTE_PROVIDER=alphavantage');
      return createAlphaVantageProvider(alphaVantageApiKey, http);
    case 'simulated':
      return createSimulatedProvider();
  }
}
