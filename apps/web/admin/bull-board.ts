// Bull Board at /admin/queues: the operators' window on the queues, behind HTTP Basic auth and
// read-only unless configured otherwise. Not mounted at all when no credentials are configured.
import { Router } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Config } from '../../../config/index.js';
import { requireOperator } from './operator-auth.js';

export const BULL_BOARD_PATH = '/admin/queues';

export function bullBoardRoutes({ operators, bullBoard }: Pick<Config, 'operators' | 'bullBoard'>, queues: readonly Queue[]): Router | undefined {
  if (!operators.credentials) return undefined;
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: bullBoard.readOnly })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Tickwire queues' } },
  });
  const router = Router();
  router.use(
    BULL_BOARD_PATH,
    requireOperator(operators.credentials),
    // Job data is operational detail: never keep it in a browser or proxy cache.
    (_req, res, next) => {
      res.setHeader('Cache-Control', 'no-store');
      next();
    },
    serverAdapter.getRouter(),
  );
  return router;
}
