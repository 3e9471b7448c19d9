// Starts the real PostgreSQL and Redis the tests use (embedded and local unless DATABASE_URL /
// REDIS_URL are given), once per run, and hands their URLs to the test workers. Each run gets
// its own data folder and free ports, so two runs (two checkouts, or a run beside `npm start`)
// never touch each other's servers. Runs from the compiled output, which `npm test` builds
// first, because jest loads this file outside its module mapping.
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { buildConfig } from '../dist/config/index.js';
import { createLogger } from '../dist/lib/platform/logger.js';
import { startLocalInfra } from '../dist/lib/local-infra/index.js';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export default async function globalSetup() {
  const dataDir = path.join('.data', 'test', `run-${process.pid}`);
  const config = buildConfig({
    ...process.env,
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOCAL_POSTGRES_PORT: String(await freePort()),
    LOCAL_REDIS_PORT: String(await freePort()),
  });
  const infra = await startLocalInfra(config, createLogger(config, 'test-infra'));
  globalThis.__tickwireInfra = { infra, dataDir };
  // Workers are forked after this and inherit these; tests read them through test/support.
  process.env.TEST_DATABASE_URL = infra.databaseUrl;
  process.env.TEST_REDIS_URL = infra.redisUrl;
}

export async function removeRunData() {
  const run = globalThis.__tickwireInfra;
  if (run) await rm(run.dataDir, { recursive: true, force: true });
}
