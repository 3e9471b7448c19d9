import { pino, type Logger } from 'pino';
import type { Config } from '../../config/index.js';

export type { Logger } from 'pino';

/** Values that must never reach a log line, wherever they appear in a logged object. */
const SECRET_FIELDS = ['password', 'passwordHash', 'token', 'jwtSecret'];
const REDACT = [...SECRET_FIELDS, ...SECRET_FIELDS.map((field) => `*.${field}`), 'req.headers.authorization', 'req.headers.cookie'];

/** Structured logs: JSON in production and tests, pino-pretty for people in development. */
export function createLogger(config: Pick<Config, 'log'>, name: string): Logger {
  return pino({
    name,
    level: config.log.level,
    redact: { paths: REDACT, censor: '[redacted]' },
    ...(config.log.pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, singleLine: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  });
}

/** A URL fit for a log line: same host and path, no credentials. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '[unparseable url]';
  }
}
