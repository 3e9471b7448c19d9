import { Writable } from 'node:stream';
import express from 'express';
import { pino, type Level } from 'pino';
import request from 'supertest';
import { requestLog } from './request-log.js';

/** An app behind the request log, and every line the log wrote. */
function appLoggingAt(level: Level) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) });
  const app = express();
  app.use(requestLog(pino({ level }, sink)));
  app.get('/api/things', (_req, res) => void res.json({ ok: true }));
  app.get('/api/broken', () => {
    throw new Error('boom');
  });
  app.get('/livez', (_req, res) => void res.send('ok'));
  // Answered inside a router mounted on a path, as Bull Board is: Express strips the path from req.url there.
  app.use('/admin/queues', express.Router().get('/', (_req, res) => void res.send('board')));
  return { app, lines };
}

describe('request log', () => {
  it('writes one line per request at info, saying method, path, status and time, without headers', async () => {
    const { app, lines } = appLoggingAt('debug');
    await request(app).get('/api/things?x=1').set('Authorization', 'Bearer secret-token').set('X-Custom', 'visible-at-trace-only').expect(200);
    await request(app).get('/api/nothing').expect(404);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 30, msg: expect.stringMatching(/^GET \/api\/things\?x=1 200 \d+ ms$/) });
    expect(lines[1]).toMatchObject({ level: 30, msg: expect.stringMatching(/^GET \/api\/nothing 404 \d+ ms$/) });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('visible-at-trace-only');
    expect(text).not.toContain('secret-token');
    expect(lines[0]).not.toHaveProperty('req');
  });

  it('names the whole path of a request answered inside a router mounted on a path', async () => {
    const { app, lines } = appLoggingAt('info');
    await request(app).get('/admin/queues').expect(200);
    expect(lines[0]).toMatchObject({ msg: expect.stringMatching(/^GET \/admin\/queues 200 \d+ ms$/) });
  });

  it('logs a failed request at error', async () => {
    const { app, lines } = appLoggingAt('info');
    await request(app).get('/api/broken').expect(500);
    expect(lines.filter((line) => line.level === 50)).toHaveLength(1);
  });

  it('leaves the probes out', async () => {
    const { app, lines } = appLoggingAt('info');
    await request(app).get('/livez').expect(200);
    expect(lines).toEqual([]);
  });

  it('adds the whole request and response, headers included, at trace', async () => {
    const { app, lines } = appLoggingAt('trace');
    await request(app).get('/api/things').set('X-Custom', 'visible-at-trace-only').expect(200);
    const line = lines.find((entry) => typeof entry.msg === 'string' && entry.msg.startsWith('GET /api/things 200'));
    expect(line).toMatchObject({ req: { headers: { 'x-custom': 'visible-at-trace-only' } }, res: { statusCode: 200 } });
  });
});
