// Accounts for a benchmark's sockets, one per socket as real clients have, written straight into
// the bench's database (registering through REST would measure bcrypt and meet the per-IP limit),
// with tokens signed as login signs them (the test environment's JWT settings, as the processes').
import { buildConfig } from '../../config/index.js';
import { createTokenService } from '../../lib/auth/tokens.js';
import { User, WatchlistItem } from '../../lib/db/entities/index.js';
import { initOrm } from '../../lib/db/orm.js';

/** `count` users and their tokens; the first one watches `watch`, so those tickers are fetched before any socket subscribes. */
export async function createBenchUsers(databaseUrl: string, count: number, watch: readonly string[] = []): Promise<string[]> {
  const orm = await initOrm({ url: databaseUrl, poolMax: 1 });
  try {
    const em = orm.em.fork();
    const tag = Date.now().toString(36);
    const users = Array.from({ length: count }, (_, index) => new User({ email: `bench-${tag}-${index}@example.com`, username: `b${tag}_${index}`, passwordHash: 'x'.repeat(60) }));
    em.persist(users);
    for (const symbol of watch) em.create(WatchlistItem, { user: users[0]!, symbol });
    await em.flush();
    const tokens = createTokenService(buildConfig({ NODE_ENV: 'test' }).auth);
    return users.map((user) => tokens.sign(user).token);
  } finally {
    await orm.close();
  }
}
