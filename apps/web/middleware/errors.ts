import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../../lib/platform/logger.js';
import { DomainError } from '../../../lib/platform/domain-error.js';
import { isDatabaseUnavailable } from '../../../lib/db/database-unavailable.js';
import { HttpError } from '../http-error.js';
import { ERRORS } from '../openapi/error-responses.js';

/** Unknown routes under /api answer in the API's error shape, never an HTML page. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'NOT_FOUND', `No route for ${req.method} ${req.originalUrl.split('?')[0]}`));
};

/** Seconds a client is asked to wait while a dependency is away: about one reconnect cycle. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

/** PostgreSQL (or Redis) could not be reached: the request may succeed later, so 503, not 500. */
function isDependencyOutage(error: unknown): boolean {
  const e = error as { name?: string; message?: string } | undefined;
  // ioredis: a command on a client that is offline, or one that waited out commandTimeout.
  return isDatabaseUnavailable(error) || (e?.name === 'Error' && /Stream isn't writeable|Connection is closed|Command timed out/.test(e?.message ?? ''));
}

/** Maps known failures to the API's codes; everything unexpected becomes a bare 500. */
function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof DomainError) {
    const { retryAfterSeconds } = error.meta;
    // The status comes from the documented code table, so the answer and the OpenAPI document agree.
    return new HttpError(ERRORS[error.code].status, error.code, error.message, undefined, typeof retryAfterSeconds === 'number' ? { 'Retry-After': String(retryAfterSeconds) } : {});
  }
  if (isDependencyOutage(error)) {
    return new HttpError(503, 'SERVICE_UNAVAILABLE', 'A service Tickwire depends on is unavailable; try again shortly', undefined, { 'Retry-After': String(DEPENDENCY_RETRY_AFTER_SECONDS) });
  }
  const parserError = error as { type?: string; limit?: number } | undefined;
  switch (parserError?.type) {
    case 'entity.parse.failed':
      return new HttpError(400, 'INVALID_JSON', 'The request body is not valid JSON');
    case 'entity.too.large':
      return new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${parserError.limit ?? 'allowed'} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be UTF-8 JSON');
    case 'request.aborted':
      return new HttpError(400, 'REQUEST_ABORTED', 'The request was aborted');
    default:
      return undefined;
  }
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = toHttpError(error);
    // The details go to the log only: no stack trace or SQL ever reaches a response.
    if (!known) logger.error({ err: error, method: req.method, path: req.path }, 'unhandled request error');
    else if (known.status === 503) logger.warn({ err: error, method: req.method, path: req.path }, 'dependency unavailable');
    const httpError = known ?? new HttpError(500, 'INTERNAL', 'Something went wrong on our side');
    if (res.headersSent) return void res.destroy();
    res.status(httpError.status).set(httpError.headers).json(httpError.toBody());
  };
}
