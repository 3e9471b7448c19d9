// What the workers last learned about the provider, kept in Redis so every web process's health
// report can say whether quotes are flowing, paused by a rate limit, or failing.
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.js';

export type UpstreamState = 'ok' | 'rate_limited' | 'failing' | 'unknown';

export interface UpstreamStatus {
  readonly provider: string;
  readonly state: UpstreamState;
  /** When the state last changed. */
  readonly since: string | null;
  readonly lastSuccessAt: string | null;
  readonly lastError: string | null;
}

/** Kept a day: a status nobody refreshed for that long says nothing about the upstream now. */
const STATUS_TTL_SECONDS = 24 * 3600;

export interface UpstreamStatusBoard {
  record(state: Exclude<UpstreamState, 'unknown'>, error?: string): Promise<void>;
  read(): Promise<UpstreamStatus>;
}

export function upstreamStatusBoard(redis: Redis, keys: RedisKeys, provider: string): UpstreamStatusBoard {
  let lastState: UpstreamState = 'unknown';
  return {
    async record(state, error) {
      const now = new Date().toISOString();
      const fields: Record<string, string> = { provider, state };
      if (state !== lastState) fields.since = now;
      if (state === 'ok') fields.lastSuccessAt = now;
      if (error) fields.lastError = error.slice(0, 300);
      lastState = state;
      await redis.multi().hset(keys.upstreamState, fields).expire(keys.upstreamState, STATUS_TTL_SECONDS).exec();
    },
    async read() {
      const stored = await redis.hgetall(keys.upstreamState);
      const state = (['ok', 'rate_limited', 'failing'] as const).find((known) => known === stored.state) ?? 'unknown';
      return { provider, state, since: stored.since ?? null, lastSuccessAt: stored.lastSuccessAt ?? null, lastError: stored.lastError ?? null };
    },
  };
}
