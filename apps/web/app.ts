// createApp(deps): the Express application, without listening, so tests drive it with supertest.
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Config } from '../../config/index.js';
import type { Logger } from '../../lib/platform/logger.js';
import type { HealthReporter } from './health-report.js';
import { errorHandler, notFound } from './middleware/errors.js';
import { healthRoutes } from './routes/health.js';

export interface AppDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly health: HealthReporter;
  readonly isStopping?: () => boolean;
}

/** JSON bodies larger than this are refused with 413 before any handler sees them. */
export const JSON_BODY_LIMIT = '64kb';

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use(
    pinoHttp({
      logger: deps.logger,
      // Probes are polled every few seconds; logging each would drown everything else.
      autoLogging: { ignore: (req) => ['/livez', '/readyz', '/health', '/api/health'].includes(req.url ?? '') },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
    }),
  );
  app.use(express.json({ limit: JSON_BODY_LIMIT, strict: true }));

  app.use(healthRoutes({ health: deps.health, isStopping: deps.isStopping ?? (() => false) }));

  app.use('/api', notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
