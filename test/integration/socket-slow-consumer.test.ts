// A client that stops reading must not grow the server's memory without bound, and must get the
// latest quotes, not a backlog, when it reads again. A raw WebSocket client (plain TCP, so it can
// stop reading for real) connects, authenticates and subscribes, then pauses its socket: once
// while the server pushes large updates until the slow-consumer check cuts it off, once for 30 s
// while its tickers' quotes are stored and emitted every second as the workers do.
import { tickerRoom } from '../../lib/realtime/rooms.js';
import { readLiveSubscribers } from '../../lib/demand/live-demand.js';
import { subscribe } from '../../lib/realtime/client.js';
import type { TickwireSocket } from '../../apps/web/socket/types.js';
import type { StockUpdate } from '../../lib/realtime/events.js';
import { createQuoteEmitter } from '../../lib/realtime/emitter.js';
import { createQuoteStore } from '../../lib/quotes/quote-store.js';
import type { Quote } from '../../lib/quotes/quote.js';
import { sampleProviderQuote } from '../support/quotes.js';
import { eventually } from '../support/processes.js';
import { RawSocketIoClient } from '../support/raw-socket-io-client.js';
import { nextEvent, registerUser, sleep, SocketClients, startSocketWeb, within, type SocketWeb, type TestUser } from '../support/socket-web.js';

const inLiveDemand = async (web: SocketWeb, symbol: string) =>
  (await readLiveSubscribers(web.context.cache, web.keys)).has(symbol);

// Each socket's queued output is read once per 300 ms, a third of the sockets each 100 ms round.
const LIMITS = { checkIntervalMs: 100, limitsEveryMs: 300, maxPendingPackets: 20, maxBufferedBytes: 512 * 1024 };

describe('slow consumers', () => {
  let web: SocketWeb;
  let user: TestUser;
  const clients = new SocketClients();
  const raws: RawSocketIoClient[] = [];

  beforeAll(async () => {
    web = await startSocketWeb({ slowConsumers: LIMITS });
    user = await registerUser(web);
  });
  afterEach(() => {
    clients.closeAll();
    for (const raw of raws.splice(0)) raw.tcp.destroy();
  });
  afterAll(() => web?.close());

  /** A raw client subscribed to `ticker`, and its socket on the server. */
  async function rawSubscriber(ticker: string): Promise<{ raw: RawSocketIoClient; socket: TickwireSocket }> {
    const serverSide = new Promise<TickwireSocket>((resolve) => web.sockets.io.once('connection', resolve));
    const raw = await RawSocketIoClient.open(web.url);
    raws.push(raw);
    expect(await raw.receive('0{')).toContain('"sid"');
    raw.send(`40${JSON.stringify({ token: user.token })}`);
    await raw.receive('40{');
    raw.send(`42["subscribe",["${ticker}"]]`);
    expect(await raw.receive('42["subscribed"')).toBe(`42["subscribed",["${ticker}"]]`);
    return { raw, socket: await serverSide };
  }

  it('disconnects sockets that stop reading, whichever round checks them, and keeps serving one that reads', async () => {
    // Two stalled sockets and the reader: one in each of the three rounds of the sweep.
    const slow = [await rawSubscriber('SLOWA'), await rawSubscriber('SLOWB')];
    const reasons = slow.map(({ socket }) => new Promise<string>((resolve) => socket.once('disconnect', resolve)));
    for (const ticker of ['SLOWA', 'SLOWB']) await eventually(async () => ((await inLiveDemand(web, ticker)) ? true : undefined), 3000, 20);

    const reader = await clients.connected(web.url, user.token);
    await subscribe(reader, ['STEADY']);
    for (const { raw } of slow) raw.stopReading();

    // 100 KB updates until the server gives up on both: kernel buffers on loopback take a few MB
    // (one was cut after about 8.5 MB here), so 100 MB each bounds the test if they never are.
    const big = (symbol: string) => ({ [symbol]: { symbol, shortName: 'x'.repeat(100_000) } }) as unknown as StockUpdate;
    let cut = 0;
    for (const reason of reasons) void reason.then(() => (cut += 1));
    let pushedBytes = 0;
    while (pushedBytes < 100_000_000 && cut < slow.length) {
      for (let index = 0; index < 5; index += 1) for (const symbol of ['SLOWA', 'SLOWB']) web.sockets.io.local.to(tickerRoom(symbol)).emit('stock_update', big(symbol));
      pushedBytes += 5 * 100_000;
      await sleep(5);
    }
    // `server namespace disconnect` is the slow-consumer check; a ping timeout would say so.
    for (const reason of reasons) expect(await within(reason, 3000, () => `still connected after ${pushedBytes} bytes each`)).toBe('server namespace disconnect');
    for (const [index, { socket }] of slow.entries()) {
      // The connection is dropped too, not left waiting to flush what the client will never read.
      await eventually(async () => (socket.conn.readyState === 'closed' ? true : undefined), 3000, 20);
      await eventually(async () => ((await inLiveDemand(web, ['SLOWA', 'SLOWB'][index]!)) ? undefined : true), 3000, 20);
    }

    // The reading client was never in danger and still gets its updates.
    const steady = nextEvent(reader, 'stock_update');
    web.sockets.io.to(tickerRoom('STEADY')).emit('stock_update', { STEADY: { symbol: 'STEADY' } } as unknown as StockUpdate);
    expect(await steady).toEqual({ STEADY: { symbol: 'STEADY' } });
    expect(reader.connected).toBe(true);
  });
});

