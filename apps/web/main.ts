import { createServer } from 'node:http';
import { loadConfig } from '../../config/index.js';
import { runProcess } from '../../lib/platform/run-process.js';
import { firstConnection } from '../../lib/redis/connections.js';
import { createWebContext } from './context.js';
import { createApp } from './app.js';
import { attachSocketServer } from './socket/server.js';

await runProcess('web', loadConfig(), async ({ config, logger, shutdown }) => {
  const context = await createWebContext(config, logger);
  const app = createApp({ config, logger, context, isStopping: () => shutdown.started });
  const server = createServer(app);

  const sockets = attachSocketServer(server, { config, logger, tokens: context.tokens, orm: context.orm, quotes: context.quotes });

  // Stop taking connections first; then close the sockets (their connections would keep the HTTP
  // server open) and wait for the requests in flight.
  shutdown.add('http server and sockets', async () => {
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    await sockets.close();
    server.closeIdleConnections();
    await drained;
  });
  shutdown.add('connections', () => context.close());

  if (!(await firstConnection(context.cache, 5000))) logger.warn('starting without Redis; health reports it until it is reachable');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => resolve());
  });
  return { port: config.http.port, host: config.http.host };
});
