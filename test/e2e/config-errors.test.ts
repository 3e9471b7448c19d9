// A bad value stops each real process at start with one line naming the variable.
import { startProcess } from '../support/processes.js';

describe.each(['web', 'worker', 'scheduler', 'release'])('%s with a bad configuration', (app) => {
  it('exits with status 78 and one line naming the variable and the problem', async () => {
    const running = startProcess(`dist/apps/${app}/main.js`, { NODE_ENV: 'test', PORT: 'abc', REDIS_URL: 'localhost:6379' });
    const code = await new Promise((resolve) => running.child.once('exit', resolve));
    expect(code).toBe(78);
    expect(running.output()).toBe('Invalid configuration: PORT must be a whole number; REDIS_URL must be a URL starting with redis:// or rediss://\n');
  });
});

describe('web in production', () => {
  it.each([
    [{}, 'JWT_SECRET is required in production'],
    [{ JWT_SECRET: 'too-short' }, 'JWT_SECRET must be at least 32 characters in production'],
    [{ JWT_SECRET: 'change-me-to-a-long-random-string-of-at-least-32-chars' }, 'JWT_SECRET is a published default; set your own secret'],
  ])('refuses to start with %j', async (secret, message) => {
    const running = startProcess('dist/apps/web/main.js', {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:1/x',
      REDIS_URL: 'redis://127.0.0.1:1',
      ...secret,
    });
    const code = await new Promise((resolve) => running.child.once('exit', resolve));
    expect(code).toBe(78);
    expect(running.output()).toBe(`Invalid configuration: ${message}\n`);
  });
});
