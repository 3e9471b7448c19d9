// The description itself: /api/openapi.json and the interactive page at /api/docs.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { json, operationsOf } from '../settings.js';

export const OPENAPI_JSON_PATH = '/api/openapi.json';
export const DOCS_PATH = '/api/docs';

export function registerDocsPaths(registry: OpenAPIRegistry): void {
  const operation = operationsOf(registry, 'Documentation');

  operation({
    method: 'get',
    path: OPENAPI_JSON_PATH,
    operationId: 'openApiDocument',
    summary: 'This description (OpenAPI 3.1)',
    description: 'Generated at start from the schemas that validate the requests; revalidate with the ETag.',
    responses: { 200: json('The OpenAPI document.', { type: 'object' }) },
  });

  operation({
    method: 'get',
    path: DOCS_PATH,
    operationId: 'apiDocsPage',
    summary: 'Interactive documentation (Swagger UI)',
    description: `Served at \`${DOCS_PATH}/\` (this path redirects there), with its assets, from this server.`,
    responses: {
      200: { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } },
      301: { description: 'Redirect to the path with a trailing slash.' },
    },
  });
}
