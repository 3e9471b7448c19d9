import express, { Router } from 'express';
import request from 'supertest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createHttpRequestMetrics } from '../../../lib/metrics/http-metrics.js';
import { parseExposition, samplesOf } from '../../../test/support/prometheus.js';
import { HttpError } from '../http-error.js';
import { errorHandler, notFound } from './errors.js';
import { noteRoute, requestMetrics } from './request-metrics.js';

// A real Express app shaped like ours: routers mounted under paths, an async handler that fails
// into the error middleware, and the /api fallback.
function appWithMetrics() {
  const registry = new Registry();
  const app = express();
  app.use(requestMetrics(createHttpRequestMetrics(registry)));
  app.use(express.json());
  const market = Router();
  market.get('/stock/:symbol', (req, res) => {
    res.json({ symbol: req.params.symbol });
  });
  market.get('/stock/:symbol/chart', async (req) => {
    throw new HttpError(404, 'SYMBOL_NOT_FOUND', `unknown ${req.params.symbol}`);
  });
  const watchlist = Router();
  watchlist.post('/', (_req, res) => {
    res.status(201).json({});
  });
  watchlist.delete('/:symbol', (_req, res) => {
    res.status(204).end();
  });
  app.use('/api/watchlist', watchlist, noteRoute);
  app.use('/api', market, noteRoute);
  app.use('/api', notFound);
  app.use(errorHandler(pino({ level: 'silent' })));
  const observed = async () =>
    samplesOf(parseExposition(await registry.metrics()), 'tickwire_http_request_duration_seconds_count').map((sample) => ({ ...sample.labels, count: sample.value }));
  return { app, observed };
}

describe('requestMetrics', () => {
  it('labels each answer with the route pattern, never the URL', async () => {
    const { app, observed } = appWithMetrics();
    await request(app).get('/api/stock/AAPL').expect(200);
    await request(app).get('/api/stock/MSFT').expect(200);
    await request(app).delete('/api/watchlist/NVDA').expect(204);
    await request(app).post('/api/watchlist').send({ symbol: 'TSLA' }).expect(201);
    expect(await observed()).toEqual(
      expect.arrayContaining([
        { method: 'GET', route: '/api/stock/:symbol', status_code: '200', count: 2 },
        { method: 'DELETE', route: '/api/watchlist/:symbol', status_code: '204', count: 1 },
        { method: 'POST', route: '/api/watchlist', status_code: '201', count: 1 },
      ]),
    );
    expect(await observed()).toHaveLength(3);
  });

  it('keeps the full pattern when the handler fails into the error middleware', async () => {
    const { app, observed } = appWithMetrics();
    await request(app).get('/api/stock/ZZZZ/chart').expect(404);
    expect(await observed()).toEqual([{ method: 'GET', route: '/api/stock/:symbol/chart', status_code: '404', count: 1 }]);
  });

  it('puts every unknown path, and bodies refused before routing, under one label', async () => {
    const { app, observed } = appWithMetrics();
    await request(app).get('/api/nothing-here/1').expect(404);
    await request(app).get('/api/nothing-here/2').expect(404);
    await request(app).post('/api/watchlist').set('Content-Type', 'application/json').send('{"symbol":').expect(400);
    expect(await observed()).toEqual([
      { method: 'GET', route: 'unmatched', status_code: '404', count: 2 },
      { method: 'POST', route: 'unmatched', status_code: '400', count: 1 },
    ]);
  });
});
