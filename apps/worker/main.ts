// The worker process: consumes the quotes queue. Its fetch processors arrive with the quote
// pipeline; here it opens the queue and keeps its Redis connection watched.
import { loadConfig } from '../../config/index.js';
import { runProcess } from '../../lib/platform/run-process.js';
import { closeClients, createBullConnection } from '../../lib/redis/connections.js';
import { createProbeSet, watchDependencies } from '../../lib/platform/health.js';
import { redisProbe } from '../../lib/platform/probes.js';
import { openQueue } from '../../lib/queues/queues.js';
import { QUEUE_NAMES } from '../../lib/queues/names.js';

await runProcess('worker', loadConfig(), async ({ config, logger, shutdown }) => {
  const bull = createBullConnection(config.redis.url, logger);
  const quotesQueue = openQueue(QUEUE_NAMES.quotes, { connection: bull, prefix: config.redis.prefix });
  const stopWatching = watchDependencies(createProbeSet([redisProbe(bull)], logger, config.health.timeoutMs), 5000);

  shutdown.add('dependency watch', stopWatching);
  shutdown.add('queues', () => quotesQueue.close());
  shutdown.add('redis', () => closeClients([bull]));
  return { queues: [quotesQueue.name] };
});
