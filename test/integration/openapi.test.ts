// The OpenAPI description against the real app: a valid OpenAPI 3.1 document, listing every route
// of API.md and every route the Express app really serves, with the Bearer scheme exactly where
// the app asks for a token; the request schemas in it reject what the routes reject, the answers
// of the routes match the response schemas in it; and the Swagger UI page is served.
import { randomBytes } from 'node:crypto';
import request, { type Response } from 'supertest';
import type { Express } from 'express';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestWeb, type TestWeb } from '../support/web.js';

/** The REST routes of API.md, as OpenAPI paths (CI clones only this repository, so they are copied here). */
const API_MD_ROUTES = [
  'POST /api/auth/register',
  'POST /api/auth/login',
  'GET /api/auth/me',
  'GET /api/stocks/watchlist',
  'POST /api/stocks/watchlist',
  'DELETE /api/stocks/watchlist',
  'GET /api/stocks/search/{ticker}',
  'GET /api/watchlist',
  'POST /api/watchlist',
  'DELETE /api/watchlist/{symbol}',
  'GET /api/stock/{symbol}',
  'GET /api/stock/{symbol}/chart',
  'GET /api/search/{query}',
  'GET /api/market/overview',
  'GET /api/health',
  'GET /health',
];

/**
 * Not part of the public API: Bull Board (an operators' UI behind its own authentication) and the
 * demo page's static assets (the Socket.IO browser client under /vendor/).
 */
