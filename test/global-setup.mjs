// Starts the real PostgreSQL and Redis the tests use (embedded and local unless DATABASE_URL /
// REDIS_URL are given), once per run, and hands their URLs to the test workers. Runs from the
// compiled output, which `npm test` builds first, because jest loads this file outside its
// module mapping.
import { buildConfig } from '../dist/config/index.js';
import { createLogger } from '../dist/lib/platform/logger.js';
import { startLocalInfra } from '../dist/lib/local-infra/index.js';

export default async function globalSetup() {
  const config = buildConfig({ ...process.env, NODE_ENV: 'test' });
  const infra = await startLocalInfra(config, createLogger(config, 'test-infra'));
  globalThis.__tickwireInfra = infra;
  // Workers are forked after this and inherit these; tests read them through test/support.
  process.env.TEST_DATABASE_URL = infra.databaseUrl;
  process.env.TEST_REDIS_URL = infra.redisUrl;
}
