// `npm start`: brings the whole system up on one machine. Starts the local PostgreSQL and Redis
// the configuration leaves to us, runs the Procfile's release step (migrations, demo user), then
// web (WEB_PROCESSES of them, on PORT, PORT+1, ...), worker and scheduler under the supervisor,
// which restarts one that dies. Ctrl-C stops them all, then the databases, within
// SHUTDOWN_TIMEOUT_MS whatever state they are in.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { childEnvironment, loadConfig } from '../../config/index.js';
import { createLogger, redactUrl } from '../../lib/platform/logger.js';
import { parseProcfile, type ProcfileEntry } from '../../lib/local-infra/procfile.js';
import { stopChild } from '../../lib/local-infra/process-files.js';
import type { InfraHostMessage, LauncherMessage } from './infra-messages.js';
import { superviseCommands, type SupervisedCommand } from './supervisor.js';

const config = loadConfig();
const logger = createLogger(config, 'launcher');

let infraHost: ChildProcess | undefined;
let supervisor: ReturnType<typeof superviseCommands> | undefined;

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

/**
 * The stop budget, SHUTDOWN_TIMEOUT_MS from the signal: the processes get most of it (they bound
 * their own shutdown by the same setting, so normally they are long gone), the databases the rest.
 */
function stopDeadlines(): { processes: number; infra: number } {
  const now = Date.now();
  const total = config.shutdown.timeoutMs;
  const infra = Math.min(4000, Math.floor(total / 2));
  return { processes: now + total - infra, infra: now + total - 250 };
}

/** The command's exit code, 1 when a signal ended it; rejects when it could not be started. */
async function runOnce(entry: ProcfileEntry, env: NodeJS.ProcessEnv): Promise<number> {
  const [code] = (await once(spawn(entry.command, { shell: true, stdio: 'inherit', env }), 'exit')) as [number | null];
  return code ?? 1;
}

/** Stops the databases, then exits. The infrastructure host bounds its own stop (see infra-host.ts); `deadline` is the last resort. */
async function finish(code: number, deadline = stopDeadlines().infra): Promise<never> {
  const host = infraHost;
  if (host) await stopChild(host, deadline, () => (host.connected ? host.send({ type: 'stop', deadline } satisfies LauncherMessage) : host.kill('SIGTERM')));
  process.exit(code);
}

/** Web as many times as WEB_PROCESSES says, each on its own port; release not (it ran before); the other entries once. */
function supervisedCommands(entries: readonly ProcfileEntry[], env: NodeJS.ProcessEnv): SupervisedCommand[] {
  return entries.flatMap((entry) => {
    if (entry.name === 'release') return [];
    if (entry.name !== 'web') return [{ name: entry.name, command: entry.command, env }];
    return Array.from({ length: config.launcher.webProcesses }, (_, index) => ({
      name: index === 0 ? 'web' : `web-${index + 1}`,
      command: entry.command,
      env: { ...env, PORT: String(config.http.port + index) },
    }));
  });
}

// Before the processes run, a signal just stops what has been started; afterwards the supervisor
// passes it to every process and we wait for them (bounded) before stopping the databases.
let stopSignal: NodeJS.Signals | undefined;
const signalled = new Promise<NodeJS.Signals>((resolve) => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => resolve((stopSignal ??= signal)));
  }
});

try {
  const entries = parseProcfile(await readFile('Procfile', 'utf8'));
  let env: NodeJS.ProcessEnv = childEnvironment(config);
  if (config.database.embedded || config.redis.local) {
    const urls = await startInfraHost();
    env = { ...env, DATABASE_URL: urls.databaseUrl, REDIS_URL: urls.redisUrl };
  }
  logger.info({ database: redactUrl(env.DATABASE_URL ?? ''), redis: redactUrl(env.REDIS_URL ?? '') }, 'infrastructure ready');
  if (stopSignal) await finish(0);

  const release = entries.find((entry) => entry.name === 'release');
  if (release && (await runOnce(release, env)) !== 0) {
    logger.error('release step failed; not starting the processes');
    await finish(1);
  }
  if (stopSignal) await finish(0);

  const commands = supervisedCommands(entries, env);
  supervisor = superviseCommands(commands, logger);
  logger.info({ processes: commands.map((command) => command.name), url: `http://localhost:${config.http.port}` }, 'processes started; Ctrl-C stops everything');
  const { code, signal } = await Promise.race([
    signalled.then((signal) => ({ code: 0, signal })),
    supervisor.fatal.then(() => ({ code: 1, signal: 'SIGTERM' as const })),
  ]);
  const deadlines = stopDeadlines();
  // A terminal's Ctrl-C reached every process already; sending it again changes nothing for them.
  await supervisor.stop(signal, deadlines.processes);
  await finish(code, deadlines.infra);
} catch (error) {
  logger.fatal({ err: error instanceof Error ? error.message : error }, 'could not start Tickwire');
  await supervisor?.stop('SIGTERM', stopDeadlines().processes);
  await finish(1);
}
