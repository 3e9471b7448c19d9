// `npm start`: brings the whole system up on one machine. Starts the local PostgreSQL and Redis
// the configuration leaves to us, runs the Procfile's release step (migrations, demo user), then
// web, worker and scheduler with each line prefixed by its name. Ctrl-C stops them all, then
// the databases.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { concurrently } from 'concurrently';
import { childEnvironment, loadConfig } from '../../config/index.js';
import { createLogger, redactUrl } from '../../lib/platform/logger.js';
import { parseProcfile, type ProcfileEntry } from '../../lib/local-infra/procfile.js';
import type { InfraHostMessage } from './infra-messages.js';

const config = loadConfig();
const logger = createLogger(config, 'launcher');
const COLORS = ['cyan', 'magenta', 'yellow', 'green', 'blue'];

let infraHost: ChildProcess | undefined;
let stopRequested = false;

function startInfraHost(): Promise<{ databaseUrl: string; redisUrl: string }> {
  const host = fork(fileURLToPath(new URL('./infra-host.js', import.meta.url)), [], {
    detached: true, // its own process group: the terminal's Ctrl-C does not reach the databases
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  infraHost = host;
  return new Promise((resolve, reject) => {
    host.once('message', (message: InfraHostMessage) => {
      if (message.type === 'ready') resolve(message);
      else reject(new Error(message.message));
    });
    host.once('exit', (code) => reject(new Error(`local infrastructure exited (code ${code}) before it was ready`)));
  });
}

async function stopInfraHost(): Promise<void> {
  const host = infraHost;
  if (!host || host.exitCode !== null || host.signalCode !== null) return;
  const exited = new Promise((resolve) => host.once('exit', resolve));
  if (host.connected) host.send({ type: 'stop' });
  else host.kill('SIGTERM');
  await exited;
}

function runOnce(entry: ProcfileEntry, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(entry.command, { shell: true, stdio: 'inherit', env });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

async function finish(code: number): Promise<never> {
  await stopInfraHost();
  process.exit(code);
}

// Before the processes run, a signal just stops what has been started; afterwards concurrently
// forwards it to every process and we wait for them before stopping the databases.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    stopRequested = true;
  });
}

try {
  const entries = parseProcfile(await readFile('Procfile', 'utf8'));
  let env: NodeJS.ProcessEnv = childEnvironment(config);
  if (config.database.embedded || config.redis.local) {
    const urls = await startInfraHost();
    env = { ...env, DATABASE_URL: urls.databaseUrl, REDIS_URL: urls.redisUrl };
  }
  logger.info({ database: redactUrl(env.DATABASE_URL ?? ''), redis: redactUrl(env.REDIS_URL ?? '') }, 'infrastructure ready');
  if (stopRequested) await finish(0);

  const release = entries.find((entry) => entry.name === 'release');
  if (release && (await runOnce(release, env)) !== 0) {
    logger.error('release step failed; not starting the processes');
    await finish(1);
  }
  if (stopRequested) await finish(0);

  const processes = entries.filter((entry) => entry.name !== 'release');
  const { result } = concurrently(
    processes.map((entry, index) => ({ name: entry.name, command: entry.command, env, prefixColor: COLORS[index % COLORS.length]! })),
    { prefix: 'name', padPrefix: true, killOthersOn: ['failure'], handleInput: false, killTimeout: config.shutdown.timeoutMs + 2000 },
  );
  logger.info({ processes: processes.map((entry) => entry.name), url: `http://localhost:${config.http.port}` }, 'processes started; Ctrl-C stops everything');
  const failed = await result.then(() => false, () => true);
  await finish(failed && !stopRequested ? 1 : 0);
} catch (error) {
  logger.fatal({ err: error instanceof Error ? error.message : error }, 'could not start Tickwire');
  await finish(1);
}
