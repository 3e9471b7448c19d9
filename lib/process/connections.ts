// The connections every process kind opens alike: the ORM (built; it connects on first use), the
// BullMQ and cache clients, the keys and the queue settings. Each process closes them in its shutdown.
import type { Config } from '../../config/index.js';
import { initOrm } from '../db/orm.js';
import type { Logger } from '../platform/logger.js';
import { closeClients, createBullConnection, createCacheClient } from '../redis/connections.js';
import { redisKeys } from '../redis/keys.js';

export async function openConnections(config: Config, logger: Logger, poolMax?: number) {
  const orm = await initOrm({ ...config.database, poolMax }, logger);
  const bull = createBullConnection(config.redis.url, logger);
  const cache = createCacheClient(config.redis.url, logger);
  const keys = redisKeys(config.redis.prefix);
  const queueSettings = { connection: bull, prefix: config.redis.prefix, logger };
  return { orm, bull, cache, keys, queueSettings, closeRedis: () => closeClients([bull, cache]) };
}
