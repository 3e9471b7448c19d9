import type { z } from 'zod';
import { HttpError } from './http-error.js';

/** Parses a request part against a schema, or throws 400 VALIDATION_FAILED listing each problem. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  throw new HttpError(400, 'VALIDATION_FAILED', 'The request is not valid', details);
}
