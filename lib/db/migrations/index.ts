// Migrations are listed here rather than discovered from disk, so the same list works from
// TypeScript sources and compiled output alike. Append new ones; never reorder or rename.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121070821_initial } from './Migration20261121070821_initial.js';
import { Migration20261122090000_stock_quotes } from './Migration20261122090000_stock_quotes.js';
import { Migration20261203090000_user_deletions } from './Migration20261203090000_user_deletions.js';

export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261121070821_initial', class: Migration20261121070821_initial },
  { name: 'Migration20261122090000_stock_quotes', class: Migration20261122090000_stock_quotes },
  { name: 'Migration20261203090000_user_deletions', class: Migration20261203090000_user_deletions },
];
