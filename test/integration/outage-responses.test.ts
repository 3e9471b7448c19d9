// With PostgreSQL unreachable, routes that need it answer 503 in the error shape: no 500, no
// SQL or stack trace in the body, no hang.
import request from 'supertest';
import { pino } from 'pino';
import { createApp } from '../../apps/web/app.js';
import { createWebContext, type WebContext } from '../../apps/web/context.js';
import { testConfig } from '../support/infra.js';
import { freePort } from '../support/processes.js';

describe('routes while PostgreSQL is unreachable', () => {
  let context: WebContext;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    const config = testConfig({ DATABASE_URL: `postgres://nobody:nothing@127.0.0.1:${await freePort()}/nowhere` });
    context = await createWebContext(config, pino({ level: 'silent' }));
    app = createApp({ config, logger: pino({ level: 'silent' }), context });
  });
  afterAll(() => context?.close());

  it.each([
    ['post', '/api/auth/register', { email: 'a@example.com', password: 'long-enough-password' }],
    ['post', '/api/auth/login', { email: 'a@example.com', password: 'long-enough-password' }],
  ] as const)('%s %s answers 503 SERVICE_UNAVAILABLE with Retry-After', async (method, path, body) => {
    const response = await request(app)[method](path).send(body).expect(503);
    expect(response.body).toEqual({ error: 'A service Tickwire depends on is unavailable; try again shortly', code: 'SERVICE_UNAVAILABLE' });
    expect(response.headers['retry-after']).toBe('5');
    expect(JSON.stringify(response.body)).not.toMatch(/select|insert|at .*\.js/i);
  });
});
