// The API description: GET /api/openapi.json (built once, at start) and the Swagger UI page at
// GET /api/docs, its assets served from swagger-ui-dist on this server (no CDN, so it works under
// helmet's default Content-Security-Policy).
import { Router, type RequestHandler } from 'express';
import swaggerUi from 'swagger-ui-express';
import { buildApiDocument } from '../openapi/document.js';
import { DOCS_PATH, OPENAPI_JSON_PATH } from '../openapi/paths/docs.js';
import type { ApiDocumentSettings } from '../openapi/settings.js';

/** What the page loads; anything else of swagger-ui-dist (its petstore index.html, say) is not ours to serve. */
const PAGE_ASSETS = new Set(['/swagger-ui.css', '/swagger-ui-bundle.js', '/swagger-ui-standalone-preset.js', '/swagger-ui-init.js', '/favicon-16x16.png', '/favicon-32x32.png']);

const UI_OPTIONS: swaggerUi.SwaggerUiOptions = {
  customSiteTitle: 'Tickwire API',
  swaggerUrl: OPENAPI_JSON_PATH,
  // No badge from the online validator: a third-party image the page's CSP refuses anyway.
  swaggerOptions: { validatorUrl: null, displayRequestDuration: true },
};

export function docsRoutes(settings: ApiDocumentSettings): Router {
  const document = JSON.stringify(buildApiDocument(settings));
  const router = Router();

  router.get(OPENAPI_JSON_PATH, (_req, res) => {
    // Revalidated through the ETag, so a deploy with new routes shows at once.
    res.set('Cache-Control', 'no-cache').type('json').send(document);
  });

  const page = swaggerUi.setup(null, UI_OPTIONS);
  router.get(DOCS_PATH, (req, res, next) => {
    const [path, query] = req.originalUrl.split(/\?(.*)/s);
    // The page loads its assets relative to itself, so it must be served from `/api/docs/`.
    if (!path?.endsWith('/')) return res.redirect(301, `docs/${query ? `?${query}` : ''}`);
    return page(req, res, next);
  });

  const onlyPageAssets: RequestHandler = (req, _res, next) => next(PAGE_ASSETS.has(req.path) ? undefined : 'router');
  router.use(DOCS_PATH, onlyPageAssets, swaggerUi.serveFiles(undefined, UI_OPTIONS));

  return router;
}
