// The scheduler process: owns the repeating tick that turns demand into fetch jobs. The tick
// itself arrives with the quote pipeline; here it opens its queues and the database.
import { loadConfig } from '../../config/index.js';
import { runProcess } from '../../lib/platform/run-process.js';
import { initOrm } from '../../lib/db/orm.js';
import { closeClients, createBullConnection } from '../../lib/redis/connections.js';
import { createProbeSet, watchDependencies } from '../../lib/platform/health.js';
import { databaseProbe, redisProbe } from '../../lib/platform/probes.js';
import { openQueue } from '../../lib/queues/queues.js';
import { QUEUE_NAMES } from '../../lib/queues/names.js';

await runProcess('scheduler', loadConfig(), async ({ config, logger, shutdown }) => {
  const orm = await initOrm({ url: config.database.url, poolMax: 2 }, logger);
  const bull = createBullConnection(config.redis.url, logger);
  const settings = { connection: bull, prefix: config.redis.prefix };
  const scheduleQueue = openQueue(QUEUE_NAMES.schedule, settings);
  const quotesQueue = openQueue(QUEUE_NAMES.quotes, settings);
  const probes = createProbeSet([databaseProbe(orm), redisProbe(bull)], logger, config.health.timeoutMs);
  const stopWatching = watchDependencies(probes, 5000);

  shutdown.add('dependency watch', stopWatching);
  shutdown.add('queues', () => Promise.all([scheduleQueue.close(), quotesQueue.close()]));
  shutdown.add('redis', () => closeClients([bull]));
  shutdown.add('database', () => orm.close());
  return { queues: [scheduleQueue.name, quotesQueue.name], fetchIntervalMs: config.quotes.fetchIntervalMs };
});
