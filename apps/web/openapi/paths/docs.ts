// The description itself: /api/openapi.json and the interactive page at /api/docs.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

export const OPENAPI_JSON_PATH = '/api/openapi.json';
export const DOCS_PATH = '/api/docs';

const TAG = 'Documentation';

export function registerDocsPaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: OPENAPI_JSON_PATH,
    operationId: 'openApiDocument',
    tags: [TAG],
    summary: 'This description (OpenAPI 3.1)',
    description: 'Generated at start from the schemas that validate the requests; revalidate with the ETag.',
    responses: { 200: { description: 'The OpenAPI document.', content: { 'application/json': { schema: { type: 'object' } } } } },
  });

  registry.registerPath({
    method: 'get',
    path: DOCS_PATH,
    operationId: 'apiDocsPage',
    tags: [TAG],
    summary: 'Interactive documentation (Swagger UI)',
    description: `Served at \`${DOCS_PATH}/\` (this path redirects there), with its assets, from this server.`,
    responses: {
      200: { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } },
      301: { description: 'Redirect to the path with a trailing slash.' },
    },
  });
}
