// The development demo account, created once: later runs find it and leave it as it is.
import bcrypt from 'bcryptjs';
import type { Orm } from './orm.js';
import { User } from './entities/index.js';

export const DEMO_USER = { email: 'demo@tickwire.dev', username: 'demo', password: 'demo12345' } as const;

/** Returns true when the user was created by this call. */
export async function ensureDemoUser(orm: Orm, bcryptRounds: number): Promise<boolean> {
  const em = orm.em.fork();
  if (await em.count(User, { email: DEMO_USER.email })) return false;
  const passwordHash = await bcrypt.hash(DEMO_USER.password, bcryptRounds);
  // `on conflict do nothing` keeps two launchers starting at once from failing each other.
  const inserted = await em
    .createQueryBuilder(User)
    .insert({ email: DEMO_USER.email, username: DEMO_USER.username, passwordHash })
    .onConflict()
    .ignore()
    .execute('run');
  return inserted.affectedRows > 0;
}
