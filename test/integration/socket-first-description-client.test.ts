// A socket client written for the first description (plain JS, io(url, { auth: { token } }),
// subscribe with an array and no ack) works unchanged: it gets welcome, subscribed, a snapshot
// and a live stock_update, then unsubscribed.
import type { Quote } from '../../lib/quotes/quote.js';
import { createQuoteEmitter } from '../../lib/realtime/emitter.js';
import { startProcess } from '../support/processes.js';
import { registerUser, startSocketWeb, type SocketWeb } from '../support/socket-web.js';
import { sampleQuote } from '../support/quotes.js';

const quote = (symbol: string, price: number): Quote => sampleQuote(symbol, { price });

describe('a socket client of the first description', () => {
  let web: SocketWeb;

  beforeAll(async () => {
    web = await startSocketWeb();
  });
  afterAll(() => web?.close());

  it('connects, subscribes, gets a snapshot and a live update, and unsubscribes', async () => {
    const user = await registerUser(web);
    // AAPL is cached (its price comes as the snapshot); MSFT is not, so its price comes live.
    await web.context.cache.set(web.keys.quote('AAPL'), JSON.stringify(quote('AAPL', 189.84)));
    const client = startProcess('test/clients/first-description-socket-client.mjs', { SERVER_URL: web.url, JWT_TOKEN: user.token });
    try {
      await client.waitForOutput(/subscribed: AAPL,MSFT/);
      await client.waitForOutput(/stock_update: AAPL 189\.84/);
      createQuoteEmitter(web.context.cache, web.keys.socketIo).emitQuotes([quote('MSFT', 420.5)]);
      await client.waitForOutput(/first-description socket client: (OK|FAILED)/);
      // It exits by itself once disconnected, with nothing left open.
      const exitCode = client.alive ? await new Promise((resolve) => client.child.once('exit', resolve)) : client.child.exitCode;
      expect(exitCode).toBe(0);
      const lines = client.output().trim().split('\n');
      expect(lines.slice(1)).toEqual([
        'welcome: Connected to Tickwire',
        'subscribed: AAPL,MSFT',
        'stock_update: AAPL 189.84',
        'stock_update: MSFT 420.5',
        'unsubscribed: AAPL,MSFT',
        'first-description socket client: OK',
      ]);
      expect(lines[0]).toMatch(/^connected: /);
    } finally {
      await client.stop();
    }
  });
});
