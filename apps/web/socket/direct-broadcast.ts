// Broadcast frames written straight to the TCP socket. For a broadcast (a quote to a ticker room)
// Socket.IO encodes the packet once and precomputes its WebSocket frame (`wsPreEncodedFrame`),
// yet engine.io still queues, flushes, and waits for a write callback for each recipient, and ws
// writes the frame's header and payload as two buffers. When nothing is waiting ahead of a
// recipient's packet, its frame goes to the socket with the other broadcasts of the same turn of
// the event loop, in one write; the bytes on the wire are the same. At 30 000 deliveries a second
// (bench/fanout) writing directly took the web process from 62-65 % of a core to 53-58 %, what was
// left being almost all the kernel's writes. One write per socket and turn took it to 46-47 %: a
// 50-ticker wave's 3 000 deliveries (clients on 10 of 500 tickers) became ~1 950 writes, and the
// more of a socket's tickers one turn brings, the fewer writes.
// Anything else (a queue at engine.io or ws, long polling, a closing socket, compression, a
// volatile or non-broadcast packet) takes Socket.IO's own path, so the order of a socket's
// messages never changes: both paths end in the same TCP socket's buffer, in call order.
//
// None of this is public API of socket.io, engine.io or ws (their shapes are checked at runtime;
// where they differ, a client keeps Socket.IO's path). Nothing of Tickwire listens to engine.io's
// per-packet events (`packetCreate`, `flush`, `drain`) or to outgoing packets (`onAnyOutgoing`),
// which a direct write does not raise. Slow-consumer limits still see such output: it is held in
// the TCP socket's buffer, which ws's `bufferedAmount` counts.
import { Buffer } from 'node:buffer';
import { rawWebSocket, WEBSOCKET_OPEN, type RawWebSocket } from './raw-transport.js';

type WriteToEngine = (encodedPackets: unknown, options?: { wsPreEncodedFrame?: unknown; volatile?: boolean }) => void;

/** What a direct write needs of ws beyond `RawWebSocket`: its frame queue and its TCP socket. */
interface DirectSocket extends RawWebSocket {
  readonly _sender: { readonly _queue: readonly unknown[] };
  readonly _socket: { write(chunk: Buffer): boolean; cork(): void; uncork(): void };
}

/** The frame of the broadcast being written, as one buffer: every recipient of it gets the same bytes. */
let lastFrame: unknown;
let lastFrameBytes: Buffer | undefined;

function frameBytes(frame: unknown): Buffer | undefined {
  if (frame === lastFrame) return lastFrameBytes;
  if (!Array.isArray(frame) || frame.length === 0 || !frame.every((part) => Buffer.isBuffer(part))) return undefined;
  lastFrame = frame;
  lastFrameBytes = frame.length === 1 ? frame[0] : Buffer.concat(frame);
  return lastFrameBytes;
}

/** Each transport's WebSocket, or null when it lacks what a direct write needs: checked once per transport. */
const checkedSockets = new WeakMap<object, DirectSocket | null>();

function writableWebSocket(conn: object, transport: object): DirectSocket | null {
  const socket = rawWebSocket(conn) as (RawWebSocket & Partial<DirectSocket>) | undefined;
  // With compression ws deflates asynchronously, so a message in the works could be overtaken
  // (engine.io itself then never uses the precomputed frame).
  if (!socket || Reflect.get(transport, 'perMessageDeflate')) return null;
  if (!Array.isArray(socket._sender?._queue) || typeof socket._socket?.write !== 'function' || typeof socket._socket.uncork !== 'function') return null;
  return socket as DirectSocket;
}

