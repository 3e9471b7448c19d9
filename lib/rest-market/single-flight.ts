// One fetch per key at a time, across every web process: callers in this process share one
// promise, and among processes a short Redis lock (SET NX PX) elects the one that fetches. The
// others wait, polling briefly, for the winner's result to appear in the cache; when the lock goes
// away without one (the winner failed) they stop waiting and the caller falls back.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Logger } from '../platform/logger.js';
import { deleteIfSame } from '../redis/compare-and-delete.js';
import type { RedisKeys } from '../redis/keys.js';
import { newInstanceId } from '../redis/presence.js';

/** The process that held the lock finished (or died) without leaving a usable result. */
export class FlightAbandonedError extends Error {
  override readonly name = 'FlightAbandonedError';
  constructor(key: string) {
    super(`another process fetching ${key} gave up without a result`);
  }
}

export interface Flight<T> {
  /** Fetches, stores in the cache and returns the value; runs in the process holding the lock. */
  readonly lead: () => Promise<T>;
  /** Reads what the leader stored: the value once it is there, undefined while it is not. May throw (e.g. unknown symbol). */
  readonly follow: () => Promise<T | undefined>;
}

export type SingleFlight = ReturnType<typeof createSingleFlight>;

/** How often a waiting process looks for the result. */
const POLL_MS = 25;

/** `lockMs`: how long the lock lives: longer than the slowest fetch, short enough if its holder dies. */
export function createSingleFlight(redis: Redis, keys: RedisKeys, { lockMs, logger }: { lockMs: number; logger: Logger }) {
  const flights = new Map<string, Promise<unknown>>();
  // The value of its locks: one for all suffices, as it never runs two flights of one key at once.
  const owner = newInstanceId();

  async function tryLock(lockKey: string): Promise<boolean> {
    try {
      return (await redis.set(lockKey, owner, 'PX', lockMs, 'NX')) === 'OK';
    } catch (error) {
      // Without Redis there is no one to coordinate with: this process fetches (one flight per process still holds).
      logger.debug({ err: (error as Error).message, lockKey }, 'fetch lock unavailable; fetching without it');
      return true;
    }
  }

  async function waitForLeader<T>(key: string, lockKey: string, follow: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + lockMs;
    let leaderDone = false;
    for (;;) {
      const value = await follow();
      if (value !== undefined) return value;
      // Once the leader is done, its result was there at the last look, or it is not coming.
      if (leaderDone || Date.now() >= deadline) throw new FlightAbandonedError(key);
      leaderDone = !(await redis.exists(lockKey));
      if (!leaderDone) await sleep(POLL_MS);
    }
  }

  async function fly<T>(key: string, { lead, follow }: Flight<T>): Promise<T> {
    const lockKey = keys.fetchLock(key);
    if (!(await tryLock(lockKey))) return waitForLeader(key, lockKey, follow);
    try {
      return await lead();
    } finally {
      // Only if still ours: it may have expired and been taken by another process.
      await deleteIfSame(redis, lockKey, owner).catch(() => undefined);
    }
  }

  return {
    run<T>(key: string, flight: Flight<T>): Promise<T> {
      const current = flights.get(key);
      if (current) return current as Promise<T>;
      const started = fly(key, flight).finally(() => flights.delete(key));
      flights.set(key, started);
      return started;
    },
  };
}
