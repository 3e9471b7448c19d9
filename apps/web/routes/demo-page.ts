// The live demo page at `/` (plain files from apps/web/public, no build step) and the browser
// libraries it imports (Socket.IO's client, uPlot), under /vendor/. Same origin as the API, so
// helmet's default CSP ('self' only, no inline scripts) holds for the page unchanged.
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import type { Logger } from '../../../lib/platform/logger.js';
import { PUBLIC_DIR, VENDOR_FILES } from '../static-files.js';

export function demoPageRoutes(logger: Logger): Router {
  if (!existsSync(path.join(PUBLIC_DIR, 'index.html'))) {
    // An image built without the folder still serves the API; say why `/` is missing.
    logger.warn({ folder: PUBLIC_DIR }, 'demo page not found: GET / will answer 404');
  }
  const router = Router();
  for (const [name, file] of Object.entries(VENDOR_FILES)) {
    router.get(`/vendor/${name}`, (_req, res, next) => {
      // A missing bundle is a 404 like any missing file, not a 500.
      res.sendFile(file, (error?: Error & { status?: number }) => error && next(error.status === 404 ? undefined : error));
    });
  }
  // Only GET/HEAD of files that exist; anything else falls through to the routes after this.
  router.use(express.static(PUBLIC_DIR, { index: 'index.html', redirect: false }));
  return router;
}
