// Answers of the health and probe endpoints.
import { z } from 'zod';

const dependencyState = z.enum(['connected', 'disconnected']);
const failing = z.array(z.object({ dependency: z.string().meta({ example: 'redis' }), error: z.string() })).meta({ description: 'Dependencies that did not answer, and why; empty when healthy.' });

export const healthReportSchema = z
  .object({
    status: z.enum(['healthy', 'degraded', 'unhealthy']).meta({ description: 'degraded: the market-data provider rate-limits or fails (still 200); unhealthy: PostgreSQL or Redis is down (503).' }),
    timestamp: z.iso.datetime(),
    database: dependencyState,
    redis: dependencyState,
    queue: z.object({ name: z.string(), state: z.enum(['connected', 'unavailable']), counts: z.record(z.string(), z.number().int()).optional() }),
    upstream: z
      .object({
        provider: z.string(),
        state: z.enum(['ok', 'rate_limited', 'failing', 'unknown']),
        since: z.iso.datetime().nullable(),
        lastSuccessAt: z.iso.datetime().nullable(),
        lastError: z.string().nullable(),
      })
      .meta({ description: 'What the workers last saw of the market-data provider.' }),
    demand: z
      .object({ watchlists: z.enum(['current', 'last_known', 'unknown']), asOf: z.iso.datetime().nullable() })
      .meta({ description: 'last_known: PostgreSQL has not answered the scheduler lately, so it refreshes the watchlists as they were at asOf (plus live subscriptions).' }),
    budget: z
      .object({
        requestsPerSecond: z.number().int(),
        overBudget: z.boolean().meta({ description: 'True when the last tick could not refresh every due ticker: tickers take turns (add budget or lengthen FETCH_INTERVAL_MS).' }),
        lastTick: z
          .object({ at: z.iso.datetime(), due: z.number().int(), allowedRequests: z.number().int(), plannedRequests: z.number().int(), deferred: z.number().int() })
          .nullable()
          .meta({ description: "The scheduler's last plan; null when no scheduler planned recently." }),
        quota: z
          .object({ limit: z.number().int(), used: z.number().int(), remaining: z.number().int(), resetsAt: z.iso.datetime() })
          .nullable()
          .meta({ description: 'The daily quota (UPSTREAM_REQUESTS_PER_DAY) in the current window; null without one.' }),
      })
      .nullable()
      .meta({ description: 'The upstream request budget; null when Redis did not answer in time.' }),
    failing,
    environment: z.string(),
    version: z.string(),
    uptimeSeconds: z.number().int(),
  })
  .meta({ id: 'HealthReport' });

export const livenessSchema = z.object({ status: z.literal('alive') }).meta({ id: 'Liveness' });

export const readinessSchema = z
  .object({ status: z.enum(['ready', 'not ready', 'stopping']), failing: failing.optional().meta({ description: 'Absent while stopping.' }) })
  .meta({ id: 'Readiness' });
