// Keeps the socket's subscriptions equal to the user's watchlist: reads the list at start and every
// interval, subscribes to symbols added elsewhere (the web page, another client) and unsubscribes
// from symbols removed; after every (re)connection (the new socket has no subscriptions yet) it
// subscribes to the whole list again.
import { subscribe, unsubscribe, type TickwireClientSocket } from '../../lib/realtime/client.js';
import type { SubscriptionAck } from '../../lib/realtime/events.js';
import type { ClientView } from './view.js';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createWatchlistSync({ readWatchlist, socket, view, intervalMs }: {
  readonly readWatchlist: () => Promise<string[]>;
  readonly socket: TickwireClientSocket;
  readonly view: ClientView;
  readonly intervalMs: number;
}) {
  let watchlist: string[] = [];
  /** What the server last said this socket is subscribed to. */
  let subscribed = new Set<string>();
  /** Rejections already shown: a ticker the server refuses is asked again each pass, but told once. */
  const told = new Set<string>();
  /** The last read failure shown, so an outage is one line and not one per interval. */
  let readProblem: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  // Passes run one after another: a periodic read and a reconnection must not interleave their emits.
  let queue: Promise<void> = Promise.resolve();
  const serially = (work: () => Promise<void>) => (queue = queue.then(work).catch((error: unknown) => view.problem(`subscription failed: ${message(error)}`)));

  function accept(ack: SubscriptionAck) {
    subscribed = new Set(ack.subscribed);
    view.showSymbols([...subscribed]);
    for (const { ticker, code, reason } of ack.rejected) {
      const key = `${ticker}:${code}`;
      if (told.has(key)) continue;
      told.add(key);
      view.problem(`server refused ${ticker} (${code}): ${reason}`);
    }
  }

  async function reconcile() {
    // While disconnected, socket.io would buffer the emits; the next connection resubscribes anyway.
    if (!socket.connected) return;
    const wanted = new Set(watchlist);
    const leaving = [...subscribed].filter((symbol) => !wanted.has(symbol));
    if (leaving.length) {
      accept(await unsubscribe(socket, leaving));
      view.notice(`unsubscribed: ${leaving.join(', ')}`);
    }
    const joining = watchlist.filter((symbol) => !subscribed.has(symbol));
    if (joining.length) {
      accept(await subscribe(socket, joining));
      const joined = joining.filter((symbol) => subscribed.has(symbol));
      if (joined.length) view.notice(`subscribed: ${joined.join(', ')}`);
    }
  }

  async function read() {
    watchlist = await readWatchlist();
    if (readProblem) view.notice('watchlist readable again');
    readProblem = undefined;
  }

  const refresh = () =>
    serially(async () => {
      try {
        await read();
      } catch (error) {
        if (message(error) !== readProblem) view.problem(`could not read the watchlist: ${message(error)}; trying again`);
        readProblem = message(error);
        return;
      }
      await reconcile();
    });

  socket.on('connect', () =>
    void serially(async () => {
      subscribed = new Set();
      await reconcile();
    }),
  );

  return {
    /** Reads the watchlist once (throws if that fails), then keeps reading it every interval. */
    async start() {
      await read();
      if (watchlist.length === 0) view.notice('the watchlist is empty; waiting for tickers to be added');
      // Rows for the list right away ("waiting"); the first subscription's ack confirms them.
      view.showSymbols(watchlist);
      timer = setInterval(() => void refresh(), intervalMs);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
