// The operators' routes, behind their HTTP Basic credentials and not mounted at all when none are
// configured: Bull Board at /admin/queues, the window on the queues (read-only unless configured
// otherwise), and, when the app keeps metrics, GET /metrics, Prometheus's view of every process.
import { Router, type RequestHandler } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Config } from '../../../config/index.js';
import type { ClusterMetrics } from '../../../lib/metrics/cluster-metrics.js';
import { requireOperator } from './operator-auth.js';

const BULL_BOARD_PATH = '/admin/queues';

// Job data and metrics are operational detail: never keep them in a browser or proxy cache.
const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

export function operatorRoutes(
  { operators, bullBoard }: Pick<Config, 'operators' | 'bullBoard'>,
  queues: readonly Queue[],
  metrics: ClusterMetrics | undefined,
): Router | undefined {
  if (!operators.credentials) return undefined;
  const operator = requireOperator(operators.credentials);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: bullBoard.readOnly })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Tickwire queues' } },
  });
  const router = Router();
  router.use(BULL_BOARD_PATH, operator, noStore, serverAdapter.getRouter());
  if (metrics) {
    router.get('/metrics', operator, noStore, async (_req, res) => {
      const exposition = await metrics.render();
      res.set('Content-Type', metrics.contentType).send(exposition);
    });
  }
  return router;
}
