// Latency of the web process's HTTP answers, by method, route pattern and status code. The route
// is the pattern (`/api/stock/:symbol`), never the URL, so the series stay few whatever is requested.
import { Histogram, type Registry } from 'prom-client';

/** The route label of a request no route matched (unknown paths, bodies refused before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

export type HttpRequestMetrics = ReturnType<typeof createHttpRequestMetrics>;

export function createHttpRequestMetrics(registry: Registry) {
  const duration = new Histogram({
    name: 'tickwire_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  return {
    observe({ method, route, statusCode, seconds }: { method: string; route: string; statusCode: number; seconds: number }) {
      duration.observe({ method, route, status_code: String(statusCode) }, seconds);
    },
  };
}
