// GET /metrics: Prometheus's view of every Tickwire process, behind the operators' HTTP Basic
// authentication (as Bull Board). Not served at all when no operator credentials are configured.
import { Router } from 'express';
import type { ClusterMetrics } from '../../../lib/metrics/cluster-metrics.js';
import type { Config } from '../../../config/index.js';
import { requireOperator } from './operator-auth.js';

export const METRICS_PATH = '/metrics';

export function metricsRoutes(credentials: Config['operators']['credentials'], metrics: ClusterMetrics): Router | undefined {
  if (!credentials) return undefined;
  const router = Router();
  router.get(METRICS_PATH, requireOperator(credentials), async (_req, res) => {
    const exposition = await metrics.render();
    res.set('Content-Type', metrics.contentType).set('Cache-Control', 'no-store').send(exposition);
  });
  return router;
}
