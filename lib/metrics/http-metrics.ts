// Latency of the web process's HTTP answers, by method, route pattern and status code. The route
// is the pattern (`/api/stock/:symbol`), never the URL, so the series stay few whatever is requested.
import { Histogram, type Registry } from 'prom-client';

export interface HttpRequestMetrics {
  observe(request: { method: string; route: string; statusCode: number; seconds: number }): void;
}

/** The route label of a request no route matched (unknown paths, bodies refused before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

export function createHttpRequestMetrics(registry: Registry): HttpRequestMetrics {
  const duration = new Histogram({
    name: 'tickwire_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  return {
    observe({ method, route, statusCode, seconds }) {
      duration.observe({ method, route, status_code: String(statusCode) }, seconds);
    },
  };
}
