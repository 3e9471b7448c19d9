// Developer command (`npm run migration:create -- <name>`): writes a migration for the difference
// between the entities and the database, into lib/db/migrations. Register it in index.ts after.
import { loadConfig } from '../../config/index.js';
import { createLogger } from '../../lib/platform/logger.js';
import { applyMigrations, initOrm } from '../../lib/db/orm.js';

const config = loadConfig();
const logger = createLogger(config, 'migrations');
const orm = await initOrm({ url: config.database.url });
try {
  await applyMigrations(orm);
  const result = await orm.getMigrator().createMigration('lib/db/migrations', false, false, process.argv[2]);
  if (result.fileName) logger.info({ file: result.fileName }, 'migration written; add it to lib/db/migrations/index.ts');
  else logger.info('entities and database agree; no migration needed');
} finally {
  await orm.close();
}
