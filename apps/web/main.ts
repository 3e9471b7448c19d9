import { createServer } from 'node:http';
import { loadConfig } from '../../config/index.js';
import { runProcess } from '../../lib/platform/run-process.js';
import { initOrm } from '../../lib/db/orm.js';
import { closeClients, createBullConnection, createCacheClient, firstConnection } from '../../lib/redis/connections.js';
import { createProbeSet } from '../../lib/platform/health.js';
import { databaseProbe, redisProbe } from '../../lib/platform/probes.js';
import { openQueue } from '../../lib/queues/queues.js';
import { QUEUE_NAMES } from '../../lib/queues/names.js';
import { createHealthReporter } from './health-report.js';
import { createApp } from './app.js';

await runProcess('web', loadConfig(), async ({ config, logger, shutdown }) => {
  const orm = await initOrm({ url: config.database.url }, logger);
  const cache = createCacheClient(config.redis.url, logger);
  const bull = createBullConnection(config.redis.url, logger);
  const quotesQueue = openQueue(QUEUE_NAMES.quotes, { connection: bull, prefix: config.queues.prefix });
  const probes = createProbeSet([databaseProbe(orm), redisProbe(cache)], logger, config.health.timeoutMs);
  const health = createHealthReporter({ config, probes, queue: quotesQueue });

  const app = createApp({ config, logger, health, isStopping: () => shutdown.started });
  const server = createServer(app);

  // Stop taking requests first, then release the connections the requests used.
  shutdown.add('http server', () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  }));
  shutdown.add('queues', () => quotesQueue.close());
  shutdown.add('redis', () => closeClients([cache, bull]));
  shutdown.add('database', () => orm.close());

  if (!(await firstConnection(cache, 5000))) logger.warn('starting without Redis; health reports it until it is reachable');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => resolve());
  });
  return { port: config.http.port, host: config.http.host };
});
