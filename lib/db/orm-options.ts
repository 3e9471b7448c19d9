import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Logger } from '../platform/logger.js';

export interface OrmSettings {
  readonly url: string;
  readonly debug?: boolean;
  readonly poolMax?: number;
  /** Longest one query may take (default 15 s, for the release step's migrations). */
  readonly queryTimeoutMs?: number;
}

export function ormOptions(settings: OrmSettings, logger?: Logger): Options {
  const queryTimeoutMs = settings.queryTimeoutMs ?? 15_000;
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
    pool: {
      min: 0,
      max: settings.poolMax ?? 10,
      idleTimeoutMillis: 30_000,
      acquireTimeoutMillis: Math.min(5000, queryTimeoutMs + 1000),
    },
    // A query waiting on a dead database fails after these, instead of hanging a request: the
    // connect timeout covers a server that is down or frozen before the handshake, the pool's
    // acquire timeout a full pool, and query_timeout (enforced here, unlike statement_timeout,
    // which a frozen server cannot enforce) a connection whose server stopped answering.
    // The client's timeout is a little longer, so a server that can answer cancels the query
    // itself and leaves a clean connection behind.
    driverOptions: {
      connection: { connectionTimeoutMillis: Math.min(3000, queryTimeoutMs), statement_timeout: queryTimeoutMs, query_timeout: queryTimeoutMs + 500 },
      // A connection whose query timed out on our side still waits for the server's answer, so
      // the next query on it would queue behind that one: knex's pool (MikroORM merges this into
      // its options; its own type leaves `validate` out) drops it instead of lending it again.
      // `readyForQuery` is pg's own flag for this, though not in its type declarations.
      pool: { validate: (connection: unknown) => (connection as { readyForQuery?: unknown }).readyForQuery !== false },
    },
    debug: settings.debug ?? false,
    ...(logger ? { logger: (message: string) => logger.debug({ orm: true }, message) } : {}),
    // The ORM may not connect at construction: a process must start even while Postgres is down.
    connect: false,
    allowGlobalContext: false,
  });
}
