// API.md's one error body, `{ error, code, details? }`, as the error middleware renders it.
import { z } from 'zod';
import type { HttpError } from '../../http-error.js';

export const errorDetail = z.object({
  path: z.string().meta({ description: 'Where the problem is, dotted (`tickers.0`).', example: 'tickers.0' }),
  message: z.string().meta({ example: 'ticker is empty' }),
});

export const errorBody = z
  .object({
    error: z.string().meta({ description: 'Human-readable message.', example: 'The request is not valid' }),
    code: z.string().meta({ description: 'Machine code, stable across versions (VALIDATION_FAILED, TOKEN_EXPIRED, ...).', example: 'VALIDATION_FAILED' }),
    details: z.array(errorDetail).optional().meta({ description: 'Present on validation errors: one entry per problem.' }),
  })
  .meta({ id: 'Error', description: 'Every 4xx and 5xx answer. 500 INTERNAL never carries a stack trace or SQL.' }) satisfies z.ZodType<ReturnType<HttpError['toBody']>>;
