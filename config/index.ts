// The one place that reads process.env: once, at first use, into a frozen Config.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { buildConfig, type Config } from './config.js';
import { ConfigError } from './schema.js';

export { buildConfig, LOCAL_POSTGRES, localPostgresUrl, type Config } from './config.js';
export { ConfigError, EXAMPLE_JWT_SECRET } from './schema.js';

/** EX_CONFIG (sysexits.h): the process refused its configuration, so restarting it cannot help. */
export const EXIT_BAD_CONFIG = 78;

let cached: Config | undefined;

function packageVersion(root: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Reads `.env` (when present, never overriding the real environment; not under NODE_ENV=test so
 * test runs stay hermetic), then parses. A bad value stops the process with one line naming it.
 */
export function loadConfig(): Config {
  if (cached) return cached;
  const root = process.cwd();
  if (process.env.NODE_ENV !== 'test') dotenv.config({ path: path.join(root, '.env'), quiet: true });
  try {
    cached = buildConfig(process.env, { cwd: root, version: packageVersion(root) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(EXIT_BAD_CONFIG);
  }
  return cached;
}

/** The variables a launcher hands to the processes it starts, so they find the same infrastructure. */
export function childEnvironment(config: Config): Record<string, string> {
  return { ...(process.env as Record<string, string>), NODE_ENV: config.env, DATABASE_URL: config.database.url, REDIS_URL: config.redis.url };
}
