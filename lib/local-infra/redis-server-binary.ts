// Finding redis-server, and installing it where we may (root on Debian or Ubuntu).
import type { Logger } from '../platform/logger.js';
import { findOrInstall } from './system-command.js';

export class MissingRedisError extends Error {
  constructor() {
    super(
      'redis-server is not installed: install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL',
    );
    this.name = 'MissingRedisError';
  }
}

export function findRedisServer(logger: Logger): string {
  return findOrInstall({ command: 'redis-server', packages: ['redis-server'], missing: () => new MissingRedisError() }, logger);
}