/** The WebSocket to write to directly, when nothing is queued ahead of a new packet. */
function idleWebSocket(conn: object): DirectSocket | undefined {
  // Not pendingPackets(): a writeBuffer of another shape must mean "not idle" here, not "empty".
  const writeBuffer: unknown = Reflect.get(conn, 'writeBuffer');
  if (Reflect.get(conn, 'readyState') !== 'open' || !Array.isArray(writeBuffer) || writeBuffer.length > 0) return undefined;
  const transport: unknown = Reflect.get(conn, 'transport');
  if (typeof transport !== 'object' || transport === null) return undefined;
  let socket = checkedSockets.get(transport);
  if (socket === undefined) checkedSockets.set(transport, (socket = writableWebSocket(conn, transport)));
  return socket?.readyState === WEBSOCKET_OPEN && socket._sender._queue.length === 0 ? socket : undefined;
}

/**
 * Frames held per connection until this turn of the event loop ends, then written in one piece. A
 * wave of quotes arrives as many broadcasts in one turn (one Redis read holds dozens of PUBLISHes),
 * and a socket subscribed to several of its tickers would otherwise cost a kernel write, and a TCP
 * segment, for each. Held frames go out before anything else of the same socket takes Socket.IO's
 * path; engine.io's own heartbeat may pass them, which changes nothing a client reads. No timer
 * runs between a broadcast read from Redis and the check phase that writes it.
 */
const held = new Map<object, { readonly socket: DirectSocket; readonly frames: Buffer[] }>();

/** Pings to send with a connection's next direct write, and what to tell once one is sent. */
const pingsAsked = new WeakMap<object, () => void>();

/**
 * Sends a WebSocket ping with the connection's next direct write, in the same TCP write, rather
 * than in one of its own: the slow-consumer probe of every socket, once a second at 1 s ticks,
 * would otherwise cost as many writes as a wave of quotes. `sent` is called as it goes.
 */
export function pingWithNextWrite(conn: object, sent: () => void): void {
  pingsAsked.set(conn, sent);
}

/** Withdraws a ping asked for and not sent yet. */
export function withdrawPing(conn: object): void {
  pingsAsked.delete(conn);
}

function writeHeld(conn: object): void {
  const entry = held.get(conn);
  if (!entry) return;
  held.delete(conn);
  // Closing meanwhile: a frame after ws's close frame would break the protocol, and nobody reads it.
  if (entry.socket.readyState !== WEBSOCKET_OPEN) return;
  const tcp = entry.socket._socket;
  const pingSent = pingsAsked.get(conn);
  if (entry.frames.length === 1 && !pingSent) return void tcp.write(entry.frames[0]!);
  // Corked, the frames leave in one writev and are not copied: each is the broadcast's own buffer.
  tcp.cork();
  for (const frame of entry.frames) tcp.write(frame);
  if (pingSent) {
    pingsAsked.delete(conn);
    entry.socket.ping();
    pingSent();
  }
  tcp.uncork();
}

function writeAllHeld(): void {
  for (const conn of held.keys()) writeHeld(conn);
}

/** Socket.IO's own write (one Client class, so one function), taken from the first client. */
let socketIoWrite: WriteToEngine | undefined;

const directFirst: WriteToEngine = function (this: { conn?: unknown }, encodedPackets, options) {
  const conn = typeof this.conn === 'object' && this.conn !== null ? this.conn : undefined;
  const frame = options?.volatile ? undefined : options?.wsPreEncodedFrame;
  const bytes = conn && frame !== undefined ? frameBytes(frame) : undefined;
  if (conn && bytes) {
    const entry = held.get(conn);
    if (entry) return void entry.frames.push(bytes);
    const socket = idleWebSocket(conn);
    if (socket) {
      if (held.size === 0) setImmediate(writeAllHeld);
      return void held.set(conn, { socket, frames: [bytes] });
    }
  }
  if (conn) writeHeld(conn);
  socketIoWrite?.call(this, encodedPackets, options);
};

/** Makes this Socket.IO client's broadcasts go straight to its WebSocket whenever they can. */
export function writeBroadcastsDirectly(client: object): void {
  const own: unknown = Reflect.get(client, 'writeToEngine');
  if (typeof own !== 'function' || own === directFirst) return;
  socketIoWrite ??= own as WriteToEngine;
  // Another copy of socket.io in the process keeps its own path.
  if (own === socketIoWrite) Reflect.set(client, 'writeToEngine', directFirst);
}
