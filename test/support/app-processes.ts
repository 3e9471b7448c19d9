// The compiled Tickwire processes (web, worker, scheduler) as real child processes on the test
// run's shared PostgreSQL and Redis, as end-to-end tests start them: one environment, started and
// waited for until they say they are ready.
import { sharedUrls } from './infra.js';
import { freePort, startProcess, type RunningProcess } from './processes.js';

export type AppName = 'web' | 'worker' | 'scheduler';

/** The environment every app process of a test shares: its database, its Redis prefix, and `extra`. */
export function appEnv(databaseUrl: string, redisPrefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return { NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, REDIS_URL: sharedUrls().redisUrl, REDIS_PREFIX: redisPrefix, ...extra };
}

/** Starts `dist/apps/<app>/main.js` and resolves once it logged that it is ready. */
export async function startApp(app: AppName, env: Record<string, string | undefined>, timeoutMs?: number): Promise<RunningProcess> {
  const child = startProcess(`dist/apps/${app}/main.js`, env);
  try {
    await child.waitForOutput(new RegExp(`"msg":"${app} ready"`), timeoutMs);
  } catch (error) {
    // The caller never gets it to stop, so it is stopped here.
    await child.stop('SIGKILL');
    throw error;
  }
  return child;
}

export interface WebProcess extends RunningProcess {
  readonly port: number;
  readonly url: string;
}

/** The web process alone, on a free port. */
export async function startWebProcess(databaseUrl: string, redisPrefix: string, extra: Record<string, string> = {}): Promise<WebProcess> {
  const port = await freePort();
  const web = await startApp('web', appEnv(databaseUrl, redisPrefix, { PORT: String(port), ...extra }));
  return Object.assign(web, { port, url: `http://127.0.0.1:${port}` });
}
