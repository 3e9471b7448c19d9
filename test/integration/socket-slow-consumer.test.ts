// A client that stops reading must not grow the server's memory without bound. A raw WebSocket
// client (plain TCP, so it can stop reading for real) connects, authenticates and subscribes, then
// pauses its socket; the server pushes large updates until the slow-consumer check cuts it off.
import { randomBytes } from 'node:crypto';
import { connect, type Socket as TcpSocket } from 'node:net';
import { tickerRoom } from '../../lib/realtime/rooms.js';
import { readLiveDemand } from '../../lib/demand/live-demand.js';
import { subscribe } from '../../lib/realtime/client.js';
import type { TickwireSocket } from '../../apps/web/socket/types.js';
import type { StockUpdate } from '../../lib/realtime/events.js';
import { eventually } from '../support/processes.js';
import { nextEvent, registerUser, sleep, SocketClients, startSocketWeb, within, type SocketWeb, type TestUser } from '../support/socket-web.js';

/** Just enough of RFC 6455 and the Engine.IO/Socket.IO protocols to connect and subscribe. */
class RawSocketIoClient {
  private buffer = Buffer.alloc(0);
  private head: string | undefined;
  private readonly messages: string[] = [];
  private waiters: Array<() => void> = [];

  private constructor(readonly tcp: TcpSocket) {
    tcp.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      if (this.head === undefined) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        this.head = this.buffer.subarray(0, end).toString('latin1');
        this.buffer = this.buffer.subarray(end + 4);
      }
      this.readFrames();
      this.wake();
    });
  }

  static async open(url: string): Promise<RawSocketIoClient> {
    const { hostname, port } = new URL(url);
    const tcp = connect(Number(port), hostname);
    await new Promise<void>((resolve, reject) => tcp.once('connect', resolve).once('error', reject));
    const client = new RawSocketIoClient(tcp);
    const key = randomBytes(16).toString('base64');
    tcp.write(
      `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await client.until(() => client.head !== undefined, 'the upgrade response');
    if (!client.head!.startsWith('HTTP/1.1 101')) throw new Error(`upgrade refused: ${client.head}`);
    return client;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private async until(done: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  private readFrames(): void {
    for (;;) {
      if (this.buffer.length < 2) return;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + length) return;
      this.messages.push(this.buffer.subarray(offset, offset + length).toString());
      this.buffer = this.buffer.subarray(offset + length);
    }
  }

  /** Sends one masked text frame, as a client must. */
  send(text: string): void {
    const payload = Buffer.from(text);
    const mask = randomBytes(4);
    const header = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
    const masked = payload.map((byte, index) => byte ^ mask[index % 4]!);
    this.tcp.write(Buffer.concat([header, mask, masked]));
  }

  /** Waits for a message starting with `prefix`. */
  async receive(prefix: string): Promise<string> {
    const find = () => this.messages.find((message) => message.startsWith(prefix));
    await this.until(() => find() !== undefined, `message starting with ${prefix}`);
    return find()!;
  }

  /** Stops reading: the kernel buffers fill, then the server's output backs up. */
  stopReading(): void {
    this.tcp.pause();
  }
}

const LIMITS = { checkIntervalMs: 100, maxPendingPackets: 20, maxBufferedBytes: 512 * 1024 };

describe('slow consumers', () => {
  let web: SocketWeb;
  let user: TestUser;
  const clients = new SocketClients();
  let raw: RawSocketIoClient | undefined;

  beforeAll(async () => {
    web = await startSocketWeb({ slowConsumers: LIMITS });
    user = await registerUser(web);
  });
  afterEach(() => {
    clients.closeAll();
    raw?.tcp.destroy();
  });
  afterAll(() => web?.close());

  it('disconnects a socket that stops reading, and keeps serving one that reads', async () => {
    const serverSide = new Promise<TickwireSocket>((resolve) => web.sockets.io.once('connection', resolve));
    raw = await RawSocketIoClient.open(web.url);
    expect(await raw.receive('0{')).toContain('"sid"');
    raw.send(`40${JSON.stringify({ token: user.token })}`);
    await raw.receive('40{');
    raw.send('42["subscribe",["SLOW"]]');
    expect(await raw.receive('42["subscribed"')).toBe('42["subscribed",["SLOW"]]');
    const slow = await serverSide;
    const slowReason = new Promise<string>((resolve) => slow.once('disconnect', resolve));
    await eventually(async () => ((await readLiveDemand(web.context.cache, web.keys)).includes('SLOW') ? true : undefined), 3000, 20);

    const reader = await clients.connected(web.url, user.token);
    await subscribe(reader, ['STEADY']);
    raw.stopReading();

    // 100 KB updates until the server gives up on the slow socket: kernel buffers on loopback take
    // a few MB (it was cut after about 8.5 MB here), so 100 MB bounds the test if it never is.
    const big = { SLOW: { symbol: 'SLOW', shortName: 'x'.repeat(100_000) } } as unknown as StockUpdate;
    let disconnected = false;
    void slowReason.then(() => (disconnected = true));
    let pushedBytes = 0;
    while (pushedBytes < 100_000_000 && !disconnected) {
      for (let index = 0; index < 5; index += 1) web.sockets.io.local.to(tickerRoom('SLOW')).emit('stock_update', big);
      pushedBytes += 5 * 100_000;
      await sleep(5);
    }
    // `server namespace disconnect` is the slow-consumer check; a ping timeout would say so.
    expect(await within(slowReason, 3000, () => `still connected after ${pushedBytes} bytes`)).toBe('server namespace disconnect');
    // The connection is dropped too, not left waiting to flush what the client will never read.
    await eventually(async () => (slow.conn.readyState === 'closed' ? true : undefined), 3000, 20);
    await eventually(async () => ((await readLiveDemand(web.context.cache, web.keys)).includes('SLOW') ? undefined : true), 3000, 20);

    // The reading client was never in danger and still gets its updates.
    const steady = nextEvent(reader, 'stock_update');
    web.sockets.io.to(tickerRoom('STEADY')).emit('stock_update', { STEADY: { symbol: 'STEADY' } } as unknown as StockUpdate);
    expect(await steady).toEqual({ STEADY: { symbol: 'STEADY' } });
    expect(reader.connected).toBe(true);
  });
});
