// Broadcast frames written straight to the TCP socket. For a broadcast (a quote to a ticker room)
// Socket.IO encodes the packet once and precomputes its WebSocket frame (`wsPreEncodedFrame`),
// yet engine.io still queues, flushes, and waits for a write callback for each recipient, and ws
// writes the frame's header and payload as two buffers. When nothing is waiting ahead of a
// recipient's packet, its frame goes to the socket at once, header and payload in one write; the
// bytes on the wire are the same. At 30 000 deliveries a second (bench/fanout) that took the web
// process from 62-65 % of a core to 53-58 %, what is left being almost all the kernel's write.
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
interface DirectSocket {
  readonly _sender: { readonly _queue: readonly unknown[] };
  readonly _socket: { write(chunk: Buffer): boolean };
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

/** The WebSocket to write to directly, when nothing is queued ahead of a new packet. */
function idleWebSocket(conn: unknown): DirectSocket | undefined {
  if (typeof conn !== 'object' || conn === null) return undefined;
  // Not pendingPackets(): a writeBuffer of another shape must mean "not idle" here, not "empty".
  const writeBuffer: unknown = Reflect.get(conn, 'writeBuffer');
  if (Reflect.get(conn, 'readyState') !== 'open' || !Array.isArray(writeBuffer) || writeBuffer.length > 0) return undefined;
  const socket = rawWebSocket(conn) as (RawWebSocket & Partial<DirectSocket>) | undefined;
  if (!socket || socket.readyState !== WEBSOCKET_OPEN || socket._sender?._queue?.length !== 0 || typeof socket._socket?.write !== 'function') return undefined;
  // With compression ws deflates asynchronously, so a message in the works could be overtaken (engine.io
  // itself then never uses the precomputed frame). rawWebSocket() found the transport an object.
  if (Reflect.get(Reflect.get(conn, 'transport') as object, 'perMessageDeflate')) return undefined;
  return socket as DirectSocket;
}

/** Socket.IO's own write (one Client class, so one function), taken from the first client. */
let socketIoWrite: WriteToEngine | undefined;

const directFirst: WriteToEngine = function (this: { conn?: unknown }, encodedPackets, options) {
  const frame = options?.volatile ? undefined : options?.wsPreEncodedFrame;
  const socket = frame === undefined ? undefined : idleWebSocket(this.conn);
  const bytes = socket && frameBytes(frame);
  if (socket && bytes) socket._socket.write(bytes);
  else socketIoWrite?.call(this, encodedPackets, options);
};

/** Makes this Socket.IO client's broadcasts go straight to its WebSocket whenever they can. */
export function writeBroadcastsDirectly(client: object): void {
  const own: unknown = Reflect.get(client, 'writeToEngine');
  if (typeof own !== 'function' || own === directFirst) return;
  socketIoWrite ??= own as WriteToEngine;
  // Another copy of socket.io in the process keeps its own path.
  if (own === socketIoWrite) Reflect.set(client, 'writeToEngine', directFirst);
}
