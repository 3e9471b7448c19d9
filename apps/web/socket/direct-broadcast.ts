// Broadcast frames written straight to the TCP socket. For a broadcast (a quote to a ticker room)
// Socket.IO encodes the packet once and precomputes its WebSocket frame (`wsPreEncodedFrame`),
// yet engine.io still queues, flushes, and waits for a write callback for each recipient, and ws
// writes the frame's header and payload as two buffers. When nothing is waiting ahead of a
// recipient's packet, its frame goes to the socket with the other broadcasts of the same turn of
// the event loop, in one write; the bytes on the wire are the same. At 30 000 deliveries a second
// (bench/fanout) writing directly took the web process from 62-65 % of a core to 53-58 %, what was
// left being almost all the kernel's writes. One write per socket and turn, the slow-consumer ping
// riding along, took it to 37-39 %: a 50-ticker wave's 3 000 deliveries (clients on 10 of 500
// tickers) became ~1 950 writes, and the more of a socket's tickers one turn brings, the fewer.
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

/**
 * A connection's direct writes, kept per transport (a connection keeps its transport until it
 * upgrades or closes), so no table grows and shrinks by thousands of entries each turn.
 */
interface DirectWrites {
  readonly socket: DirectSocket;
  /** Frames held until this turn of the event loop ends. */
  readonly frames: Buffer[];
  /** A ping to send with the next write (slow-consumers.ts), and what to tell once it is sent. */
  pingSent?: (() => void) | undefined;
}

/** null: the transport's WebSocket lacks what a direct write needs (checked once per transport). */
const byTransport = new WeakMap<object, DirectWrites | null>();

function writableWebSocket(conn: object, transport: object): DirectSocket | null {
  const socket = rawWebSocket(conn) as (RawWebSocket & Partial<DirectSocket>) | undefined;
  // With compression ws deflates asynchronously, so a message in the works could be overtaken
  // (engine.io itself then never uses the precomputed frame).
  if (!socket || Reflect.get(transport, 'perMessageDeflate')) return null;
  if (!Array.isArray(socket._sender?._queue) || typeof socket._socket?.write !== 'function' || typeof socket._socket.uncork !== 'function') return null;
  return socket as DirectSocket;
}

function directWritesOf(conn: object): DirectWrites | undefined {
  const transport: unknown = Reflect.get(conn, 'transport');
  if (typeof transport !== 'object' || transport === null) return undefined;
  let writes = byTransport.get(transport);
  if (writes === undefined) {
    const socket = writableWebSocket(conn, transport);
    byTransport.set(transport, (writes = socket && { socket, frames: [] }));
  }
  return writes ?? undefined;
}

/** Nothing queued at engine.io or ws ahead of a new packet. */
function isIdle(conn: object, socket: DirectSocket): boolean {
  // Not pendingPackets(): a writeBuffer of another shape must mean "not idle" here, not "empty".
  const writeBuffer: unknown = Reflect.get(conn, 'writeBuffer');
  if (Reflect.get(conn, 'readyState') !== 'open' || !Array.isArray(writeBuffer) || writeBuffer.length > 0) return false;
  return socket.readyState === WEBSOCKET_OPEN && socket._sender._queue.length === 0;
}

/**
 * Frames are held per connection until this turn of the event loop ends, then written in one
 * piece. A wave of quotes arrives as many broadcasts in one turn (one Redis read holds a batch's
 * PUBLISHes), and a socket subscribed to several of its tickers would otherwise cost a kernel
 * write, and a TCP segment, for each. Held frames go out before anything else of the same socket
 * takes Socket.IO's path; engine.io's own heartbeat may pass them, which changes nothing a client
 * reads. No timer runs between a broadcast read from Redis and the check phase that writes it.
 * `holding` lists the connections with held frames (reused, so it does not grow each turn).
 */
const holding: Array<DirectWrites | undefined> = [];
let holdingCount = 0;

function writeHeld(writes: DirectWrites): void {
  const { socket, frames, pingSent } = writes;
  if (frames.length === 0) return;
  // Closing meanwhile: a frame after ws's close frame would break the protocol, and nobody reads it.
  if (socket.readyState !== WEBSOCKET_OPEN) return void (frames.length = 0);
  const tcp = socket._socket;
  if (frames.length === 1 && !pingSent) tcp.write(frames[0]!);
  else {
    // Corked, the frames leave in one writev and are not copied: each is the broadcast's own buffer.
    tcp.cork();
    for (const frame of frames) tcp.write(frame);
    if (pingSent) {
      writes.pingSent = undefined;
      socket.ping();
      pingSent();
    }
    tcp.uncork();
  }
  frames.length = 0;
}

function writeAllHeld(): void {
  for (let index = 0; index < holdingCount; index += 1) {
    writeHeld(holding[index]!);
    holding[index] = undefined;
  }
  holdingCount = 0;
}

/**
 * Sends a WebSocket ping with the connection's next direct write, in the same TCP write, rather
 * than in one of its own: the slow-consumer probe of every socket, once a second at 1 s ticks,
 * would otherwise cost as many writes as a wave of quotes. `sent` is called as it goes. False when
 * the connection gets no direct writes (the caller pings it itself).
 */
export function pingWithNextWrite(conn: object, sent: () => void): boolean {
  const writes = directWritesOf(conn);
  if (writes) writes.pingSent = sent;
  return writes !== undefined;
}

/** Withdraws a ping asked for and not sent yet. */
export function withdrawPing(conn: object): void {
  const writes = directWritesOf(conn);
  if (writes) writes.pingSent = undefined;
}

/** Socket.IO's own write (one Client class, so one function), taken from the first client. */
let socketIoWrite: WriteToEngine | undefined;

const directFirst: WriteToEngine = function (this: { conn?: unknown }, encodedPackets, options) {
  const conn = typeof this.conn === 'object' && this.conn !== null ? this.conn : undefined;
  const writes = conn && directWritesOf(conn);
  if (conn && writes) {
    const frame = options?.volatile ? undefined : options?.wsPreEncodedFrame;
    const bytes = frame === undefined ? undefined : frameBytes(frame);
    if (bytes && (writes.frames.length > 0 || isIdle(conn, writes.socket))) {
      if (writes.frames.length === 0) {
        if (holdingCount === 0) setImmediate(writeAllHeld);
        holding[holdingCount++] = writes;
      }
      return void writes.frames.push(bytes);
    }
    writeHeld(writes);
  }
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
