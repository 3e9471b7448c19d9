// Deletes a key only while it still holds the value the caller knows, in one step: a lock that
// expired and was taken by another process, or a value another process replaced, is left alone.
import type { Redis } from 'ioredis';

const DELETE_IF_SAME = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export async function deleteIfSame(redis: Redis, key: string, value: string): Promise<void> {
  await redis.eval(DELETE_IF_SAME, 1, key, value);
}
