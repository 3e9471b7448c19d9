// The socket handshake's check that the user still exists, through each web process's cache of
// known users: a deleted user's token is refused at the next handshake on every process even
// though it connected before (its row removed by anyone, here plain SQL), many handshakes of
// distinct users cost a few queries, and a lost LISTEN connection stops the remembering until it
// listens again. Queries are counted by knex's own 'query' event on the real driver.
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { Manager } from 'socket.io-client';
import { createKnownUsers, type KnownUsers } from '../../lib/accounts/known-users.js';
import { User } from '../../lib/db/entities/index.js';
import { eventually } from '../support/processes.js';
import { connectError, SocketClients, startSocketWeb, type SocketWeb, type TestUser } from '../support/socket-web.js';

/** Users inserted in one statement, with tokens signed as login signs them. */
async function createUsers(web: SocketWeb, count: number): Promise<TestUser[]> {
  const tag = randomBytes(4).toString('hex');
  const users = Array.from({ length: count }, (_, index) => new User({ email: `known_${tag}_${index}@example.com`, username: `k_${tag}_${index}`, passwordHash: 'x'.repeat(60) }));
  await web.context.orm.em.fork().persistAndFlush(users);
  return users.map((user) => ({ id: user.id, email: user.email, token: web.context.tokens.sign(user).token }));
}

/** Queries on the users table made by `web`'s ORM from now on. */
function countUserQueries(web: SocketWeb): { readonly count: number; stop(): void } {
  const knex = web.context.orm.em.getConnection().getKnex();
  let count = 0;
  const onQuery = (query: { sql: string }) => {
    if (/\bfrom "?users"?\s/i.test(query.sql)) count += 1;
  };
  knex.on('query', onQuery);
  return {
    get count() {
      return count;
    },
    stop: () => void knex.off('query', onQuery),
  };
}

/** Ends the LISTEN connections of `web`'s database, as a restart of PostgreSQL or a network cut would. */
async function killListeners(web: SocketWeb): Promise<number> {
  const rows = await web.context.orm.em
    .fork()
    .getConnection()
    .execute<Array<{ ended: boolean }>>(`select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = current_database() and application_name = 'tickwire:listen'`);
  return rows.filter((row) => row.ended).length;
}

describe('known users: the handshake check that the user still exists', () => {
  let a: SocketWeb;
  let b: SocketWeb;
  const clients = new SocketClients();
  const opened: Manager[] = [];

  beforeAll(async () => {
    a = await startSocketWeb();
    b = await startSocketWeb({ beside: a });
  });
  afterEach(() => {
    clients.closeAll();
    for (const manager of opened.splice(0)) manager.engine?.close();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('refuses a deleted user at the next handshake on every web process, though it connected to both before', async () => {
    const [user] = await createUsers(a, 1);
    (await clients.connected(a.url, user!.token)).disconnect();
    const first = countUserQueries(b);
    (await clients.connected(b.url, user!.token)).disconnect();
    first.stop();
    expect(first.count).toBe(1);
    // Remembered (once b listens for deletions, a moment after its start): a handshake on b asks nothing.
    await eventually(async () => {
      const again = countUserQueries(b);
      (await clients.connected(b.url, user!.token)).disconnect();
      again.stop();
      return again.count === 0 ? true : undefined;
    }, 5000, 50);

    // Anyone's DELETE, not an API of ours: the trigger tells every listening process.
    await a.context.orm.em.fork().getConnection().execute('delete from users where id = ?', [user!.id]);
    // The notice travels on its own connection, so it may land a moment after the DELETE returns;
    // without it the user would be remembered for a minute.
    for (const web of [a, b]) {
      const error = await eventually(async () => {
        const socket = clients.connect(web.url, { token: user!.token });
        const refused = await connectError(socket).catch(() => undefined);
        socket.disconnect();
        return refused;
      }, 3000, 50);
      expect(error.data).toEqual({ code: 'TOKEN_INVALID' });
    }
  });

  it('checks 300 simultaneous handshakes of distinct users, 10 of them deleted, in a few queries', async () => {
    const users = await createUsers(a, 300);
    const doomed = users.slice(0, 10);
    await a.context.orm.em.fork().getConnection().execute(`delete from users where id in (${doomed.map(() => '?').join(', ')})`, doomed.map((user) => user.id));
    // Transports first (engine.io's open), then every Socket.IO CONNECT (the handshake proper) in one
    // go: the handshakes reach b together, as in a reconnect storm, whatever this machine's speed.
    const managers = users.map(() => new Manager(b.url, { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false }));
    opened.push(...managers);
    await Promise.all(managers.map((manager) => new Promise((resolve, reject) => manager.open((error) => (error ? reject(error) : resolve(undefined))))));
    const queries = countUserQueries(b);
    const outcomes = await Promise.all(
      users.map((user, index) => {
        const socket = managers[index]!.socket('/', { auth: { token: user.token } });
        socket.connect();
        return new Promise<string>((resolve) => {
          socket.once('welcome', () => resolve('welcome'));
          socket.once('connect_error', (error: Error & { data?: { code?: string } }) => resolve(error.data?.code ?? error.message));
        });
      }),
    );
    queries.stop();
    expect(outcomes.slice(0, 10)).toEqual(Array(10).fill('TOKEN_INVALID'));
    expect(outcomes.slice(10)).toEqual(Array(290).fill('welcome'));
    // Lookups of handshakes that arrive together share a query, never one per handshake.
    expect(queries.count).toBeGreaterThan(0);
    expect(queries.count).toBeLessThanOrEqual(users.length / 10);
  });

  describe('without its LISTEN connection', () => {
    let known: KnownUsers;
    let user: TestUser;

    beforeAll(async () => {
      user = (await createUsers(a, 1))[0]!;
      known = createKnownUsers(a.context.orm, { url: a.config.database.url, timeoutMs: 3000, logger: pino({ level: 'silent' }) });
    });
    afterAll(() => known?.close());

    /** Whether exists() answered without a query. */
    const remembered = async () => {
      const queries = countUserQueries(a);
      expect(await known.exists(user.id)).toBe(true);
      queries.stop();
      return queries.count === 0;
    };

    it('remembers nothing until it listens again, then remembers again', async () => {
      // Listening (the first lookups may go out before LISTEN is in place: those are not remembered).
      await eventually(async () => ((await remembered()) ? true : undefined), 5000, 50);
      expect(await killListeners(a)).toBeGreaterThanOrEqual(1);
      // A deletion in between would be missed, so what it remembered is forgotten…
      await eventually(async () => ((await remembered()) ? undefined : true), 5000, 20);
      // …and once it listens again it remembers again.
      await eventually(async () => ((await remembered()) ? true : undefined), 5000, 50);
      expect(await known.exists(2 ** 31 - 1)).toBe(false);
    });
  });
});
