// One readable line per request: "GET /api/watchlist 200 12 ms", at info (errors at error). The
// whole request and response, headers included, only when the logger is at trace: at debug a
// newcomer's first `npm start` would print every header of every request.
import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../../../lib/platform/logger.js';

/** Probes are polled every few seconds; logging each would drown everything else. */
const UNLOGGED = new Set(['/livez', '/readyz', '/health', '/api/health']);

export function requestLog(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    autoLogging: { ignore: (req) => UNLOGGED.has(req.url ?? '') },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res, responseTime) => `${req.method} ${(req as Request).originalUrl} ${res.statusCode} ${Math.round(responseTime)} ms`,
    customErrorMessage: (req, res, error) => `${req.method} ${(req as Request).originalUrl} ${res.statusCode} failed: ${error.message}`,
    // Undefined drops the key: the message already says method, path and status.
    ...(logger.isLevelEnabled('trace') ? {} : { serializers: { req: () => undefined, res: () => undefined } }),
  });
}
