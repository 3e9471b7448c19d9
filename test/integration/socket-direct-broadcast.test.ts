// Quote broadcasts reach an idle WebSocket directly (apps/web/socket/direct-broadcast.ts), past
// engine.io's per-packet queue, those of one turn of the event loop in one write; anything else
// takes engine.io's path. Either way a client gets its messages in the order the server sent them.
// engine.io raises `packetCreate` for each packet it queues, so counting those tells which path a
// message took; the TCP socket's own write methods, watched, tell how many writes the kernel got.
import type { Socket as TcpSocket } from 'node:net';
import { subscribe } from '../../lib/realtime/client.js';
import { createQuoteEmitter } from '../../lib/realtime/emitter.js';
import { createQuoteStore } from '../../lib/quotes/quote-store.js';
import { tickerRoom } from '../../lib/realtime/rooms.js';
import type { StockUpdate } from '../../lib/realtime/events.js';
import type { TickwireSocket } from '../../apps/web/socket/types.js';
import { rawWebSocket } from '../../apps/web/socket/raw-transport.js';
import { pingWithNextWrite } from '../../apps/web/socket/direct-broadcast.js';
import { sampleProviderQuote } from '../support/quotes.js';
import { eventually } from '../support/processes.js';
import { recordEvents, sleep, socketWebPerFile, type RecordedEvent, type SocketWeb, type TestUser } from '../support/socket-web.js';

