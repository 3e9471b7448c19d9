import type { z } from 'zod';
import { HttpError } from './http-error.js';
import { tickerParam } from './schemas/tickers.js';

/** Parses a request part against a schema, or throws 400 VALIDATION_FAILED listing each problem. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  throw new HttpError(400, 'VALIDATION_FAILED', 'The request is not valid', details);
}

/** One ticker from a path or a body field, normalised; or 400 VALIDATION_FAILED naming `path`. */
export function requestedSymbol(value: unknown, path: string): string {
  const result = tickerParam.safeParse(String(value ?? ''));
  if (result.success) return result.data;
  throw new HttpError(400, 'VALIDATION_FAILED', 'The symbol is not valid', result.error.issues.map(({ message }) => ({ path, message })));
}