const UNDOCUMENTED_PREFIXES = ['/admin/', '/vendor/'];

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface OpenApiOperation {
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type OpenApiDocument = { openapi: string; paths: Record<string, Partial<Record<(typeof METHODS)[number], OpenApiOperation>>> };

function documentedRoutes(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) => METHODS.filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${path}`));
}

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
  rawPath?: unknown;
}

/** Every method and path the app's routers declare, read from Express 5's router stack. */
function servedRoutes(app: Express): string[] {
  const found: string[] = [];
  const visit = (stack: RouterLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = `${prefix}${layer.route.path}`.replace(/(.)\/$/, '$1').replace(/:(\w+)/g, '{$1}');
        for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${path}`);
      } else if (layer.handle?.stack) {
        // A mounted router: its routes sit below the mount path.
        if (typeof layer.rawPath !== 'string') throw new Error(`cannot read the mount path ${String(layer.rawPath)}: teach this test about it`);
        visit(layer.handle.stack, layer.rawPath === '/' ? prefix : `${prefix}${layer.rawPath}`);
      }
    }
  };
  visit((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
  return found;
}

/** A concrete URL for a documented path. */
const concrete = (path: string) => path.replace('{symbol}', 'AAPL').replace('{ticker}', 'AAPL').replace('{query}', 'apple');

describe('OpenAPI description of the REST API', () => {
  let web: TestWeb;
  let app: Express;
  let document: OpenApiDocument;
  let ajv: Ajv2020;
  const DOCUMENT_ID = 'https://tickwire.test/openapi.json';

  beforeAll(async () => {
    // The simulated market answers the market-data routes without any upstream.
    web = await startTestWeb({ QUOTE_PROVIDER: 'simulated', AUTH_LIMIT_PER_IP: '1000', AUTH_LIMIT_PER_ACCOUNT: '1000' });
    ({ app } = web);
    const response = await request(app).get('/api/openapi.json').expect(200).expect('Content-Type', /application\/json/);
    document = response.body;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  });

  afterAll(() => web?.close());

  /** The schema at a JSON pointer of the served document, compiled. */
  function schemaAt(...parts: Array<string | number>): ValidateFunction {
    const pointer = parts.map((part) => String(part).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
    const validate = ajv.getSchema(`${DOCUMENT_ID}#/${pointer}`);
    if (!validate) throw new Error(`no schema at ${pointer}`);
    return validate;
  }

  /** The response is one the document lists for the operation, and its body matches the documented schema. */
  function expectDocumented(method: (typeof METHODS)[number], path: string, response: Response): void {
    const operation = document.paths[path]?.[method];
    expect(operation).toBeDefined();
    const documented = operation!.responses[String(response.status)];
    if (!documented) throw new Error(`${method.toUpperCase()} ${path} answered ${response.status}, which is not documented`);
    const json = documented.content?.['application/json'];
    if (!json) {
      expect(response.text ?? '').toBe('');
      return;
    }
    const validate = schemaAt('paths', path, method, 'responses', response.status, 'content', 'application/json', 'schema');
    if (!validate(response.body)) throw new Error(`${method.toUpperCase()} ${path} ${response.status} does not match its schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(response.body)}`);
  }

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents every REST route of API.md', () => {
    expect(documentedRoutes(document)).toEqual(expect.arrayContaining(API_MD_ROUTES));
  });

  it('documents exactly the routes the app serves (outside Bull Board)', () => {
    const served = servedRoutes(app).filter((route) => !UNDOCUMENTED_PREFIXES.some((prefix) => route.split(' ')[1]!.startsWith(prefix)));
    // The walk must see the routes at all, or the comparison below proves nothing.
    expect(served).toEqual(expect.arrayContaining(API_MD_ROUTES));
    expect([...new Set(served)].sort()).toEqual(documentedRoutes(document).sort());
  });

  it('puts the Bearer scheme on exactly the operations that refuse a request without a token', async () => {
    expect(document).toMatchObject({ components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } } });
    for (const route of documentedRoutes(document)) {
      const [method, path] = route.split(' ') as [string, string];
      const operation = document.paths[path]![method.toLowerCase() as (typeof METHODS)[number]]!;
      const response = await request(app)[method.toLowerCase() as 'get'](concrete(path)).send({});
      const documentedBearer = (operation.security ?? []).some((requirement) => 'bearerAuth' in requirement);
      if (documentedBearer) expect({ route, status: response.status, code: response.body.code }).toEqual({ route, status: 401, code: 'AUTH_REQUIRED' });
      else expect({ route, status: response.status }).not.toEqual({ route, status: 401 });
    }
  });

  it('rejects in its request schemas what the routes reject, and accepts what they accept', async () => {
    const register = schemaAt('components', 'schemas', 'RegisterRequest');
    const tag = randomBytes(5).toString('hex');
    const bad = [{ email: 'not-an-email', password: 'correct horse battery' }, { email: `a_${tag}@example.com`, password: 'short' }, { email: `a_${tag}@example.com` }, { email: `a_${tag}@example.com`, password: 'correct horse battery', username: 'x' }];
    for (const body of bad) {
      expect(register(body)).toBe(false);
      const response = await request(app).post('/api/auth/register').send(body).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
    const good = { email: `a_${tag}@example.com`, password: 'correct horse battery', username: `a_${tag}` };
    expect(register(good)).toBe(true);
    await request(app).post('/api/auth/register').send(good).expect(201);

    const login = schemaAt('components', 'schemas', 'LoginRequest');
    expect(login({ password: 'correct horse battery' })).toBe(false);
    await request(app).post('/api/auth/login').send({ password: 'correct horse battery' }).expect(400);
    expect(login({ username: good.username, password: good.password })).toBe(true);
    await request(app).post('/api/auth/login').send({ username: good.username, password: good.password }).expect(200);

    const { token } = (await request(app).post('/api/auth/login').send({ email: good.email, password: good.password }).expect(200)).body as { token: string };
    const tickers = schemaAt('components', 'schemas', 'TickersRequest');
    for (const body of [{ tickers: [] }, { tickers: [1] }, { tickers: Array.from({ length: 101 }, (_, index) => `T${index}`) }, { tickers: 'A'.repeat(33) }]) {
      expect(tickers(body)).toBe(false);
      await request(app).post('/api/stocks/watchlist').set('Authorization', `Bearer ${token}`).send(body).expect(400);
    }
    expect(tickers({ tickers: 'aapl' })).toBe(true);
    await request(app).post('/api/stocks/watchlist').set('Authorization', `Bearer ${token}`).send({ tickers: 'aapl' }).expect(201);

    const symbol = schemaAt('paths', '/api/stock/{symbol}', 'get', 'parameters', 0, 'schema');
    for (const bad of ['$$$', '.A', `A${'B'.repeat(20)}`]) {
      expect(symbol(bad)).toBe(false);
      await request(app).get(`/api/stock/${encodeURIComponent(bad)}`).expect(400);
    }
    expect(symbol(' brk-b ')).toBe(true);

    const chart = document.paths['/api/stock/{symbol}/chart']!.get as unknown as { parameters: Array<{ name: string }> };
    const interval = schemaAt('paths', '/api/stock/{symbol}/chart', 'get', 'parameters', chart.parameters.findIndex(({ name }) => name === 'interval'), 'schema');
    expect(interval('7m')).toBe(false);
    await request(app).get('/api/stock/AAPL/chart?interval=7m').expect(400);

    const query = schemaAt('paths', '/api/search/{query}', 'get', 'parameters', 0, 'schema');
    expect(query('q'.repeat(51))).toBe(false);
    await request(app).get(`/api/search/${'q'.repeat(51)}`).expect(400);
  });

  it('describes what every route answers, successes and errors', async () => {
    const tag = randomBytes(5).toString('hex');
    const account = { email: `b_${tag}@example.com`, password: 'correct horse battery', username: `b_${tag}` };
    const registered = await request(app).post('/api/auth/register').send(account);
    expectDocumented('post', '/api/auth/register', registered);
    expectDocumented('post', '/api/auth/register', await request(app).post('/api/auth/register').send(account));
    expectDocumented('post', '/api/auth/register', await request(app).post('/api/auth/register').send({}));
    expectDocumented('post', '/api/auth/register', await request(app).post('/api/auth/register').set('Content-Type', 'application/json').send('{"email":'));
    const login = await request(app).post('/api/auth/login').send({ email: account.email, password: account.password });
    expectDocumented('post', '/api/auth/login', login);
    expectDocumented('post', '/api/auth/login', await request(app).post('/api/auth/login').send({ email: account.email, password: 'wrong password' }));
    const auth = `Bearer ${login.body.token as string}`;
    expectDocumented('get', '/api/auth/me', await request(app).get('/api/auth/me').set('Authorization', auth));
    expectDocumented('get', '/api/auth/me', await request(app).get('/api/auth/me').set('Authorization', 'Bearer not.a.token'));

    expectDocumented('post', '/api/stocks/watchlist', await request(app).post('/api/stocks/watchlist').set('Authorization', auth).send({ tickers: ['msft', '$$$'] }));
    expectDocumented('post', '/api/stocks/watchlist', await request(app).post('/api/stocks/watchlist').set('Authorization', auth).send({ tickers: ['$$$'] }));
    expectDocumented('get', '/api/stocks/watchlist', await request(app).get('/api/stocks/watchlist').set('Authorization', auth));
    // A symbol nobody asked for yet has no cached quote: its item carries `quote: null`.
    const fresh = `Q${tag.toUpperCase()}`;
    expectDocumented('post', '/api/watchlist', await request(app).post('/api/watchlist').set('Authorization', auth).send({ symbol: fresh.toLowerCase() }));
    expectDocumented('post', '/api/watchlist', await request(app).post('/api/watchlist').set('Authorization', auth).send({ symbol: fresh }));
    const quoteOf = (response: Response) => response.body.items.find((item: { symbol: string }) => item.symbol === fresh).quote;
    const beforeQuotes = await request(app).get('/api/watchlist').set('Authorization', auth);
    expect(quoteOf(beforeQuotes)).toBeNull();
    expectDocumented('get', '/api/watchlist', beforeQuotes);

    expectDocumented('get', '/api/stock/{symbol}', await request(app).get(`/api/stock/${fresh}`));
    expectDocumented('get', '/api/stock/{symbol}', await request(app).get('/api/stock/$$$'));
    const withQuotes = await request(app).get('/api/watchlist').set('Authorization', auth);
    expect(quoteOf(withQuotes)).toMatchObject({ symbol: fresh, source: 'simulated' });
    expectDocumented('get', '/api/watchlist', withQuotes);
    expectDocumented('get', '/api/stocks/search/{ticker}', await request(app).get('/api/stocks/search/msft').set('Authorization', auth));
    expectDocumented('get', '/api/stock/{symbol}/chart', await request(app).get('/api/stock/AAPL/chart?range=5d&interval=1h'));
    expectDocumented('get', '/api/stock/{symbol}/chart', await request(app).get('/api/stock/AAPL/chart?range=nope'));
    expectDocumented('get', '/api/search/{query}', await request(app).get('/api/search/apple'));
    expectDocumented('get', '/api/market/overview', await request(app).get('/api/market/overview'));

    expectDocumented('delete', '/api/watchlist/{symbol}', await request(app).delete(`/api/watchlist/${fresh}`).set('Authorization', auth));
    expectDocumented('delete', '/api/watchlist/{symbol}', await request(app).delete(`/api/watchlist/${fresh}`).set('Authorization', auth));
    expectDocumented('delete', '/api/stocks/watchlist', await request(app).delete('/api/stocks/watchlist').set('Authorization', auth).send({ tickers: ['MSFT'] }));

    for (const path of ['/api/health', '/health', '/livez', '/readyz', '/api/openapi.json']) expectDocumented('get', path, await request(app).get(path));
  });

  it('serves the Swagger UI page and its assets from this server, loading only same-origin scripts', async () => {
    await request(app).get('/api/docs?x=1').expect(301).expect('Location', 'docs/?x=1');
    const page = await request(app).get('/api/docs/').expect(200).expect('Content-Type', /text\/html/);
    // helmet's CSP allows scripts from this origin only: no inline script, no CDN.
    const policy = page.headers['content-security-policy'] as string;
    expect(policy).toMatch(/(^|;)script-src 'self'(;|$)/);
    expect(policy).toMatch(/(^|;)default-src 'self'(;|$)/);
    // Over plain HTTP (any host but localhost) upgrading would send the page's assets to https://.
    expect(policy).not.toMatch(/upgrade-insecure-requests/);
    // The same policy as the rest of the app: the docs page needs no exception of its own.
    const elsewhere = await request(app).get('/livez').expect(200);
    expect(policy).toBe(elsewhere.headers['content-security-policy']);
    const scripts = [...page.text.matchAll(/<script([^>]*)>/g)].map(([, attributes]) => attributes!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) expect(attributes).toMatch(/src=["']\.\/[\w.-]+\.js["']/);
    const assets = [...page.text.matchAll(/(?:src|href)=["']\.\/([\w.-]+)["']/g)].map(([, name]) => name!);
    expect(assets).toEqual(expect.arrayContaining(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-init.js']));
    for (const asset of assets) await request(app).get(`/api/docs/${asset}`).expect(200);
    const init = await request(app).get('/api/docs/swagger-ui-init.js').expect('Content-Type', /javascript/);
    expect(init.text).toContain('"swaggerUrl": "/api/openapi.json"');
    // swagger-ui-dist's own demo page (the petstore) is not ours to serve.
    const demo = await request(app).get('/api/docs/index.html').expect(404);
    expect(demo.body.code).toBe('NOT_FOUND');
  });
});
