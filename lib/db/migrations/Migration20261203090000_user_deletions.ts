import { Migration } from '@mikro-orm/migrations';

/**
 * Every removal of a user row, however it happens (a DELETE by anyone, TRUNCATE), is announced on
 * the channel `users_deleted`: the id as payload, `*` for a TRUNCATE. Web processes LISTEN there to
 * drop the user from their cache of known users (lib/accounts/known-users.ts), so a deleted user's
 * token is refused at the next socket handshake. pg_notify is transactional: the notice goes out
 * when the deletion commits, never for one rolled back.
 */
export class Migration20261203090000_user_deletions extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create function "users_deleted_notify"() returns trigger language plpgsql as $$
begin
  perform pg_notify('users_deleted', case when tg_op = 'TRUNCATE' then '*' else old.id::text end);
  return null;
end
$$;`);
    this.addSql(`create trigger "users_deleted_notify" after delete on "users" for each row execute function "users_deleted_notify"();`);
    this.addSql(`create trigger "users_truncated_notify" after truncate on "users" for each statement execute function "users_deleted_notify"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "users_truncated_notify" on "users";`);
    this.addSql(`drop trigger if exists "users_deleted_notify" on "users";`);
    this.addSql(`drop function if exists "users_deleted_notify"();`);
  }

}
