// Everything one authenticated socket gets on connection: the welcome, its subscriptions (held
// back while its client falls behind), its message rate limit and the end of its life when the
// token expires.
import type { Logger } from '../../../lib/platform/logger.js';
import type { QuoteCacheReader } from '../../../lib/quotes/quote-cache.js';
import type { LiveDemandPublisher } from '../../../lib/demand/live-demand.js';
import { limitMessageRate } from './message-rate-limit.js';
import type { SlowConsumerWatch } from './slow-consumers.js';
import { handleSubscriptions } from './subscriptions.js';
import { expireWithToken } from './token-expiry.js';
import type { TickwireSocket } from './types.js';

export interface ConnectionDeps {
  readonly maxSubscriptions: number;
  readonly messagesPerSecond: number;
  readonly liveDemand: Pick<LiveDemandPublisher, 'add' | 'remove'>;
  readonly quotes: QuoteCacheReader;
  readonly slowConsumers: Pick<SlowConsumerWatch, 'watch'>;
  readonly logger: Logger;
}

export function onConnection(socket: TickwireSocket, deps: ConnectionDeps): void {
  const { userId } = socket.data;
  const logger = deps.logger.child({ socket: socket.id, userId });
  const subscriptions = handleSubscriptions(socket, { ...deps, logger });
  deps.slowConsumers.watch(socket, subscriptions);
  limitMessageRate(socket, { messagesPerSecond: deps.messagesPerSecond, currentSubscriptions: subscriptions.current, logger });
  expireWithToken(socket);
  socket.on('disconnect', (reason) => logger.debug({ reason }, 'socket disconnected'));
  logger.debug('socket connected');
  socket.emit('welcome', { message: 'Connected to Tickwire', userId });
}
