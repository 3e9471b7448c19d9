// The Socket.IO server of the web process: same HTTP server and port as REST, default namespace,
// the Redis adapter (so the workers' emitter reaches sockets on every web process), the origin
// check, the JWT handshake, slow-consumer protection, and an orderly close.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Config } from '../../../config/index.js';
import type { TokenService } from '../../../lib/auth/tokens.js';
import type { KnownUsers } from '../../../lib/accounts/known-users.js';
import type { Logger } from '../../../lib/platform/logger.js';
import type { QuoteCacheReader } from '../../../lib/quotes/quote-cache.js';
import { createLiveDemandPublisher, type LiveDemandOptions } from '../../../lib/demand/live-demand.js';
import { closeClients, createCacheClient, createPubSubPair } from '../../../lib/redis/connections.js';
import { redisKeys } from '../../../lib/redis/keys.js';
import { authenticateHandshake } from './handshake.js';
import { messageRateLimit } from './message-rate-limit.js';
import { allowListedOrigins } from './origin-check.js';
import { writeBroadcastsDirectly } from './direct-broadcast.js';
import { rawWebSocket, releaseHandshakeRequest, settleWebSockets } from './raw-transport.js';
import { DEFAULT_SLOW_CONSUMER_LIMITS, watchSlowConsumers, type SlowConsumerLimits } from './slow-consumers.js';
import { handleSubscriptions } from './subscriptions.js';
import { expireWithToken } from './token-expiry.js';
import type { TickwireServer } from './types.js';

/**
 * Largest message a client may send (engine.io's default: 1 MB). A full subscribe (1000 tickers of
 * up to 32 characters) is about 35 KB; at 100 KB an over-long list (10 000 short tickers) still
 * arrives to be refused with VALIDATION_FAILED, instead of engine.io cutting the connection, and no
 * one message can make the server buffer megabytes.
 */
const MAX_MESSAGE_BYTES = 100_000;

/**
 * Heartbeat: a ping every 20 s keeps idle connections alive through proxies and load balancers
 * that cut them after 30-60 s of silence. A client that has not answered 40 s later is gone, so a
 * vanished client holds its subscriptions (and live demand) for at most a minute, the same bound
 * as a client that stops reading (slow-consumers.ts): one that pauses for 30 s is still served.
 */
const PING_INTERVAL_MS = 20_000;
const PING_TIMEOUT_MS = 40_000;

/** How long sockets get to finish their close handshake on shutdown before they are cut. */
const CLOSE_GRACE_MS = 1000;

export interface SocketServerDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly tokens: TokenService;
  readonly users: KnownUsers;
  readonly quotes: QuoteCacheReader;
  /** Overrides for tests: thresholds and timings of slow-consumer checks and live demand. */
  readonly slowConsumers?: Partial<SlowConsumerLimits>;
  readonly liveDemand?: Omit<LiveDemandOptions, 'logger'>;
}

export function attachSocketServer(httpServer: HttpServer, deps: SocketServerDeps) {
  const { config, tokens, users, quotes } = deps;
  const logger = deps.logger.child({ component: 'sockets' });
  const keys = redisKeys(config.redis.prefix);
  const { pub, sub } = createPubSubPair(config.redis.url, logger);
  const demandRedis = createCacheClient(config.redis.url, logger, 'live-demand');
  const checkOrigin = allowListedOrigins(config.http.corsOrigins);
  let closing = false;

  const io: TickwireServer = new Server(httpServer, {
    serveClient: false,
    cors: { origin: [...config.http.corsOrigins] },
    allowRequest: (req, callback) => (closing ? callback('server shutting down', false) : checkOrigin(req, callback)),
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    pingInterval: PING_INTERVAL_MS,
    pingTimeout: PING_TIMEOUT_MS,
    // The classic adapter: the workers' @socket.io/redis-emitter speaks its protocol.
    adapter: createAdapter(pub, sub, { key: keys.socketIo }),
  });
  const liveDemand = createLiveDemandPublisher(demandRedis, keys, { ...deps.liveDemand, logger });

  const slowConsumers = watchSlowConsumers(
    { ...DEFAULT_SLOW_CONSUMER_LIMITS, probeEveryMs: Math.max(DEFAULT_SLOW_CONSUMER_LIMITS.probeEveryMs, config.quotes.fetchIntervalMs), ...deps.slowConsumers },
    logger,
  );

  const limitMessages = messageRateLimit(config.sockets.messagesPerSecond, logger);

  io.use(authenticateHandshake(tokens, users, logger));
  io.on('connection', (socket) => {
    const { userId } = socket.data;
    releaseHandshakeRequest(socket.conn);
    writeBroadcastsDirectly(socket.client);
    const subscriptions = handleSubscriptions(socket, { maxSubscriptions: config.sockets.maxSubscriptions, liveDemand, quotes, logger });
    slowConsumers.watch(socket, subscriptions);
    limitMessages(socket, subscriptions.current);
    expireWithToken(socket);
    // No child logger per socket: its bindings would cost every connection memory, for two debug lines.
    socket.on('disconnect', (reason) => logger.debug({ socket: socket.id, userId, reason }, 'socket disconnected'));
    logger.debug({ socket: socket.id, userId }, 'socket connected');
    socket.emit('welcome', { message: 'Connected to Tickwire', userId });
  });

  return {
    io,
    /**
     * Disconnects every socket (clients see `transport close` and reconnect, to another process),
     * withdraws this process's live demand and closes its Redis clients. Call it once the HTTP server
     * no longer accepts connections; it does not close the HTTP server.
     */
    async close(): Promise<void> {
      if (closing) return;
      closing = true;
      slowConsumers.stop();
      const webSockets = [...io.sockets.sockets.values()].flatMap((socket) => rawWebSocket(socket.conn) ?? []);
      // Closing engine.io disconnects every socket at once, so their live demand is given back.
      io.engine.close();
      await io.sockets.adapter.close();
      await liveDemand.close();
      await closeClients([pub, sub, demandRedis]);
      await settleWebSockets(webSockets, CLOSE_GRACE_MS);
    },
  };
}
