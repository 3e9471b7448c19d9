// subscribe / unsubscribe against a real server: `subscribed`, `unsubscribed`, the ack, each
// reject code, malformed payloads (never a disconnect), and the live demand they publish.
import type { Socket } from 'socket.io-client';
import { readLiveSubscribers } from '../../lib/demand/live-demand.js';
import { subscribe, unsubscribe, type TickwireClientSocket } from '../../lib/realtime/client.js';
import type { SubscriptionAck } from '../../lib/realtime/events.js';
import { eventually } from '../support/processes.js';
import {
  LIVE_DEMAND_HEARTBEAT_MS,
  nextEvent,
  recordEvents,
  sleep,
  socketWebPerFile,
  type SocketWeb,
  type TestUser,
} from '../support/socket-web.js';

const MAX_SUBSCRIPTIONS = 5;

describe('socket subscriptions', () => {
  let web: SocketWeb;
  let user: TestUser;
  // A small limit to reach LIMIT_EXCEEDED; a high message rate so no test here is rate limited.
  const clients = socketWebPerFile({ overrides: { SOCKET_MAX_SUBSCRIPTIONS: String(MAX_SUBSCRIPTIONS), SOCKET_MESSAGES_PER_SECOND: '1000' } }, (started, registered) => {
    web = started;
    user = registered;
  });

  const connect = () => clients.connected(web.url, user.token);

  /** Sends anything, as a misbehaving client would, and waits for the ack. */
  const sendRaw = (socket: TickwireClientSocket, event: string, ...args: unknown[]): Promise<SubscriptionAck> =>
    (socket as unknown as Socket).timeout(5000).emitWithAck(event, ...args) as Promise<SubscriptionAck>;

  it('subscribes to an array: subscribed lists the normalised tickers, the ack the whole set', async () => {
    const socket = await connect();
    const events = recordEvents(socket);
    const subscribed = nextEvent(socket, 'subscribed');
    const ack = await subscribe(socket, [' aapl', 'msft', 'AAPL']);
    expect(await subscribed).toEqual(['AAPL', 'MSFT']);
    expect(ack).toEqual({ ok: true, subscribed: ['AAPL', 'MSFT'], rejected: [] });

    const second = nextEvent(socket, 'subscribed');
    expect(await subscribe(socket, ['brk-b'])).toEqual({ ok: true, subscribed: ['AAPL', 'BRK-B', 'MSFT'], rejected: [] });
    expect(await second).toEqual(['BRK-B']);
    expect(events.some((event) => event.event === 'subscription_error')).toBe(false);
  });

  it('subscribes to a single string, and confirms a repeated subscribe again (idempotent)', async () => {
    const socket = await connect();
    const first = nextEvent(socket, 'subscribed');
    expect(await subscribe(socket, 'gc=f')).toEqual({ ok: true, subscribed: ['GC=F'], rejected: [] });
    expect(await first).toEqual(['GC=F']);
    const again = nextEvent(socket, 'subscribed');
    expect(await subscribe(socket, ['GC=F', '^gspc'])).toEqual({ ok: true, subscribed: ['GC=F', '^GSPC'], rejected: [] });
    expect(await again).toEqual(['GC=F', '^GSPC']);
  });

  it('works without an ack callback, as clients of the first description send it', async () => {
    const socket = await connect();
    const subscribed = nextEvent(socket, 'subscribed');
    socket.emit('subscribe', ['NVDA', 'TSLA']);
    expect(await subscribed).toEqual(['NVDA', 'TSLA']);
    const unsubscribed = nextEvent(socket, 'unsubscribed');
    socket.emit('unsubscribe', ['NVDA']);
    expect(await unsubscribed).toEqual(['NVDA']);
    expect(await subscribe(socket, [])).toEqual({ ok: true, subscribed: ['TSLA'], rejected: [] });
  });

  it('rejects invalid tickers with INVALID_TICKER in subscription_error and the ack, and accepts the rest', async () => {
    const socket = await connect();
    const subscribed = nextEvent(socket, 'subscribed');
    const error = nextEvent(socket, 'subscription_error');
    const ack = await subscribe(socket, ['AAPL', 'bad ticker', '', "X';--", 'A'.repeat(50)]);
    const rejected = [
      { ticker: 'bad ticker', code: 'INVALID_TICKER', reason: expect.any(String) },
      { ticker: '', code: 'INVALID_TICKER', reason: 'ticker is empty' },
      { ticker: "X';--", code: 'INVALID_TICKER', reason: expect.any(String) },
      { ticker: 'A'.repeat(32), code: 'INVALID_TICKER', reason: expect.stringMatching(/too long/) },
    ];
    expect(ack).toEqual({ ok: true, subscribed: ['AAPL'], rejected });
    expect(await subscribed).toEqual(['AAPL']);
    expect(await error).toEqual({ rejected });
  });

  it('sends no subscribed when nothing was accepted, only the subscription_error', async () => {
    const socket = await connect();
    const events = recordEvents(socket);
    const ack = await subscribe(socket, ['no good']);
    expect(ack).toEqual({ ok: true, subscribed: [], rejected: [{ ticker: 'no good', code: 'INVALID_TICKER', reason: expect.any(String) }] });
    expect(events.map((event) => event.event)).toEqual(['subscription_error']);
  });

  it(`accepts up to SOCKET_MAX_SUBSCRIPTIONS (${MAX_SUBSCRIPTIONS}) per socket and rejects the excess with LIMIT_EXCEEDED`, async () => {
    const socket = await connect();
    await subscribe(socket, ['L1', 'L2', 'L3']);
    const subscribed = nextEvent(socket, 'subscribed');
    const error = nextEvent(socket, 'subscription_error');
    // L2 is already there, so it costs nothing; L4 and L5 fill the limit; L6 and L7 are over it.
    const ack = await subscribe(socket, ['L2', 'L4', 'L5', 'L6', 'L7']);
    const limit = (ticker: string) => ({ ticker, code: 'LIMIT_EXCEEDED', reason: expect.stringContaining(String(MAX_SUBSCRIPTIONS)) });
    expect(ack).toEqual({ ok: true, subscribed: ['L1', 'L2', 'L3', 'L4', 'L5'], rejected: [limit('L6'), limit('L7')] });
    expect(await subscribed).toEqual(['L2', 'L4', 'L5']);
    expect(await error).toEqual({ rejected: [limit('L6'), limit('L7')] });

    // Unsubscribing frees room; the limit is per socket, so another socket starts from zero.
    await unsubscribe(socket, ['L1']);
    expect(await subscribe(socket, ['L6'])).toEqual({ ok: true, subscribed: ['L2', 'L3', 'L4', 'L5', 'L6'], rejected: [] });
    const other = await connect();
    expect((await subscribe(other, ['L1', 'L2', 'L3', 'L4', 'L5'])).rejected).toEqual([]);
  });

  it('unsubscribes: unsubscribed lists the tickers left, the ack the remaining set, invalid ones are rejected', async () => {
    const socket = await connect();
    await subscribe(socket, ['AAPL', 'MSFT', 'TSLA']);
    const unsubscribed = nextEvent(socket, 'unsubscribed');
    expect(await unsubscribe(socket, ['msft', 'TSLA'])).toEqual({ ok: true, subscribed: ['AAPL'], rejected: [] });
    expect(await unsubscribed).toEqual(['MSFT', 'TSLA']);

    const single = nextEvent(socket, 'unsubscribed');
    const error = nextEvent(socket, 'subscription_error');
    const ack = await unsubscribe(socket, ['aapl', '$$']);
    expect(ack).toEqual({ ok: true, subscribed: [], rejected: [{ ticker: '$$', code: 'INVALID_TICKER', reason: expect.any(String) }] });
    expect(await single).toEqual(['AAPL']);
    expect(await error).toEqual({ rejected: ack.rejected });

    // Leaving a ticker the socket does not have is confirmed too (idempotent), as a string.
    const again = nextEvent(socket, 'unsubscribed');
    expect(await unsubscribe(socket, 'AAPL')).toEqual({ ok: true, subscribed: [], rejected: [] });
    expect(await again).toEqual(['AAPL']);
  });

  it('refuses malformed payloads with VALIDATION_FAILED, stays connected and keeps working', async () => {
    const socket = await connect();
    await subscribe(socket, ['KEEP']);
    const errors = recordEvents(socket);
    const tenThousand = Array.from({ length: 10_000 }, (_, index) => `T${index}`);
    const cases: Array<[string, unknown[]]> = [
      ['an object', [{ tickers: ['AAPL'] }]],
      ['a number', [42]],
      ['null', [null]],
      ['nested arrays', [[['AAPL'], ['MSFT']]]],
      ['a non-string element', [['AAPL', 7]]],
      ['a 10 000-element array', [tenThousand]],
      ['two payloads', ['AAPL', 'MSFT']],
      ['no payload', []],
    ];
    for (const event of ['subscribe', 'unsubscribe']) {
      for (const [label, args] of cases) {
        const ack = await sendRaw(socket, event, ...args);
        try {
          expect(ack).toEqual({ ok: false, subscribed: ['KEEP'], rejected: [{ ticker: expect.any(String), code: 'VALIDATION_FAILED', reason: expect.any(String) }] });
          expect(ack.rejected[0]!.ticker.length).toBeLessThanOrEqual(40);
        } catch (error) {
          throw new Error(`${event} with ${label}: ${(error as Error).message}`);
        }
      }
    }
    expect(errors.map((event) => event.event)).toEqual(Array.from({ length: cases.length * 2 }, () => 'subscription_error'));
    expect(errors[0]!.args[0]).toEqual({ rejected: [{ ticker: '{"tickers":["AAPL"]}', code: 'VALIDATION_FAILED', reason: expect.any(String) }] });

    // Malformed payloads without an ack are refused the same way, and nothing breaks.
    const error = nextEvent(socket, 'subscription_error');
    (socket as unknown as Socket).emit('subscribe', { not: 'a list' });
    expect(await error).toEqual({ rejected: [{ ticker: '{"not":"a list"}', code: 'VALIDATION_FAILED', reason: expect.any(String) }] });
    expect(socket.connected).toBe(true);
    expect(await subscribe(socket, ['AAPL'])).toEqual({ ok: true, subscribed: ['AAPL', 'KEEP'], rejected: [] });
  });

  it('publishes live demand: subscribing adds a ticker, the last unsubscribe or disconnect removes it', async () => {
    const demand = async () => [...(await readLiveSubscribers(web.context.cache, web.keys)).keys()];
    const until = (check: (symbols: string[]) => boolean) => eventually(async () => (check(await demand()) ? true : undefined), 3000, 20);
    const a = await connect();
    const b = await connect();
    await subscribe(a, ['LIVE1', 'LIVE2']);
    await subscribe(b, ['LIVE2', 'LIVE3']);
    await until((symbols) => ['LIVE1', 'LIVE2', 'LIVE3'].every((symbol) => symbols.includes(symbol)));

    await unsubscribe(a, ['LIVE1', 'LIVE2']);
    // LIVE2 stays: b still holds it.
    await until((symbols) => !symbols.includes('LIVE1') && symbols.includes('LIVE2'));
    expect(await demand()).toContain('LIVE3');

    b.disconnect();
    await until((symbols) => !symbols.includes('LIVE2') && !symbols.includes('LIVE3'));
    // The heartbeat rewrites the process's whole share from its counts: after one, nothing comes back.
    await sleep(LIVE_DEMAND_HEARTBEAT_MS + 200);
    expect((await demand()).filter((symbol) => symbol.startsWith('LIVE'))).toEqual([]);
  });
});
