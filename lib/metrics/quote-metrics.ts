// Metrics of the quote path, in the shapes its code takes them: an observer for the upstream gate
// and a wrapper that counts the `stock_update`s an emitter sends.
import { Counter, Histogram, type Registry } from 'prom-client';
import { UPSTREAM_OUTCOMES, type UpstreamRequestObserver } from '../upstream/upstream-gate.js';
import type { QuoteEmitter } from '../realtime/emitter.js';

export type QuoteMetrics = ReturnType<typeof createQuoteMetrics>;

export function createQuoteMetrics(registry: Registry) {
  const requests = new Counter({
    name: 'tickwire_upstream_requests_total',
    help: 'Requests that reached the market-data provider, by operation and outcome (rate_limited: a 429 or a throttling answer)',
    labelNames: ['provider', 'operation', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'tickwire_upstream_request_duration_seconds',
    help: 'Time the market-data provider took to answer, by operation',
    labelNames: ['provider', 'operation'],
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const emitted = new Counter({
    name: 'tickwire_quotes_emitted_total',
    help: 'Changed quotes sent as stock_update to the subscribers of their ticker',
    registers: [registry],
  });
  const batchSizes = new Histogram({
    name: 'tickwire_upstream_symbols_per_request',
    help: 'Symbols carried by each quote request that reached the market-data provider (full batches are the budget well spent)',
    buckets: [1, 2, 5, 10, 20, 30, 40, 45, 50, 100],
    registers: [registry],
  });
  const seen = new Set<string>();
  return {
    upstream: {
      observe({ provider, operation, outcome, seconds }) {
        // Every outcome of a new operation starts at 0, so the first 429 or error is an increase
        // Prometheus can see, not the first sample of a new series.
        const operationKey = `${provider}\u0000${operation}`;
        if (!seen.has(operationKey)) {
          seen.add(operationKey);
          for (const each of UPSTREAM_OUTCOMES) requests.inc({ provider, operation, outcome: each }, 0);
        }
        requests.inc({ provider, operation, outcome });
        duration.observe({ provider, operation }, seconds);
      },
    } satisfies UpstreamRequestObserver,
    observeBatch: (symbols: number) => batchSizes.observe(symbols),
    /** The same emitter, counting each quote it emits. */
    countEmits(emitter: QuoteEmitter): QuoteEmitter {
      return {
        emitQuotes(quotes) {
          emitter.emitQuotes(quotes);
          emitted.inc(quotes.length);
        },
      };
    },
  };
}
