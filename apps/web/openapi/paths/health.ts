// /api/health and /health, and the orchestrator probes /livez and /readyz.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { healthReportSchema, livenessSchema, readinessSchema } from '../../schemas/responses/health.js';
import { json, operationsOf } from '../settings.js';

export function registerHealthPaths(registry: OpenAPIRegistry): void {
  const operation = operationsOf(registry, 'Health');
  for (const path of ['/api/health', '/health']) {
    operation({
      method: 'get',
      path,
      operationId: path === '/health' ? 'healthAlias' : 'health',
      summary: path === '/health' ? 'Same as /api/health' : 'Health of the service and its dependencies',
      description: 'Probes PostgreSQL, Redis and the queue live, each with its own timeout, so it never hangs. Not cached.',
      responses: {
        200: json('`healthy`, or `degraded` while the market-data provider rate-limits or fails.', healthReportSchema),
        503: json('`unhealthy`: `failing` names what is down.', healthReportSchema),
      },
    });
  }

  operation({
    method: 'get',
    path: '/livez',
    operationId: 'liveness',
    summary: 'Liveness: the process answers',
    description: 'Never depends on PostgreSQL or Redis, so an orchestrator does not restart a healthy process because a dependency is away.',
    responses: { 200: json('Alive.', livenessSchema) },
  });

  operation({
    method: 'get',
    path: '/readyz',
    operationId: 'readiness',
    summary: 'Readiness: PostgreSQL and Redis answer',
    responses: {
      200: json('Ready.', readinessSchema),
      503: json('Not ready (`failing` names what is down), or shutting down (`stopping`).', readinessSchema),
    },
  });
}
