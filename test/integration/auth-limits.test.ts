// Register and login limits: per IP and per account, in Redis, so they hold across web processes.
import request from 'supertest';
import { startTestWeb, type TestWeb } from '../support/web.js';
import { uniqueName } from '../support/infra.js';
import { eventually } from '../support/processes.js';

const PASSWORD = 'correct-horse-battery';

describe('abuse limits on register and login', () => {
  const prefix = uniqueName('limits');
  let first: TestWeb;
  let second: TestWeb;

  beforeAll(async () => {
    // Two web apps on one Redis prefix: two web processes of one deployment.
    const limits = { REDIS_PREFIX: prefix, AUTH_LIMIT_PER_ACCOUNT: '3', AUTH_LIMIT_PER_IP: '1000', AUTH_LIMIT_WINDOW_SECONDS: '2' };
    [first, second] = await Promise.all([startTestWeb(limits), startTestWeb(limits)]);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  const login = (web: TestWeb, email: string, password: string) => request(web.app).post('/api/auth/login').send({ email, password });

  it('trips after the per-account limit of failed logins, across processes, and resets when the window passes', async () => {
    const email = `${uniqueName('victim')}@example.com`;
    await request(first.app).post('/api/auth/register').send({ email, password: PASSWORD }).expect(201);
    // The account exists in `first`'s database only; the counter lives in the shared Redis.
    await login(first, email, 'wrong-password-1').expect(401);
    await login(second, email, 'wrong-password-2').expect(401);
    await login(first, email, 'wrong-password-3').expect(401);

    const blocked = await login(first, email, PASSWORD).expect(429);
    expect(blocked.body).toEqual({ error: 'Too many attempts; try again later', code: 'RATE_LIMITED' });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await login(second, email, PASSWORD).expect(429);

    await eventually(async () => ((await login(first, email, PASSWORD)).status === 200 ? true : undefined), 5000, 250);
  });

  it('forgets failures after a successful login', async () => {
    const email = `${uniqueName('forgetful')}@example.com`;
    await request(first.app).post('/api/auth/register').send({ email, password: PASSWORD }).expect(201);
    await login(first, email, 'wrong-1').expect(401);
    await login(first, email, 'wrong-2').expect(401);
    await login(first, email, PASSWORD).expect(200);
    await login(first, email, 'wrong-3').expect(401);
    await login(first, email, 'wrong-4').expect(401);
    await login(first, email, PASSWORD).expect(200);
  });

  it('limits requests per IP, for login and register alike', async () => {
    const web = await startTestWeb({ AUTH_LIMIT_PER_IP: '4', AUTH_LIMIT_WINDOW_SECONDS: '60' });
    try {
      for (let i = 0; i < 4; i += 1) await login(web, `${uniqueName('nobody')}@example.com`, 'whatever-password').expect(401);
      const response = await login(web, `${uniqueName('nobody')}@example.com`, 'whatever-password').expect(429);
      expect(response.body.code).toBe('RATE_LIMITED');
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(50);

      for (let i = 0; i < 4; i += 1) await request(web.app).post('/api/auth/register').send({ email: `${uniqueName('r')}@example.com`, password: PASSWORD }).expect(201);
      await request(web.app).post('/api/auth/register').send({ email: `${uniqueName('r')}@example.com`, password: PASSWORD }).expect(429);
    } finally {
      await web.close();
    }
  });
});
