import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Logger } from '../platform/logger.js';

export type Orm = MikroORM;

/** Builds the ORM without connecting: a process starts, and reports, even while Postgres is down. */
export async function initOrm(
  settings: { readonly url: string; readonly poolMax?: number; readonly queryTimeoutMs?: number },
  logger?: Logger,
): Promise<Orm> {
  // The longest one query may take; the default is for the release step's migrations.
  const queryTimeoutMs = settings.queryTimeoutMs ?? 15_000;
  return MikroORM.init({
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
    pool: {
      min: 0,
      max: settings.poolMax ?? 10,
      idleTimeoutMillis: 30_000,
      acquireTimeoutMillis: Math.min(5000, queryTimeoutMs + 1000),
    },
    // A query on a dead database fails instead of hanging a request: the connect timeout covers a
    // server down before the handshake, the pool's acquire timeout a full pool, and query_timeout
    // (ours; a frozen server cannot enforce statement_timeout) a server that stopped answering.
    // Ours is a little longer, so a server that can answer cancels the query and the connection stays clean.
    driverOptions: {
      connection: { connectionTimeoutMillis: Math.min(3000, queryTimeoutMs), statement_timeout: queryTimeoutMs, query_timeout: queryTimeoutMs + 500 },
      // A connection whose query timed out on our side still awaits the server's answer: knex's pool
      // drops it rather than lend it again (pg's `readyForQuery`; `validate` is not in MikroORM's type).
      pool: { validate: (connection: unknown) => (connection as { readyForQuery?: unknown }).readyForQuery !== false },
    },
    ...(logger ? { logger: (message: string) => logger.debug({ orm: true }, message) } : {}),
    connect: false,
    allowGlobalContext: false,
  });
}

/** Applies pending migrations; returns the names applied (empty when the schema was current). */
export async function applyMigrations(orm: Orm): Promise<string[]> {
  return (await orm.getMigrator().up()).map((migration) => migration.name);
}
