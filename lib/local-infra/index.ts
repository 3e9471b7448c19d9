// Starts whatever infrastructure the configuration leaves to us: an embedded PostgreSQL when no
// DATABASE_URL is set, a local redis-server when no REDIS_URL is set. Stops them in reverse.
import path from 'node:path';
import { LOCAL_POSTGRES, type Config } from '../../config/index.js';
import type { Logger } from '../platform/logger.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { startLocalRedis } from './local-redis.js';

export { startEmbeddedPostgres } from './embedded-postgres.js';
export { startLocalRedis, pingRedis } from './local-redis.js';
export { MissingRedisError } from './redis-server-binary.js';

export interface LocalInfra {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  stop(): Promise<void>;
}

export async function startLocalInfra(config: Config, logger: Logger): Promise<LocalInfra> {
  const { dataDir, postgresPort, redisPort } = config.localInfra;
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((error: unknown) => logger.error({ err: error }, 'stopping local infrastructure failed'));
  };
  try {
    // Both start at once: the embedded cluster's first run (initdb) is the slow part.
    const [redis, postgres] = await Promise.allSettled([
      config.redis.local ? startLocalRedis({ dataDir: path.join(dataDir, 'redis'), port: redisPort, logger }) : undefined,
      config.database.embedded
        ? startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: postgresPort, logger, ...LOCAL_POSTGRES })
        : undefined,
    ]);
    for (const started of [redis, postgres]) {
      const server = started.status === 'fulfilled' ? started.value : undefined;
      if (server) stops.push(() => server.stop());
    }
    for (const started of [redis, postgres]) if (started.status === 'rejected') throw started.reason;
    return {
      databaseUrl: (postgres.status === 'fulfilled' && postgres.value?.url) || config.database.url,
      redisUrl: (redis.status === 'fulfilled' && redis.value?.url) || config.redis.url,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
