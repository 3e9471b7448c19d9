import { pino } from 'pino';
import { createShutdown } from './shutdown.js';

const silent = pino({ level: 'silent' });

describe('createShutdown', () => {
  it('runs steps once, in the order they were added, even when one fails', async () => {
    const ran: string[] = [];
    const shutdown = createShutdown(silent, 1000);
    shutdown.add('http', () => void ran.push('http'));
    shutdown.add('broken', () => {
      ran.push('broken');
      throw new Error('boom');
    });
    shutdown.add('database', async () => void ran.push('database'));
    await Promise.all([shutdown.run('SIGTERM'), shutdown.run('SIGINT')]);
    expect(ran).toEqual(['http', 'broken', 'database']);
    expect(shutdown.started).toBe(true);
  });

  it('gives up waiting once the timeout passes', async () => {
    const shutdown = createShutdown(silent, 50);
    let finished = false;
    shutdown.add('stuck', () => new Promise(() => undefined));
    await shutdown.run('SIGTERM');
    finished = true;
    expect(finished).toBe(true);
  });
});
