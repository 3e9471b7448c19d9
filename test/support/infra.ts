// What the test run's global setup started, plus per-file isolation on top of it: each test
// file gets its own PostgreSQL database and its own Redis key prefix.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildConfig, type Config } from '../../config/index.js';

export function sharedUrls(): { databaseUrl: string; redisUrl: string } {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!databaseUrl || !redisUrl) throw new Error('test infrastructure is not running (run the tests with npm test)');
  return { databaseUrl, redisUrl };
}

export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(5).toString('hex')}`;

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the shared server; `drop` removes it. */
export async function createTestDatabase(serverUrl = sharedUrls().databaseUrl): Promise<TestDatabase> {
  const name = uniqueName('tickwire_test');
  await onServer(serverUrl, (client) => client.query(`create database ${client.escapeIdentifier(name)}`));
  return {
    url: withDatabase(serverUrl, name),
    drop: () => onServer(serverUrl, (client) => client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`)).then(() => undefined),
  };
}

/** A test config on the shared infrastructure, with a queue prefix of its own. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const { databaseUrl, redisUrl } = sharedUrls();
  return buildConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_PREFIX: uniqueName('tw'), ...overrides });
}
