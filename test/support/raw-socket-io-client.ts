// A Socket.IO client over a bare TCP socket, for tests that need a client which can stop reading
// for real (socket.io-client cannot: its transport keeps reading into memory).
import { randomBytes } from 'node:crypto';
import { connect, type Socket as TcpSocket } from 'node:net';

const OPCODE_TEXT = 0x1;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;

/** Just enough of RFC 6455 and the Engine.IO/Socket.IO protocols to connect and subscribe. */
export class RawSocketIoClient {
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
      const opcode = this.buffer[0]! & 0x0f;
      const payload = this.buffer.subarray(offset, offset + length);
      this.buffer = this.buffer.subarray(offset + length);
      // As every WebSocket client does: a ping is answered with a pong carrying its payload.
      if (opcode === OPCODE_PING) this.sendFrame(OPCODE_PONG, Buffer.from(payload));
      else if (opcode === OPCODE_TEXT) this.onText(payload.toString());
    }
  }

  private onText(text: string): void {
    // Engine.IO's heartbeat, answered as socket.io-client does.
    if (text === '2') return this.send('3');
    this.messages.push(text);
  }

  /** Sends one masked frame, as a client must. */
  private sendFrame(opcode: number, payload: Buffer): void {
    const mask = randomBytes(4);
    const first = 0x80 | opcode;
    const header = payload.length < 126 ? Buffer.from([first, 0x80 | payload.length]) : Buffer.from([first, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
    const masked = payload.map((byte, index) => byte ^ mask[index % 4]!);
    this.tcp.write(Buffer.concat([header, mask, masked]));
  }

  send(text: string): void {
    this.sendFrame(OPCODE_TEXT, Buffer.from(text));
  }

  /** Every message received so far, in order (heartbeats left out). */
  received(): readonly string[] {
    return [...this.messages];
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

  resumeReading(): void {
    this.tcp.resume();
  }
}
