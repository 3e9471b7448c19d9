import { createServer } from 'node:http';
import { loadConfig } from '../../config/index.js';
import { runProcess } from '../../lib/platform/run-process.js';
import { firstConnection } from '../../lib/redis/connections.js';
import { redisKeys } from '../../lib/redis/keys.js';
import { createProcessMetrics } from '../../lib/metrics/process-metrics.js';
import { createQuoteMetrics } from '../../lib/metrics/quote-metrics.js';
import { createHttpRequestMetrics } from '../../lib/metrics/http-metrics.js';
import { createClusterMetrics } from '../../lib/metrics/cluster-metrics.js';
import { trackConnectedSockets } from '../../lib/metrics/socket-metrics.js';
import { publishMetricsSnapshots } from '../../lib/metrics/snapshot-publisher.js';
import { createWebContext } from './context.js';
import { createApp } from './app.js';
import { attachSocketServer } from './socket/server.js';

await runProcess('web', loadConfig(), async ({ config, logger, shutdown }) => {
  const metrics = createProcessMetrics('web');
  const keys = redisKeys(config.redis.prefix);
  const context = await createWebContext(config, logger, { quoteMetrics: createQuoteMetrics(metrics.registry) });
  const cluster = createClusterMetrics({
    own: metrics,
    redis: context.cache,
    keys,
    queues: [context.quotesQueue, context.scheduleQueue],
    timeoutMs: config.health.timeoutMs,
    logger,
  });
  const app = createApp({ config, logger, context, isStopping: () => shutdown.started, metrics: { http: createHttpRequestMetrics(metrics.registry), cluster } });
  const server = createServer(app);

  const sockets = attachSocketServer(server, { config, logger, tokens: context.tokens, users: context.users, quotes: context.quotes });
  trackConnectedSockets(metrics.registry, () => sockets.io.of('/').sockets.size);
  // Other web processes' /metrics include this one's through Redis.
  const snapshots = publishMetricsSnapshots(context.cache, keys, metrics, { intervalMs: config.metrics.publishIntervalMs, logger });

  // Stop taking connections first; then close the sockets (their connections would keep the HTTP
  // server open) and wait for the requests in flight.
  shutdown.add('http server and sockets', async () => {
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    await sockets.close();
    server.closeIdleConnections();
    await drained;
  });
  shutdown.add('metrics snapshots', () => snapshots.close());
  shutdown.add('connections', () => context.close());

  if (!(await firstConnection(context.cache, 5000))) logger.warn('starting without Redis; health reports it until it is reachable');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // When another web process dies, its thousands of clients arrive here within a second or two;
    // Node's default queue of 511 connections not yet accepted overflows whenever the event loop is
    // busy a fifth of a second, and each dropped SYN costs its client a 1 s retransmit (or 3 s).
    // The kernel caps the backlog at net.core.somaxconn (4096 on current kernels).
    server.listen({ port: config.http.port, host: config.http.host, backlog: 4096 }, () => resolve());
  });
  return { port: config.http.port, host: config.http.host };
});