/** The stock_updates among raw messages (`42["stock_update",{...}]`), in arrival order. */
const stockUpdates = (messages: readonly string[]): Quote[] =>
  messages
    .filter((message) => message.startsWith('42["stock_update"'))
    .flatMap((message) => Object.values((JSON.parse(message.slice(2)) as [string, Record<string, Quote>])[1]));

describe('a client that stops reading for 30 s', () => {
  const TICKERS = ['LAGA', 'LAGB', 'LAGC'];
  const PAUSE_ROUNDS = 30;
  let web: SocketWeb;
  let raw: RawSocketIoClient | undefined;

  // The default slow-consumer limits, for quotes refreshed every second: what a client of such a
  // server sees.
  beforeAll(async () => {
    web = await startSocketWeb({ overrides: { FETCH_INTERVAL_MS: '1000' } });
  });
  afterAll(async () => {
    raw?.tcp.destroy();
    await web?.close();
  });

  it('then receives the latest quote of each ticker, not the 30 it missed', async () => {
    const user = await registerUser(web);
    raw = await RawSocketIoClient.open(web.url);
    await raw.receive('0{');
    raw.send(`40${JSON.stringify({ token: user.token })}`);
    await raw.receive('40{');
    raw.send(`42["subscribe",${JSON.stringify(TICKERS)}]`);
    await raw.receive('42["subscribed"');

    // The workers' path: store (which gives the seq), then emit through Redis to the web's adapter.
    const store = createQuoteStore(web.context.cache, web.keys);
    const emitter = createQuoteEmitter(web.context.cache, web.keys.socketIo);
    const publishRound = async (round: number) => {
      const stored = await store.store(TICKERS.map((symbol) => sampleProviderQuote(symbol, { price: 100 + round })), new Date());
      emitter.emitQuotes(stored);
      return stored;
    };
    // While it reads, every update arrives (and the server has had its pongs).
    await publishRound(0);
    await eventually(async () => (stockUpdates(raw!.received()).filter((quote) => quote.price === 100).length === TICKERS.length ? true : undefined), 5000, 20);
    await sleep(1500);

    raw.stopReading();
    const readBefore = raw.received().length;
    // Judged behind, the socket leaves its ticker rooms. The rounds published while it is still in
    // them are what it may read on its way back: counted, so the bound below follows when the
    // server noticed (a busy machine delays its checks) rather than assuming it.
    const inRooms = () => TICKERS.some((symbol) => web.sockets.io.of('/').adapter.rooms.get(tickerRoom(symbol))?.size);
    let roundsInRooms = 0;
    let latest: Quote[] = [];
    for (let round = 1; round <= PAUSE_ROUNDS; round += 1) {
      if (inRooms()) roundsInRooms = round;
      latest = await publishRound(round);
      await sleep(1000);
    }
    // Noticed within a few rounds (probeEveryMs + behindAfterMs is 1.5 s), not at the end.
    expect(inRooms()).toBe(false);
    expect(roundsInRooms).toBeLessThanOrEqual(10);
    expect(latest).toHaveLength(TICKERS.length);
    raw.resumeReading();

    const latestPrice = 100 + PAUSE_ROUNDS;
    const afterPause = () => stockUpdates(raw!.received().slice(readBefore));
    await eventually(async () => (TICKERS.every((symbol) => afterPause().some((quote) => quote.symbol === symbol && quote.price === latestPrice)) ? true : undefined), 10_000, 20);
    // Anything else still on its way.
    await sleep(2000);

    const received = afterPause();
    for (const symbol of TICKERS) {
      const updates = received.filter((quote) => quote.symbol === symbol);
      const newest = latest.find((quote) => quote.symbol === symbol)!;
      // The last one is the latest quote, with its seq; before it come at most the updates
      // written before the server noticed (a couple at the default limits).
      expect(updates.at(-1)).toMatchObject({ price: latestPrice, seq: newest.seq });
      expect(updates.length).toBeLessThanOrEqual(roundsInRooms + 1);
    }
    // Still connected and served: a fresh update arrives as usual.
    const next = await publishRound(PAUSE_ROUNDS + 1);
    await eventually(async () => (afterPause().some((quote) => quote.seq === next[0]!.seq && quote.symbol === next[0]!.symbol) ? true : undefined), 5000, 20);
  }, 90_000);
});

describe('a client that stays behind', () => {
  // Short bounds, so the test need not wait the default minute.
  const BOUNDS = { checkIntervalMs: 50, probeEveryMs: 200, behindAfterMs: 150, cutAfterMs: 1500 };
  let web: SocketWeb;
  let raw: RawSocketIoClient | undefined;

  beforeAll(async () => {
    web = await startSocketWeb({ slowConsumers: BOUNDS });
  });
  afterAll(async () => {
    raw?.tcp.destroy();
    await web?.close();
  });

  it('is disconnected once behind past the bound, though nothing queued up for it', async () => {
    const user = await registerUser(web);
    const serverSide = new Promise<TickwireSocket>((resolve) => web.sockets.io.once('connection', resolve));
    raw = await RawSocketIoClient.open(web.url);
    await raw.receive('0{');
    raw.send(`40${JSON.stringify({ token: user.token })}`);
    await raw.receive('40{');
    raw.send('42["subscribe",["IDLE"]]');
    await raw.receive('42["subscribed"');
    const socket = await serverSide;
    const reason = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    // Answering its pings, it stays (several probe rounds pass).
    await sleep(1000);
    expect(socket.connected).toBe(true);

    raw.stopReading();
    // No update is sent, so no buffer limit can be what cuts it: only the unanswered ping.
    expect(await within(reason, 10_000, () => 'still connected 10 s after it stopped reading')).toBe('server namespace disconnect');
    await eventually(async () => ((await inLiveDemand(web, 'IDLE')) ? undefined : true), 3000, 20);
  });
});
