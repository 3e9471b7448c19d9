// The compiled web process as a real child process on the test run's shared PostgreSQL and Redis,
// started on a free port and waited for, as end-to-end tests need it.
import { sharedUrls } from './infra.js';
import { freePort, startProcess, type RunningProcess } from './processes.js';

export interface WebProcess extends RunningProcess {
  readonly port: number;
  readonly url: string;
}

export async function startWebProcess(databaseUrl: string, redisPrefix: string, extra: Record<string, string> = {}): Promise<WebProcess> {
  const port = await freePort();
  const web = startProcess('dist/apps/web/main.js', {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    REDIS_URL: sharedUrls().redisUrl,
    REDIS_PREFIX: redisPrefix,
    ...extra,
  });
  await web.waitForOutput(/"msg":"web ready"/);
  return Object.assign(web, { port, url: `http://127.0.0.1:${port}` });
}
