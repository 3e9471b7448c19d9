// Starts whatever infrastructure the configuration leaves to us: an embedded PostgreSQL when no
// DATABASE_URL is set, a local redis-server when no REDIS_URL is set. While they run, one that
// dies is started again (keep-alive.ts); stop() ends both within its timeout, whatever happened.
import path from 'node:path';
import type { Config } from '../../config/index.js';
import type { Logger } from '../platform/logger.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { startLocalRedis } from './local-redis.js';
import { keepAlive } from './keep-alive.js';

export type LocalInfra = Awaited<ReturnType<typeof startLocalInfra>>;

export async function startLocalInfra(config: Config, logger: Logger) {
  const { dataDir, postgresPort, redisPort } = config.localInfra;
  // Both start at once: the embedded cluster's first run (initdb) is the slow part.
  const [redisStart, postgresStart] = await Promise.allSettled([
    config.redis.local ? startLocalRedis({ dataDir: path.join(dataDir, 'redis'), port: redisPort, logger }) : undefined,
    config.database.embedded ? startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: postgresPort, logger }) : undefined,
  ]);
  const redis = redisStart.status === 'fulfilled' ? redisStart.value : undefined;
  const postgres = postgresStart.status === 'fulfilled' ? postgresStart.value : undefined;
  const servers = [redis, postgres].filter((server) => server !== undefined);
  const watch = keepAlive(servers, logger);

  /** Stops both servers at once; each is SIGKILLed if it has not stopped within `timeoutMs`. */
  const stop = async (timeoutMs = 10_000): Promise<void> => {
    watch.stop();
    await Promise.all(
      servers.map((server) => server.stop(timeoutMs).catch((error: unknown) => logger.error({ err: error }, 'stopping local infrastructure failed'))),
    );
  };
  for (const started of [redisStart, postgresStart]) {
    if (started.status === 'rejected') {
      await stop();
      throw started.reason;
    }
  }
  return {
    databaseUrl: postgres?.url ?? config.database.url,
    redisUrl: redis?.url ?? config.redis.url,
    stop,
  };
}
