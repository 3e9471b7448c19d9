// A Yahoo session (cookie + crumb) and where it is kept: Redis, shared by every process, so a
// restart or a second worker reuses it instead of redoing the crumb flow.
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../../platform/logger.js';
import { deleteIfSame } from '../../redis/compare-and-delete.js';

/** `cookie`: the Cookie header value to send (e.g. `A3=d=AQAB...`); `createdAt`: ISO time the crumb flow produced it, for logs. */
const storedSession = z.object({ cookie: z.string().min(1), crumb: z.string().min(1), createdAt: z.string().catch('') });
export type YahooSession = Readonly<z.infer<typeof storedSession>>;

export interface YahooSessionStore {
  load(): Promise<YahooSession | undefined>;
  save(session: YahooSession): Promise<void>;
  /** Forgets `session`, unless the store already holds a newer one (another process's fresh flow). */
  discard(session: YahooSession): Promise<void>;
}

/** How long a stored session is trusted before a new crumb flow: Yahoo's cookies outlive this. */
const YAHOO_SESSION_TTL_MS = 24 * 60 * 60 * 1000;

export function parseSession(value: string | null): YahooSession | undefined {
  if (!value) return undefined;
  try {
    return storedSession.safeParse(JSON.parse(value)).data;
  } catch {
    return undefined;
  }
}

export const serializeSession = (session: YahooSession): string =>
  JSON.stringify({ cookie: session.cookie, crumb: session.crumb, createdAt: session.createdAt });

/**
 * Redis-backed store. Redis being away is not fatal for quotes: loading then finds nothing and
 * saving is skipped (each logged), and the process works with the session it holds in memory.
 */
export function redisSessionStore(redis: Redis, key: string, logger: Logger): YahooSessionStore {
  const warn = (what: string) => (error: unknown) => void logger.warn({ err: (error as Error).message }, what);
  return {
    load: () => redis.get(key).then(parseSession, warn('could not load the yahoo session from redis; doing a fresh crumb flow')),
    save: (session) =>
      redis.set(key, serializeSession(session), 'PX', YAHOO_SESSION_TTL_MS).then(() => undefined, warn('could not save the yahoo session to redis; other processes will redo the crumb flow')),
    discard: (session) => deleteIfSame(redis, key, serializeSession(session)).then(() => undefined, warn('could not discard the yahoo session in redis')),
  };
}
