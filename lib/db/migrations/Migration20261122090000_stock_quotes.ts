import { Migration } from '@mikro-orm/migrations';

export class Migration20261122090000_stock_quotes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "stock_quotes" ("symbol" varchar(21) not null, "quote" jsonb not null, "fetched_at" timestamptz not null, "updated_at" timestamptz not null default now(), constraint "stock_quotes_pkey" primary key ("symbol"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "stock_quotes" cascade;`);
  }

}
