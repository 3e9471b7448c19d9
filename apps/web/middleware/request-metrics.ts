// Times every HTTP answer and labels it with the pattern of the route that handled it.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { UNMATCHED_ROUTE, type HttpRequestMetrics } from '../../../lib/metrics/http-metrics.js';

// Methods outside this list are labelled OTHER, so made-up methods cannot add series.
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The matched route's pattern under its router's mount path (a RegExp or list path is a pattern too). */
function routePattern(req: Request): string | undefined {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  if (path === undefined) return undefined;
  const pattern = `${req.baseUrl}${String(path)}`;
  // A router's root route reads '/api/watchlist/': the same resource as '/api/watchlist'.
  return pattern.length > 1 && pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
}

export function requestMetrics(metrics: HttpRequestMetrics): RequestHandler {
  return (req, res, next) => {
    const startedAt = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const route = (res.locals as { routePattern?: string }).routePattern ?? routePattern(req) ?? UNMATCHED_ROUTE;
      metrics.observe({ method: KNOWN_METHODS.has(req.method) ? req.method : 'OTHER', route, statusCode: res.statusCode, seconds });
    });
    next();
  };
}

/**
 * Mounted after a router on the same path (`app.use(path, router, noteRoute)`): once an error
 * leaves a router, Express gives req.baseUrl back to the parent, so the pattern is noted here first.
 */
export const noteRoute: ErrorRequestHandler = (error, req, res, next) => {
  (res.locals as { routePattern?: string }).routePattern ??= routePattern(req);
  next(error);
};
