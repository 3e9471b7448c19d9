// The Procfile's `release:` step: apply pending migrations (and, in development, make sure the
// demo user exists). Safe to run any number of times.
import { loadConfig } from '../../config/index.js';
import { createLogger, redactUrl } from '../../lib/platform/logger.js';
import { applyMigrations, initOrm } from '../../lib/db/orm.js';
import { DEMO_USER, ensureDemoUser } from '../../lib/db/demo-user.js';

const config = loadConfig();
const logger = createLogger(config, 'release');
const orm = await initOrm({ url: config.database.url, poolMax: 2 });
try {
  const applied = await applyMigrations(orm);
  logger.info({ database: redactUrl(config.database.url), applied }, applied.length ? 'migrations applied' : 'schema is up to date');
  if (config.localInfra.seedDemoUser) {
    const created = await ensureDemoUser(orm, config.auth.bcryptSaltRounds);
    logger.info({ email: DEMO_USER.email, username: DEMO_USER.username }, created ? 'demo user created' : 'demo user already exists');
  }
} catch (error) {
  logger.fatal({ err: error }, 'release step failed');
  process.exitCode = 1;
} finally {
  await orm.close();
}
