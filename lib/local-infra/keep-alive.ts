// Restarts a local server (Redis, PostgreSQL) that died while `npm start` runs, as a process
// manager would. It looks every second; a server must be gone on two looks in a row, so an
// operator's own restart (pg_ctl restart) has the moment it needs to bring it back itself.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../platform/logger.js';
import { nextRestart } from './restart-policy.js';

const CHECK_MS = 1000;

export function keepAlive(
  servers: readonly { readonly name: string; running(): boolean | Promise<boolean>; restart(): Promise<void> }[],
  logger: Logger,
): { stop(): void } {
  const stopped = new AbortController();
  // Once stopped, a pending wait is cancelled and a new one rejects at once, so no work runs.
  const later = (ms: number, work: () => Promise<void>) =>
    void sleep(ms, undefined, { ref: false, signal: stopped.signal }).then(work, () => undefined);

  for (const server of servers) {
    let missedLooks = 0;
    let failures = 0;
    let upSince = Date.now();
    const look = async (): Promise<void> => {
      const up = await Promise.resolve(server.running()).catch(() => false);
      missedLooks = up ? 0 : missedLooks + 1;
      if (missedLooks < 2) return later(CHECK_MS, look);
      const { delayMs, failures: inARow } = nextRestart(failures, Date.now() - upSince);
      failures = inARow;
      logger.warn({ server: server.name, restartInMs: delayMs, failuresInARow: failures }, `local ${server.name} is not running; restarting it in ${delayMs} ms`);
      later(delayMs, async () => {
        try {
          await server.restart();
          logger.info({ server: server.name }, `local ${server.name} restarted`);
          upSince = Date.now();
          missedLooks = 0;
        } catch (error) {
          logger.error({ server: server.name, err: error instanceof Error ? error.message : String(error) }, `local ${server.name} did not restart; trying again`);
        }
        later(CHECK_MS, look);
      });
    };
    later(CHECK_MS, look);
  }

  return { stop: () => stopped.abort() };
}
