// Times every HTTP answer and labels it with the pattern of the route that handled it.
import type { RequestHandler } from 'express';
import { UNMATCHED_ROUTE, type HttpRequestMetrics } from '../../../lib/metrics/http-metrics.js';

// Methods outside this list are labelled OTHER, so made-up methods cannot add series.
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function requestMetrics(metrics: HttpRequestMetrics): RequestHandler {
  return (req, res, next) => {
    const startedAt = process.hrtime.bigint();
    let route = UNMATCHED_ROUTE;
    // The router sets req.route when a route matches, while req.baseUrl still holds the mount path
    // of the router that matched; by the time the answer is sent, an error passed on with next()
    // has restored baseUrl to its parent's. So the pattern is read as it is set.
    let current: unknown;
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => current,
      set(value: { path?: unknown } | undefined) {
        current = value;
        // A path may also be a RegExp or a list: still a pattern, so still a bounded label.
        if (value?.path === undefined) return;
        const pattern = `${req.baseUrl}${String(value.path)}`;
        // A router's root route reads '/api/watchlist/': the same resource as '/api/watchlist'.
        route = pattern.length > 1 && pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
      },
    });
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      metrics.observe({ method: KNOWN_METHODS.has(req.method) ? req.method : 'OTHER', route, statusCode: res.statusCode, seconds });
    });
    next();
  };
}
