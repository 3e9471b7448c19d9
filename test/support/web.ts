// A real web app for supertest: its own migrated database and Redis prefix on the shared servers.
import { pino } from 'pino';
import type { Express } from 'express';
import { createApp } from '../../apps/web/app.js';
import { createWebContext, type WebContext } from '../../apps/web/context.js';
import { applyMigrations } from '../../lib/db/orm.js';
import { firstConnection } from '../../lib/redis/connections.js';
import type { Config } from '../../config/index.js';
import { createTestDatabase, testConfig } from './infra.js';

export interface TestWeb {
  readonly app: Express;
  readonly context: WebContext;
  readonly config: Config;
  stopping: boolean;
  close(): Promise<void>;
}

export async function startTestWeb(overrides: Record<string, string> = {}): Promise<TestWeb> {
  const database = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: database.url, ...overrides });
  const context = await createWebContext(config, pino({ level: 'silent' }));
  await applyMigrations(context.orm);
  await firstConnection(context.cache, 5000);
  const state = { stopping: false };
  return {
    app: createApp({ config, logger: pino({ level: 'silent' }), context, isStopping: () => state.stopping }),
    context,
    config,
    get stopping() {
      return state.stopping;
    },
    set stopping(value) {
      state.stopping = value;
    },
    async close() {
      await context.close();
      await database.drop();
    },
  };
}
