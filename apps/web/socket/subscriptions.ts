// `subscribe` and `unsubscribe` of one socket: validation, the per-socket limit, ticker rooms, the
// answers, the snapshot of cached quotes, the socket's live-demand share, and the rooms left while
// its client is behind (slow-consumers.ts), rejoined with the latest quotes after.
//
// Both messages are idempotent and confirm every valid ticker they name (one already subscribed is
// listed in `subscribed` again, with its snapshot; one never subscribed in `unsubscribed`), so a
// client that re-sends its list after a reconnect, or waits for `subscribed` after each subscribe
// (as clients of the first description do), always gets its answer. The ack's `subscribed` is the
// socket's full set.
import type { QuoteCacheReader } from '../../../lib/quotes/quote-cache.js';
import type { LiveDemandPublisher } from '../../../lib/demand/live-demand.js';
import type { SubscriptionRejection } from '../../../lib/realtime/events.js';
import { tickerRoom } from '../../../lib/realtime/rooms.js';
import { normalizeTickers } from '../../../lib/tickers/ticker.js';
import type { Logger } from '../../../lib/platform/logger.js';
import { parseTickerList, readMessage, type Ack } from './subscription-payload.js';
import type { TickwireSocket } from './types.js';

export interface SubscriptionDeps {
  readonly maxSubscriptions: number;
  readonly liveDemand: Pick<LiveDemandPublisher, 'add' | 'remove'>;
  readonly quotes: QuoteCacheReader;
  readonly logger: Logger;
}

export function handleSubscriptions(socket: TickwireSocket, { maxSubscriptions, liveDemand, quotes, logger }: SubscriptionDeps) {
  const subscribed = new Set<string>();
  const current = () => [...subscribed].sort();
  /** The client is behind: its tickers' rooms are left (live demand stays) until it catches up. */
  let behind = false;

  const answer = (ack: Ack | undefined, ok: boolean, rejected: SubscriptionRejection[]) => {
    if (rejected.length > 0) socket.emit('subscription_error', { rejected });
    // Only a client's own callback is called: a non-function last argument is simply no ack.
    if (ack) ack({ ok, subscribed: current(), rejected });
  };

  const sendSnapshot = async (symbols: string[]) => {
    const cached = await quotes.getMany(symbols).catch((error: unknown) => {
      // Without Redis there is no snapshot; the next refresh brings the first price instead.
      logger.debug({ err: error instanceof Error ? error.message : String(error) }, 'no snapshot: quote cache unavailable');
      return [];
    });
    // As broadcasts to the socket's own room, so they take the direct path (direct-broadcast.ts):
    // the whole snapshot leaves in one write, not one per quote.
    const toThisSocket = socket.nsp.local.to(socket.id);
    symbols.forEach((symbol, index) => {
      const quote = cached[index];
      if (quote) toThisSocket.emit('stock_update', { [symbol]: quote });
    });
  };

  const onTickers = (event: 'subscribe' | 'unsubscribe', handle: (symbols: string[], rejected: SubscriptionRejection[]) => void) => {
    socket.on(event, (...args: unknown[]) => {
      const message = readMessage(args);
      const parsed = parseTickerList(message);
      if (!parsed.ok) return answer(message.ack, false, [parsed.rejection]);
      const { symbols, rejected } = normalizeTickers(parsed.tickers);
      const refused: SubscriptionRejection[] = rejected.map(({ ticker, code, reason }) => ({ ticker, code, reason }));
      handle(symbols, refused);
      answer(message.ack, true, refused);
    });
  };

  onTickers('subscribe', (symbols, rejected) => {
    const accepted: string[] = [];
    const joined: string[] = [];
    for (const symbol of symbols) {
      if (subscribed.has(symbol)) {
        accepted.push(symbol);
      } else if (subscribed.size >= maxSubscriptions) {
        rejected.push({ ticker: symbol, code: 'LIMIT_EXCEEDED', reason: `a socket may subscribe to at most ${maxSubscriptions} tickers` });
      } else {
        subscribed.add(symbol);
        joined.push(symbol);
        accepted.push(symbol);
      }
    }
    if (joined.length > 0 && !behind) void socket.join(joined.map(tickerRoom));
    for (const symbol of joined) liveDemand.add(symbol);

    if (accepted.length > 0) socket.emit('subscribed', accepted);
    // Catching up sends the snapshot of every ticker; its quotes go out once read, after the answer.
    if (accepted.length > 0 && !behind) void sendSnapshot(accepted);
  });

  onTickers('unsubscribe', (symbols) => {
    for (const symbol of symbols) {
      if (!subscribed.delete(symbol)) continue;
      void socket.leave(tickerRoom(symbol));
      liveDemand.remove(symbol);
    }
    if (symbols.length > 0) socket.emit('unsubscribed', symbols);
  });

  // Socket.IO leaves the rooms by itself; the live-demand share is ours to give back.
  socket.on('disconnect', () => {
    for (const symbol of subscribed) liveDemand.remove(symbol);
    subscribed.clear();
  });

  // What slow-consumers.ts needs of the socket (its Conflation), and its tickers for the rate limit.
  return {
    current,
    receivesUpdates: () => subscribed.size > 0,
    fallBehind() {
      behind = true;
      for (const symbol of subscribed) void socket.leave(tickerRoom(symbol));
    },
    catchUp() {
      behind = false;
      const symbols = current();
      if (symbols.length === 0) return;
      // Rooms first: an update stored after the snapshot's read still arrives; one stored before
      // it arrives twice at most, and its seq tells the client so.
      void socket.join(symbols.map(tickerRoom));
      void sendSnapshot(symbols);
    },
  };
}
