// Recognises every way PostgreSQL can be unavailable (as opposed to a query that is wrong), so
// each transport answers "try again shortly" (503) instead of a 500. The driver stack (pg, knex's
// pool, MikroORM's exception converter) reports these in different shapes: a Node socket code, a
// PostgreSQL SQLSTATE, a knex timeout, or only a message, sometimes wrapped in another error.
import { ConnectionException } from '@mikro-orm/core';

/** Node socket codes and SQLSTATEs of classes 08 (connection), 53300 (too many clients), 57P0x (shutdown). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
  '08000', '08001', '08003', '08004', '08006', '53300', '57P01', '57P02', '57P03',
]);

/** What pg and knex say when they carry no code: connect or read timeouts, a dropped connection, a full pool. */
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout expired/i,
  /connection timeout/i,
  /query read timeout/i,
  /timeout acquiring a connection/i,
  /not queryable/i,
  /too many clients/i,
  /the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i,
  /terminating connection due to administrator command/i,
  /cannot connect now/i,
];

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  if (error instanceof ConnectionException) return true;
  const { name, code, message, cause, previous } = error as Record<string, unknown>;
  if (name === 'KnexTimeoutError' || name === 'TimeoutError') return true;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
  return isDatabaseUnavailable(cause, depth + 1) || isDatabaseUnavailable(previous, depth + 1);
}
