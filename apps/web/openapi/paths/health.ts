// /api/health and /health, and the orchestrator probes /livez and /readyz.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { healthReportSchema, livenessSchema, readinessSchema } from '../../schemas/responses/health.js';

const TAG = 'Health';

export function registerHealthPaths(registry: OpenAPIRegistry): void {
  for (const path of ['/api/health', '/health']) {
    registry.registerPath({
      method: 'get',
      path,
      operationId: path === '/health' ? 'healthAlias' : 'health',
      tags: [TAG],
      summary: path === '/health' ? 'Same as /api/health' : 'Health of the service and its dependencies',
      description: 'Probes PostgreSQL, Redis and the queue live, each with its own timeout, so it never hangs. Not cached.',
      responses: {
        200: { description: '`healthy`, or `degraded` while the market-data provider rate-limits or fails.', content: { 'application/json': { schema: healthReportSchema } } },
        503: { description: '`unhealthy`: `failing` names what is down.', content: { 'application/json': { schema: healthReportSchema } } },
      },
    });
  }

  registry.registerPath({
    method: 'get',
    path: '/livez',
    operationId: 'liveness',
    tags: [TAG],
    summary: 'Liveness: the process answers',
    description: 'Never depends on PostgreSQL or Redis, so an orchestrator does not restart a healthy process because a dependency is away.',
    responses: { 200: { description: 'Alive.', content: { 'application/json': { schema: livenessSchema } } } },
  });

  registry.registerPath({
    method: 'get',
    path: '/readyz',
    operationId: 'readiness',
    tags: [TAG],
    summary: 'Readiness: PostgreSQL and Redis answer',
    responses: {
      200: { description: 'Ready.', content: { 'application/json': { schema: readinessSchema } } },
      503: { description: 'Not ready (`failing` names what is down), or shutting down (`stopping`).', content: { 'application/json': { schema: readinessSchema } } },
    },
  });
}
