import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Logger } from '../platform/logger.js';

export interface OrmSettings {
  readonly url: string;
  readonly debug?: boolean;
  readonly poolMax?: number;
}

export function ormOptions(settings: OrmSettings, logger?: Logger): Options {
  return defineConfig({
    clientUrl: settings.url,
    entities: ENTITIES,
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    extensions: [Migrator],
    migrations: {
      migrationsList: MIGRATIONS,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
      emit: 'ts',
    },
    pool: { min: 0, max: settings.poolMax ?? 10, idleTimeoutMillis: 30_000, acquireTimeoutMillis: 5000 },
    // A query waiting on a dead database fails after this, instead of hanging a request.
    driverOptions: { connection: { connectionTimeoutMillis: 3000, statement_timeout: 15_000 } },
    debug: settings.debug ?? false,
    ...(logger ? { logger: (message: string) => logger.debug({ orm: true }, message) } : {}),
    // The ORM may not connect at construction: a process must start even while Postgres is down.
    connect: false,
    allowGlobalContext: false,
  });
}
