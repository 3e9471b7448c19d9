// The typed Socket.IO server and socket of the web process, from the one realtime event map.
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../../lib/realtime/events.js';

export type TickwireServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type TickwireSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
