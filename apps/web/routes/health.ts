import { Router, type RequestHandler } from 'express';
import type { WebContext } from '../context.js';

/** `isStopping`: true once shutdown has begun, so readiness fails and load balancers stop sending traffic. */
export function healthRoutes(health: WebContext['health'], isStopping: () => boolean): Router {
  const router = Router();

  const full: RequestHandler = async (_req, res) => {
    const report = await health.report();
    res.status(report.status === 'unhealthy' ? 503 : 200).set('Cache-Control', 'no-store').json(report);
  };
  router.get('/api/health', full);
  router.get('/health', full);

  // Liveness: the event loop answers. Never depends on Postgres or Redis, so an orchestrator
  // does not restart a healthy process because a dependency is away.
  router.get('/livez', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'alive' });
  });

  router.get('/readyz', async (_req, res) => {
    if (isStopping()) return void res.status(503).set('Cache-Control', 'no-store').json({ status: 'stopping' });
    const report = await health.report();
    const ready = report.status !== 'unhealthy';
    res.status(ready ? 200 : 503).set('Cache-Control', 'no-store').json({ status: ready ? 'ready' : 'not ready', failing: report.failing });
  });

  return router;
}
