// A local redis-server for development and tests when no REDIS_URL is given, configured the way
// BullMQ needs it: never evict keys (noeviction) and keep an append-only file, so queued jobs
// and their state survive a restart.
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createConnection } from 'node:net';
import path from 'node:path';
import type { Logger } from '../platform/logger.js';
import { findOrInstall } from './system-command.js';
import { stopChild, stopLeftover, waitFor } from './process-files.js';

/** True when something answers PONG on the port. */
export function pingRedis(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export async function startLocalRedis(options: { dataDir: string; port: number; logger: Logger }) {
  const { logger, port } = options;
  const binary = findOrInstall(
    {
      command: 'redis-server',
      packages: ['redis-server'],
      missing: () => new Error('redis-server is not installed: install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL'),
    },
    logger,
  );
  const pidFile = path.join(options.dataDir, 'redis.pid');
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', options.dataDir,
    '--pidfile', pidFile,
    '--daemonize', 'no',
    '--appendonly', 'yes',
    '--maxmemory-policy', 'noeviction',
    '--save', '',
    '--logfile', '',
  ];

  /** Starts redis-server (at first and on every restart) and waits until it answers. */
  async function start() {
    await mkdir(options.dataDir, { recursive: true });
    const leftover = await stopLeftover(pidFile, 'SIGTERM');
    if (leftover) logger.warn({ pid: leftover }, 'stopped a redis-server left running by an earlier run');
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      logger.trace({ redis: chunk.toString().trim() });
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // However this process ends, its redis-server is asked to stop too (it saves on SIGTERM).
    const stopWithUs = () => child.kill('SIGTERM');
    process.once('exit', stopWithUs);
    void exited.then(() => process.off('exit', stopWithUs));

    const ready = await Promise.race([waitFor(() => pingRedis(port), 15_000, 50), exited.then(() => false)]);
    if (!ready || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${port} (is the port taken?): ${output.trim().split('\n').slice(-3).join(' | ')}`);
    }
    logger.info({ port, dataDir: options.dataDir }, 'Redis ready');
    return child;
  }
  let child = await start();

  return {
    name: 'Redis',
    url: `redis://127.0.0.1:${port}`,
    running: () => child.exitCode === null && child.signalCode === null,
    restart: async () => void (child = await start()),
    /** SIGTERM (redis-server saves and exits), SIGKILL after `timeoutMs`. */
    stop: (timeoutMs = 10_000) => stopChild(child, Date.now() + timeoutMs),
  };
}
