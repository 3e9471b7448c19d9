import { createServer } from 'node:http';
import { loadConfig } from '../../config/index.js';
import { runProcess } from '../../lib/platform/run-process.js';
import { firstConnection } from '../../lib/redis/connections.js';
import { createWebContext } from './context.js';
import { createApp } from './app.js';

await runProcess('web', loadConfig(), async ({ config, logger, shutdown }) => {
  const context = await createWebContext(config, logger);
  const app = createApp({ config, logger, context, isStopping: () => shutdown.started });
  const server = createServer(app);

  // Stop taking requests first, then release the connections the requests used.
  shutdown.add('http server', () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  }));
  shutdown.add('connections', () => context.close());

  if (!(await firstConnection(context.cache, 5000))) logger.warn('starting without Redis; health reports it until it is reachable');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => resolve());
  });
  return { port: config.http.port, host: config.http.host };
});
