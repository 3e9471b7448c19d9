// Builds the OpenAPI 3.1 description of the REST API from the zod schemas the routes validate with.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { registerAccountPaths } from './paths/accounts.js';
import { registerDocsPaths } from './paths/docs.js';
import { registerHealthPaths } from './paths/health.js';
import { registerMarketPaths } from './paths/market.js';
import { registerWatchlistPaths } from './paths/watchlists.js';
import { BEARER, WATCHLIST_ITEMS_TAG, WATCHLIST_TICKERS_TAG, type ApiDocumentSettings } from './settings.js';

const DESCRIPTION = `Real-time stock quotes: accounts, watchlists and market data over REST; live \`stock_update\`s over Socket.IO on the same port (described in the README).

- **Bodies** are JSON; times are ISO-8601 UTC. Tickers are trimmed and upper-cased before use.
- **Errors** all have one shape, \`{ error, code, details? }\`; branch on \`code\`.
- **Bearer** routes need \`Authorization: Bearer <token>\` from register or login.
- **Limits** answer 429 \`RATE_LIMITED\` with \`Retry-After\`.`;

export function buildApiDocument(settings: ApiDocumentSettings) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: `The \`token\` of register or login (HS256, valid ${settings.config.auth.jwtExpiresInSeconds} s).`,
  });
  for (const register of [registerAccountPaths, registerWatchlistPaths, registerMarketPaths, registerHealthPaths, registerDocsPaths]) register(registry, settings);

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Tickwire API', version: settings.config.version, description: DESCRIPTION },
    tags: [
      { name: 'Accounts' },
      { name: WATCHLIST_ITEMS_TAG, description: 'Items with their cached quotes.' },
      { name: WATCHLIST_TICKERS_TAG, description: 'Lists of tickers in, counts out; and the quote lookup by ticker.' },
      { name: 'Market data', description: 'Public; cached in Redis, then PostgreSQL, then the provider.' },
      { name: 'Health' },
      { name: 'Documentation' },
    ],
  });
}
