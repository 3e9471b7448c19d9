// createApp(deps): the Express application, without listening, so tests drive it with supertest.
import express, { type Express } from 'express';
import helmet from 'helmet';
import cors from 'cors';
import type { Config } from '../../config/index.js';
import type { Logger } from '../../lib/platform/logger.js';
import type { WebContext } from './context.js';
import { requestLog } from './middleware/request-log.js';
import { requireUser } from './middleware/authenticate.js';
import { errorHandler, notFound } from './middleware/errors.js';
import { operatorRoutes } from './admin/operator-routes.js';
import { noteRoute, requestMetrics } from './middleware/request-metrics.js';
import type { HttpRequestMetrics } from '../../lib/metrics/http-metrics.js';
import type { ClusterMetrics } from '../../lib/metrics/cluster-metrics.js';
import { healthRoutes } from './routes/health.js';
import { authRoutes } from './routes/auth.js';
import { stocksWatchlistRoutes, watchlistRoutes } from './routes/watchlists.js';
import { marketRoutes } from './routes/market.js';
import { docsRoutes } from './routes/docs.js';
import { demoPageRoutes } from './routes/demo-page.js';

export interface AppDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly context: WebContext;
  readonly isStopping?: () => boolean;
  /** Optional: HTTP latency by route, and /metrics for operators. */
  readonly metrics?: { readonly http: HttpRequestMetrics; readonly cluster: ClusterMetrics };
}

export function createApp({ config, logger, context, isStopping, metrics }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a local reverse proxy, the client's address comes from X-Forwarded-For.
  app.set('trust proxy', 'loopback');
  if (metrics) app.use(requestMetrics(metrics.http));

  app.use(requestLog(logger));
  // helmet's defaults, minus upgrade-insecure-requests: over plain HTTP on any host but localhost
  // it makes browsers fetch the demo page's and the API docs' own assets from https:// and the
  // pages stay blank. They load only same-origin relative URLs, so under HTTPS it changes nothing.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.use(cors({ origin: [...config.http.corsOrigins], maxAge: 600 }));
  // Larger bodies are refused with 413 before any handler sees them.
  app.use(express.json({ limit: '64kb', strict: true }));

  app.use(healthRoutes(context.health, isStopping ?? (() => false)));

  const authenticated = requireUser(context.tokens, context.orm);
  const routeDeps = { ...context, requireUser: authenticated, maxSize: config.watchlist.maxSize, logger };
  // noteRoute after each mounted router: the metrics' route label of an answer that failed inside it.
  app.use('/api/auth', authRoutes(routeDeps), noteRoute);
  app.use('/api/stocks/watchlist', stocksWatchlistRoutes(routeDeps), noteRoute);
  app.use('/api/watchlist', watchlistRoutes(routeDeps), noteRoute);
  app.use('/api', marketRoutes(routeDeps), noteRoute);
  app.use(docsRoutes({ config, chartOptions: context.market.chartOptions }));

  const operators = operatorRoutes(config, [context.quotesQueue, context.scheduleQueue], metrics?.cluster);
  if (operators) app.use(operators);
  else logger.info('Bull Board is off: set BULL_BOARD_USERNAME and BULL_BOARD_PASSWORD to serve it at /admin/queues');

  app.use(demoPageRoutes(logger));
  app.use('/api', notFound);
  app.use(errorHandler(logger));
  return app;
}
