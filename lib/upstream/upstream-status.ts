// What the workers last learned about the provider, kept in Redis so every web process's health
// report can say whether quotes are flowing, paused by a rate limit, or failing.
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.js';

export type UpstreamState = 'ok' | 'rate_limited' | 'failing' | 'unknown';

/** Kept a day: a status nobody refreshed for that long says nothing about the upstream now. */
const STATUS_TTL_SECONDS = 24 * 3600;

// KEYS[1]: the status hash. ARGV: state, now (ISO), TTL seconds, then field/value pairs to set.
// `since` moves only when the state Redis holds changes, whichever process saw it before: no
// process keeps its own idea of the last state.
const RECORD_SCRIPT = `
if redis.call('HGET', KEYS[1], 'state') ~= ARGV[1] then redis.call('HSET', KEYS[1], 'since', ARGV[2]) end
redis.call('HSET', KEYS[1], 'state', ARGV[1], unpack(ARGV, 4))
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
`;

type RecordCommand = (keyCount: number, ...args: string[]) => Promise<number>;

export function upstreamStatusBoard(redis: Redis, keys: RedisKeys, provider: string) {
  redis.defineCommand('tickwireUpstreamStatus', { lua: RECORD_SCRIPT });
  const recordCommand = (redis as unknown as { tickwireUpstreamStatus: RecordCommand }).tickwireUpstreamStatus;
  return {
    async record(state: Exclude<UpstreamState, 'unknown'>, error?: string): Promise<void> {
      const now = new Date().toISOString();
      const fields: string[] = ['provider', provider];
      if (state === 'ok') fields.push('lastSuccessAt', now);
      if (error) fields.push('lastError', error.slice(0, 300));
      await recordCommand.call(redis, 1, keys.upstreamState, state, now, String(STATUS_TTL_SECONDS), ...fields);
    },
    async read() {
      const stored = await redis.hgetall(keys.upstreamState);
      const recorded = (['ok', 'rate_limited', 'failing'] as const).find((known) => known === stored.state);
      const state: UpstreamState = recorded ?? 'unknown';
      return { provider, state, since: stored.since ?? null, lastSuccessAt: stored.lastSuccessAt ?? null, lastError: stored.lastError ?? null };
    },
  };
}

export type UpstreamStatusBoard = ReturnType<typeof upstreamStatusBoard>;
export type UpstreamStatus = Awaited<ReturnType<UpstreamStatusBoard['read']>>;
