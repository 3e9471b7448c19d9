// Finding redis-server, and installing it where we may (root on Debian or Ubuntu).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Logger } from '../platform/logger.js';

export class MissingRedisError extends Error {
  constructor() {
    super(
      'redis-server is not installed: install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL',
    );
    this.name = 'MissingRedisError';
  }
}

function which(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function isDebianLike(): boolean {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(release);
  } catch {
    return false;
  }
}

export function findRedisServer(logger: Logger): string {
  const found = which('redis-server');
  if (found) return found;
  if (process.getuid?.() !== 0 || !isDebianLike()) throw new MissingRedisError();
  logger.info('redis-server not found; installing it with apt-get (once)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'redis-server']]) {
    const result = spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) throw new MissingRedisError();
  }
  const installed = which('redis-server');
  if (!installed) throw new MissingRedisError();
  return installed;
}
