// Quotes reaching sockets: the snapshot of cached quotes right after subscribing, and live
// `stock_update`s published by the workers' emitter through Redis, delivered only to the ticker's
// room, on whichever of two web processes the subscriber is connected to.
import type { Quote } from '../../lib/quotes/quote.js';
import { createQuoteEmitter, type QuoteEmitter } from '../../lib/realtime/emitter.js';
import { subscribe, unsubscribe } from '../../lib/realtime/client.js';
import { nextEvent, recordEvents, registerUser, SocketClients, startSocketWeb, type SocketWeb, type TestUser } from '../support/socket-web.js';
import { sampleQuote } from '../support/quotes.js';
import { eventually } from '../support/processes.js';

function quoteOf(symbol: string, seq: number, price = 100 + seq): Quote {
  return sampleQuote(symbol, { price, seq });
}

describe('quotes to sockets', () => {
  let a: SocketWeb;
  let b: SocketWeb;
  let user: TestUser;
  let emitter: QuoteEmitter;
  const clients = new SocketClients();

  beforeAll(async () => {
    a = await startSocketWeb();
    // A second web process on the same database and Redis prefix, as production runs them.
    b = await startSocketWeb({ beside: a });
    user = await registerUser(a);
    // The workers' emitter, on a Redis client of its own process (here: A's cache client).
    emitter = createQuoteEmitter(a.context.cache, a.keys.socketIo);
  });
  afterEach(() => clients.closeAll());
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const cache = (quote: Quote) => a.context.cache.set(a.keys.quote(quote.symbol), JSON.stringify(quote));

  it('sends the cached quote of each accepted ticker right after subscribed (the snapshot)', async () => {
    const aapl = quoteOf('AAPL', 1842, 189.84);
    const gspc = quoteOf('^GSPC', 7);
    await Promise.all([cache(aapl), cache(gspc)]);
    const socket = await clients.connected(a.url, user.token);
    const events = recordEvents(socket);
    // No scheduler or worker runs in this test: any stock_update can only be the snapshot.
    const ack = await subscribe(socket, ['aapl', 'NOQUOTE', '^gspc']);
    expect(ack.subscribed).toEqual(['AAPL', 'NOQUOTE', '^GSPC']);
    await eventually(async () => (events.filter((event) => event.event === 'stock_update').length >= 2 ? true : undefined), 10_000, 5);
    expect(events.map((event) => event.event)).toEqual(['subscribed', 'stock_update', 'stock_update']);
    expect(events[0]!.args[0]).toEqual(['AAPL', 'NOQUOTE', '^GSPC']);
    expect(events[1]!.args[0]).toEqual({ AAPL: aapl });
    expect(events[2]!.args[0]).toEqual({ '^GSPC': gspc });
  });

  it('sends the snapshot again when a ticker is subscribed again', async () => {
    const msft = quoteOf('MSFT', 3);
    await cache(msft);
    const socket = await clients.connected(a.url, user.token);
    const first = nextEvent(socket, 'stock_update');
    await subscribe(socket, 'MSFT');
    expect(await first).toEqual({ MSFT: msft });
    const again = nextEvent(socket, 'stock_update');
    await subscribe(socket, 'MSFT');
    expect(await again).toEqual({ MSFT: msft });
  });

  it('delivers a published quote to subscribers of its ticker only, across two web processes', async () => {
    const onA = await clients.connected(a.url, user.token);
    const onB = await clients.connected(b.url, user.token);
    const otherOnB = await clients.connected(b.url, user.token);
    await subscribe(onA, ['LIVE']);
    await subscribe(onB, ['LIVE']);
    await subscribe(otherOnB, ['OTHER']);
    const otherEvents = recordEvents(otherOnB);

    const live = quoteOf('LIVE', 1);
    const other = quoteOf('OTHER', 1);
    const toA = nextEvent(onA, 'stock_update');
    const toB = nextEvent(onB, 'stock_update');
    const toOther = nextEvent(otherOnB, 'stock_update');
    emitter.emitQuotes([live]);
    // Published after LIVE on the same channel: once OTHER arrives, LIVE would have arrived first.
    emitter.emitQuotes([other]);
    expect(await toA).toEqual({ LIVE: live });
    expect(await toB).toEqual({ LIVE: live });
    expect(await toOther).toEqual({ OTHER: other });
    expect(otherEvents.map((event) => event.args[0])).toEqual([{ OTHER: other }]);
  });

  it('stops delivering to a socket that unsubscribed', async () => {
    const leaving = await clients.connected(b.url, user.token);
    const staying = await clients.connected(b.url, user.token);
    await subscribe(leaving, ['GONE']);
    await subscribe(staying, ['GONE']);
    await unsubscribe(leaving, 'GONE');
    const leavingEvents = recordEvents(leaving);

    const update = quoteOf('GONE', 2);
    const received = nextEvent(staying, 'stock_update');
    emitter.emitQuotes([update]);
    expect(await received).toEqual({ GONE: update });
    // Same process, same delivery pass: had `leaving` still been in the room, it would have it too.
    await subscribe(leaving, []);
    expect(leavingEvents.filter((event) => event.event === 'stock_update')).toEqual([]);
  });
});