describe('direct broadcast writes', () => {
  let web: SocketWeb;
  let user: TestUser;
  const clients = socketWebPerFile({}, (started, registered) => {
    web = started;
    user = registered;
  });

  /** A client subscribed to `ticker`, its server-side socket, and what engine.io queues for it from now on. */
  const subscribedClient = async (ticker: string) => {
    const serverSide = new Promise<TickwireSocket>((resolve) => web.sockets.io.once('connection', resolve));
    const client = await clients.connected(web.url, user.token);
    await subscribe(client, [ticker]);
    const socket = await serverSide;
    // The subscribe answers' write callbacks: engine.io holds nothing for the socket after them.
    await sleep(50);
    const queuedByEngineIo: unknown[] = [];
    socket.conn.on('packetCreate', (packet: unknown) => queuedByEngineIo.push(packet));
    return { client, socket, queuedByEngineIo, events: recordEvents(client) };
  };

  /** The frames of each write the socket's TCP socket hands to the kernel from now on (1 for a plain write). */
  const watchTcpWrites = (socket: TickwireSocket) => {
    const tcp = (rawWebSocket(socket.conn) as unknown as { _socket: TcpSocket })._socket;
    const writes: number[] = [];
    const { _write: write, _writev: writev } = tcp;
    tcp._write = function (...args: Parameters<TcpSocket['_write']>) {
      writes.push(1);
      return write.apply(this, args);
    };
    tcp._writev = function (...args: Parameters<NonNullable<TcpSocket['_writev']>>) {
      writes.push(args[0].length);
      return writev!.apply(this, args);
    };
    return writes;
  };

  const update = (ticker: string, price: number) => ({ [ticker]: { symbol: ticker, price } }) as unknown as StockUpdate;

  const prices = (events: readonly RecordedEvent[], ticker: string) =>
    events.filter(({ event }) => event === 'stock_update').map(({ args }) => (args[0] as Record<string, { price: number }>)[ticker]?.price);

  it("writes the workers' quote broadcasts to an idle socket directly, every one of them, in order", async () => {
    const { queuedByEngineIo, events } = await subscribedClient('DIRECT');
    const store = createQuoteStore(web.context.cache, web.keys);
    const emitter = createQuoteEmitter(web.context.cache, web.keys.socketIo);
    for (let round = 1; round <= 5; round += 1) {
      const [quote] = await store.store([sampleProviderQuote('DIRECT', { price: 100 + round })], new Date());
      emitter.emitQuotes([quote!]);
      await sleep(20);
    }
    await eventually(async () => (prices(events, 'DIRECT').length === 5 ? true : undefined), 5000, 20);
    expect(prices(events, 'DIRECT')).toEqual([101, 102, 103, 104, 105]);
    expect(queuedByEngineIo).toEqual([]);
  });

  it('sends a broadcast through engine.io, after them, while engine.io holds packets for the socket', async () => {
    const { socket, queuedByEngineIo, events } = await subscribedClient('QUEUED');
    const update = { QUEUED: { symbol: 'QUEUED', price: 1 } } as unknown as StockUpdate;
    // In one turn of the event loop: the first packet is written at once and engine.io waits for its
    // write callback, so it holds the second; the broadcast must not overtake it.
    socket.emit('subscribed', ['FIRST']);
    socket.emit('subscribed', ['SECOND']);
    web.sockets.io.local.to(tickerRoom('QUEUED')).emit('stock_update', update);
    socket.emit('subscribed', ['THIRD']);
    await eventually(async () => (events.length === 4 ? true : undefined), 5000, 20);
    expect(events).toEqual([
      { event: 'subscribed', args: [['FIRST']] },
      { event: 'subscribed', args: [['SECOND']] },
      { event: 'stock_update', args: [update] },
      { event: 'subscribed', args: [['THIRD']] },
    ]);
    expect(queuedByEngineIo).toHaveLength(4);
  });

  it("writes one turn's broadcasts to a socket in one write, in order", async () => {
    const { socket, queuedByEngineIo, events } = await subscribedClient('ONEWRITE');
    const writes = watchTcpWrites(socket);
    for (const price of [1, 2, 3]) web.sockets.io.local.to(tickerRoom('ONEWRITE')).emit('stock_update', update('ONEWRITE', price));
    await eventually(async () => (prices(events, 'ONEWRITE').length === 3 ? true : undefined), 5000, 20);
    expect(prices(events, 'ONEWRITE')).toEqual([1, 2, 3]);
    expect(writes).toEqual([3]);
    expect(queuedByEngineIo).toEqual([]);
  });

  it("writes the broadcasts held for a socket before a packet of the same turn on engine.io's path", async () => {
    const { socket, queuedByEngineIo, events } = await subscribedClient('HELD');
    const writes = watchTcpWrites(socket);
    web.sockets.io.local.to(tickerRoom('HELD')).emit('stock_update', update('HELD', 1));
    web.sockets.io.local.to(tickerRoom('HELD')).emit('stock_update', update('HELD', 2));
    socket.emit('subscribed', ['AFTER']);
    await eventually(async () => (events.length === 3 ? true : undefined), 5000, 20);
    expect(events).toEqual([
      { event: 'stock_update', args: [update('HELD', 1)] },
      { event: 'stock_update', args: [update('HELD', 2)] },
      { event: 'subscribed', args: [['AFTER']] },
    ]);
    // The two held frames in one write, then engine.io's packet (its header and payload).
    expect(writes[0]).toBe(2);
    expect(queuedByEngineIo).toHaveLength(1);
  });

  it('sends a ping asked for with the next broadcast, in the same write', async () => {
    const { socket, events } = await subscribedClient('PINGED');
    const writes = watchTcpWrites(socket);
    const pong = new Promise<void>((resolve) => rawWebSocket(socket.conn)!.on('pong', () => resolve()));
    let sent = 0;
    pingWithNextWrite(socket.conn, () => (sent += 1));
    web.sockets.io.local.to(tickerRoom('PINGED')).emit('stock_update', update('PINGED', 1));
    await pong;
    expect(sent).toBe(1);
    expect(writes).toHaveLength(1);
    await eventually(async () => (prices(events, 'PINGED').length === 1 ? true : undefined), 5000, 20);
    expect(prices(events, 'PINGED')).toEqual([1]);
  });

  it("writes a subscribe's snapshot of cached quotes in one write, after the answer", async () => {
    const { client, socket, events } = await subscribedClient('SNAPA');
    const tickers = ['SNAPB', 'SNAPC', 'SNAPD'];
    await createQuoteStore(web.context.cache, web.keys).store(tickers.map((ticker) => sampleProviderQuote(ticker, { price: 7 })), new Date());
    const writes = watchTcpWrites(socket);
    await subscribe(client, tickers);
    await eventually(async () => (events.length === 1 + tickers.length ? true : undefined), 5000, 20);
    expect(events.map(({ event, args }) => (event === 'stock_update' ? Object.keys(args[0] as object) : event))).toEqual(['subscribed', ['SNAPB'], ['SNAPC'], ['SNAPD']]);
    expect(writes.at(-1)).toBe(tickers.length);
  });
});
