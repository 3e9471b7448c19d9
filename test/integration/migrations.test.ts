import pg from 'pg';
import { applyMigrations, initOrm, type Orm } from '../../lib/db/orm.js';
import { User, WatchlistItem } from '../../lib/db/entities/index.js';
import { MIGRATIONS } from '../../lib/db/migrations/index.js';
import { createTestDatabase, type TestDatabase } from '../support/infra.js';
import { eventually } from '../support/processes.js';

describe('migrations on a real, empty PostgreSQL database', () => {
  let database: TestDatabase;
  let orm: Orm;

  beforeAll(async () => {
    database = await createTestDatabase();
    orm = await initOrm({ url: database.url, poolMax: 2 });
  });

  afterAll(async () => {
    await orm?.close();
    await database?.drop();
  });

  it('apply every migration, leave no schema diff, and apply nothing the second time', async () => {
    expect(await applyMigrations(orm)).toEqual(MIGRATIONS.map((migration) => migration.name));
    // The SQL that would bring the database in line with the entities: none, the migrations cover them.
    expect((await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
    expect(await applyMigrations(orm)).toEqual([]);
  });

  describe('the schema they build', () => {
    const newUser = (email: string, username: string) => new User({ email, username, passwordHash: 'x'.repeat(60) });

    it('stores emails lower-cased and refuses one that is not', async () => {
      const em = orm.em.fork();
      const user = newUser('  Mixed.Case@Example.COM ', 'mixed');
      await em.persistAndFlush(user);
      const rows = await em.getConnection().execute<Array<{ email: string }>>('select email from users where id = ?', [user.id]);
      expect(rows).toEqual([{ email: 'mixed.case@example.com' }]);
      await expect(em.getConnection().execute(`insert into users (email, username, password_hash) values ('Upper@Example.com', 'upper', 'x')`)).rejects.toThrow(
        /users_email_lowercase_check/,
      );
    });

    it('keeps emails and usernames unique', async () => {
      const em = orm.em.fork();
      await em.persistAndFlush(newUser('one@example.com', 'one'));
      await expect(orm.em.fork().persistAndFlush(newUser('ONE@example.com', 'other'))).rejects.toThrow(/users_email_unique/);
      await expect(orm.em.fork().persistAndFlush(newUser('two@example.com', 'one'))).rejects.toThrow(/users_username_unique/);
    });

    it('keeps one watchlist row per user and symbol, and deletes them with their user', async () => {
      const em = orm.em.fork();
      const user = newUser('lists@example.com', 'lists');
      await em.persistAndFlush(user);
      const item = (symbol: string) => em.create(WatchlistItem, { user, symbol });
      item('AAPL');
      item('MSFT');
      await em.flush();
      await expect(orm.em.fork().getConnection().execute('insert into watchlist_items (user_id, symbol) values (?, ?)', [user.id, 'AAPL'])).rejects.toThrow(
        /watchlist_items_user_symbol_unique/,
      );
      expect(await orm.em.fork().count(WatchlistItem, { user: user.id })).toBe(2);
      await orm.em.fork().nativeDelete(User, { id: user.id });
      expect(await orm.em.fork().count(WatchlistItem, { user: user.id })).toBe(0);
    });

    // After the tests that need their users: it empties the table.
    it('announces every committed removal of a user on users_deleted: its id, or * for a TRUNCATE', async () => {
      const listener = new pg.Client({ connectionString: database.url });
      await listener.connect();
      try {
        const payloads: string[] = [];
        listener.on('notification', (message) => payloads.push(`${message.channel}:${message.payload}`));
        await listener.query('listen users_deleted');
        const user = newUser('gone@example.com', 'gone');
        await orm.em.fork().persistAndFlush(user);
        await expect(
          orm.em.fork().transactional(async (em) => {
            await em.nativeDelete(User, { id: user.id });
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        await orm.em.fork().nativeDelete(User, { id: user.id });
        await orm.em.fork().getConnection().execute('truncate users cascade');
        await eventually(async () => (payloads.length >= 2 ? true : undefined), 5000, 20);
        expect(payloads).toEqual([`users_deleted:${user.id}`, 'users_deleted:*']);
      } finally {
        await listener.end();
      }
    });

    it('indexes watchlist symbols', async () => {
      const rows = await orm.em.getConnection().execute<Array<{ indexname: string }>>(`select indexname from pg_indexes where tablename = 'watchlist_items'`);
      expect(rows.map((row) => row.indexname)).toContain('watchlist_items_symbol_index');
    });
  });
});
