// What the API description needs to know about this deployment: its limits, lifetimes and what
// the configured provider can chart, so the documented numbers are the ones the server applies;
// and how an operation is registered (its tag, the Bearer token, the errors every such operation has).
import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { ZodType } from 'zod';
import type { Config } from '../../../config/index.js';
import type { ChartOptions } from '../../../lib/rest-market/chart-options.js';
import { errorResponses, type ErrorUse } from './error-responses.js';

export interface ApiDocumentSettings {
  readonly config: Pick<Config, 'version' | 'auth' | 'authLimits' | 'watchlist' | 'market'>;
  readonly chartOptions: ChartOptions;
}

export const BEARER = 'bearerAuth';

/** The two watchlist APIs' tags: the ticker-list API (counts out) and the item API (quotes out). */
export const WATCHLIST_TICKERS_TAG = 'Watchlist tickers';
export const WATCHLIST_ITEMS_TAG = 'Watchlist items';

export const json = (description: string, schema: ZodType | { type: 'object' }, headers?: ResponseConfig['headers']): ResponseConfig => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema } },
});

interface Operation extends Omit<RouteConfig, 'tags' | 'security'> {
  /** A required JSON body: it brings the errors of reading one. */
  readonly body?: ZodType;
  /** Behind the Bearer token: it brings the token's errors, and the common ones below, `errors` or not. */
  readonly bearer?: true;
  /** The operation's own errors; PostgreSQL's, Redis's and ours (500) come with them. */
  readonly errors?: readonly ErrorUse[];
}

/** Registers the operations of one tag; `defaults.bearer` puts every one of them behind the token. */
export function operationsOf(registry: OpenAPIRegistry, tag: string, defaults: Pick<Operation, 'bearer'> = {}) {
  return ({ body, bearer = defaults.bearer, errors, responses, ...route }: Operation) => {
    const common: ErrorUse[] = [
      ...(body ? (['INVALID_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'] as const) : []),
      ...(bearer ? (['AUTH_REQUIRED', 'TOKEN_INVALID', 'TOKEN_EXPIRED'] as const) : []),
      'SERVICE_UNAVAILABLE',
      'INTERNAL',
    ];
    registry.registerPath({
      ...route,
      tags: [tag],
      ...(bearer ? { security: [{ [BEARER]: [] }] } : {}),
      ...(body ? { request: { ...route.request, body: { required: true, content: { 'application/json': { schema: body } } } } } : {}),
      responses: errors || bearer ? { ...responses, ...errorResponses(...(errors ?? []), ...common) } : responses,
    });
  };
}
