// Hosts the local PostgreSQL and Redis for the launcher, in a process group of its own: a
// Ctrl-C in the terminal reaches web, worker and scheduler, not the databases they are still
// using while they shut down. The launcher says "stop" once they are gone; if the launcher
// dies instead, the IPC channel closes and this host stops the servers anyway.
import { loadConfig } from '../../config/index.js';
import { createLogger } from '../../lib/platform/logger.js';
import { startLocalInfra, type LocalInfra } from '../../lib/local-infra/index.js';
import type { InfraHostMessage, LauncherMessage } from './infra-messages.js';

const config = loadConfig();
const logger = createLogger(config, 'infra');
const send = (message: InfraHostMessage) => process.send?.(message);

let infra: LocalInfra | undefined;
let stopping = false;
/** Stops both servers by `deadline` (Date.now() ms), SIGKILLing what is still running then. */
const stop = async (reason: string, deadline = Date.now() + config.shutdown.timeoutMs) => {
  if (stopping) return;
  stopping = true;
  logger.info({ reason }, 'stopping local PostgreSQL and Redis');
  // A little before the deadline, so SIGKILL has landed by the time the launcher gives up.
  await infra?.stop(Math.max(100, deadline - Date.now() - 500));
  process.exit(0);
};

process.on('message', (message: LauncherMessage) => {
  if (message?.type === 'stop') void stop('launcher finished', message.deadline);
});
process.on('disconnect', () => void stop('launcher went away'));
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

try {
  infra = await startLocalInfra(config, logger);
  send({ type: 'ready', databaseUrl: infra.databaseUrl, redisUrl: infra.redisUrl });
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
