import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions, type OrmSettings } from './orm-options.js';
import type { Logger } from '../platform/logger.js';

export type Orm = MikroORM;

/** Builds the ORM without connecting: a process starts, and reports, even while Postgres is down. */
export async function initOrm(settings: OrmSettings, logger?: Logger): Promise<Orm> {
  return MikroORM.init(ormOptions(settings, logger));
}

/** Applies pending migrations; returns the names applied (empty when the schema was current). */
export async function applyMigrations(orm: Orm): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((migration) => migration.name);
}

/** SQL that would bring the database in line with the entities; empty when migrations cover them. */
export async function pendingSchemaDiff(orm: Orm): Promise<string> {
  return (await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim();
}
