// The demo page's files as the web app serves them (no browser: test/browser/ drives the page):
// `/` is the HTML under helmet's CSP, every module the page imports is served as JavaScript, the
// vendored libraries (Socket.IO's client, uPlot) are the installed ones, and the static files
// shadow nothing else.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { PUBLIC_DIR } from '../../apps/web/static-files.js';
import { ROOT } from '../support/processes.js';
import { startTestWeb, type TestWeb } from '../support/web.js';

/** The modules a script imports with static `import ... from '...'` statements. */
function importsOf(source: string): string[] {
  return [...source.matchAll(/^\s*import\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((match) => match[1]!);
}

describe('demo page files', () => {
  let web: TestWeb;
  let app: TestWeb['app'];

  beforeAll(async () => {
    web = await startTestWeb();
    app = web.app;
  });
  afterAll(() => web?.close());

  it('finds the public folder at the package root, whatever the working directory', () => {
    expect(PUBLIC_DIR).toBe(path.join(ROOT, 'apps', 'web', 'public'));
  });

  it('answers GET / with the page as UTF-8 HTML, under the default CSP', async () => {
    const response = await request(app).get('/').expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.text).toBe(await readFile(path.join(PUBLIC_DIR, 'index.html'), 'utf8'));
    expect(response.text).toContain('<script type="module" src="/app.js"></script>');
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    await request(app).head('/').expect(200);
  });

  it('holds no inline script, inline handler or inline style the CSP would refuse', async () => {
    const html = (await request(app).get('/').expect(200)).text;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\ssrc="\//);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
  });

  it('serves the stylesheet, the icon and every module the page imports, with their types', async () => {
    const css = await request(app).get('/style.css').expect(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const icon = await request(app).get('/favicon.svg').expect(200);
    expect(icon.headers['content-type']).toBe('image/svg+xml');

    // Walk the import graph from /app.js, as the browser does: a missing or misnamed module fails here.
    const seen = new Set<string>();
    const pending = ['/app.js'];
    while (pending.length > 0) {
      const url = pending.pop()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const response = await request(app).get(url);
      expect([url, response.status]).toEqual([url, 200]);
      // Browsers refuse a module script served as anything but JavaScript (nosniff).
      expect([url, response.headers['content-type']]).toEqual([url, 'text/javascript; charset=utf-8']);
      for (const imported of importsOf(response.text)) pending.push(new URL(imported, `http://page${url}`).pathname);
    }
    // Every module in the folder is reached (none is dead), plus the two vendored libraries.
    const own = (await readdir(PUBLIC_DIR)).filter((file) => file.endsWith('.js')).map((file) => `/${file}`);
    expect(own.length).toBeGreaterThan(5);
    expect([...seen].sort()).toEqual([...own, '/vendor/socket.io.esm.min.js', '/vendor/uPlot.esm.js'].sort());
  });

  it('serves the installed socket.io-client bundle (the server\'s own version) and its source map', async () => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, 'node_modules', 'socket.io-client', 'package.json'), 'utf8')) as { version: string };
    const { version: serverVersion } = JSON.parse(await readFile(path.join(ROOT, 'node_modules', 'socket.io', 'package.json'), 'utf8')) as { version: string };
    expect(version).toBe(serverVersion);
    const bundle = await request(app).get('/vendor/socket.io.esm.min.js').expect(200);
    expect(bundle.text).toContain(`Socket.IO v${version}`);
    expect(bundle.text).toMatch(/export\{[^}]*\bas io\b/);
    await request(app).get('/vendor/socket.io.esm.min.js.map').expect(200);
  });

  it('serves the installed uPlot (the chart library) and its stylesheet, which the page links', async () => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, 'node_modules', 'uplot', 'package.json'), 'utf8')) as { version: string };
    const { dependencies } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(dependencies.uplot).toBe(version);
    const bundle = await request(app).get('/vendor/uPlot.esm.js').expect(200);
    expect(bundle.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(bundle.text).toMatch(/export \{ uPlot as default \}|export default uPlot/);
    const css = await request(app).get('/vendor/uPlot.min.css').expect(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.text).toContain('.uplot');
    expect((await request(app).get('/').expect(200)).text).toContain('<link rel="stylesheet" href="/vendor/uPlot.min.css">');
  });

  it('shadows nothing: API errors stay JSON, unknown files 404, and no path leaves the folder', async () => {
    const api = await request(app).get('/api/no-such-route').expect(404);
    expect(api.body).toMatchObject({ code: 'NOT_FOUND' });
    await request(app).get('/no-such-file.js').expect(404);
    await request(app).get('/vendor/other.js').expect(404);
    for (const escape of ['/../package.json', '/%2e%2e/%2e%2e/%2e%2e/package.json', '/..%2f..%2f..%2fpackage.json', '/vendor/..%2f..%2f..%2f..%2fpackage.json']) {
      const response = await request(app).get(escape);
      // The path rides along so a failure names it.
      expect([escape, response.status >= 400, response.text.includes('"name": "tickwire"')]).toEqual([escape, true, false]);
    }
    // Writing methods are not file reads: they fall through to the routes after the page.
    expect((await request(app).post('/index.html').send({})).status).toBe(404);
  });
});
