// The error answers an operation documents: each code of API.md with its status, when it happens,
// an example body and the headers that come with it, grouped by status into OpenAPI responses.
import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { errorBody } from '../schemas/responses/error.js';

const HEADERS = {
  'Retry-After': { description: 'Seconds to wait before trying again (on 503 UPSTREAM_UNAVAILABLE only when the pause is known).', schema: { type: 'integer' as const } },
  'WWW-Authenticate': { description: '`Bearer`', schema: { type: 'string' as const } },
};

interface ErrorSpec {
  readonly status: number;
  readonly when: string;
  readonly example: string;
  readonly headers?: readonly (keyof typeof HEADERS)[];
}

export const ERRORS = {
  VALIDATION_FAILED: { status: 400, when: 'the request does not match its schema; `details` lists each problem', example: 'The request is not valid' },
  INVALID_JSON: { status: 400, when: 'the body is not valid JSON', example: 'The request body is not valid JSON' },
  AUTH_REQUIRED: { status: 401, when: 'no bearer token', example: 'A bearer token is required', headers: ['WWW-Authenticate'] },
  TOKEN_INVALID: { status: 401, when: "the token is malformed, forged, for another issuer or audience, or its user no longer exists", example: 'The token is not valid', headers: ['WWW-Authenticate'] },
  TOKEN_EXPIRED: { status: 401, when: 'the token has expired: log in again', example: 'The token has expired', headers: ['WWW-Authenticate'] },
  INVALID_CREDENTIALS: { status: 401, when: 'unknown account or wrong password (one answer for both)', example: 'Invalid credentials' },
  NOT_FOUND: { status: 404, when: 'nothing there', example: 'Not found' },
  SYMBOL_NOT_FOUND: { status: 404, when: 'the market-data provider does not know the symbol (remembered for an hour)', example: 'No symbol XYZQ is known to the market-data provider' },
  EMAIL_TAKEN: { status: 409, when: 'an account already uses this email', example: 'An account with this email already exists' },
  USERNAME_TAKEN: { status: 409, when: 'an account already uses this username', example: 'This username is taken' },
  WATCHLIST_FULL: { status: 409, when: 'the watchlist would pass its size limit; nothing is added', example: 'A watchlist holds at most 50 symbols' },
  PAYLOAD_TOO_LARGE: { status: 413, when: 'the JSON body is larger than the limit', example: 'The request body is larger than 65536 bytes' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, when: 'the body is not UTF-8', example: 'The request body must be UTF-8 JSON' },
  RATE_LIMITED: { status: 429, when: 'too many requests', example: 'Too many attempts; try again later', headers: ['Retry-After'] },
  INTERNAL: { status: 500, when: 'an unexpected failure (logged; no stack trace or SQL in the body)', example: 'Something went wrong on our side' },
  UPSTREAM_UNAVAILABLE: {
    status: 503,
    when: 'the market-data provider fails or rate-limits and no earlier answer is known',
    example: 'The market-data provider is not answering and no earlier answer is available; try again later',
    headers: ['Retry-After'],
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    when: 'PostgreSQL or Redis is unreachable; try again shortly',
    example: 'A service Tickwire depends on is unavailable; try again shortly',
    headers: ['Retry-After'],
  },
} as const satisfies Record<string, ErrorSpec>;

type ErrorCode = keyof typeof ERRORS;

/** A code, or a code with what it means on this operation. */
export type ErrorUse = ErrorCode | readonly [ErrorCode, string];

/** One response per status, listing its codes, with an example body per code. */
export function errorResponses(...uses: readonly ErrorUse[]): Record<string, ResponseConfig> {
  const byStatus = new Map<number, { code: ErrorCode; when: string }[]>();
  for (const use of uses) {
    const [code, when] = typeof use === 'string' ? [use, ERRORS[use].when] : use;
    byStatus.set(ERRORS[code].status, [...(byStatus.get(ERRORS[code].status) ?? []), { code, when }]);
  }
  const responses: Record<string, ResponseConfig> = {};
  // Integer keys enumerate in ascending order: the responses come out sorted by status.
  for (const [status, entries] of byStatus) {
    const headerNames = new Set(entries.flatMap(({ code }) => (ERRORS[code] as ErrorSpec).headers ?? []));
    responses[String(status)] = {
      description: entries.map(({ code, when }) => `\`${code}\`: ${when}.`).join(' '),
      ...(headerNames.size ? { headers: Object.fromEntries([...headerNames].map((name) => [name, HEADERS[name]])) } : {}),
      content: {
        'application/json': {
          schema: errorBody,
          examples: Object.fromEntries(
            entries.map(({ code }) => [code, { value: { error: ERRORS[code].example, code, ...(code === 'VALIDATION_FAILED' ? { details: [{ path: 'tickers.0', message: 'ticker is empty' }] } : {}) } }]),
          ),
        },
      },
    };
  }
  return responses;
}
