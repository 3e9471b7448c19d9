// Everything one authenticated socket gets on connection: the welcome, its subscriptions (held
// back while its client falls behind), its message rate limit and the end of its life when the
// token expires.
import type { Logger } from '../../../lib/platform/logger.js';
import type { QuoteCacheReader } from '../../../lib/quotes/quote-cache.js';
import type { LiveDemandPublisher } from '../../../lib/demand/live-demand.js';
import type { MessageRateLimit } from './message-rate-limit.js';
import { releaseHandshakeRequest } from './raw-transport.js';
import type { SlowConsumerWatch } from './slow-consumers.js';
import { handleSubscriptions } from './subscriptions.js';
import { expireWithToken } from './token-expiry.js';
import type { TickwireSocket } from './types.js';

export interface ConnectionDeps {
  readonly maxSubscriptions: number;
  readonly limitMessages: MessageRateLimit;
  readonly liveDemand: Pick<LiveDemandPublisher, 'add' | 'remove'>;
  readonly quotes: QuoteCacheReader;
  readonly slowConsumers: Pick<SlowConsumerWatch, 'watch'>;
  readonly logger: Logger;
}

export function onConnection(socket: TickwireSocket, deps: ConnectionDeps): void {
  const { userId } = socket.data;
  releaseHandshakeRequest(socket.conn);
  const subscriptions = handleSubscriptions(socket, deps);
  deps.slowConsumers.watch(socket, subscriptions);
  deps.limitMessages(socket, subscriptions.current);
  expireWithToken(socket);
  // No child logger per socket: its bindings would cost every connection memory, for two debug lines.
  socket.on('disconnect', (reason) => deps.logger.debug({ socket: socket.id, userId, reason }, 'socket disconnected'));
  deps.logger.debug({ socket: socket.id, userId }, 'socket connected');
  socket.emit('welcome', { message: 'Connected to Tickwire', userId });
}
