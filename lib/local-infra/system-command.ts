// Finding a command the machine should have (redis-server, chromium for the browser tests), and
// installing its Debian package where we may: as root on Debian or Ubuntu, once. Elsewhere the
// caller's error says how to install it.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Logger } from '../platform/logger.js';

export function which(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function isDebianLike(): boolean {
  try {
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}

export interface SystemCommand {
  readonly command: string;
  /** Debian packages that provide it (and what it needs to be useful, e.g. a font). */
  readonly packages: readonly string[];
  /** Thrown when it is missing and cannot be installed here. */
  readonly missing: () => Error;
}

/** The command's path, installing its packages with apt-get first when it is missing and we may. */
export function findOrInstall({ command, packages, missing }: SystemCommand, logger: Logger): string {
  const found = which(command);
  if (found) return found;
  if (process.getuid?.() !== 0 || !isDebianLike()) throw missing();
  logger.info(`${command} not found; installing ${packages.join(', ')} with apt-get (once)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...packages]]) {
    const result = spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) throw missing();
  }
  const installed = which(command);
  if (!installed) throw missing();
  return installed;
}
