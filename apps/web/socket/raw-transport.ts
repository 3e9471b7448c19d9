// The few engine.io internals Tickwire relies on, narrowed in one place. engine.io does not type
// them as public (or, for the request, as optional), so each is checked at runtime.
export const WEBSOCKET_OPEN = 1;
const WEBSOCKET_CLOSED = 3;

export interface RawWebSocket {
  /** Bytes the WebSocket has accepted but not yet written to the TCP socket. */
  readonly bufferedAmount: number;
  readonly readyState: number;
  terminate(): void;
  /** A WebSocket ping frame; every conforming client answers with a pong once it has read it. */
  ping(): void;
  on(event: 'pong', listener: () => void): unknown;
  once(event: 'close', listener: () => void): unknown;
}

function isRawWebSocket(value: unknown): value is RawWebSocket {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'bufferedAmount') === 'number' &&
    typeof Reflect.get(value, 'readyState') === 'number' &&
    typeof Reflect.get(value, 'terminate') === 'function' &&
    typeof Reflect.get(value, 'ping') === 'function' &&
    typeof Reflect.get(value, 'on') === 'function' &&
    typeof Reflect.get(value, 'once') === 'function'
  );
}

/** The `ws` socket under an engine.io connection on the websocket transport. */
export function rawWebSocket(conn: object): RawWebSocket | undefined {
  const transport: unknown = Reflect.get(conn, 'transport');
  if (typeof transport !== 'object' || transport === null || Reflect.get(transport, 'name') !== 'websocket') return undefined;
  const socket: unknown = Reflect.get(transport, 'socket');
  return isRawWebSocket(socket) ? socket : undefined;
}

/** Packets engine.io holds for a connection while its transport waits for the previous write to drain. */
export function pendingPackets(conn: object): number {
  const writeBuffer: unknown = Reflect.get(conn, 'writeBuffer');
  return Array.isArray(writeBuffer) ? writeBuffer.length : 0;
}

/**
 * Lets go of the HTTP request that opened the connection (its headers stay in the Socket.IO
 * handshake): otherwise every connection keeps it, a few KB each, for its whole life. Socket.IO's
 * memory guide does this on engine.io's `connection`; here it happens once the handshake is built.
 */
export function releaseHandshakeRequest(conn: object): void {
  Reflect.set(conn, 'request', null);
}

/**
 * Drops a connection at once, without waiting to flush what is queued: a WebSocket is terminated
 * (its close frame would sit behind the unread data), any other transport is closed discarding it.
 */
export function dropConnection(conn: { close(discard?: boolean): void }): void {
  const socket = rawWebSocket(conn);
  if (socket) socket.terminate();
  else conn.close(true);
}

/**
 * Waits up to `graceMs` for WebSockets that were asked to close to finish their close handshake,
 * then terminates the rest, so a dead peer cannot hold the HTTP server open for ws's 30 s timeout.
 */
export async function settleWebSockets(sockets: readonly RawWebSocket[], graceMs: number): Promise<void> {
  const open = sockets.filter((socket) => socket.readyState !== WEBSOCKET_CLOSED);
  if (open.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const allClosed = Promise.all(open.map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()))));
  const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([allClosed, graceOver]);
  clearTimeout(timer);
  for (const socket of open) if (socket.readyState !== WEBSOCKET_CLOSED) socket.terminate();
}
