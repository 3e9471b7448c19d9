// Migrations are listed here rather than discovered from disk, so the same list works from
// TypeScript sources and compiled output alike. Append new ones; never reorder or rename.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121070821_initial } from './Migration20261121070821_initial.js';

export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261121070821_initial', class: Migration20261121070821_initial },
];
