import { Migration } from '@mikro-orm/migrations';

export class Migration20261121070821_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "users" ("id" serial primary key, "email" varchar(254) not null, "username" varchar(30) not null, "password_hash" varchar(100) not null, "created_at" timestamptz not null default now(), constraint users_email_lowercase_check check (email = lower(email)));`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`alter table "users" add constraint "users_username_unique" unique ("username");`);

    this.addSql(`create table "watchlist_items" ("id" serial primary key, "user_id" int not null, "symbol" varchar(21) not null, "added_at" timestamptz not null default now());`);
    this.addSql(`create index "watchlist_items_symbol_index" on "watchlist_items" ("symbol");`);
    this.addSql(`alter table "watchlist_items" add constraint "watchlist_items_user_symbol_unique" unique ("user_id", "symbol");`);

    this.addSql(`alter table "watchlist_items" add constraint "watchlist_items_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "watchlist_items" drop constraint "watchlist_items_user_id_foreign";`);

    this.addSql(`drop table if exists "users" cascade;`);

    this.addSql(`drop table if exists "watchlist_items" cascade;`);
  }

}
