// One run of the client: log in, add the requested tickers, then stream quotes for the whole
// watchlist and keep following it until stopped.
import { ApiError, createTickwireApi } from './api.js';
import type { ClientOptions } from './args.js';
import { openSession } from './auth-session.js';
import { openLiveConnection } from './live-connection.js';
import type { ClientView } from './view.js';
import { createWatchlistSync } from './watchlist-sync.js';

/** Throws ApiError (the server's message) when login or the first watchlist read fails. */
export async function startClient(options: ClientOptions, password: string, view: ClientView, onFatal: (reason: string) => void) {
  const api = createTickwireApi(options.url);
  const { session, created } = await openSession(api, options, password);
  view.notice(`${created ? 'created the account' : 'logged in as'} ${session.who}`);

  if (options.tickers.length) {
    try {
      const added = await session.authorized((token) => api.addToWatchlist(token, options.tickers));
      const already = added.requestedTickers.length - added.addedCount;
      view.notice(`watchlist: added ${added.addedCount} of ${added.requestedTickers.join(', ')}${already ? ` (${already} already there)` : ''}`);
      for (const { ticker, reason } of added.rejected) view.problem(`watchlist refused ${ticker}: ${reason}`);
    } catch (error) {
      // A full watchlist (409) is worth saying, not worth stopping for: the list still streams.
      if (!(error instanceof ApiError) || error.status === 401 || error.status < 400 || error.status >= 500) throw error;
      view.problem(`could not add ${options.tickers.join(', ')}: ${error.message}`);
    }
  }

  // The socket connects only once the watchlist is known, so its first subscription is the whole list.
  const connection = openLiveConnection({ url: options.url, session, view, onFatal });
  const sync = createWatchlistSync({
    readWatchlist: () => session.authorized((token) => api.watchlist(token)),
    socket: connection.socket,
    view,
    intervalMs: options.syncIntervalMs,
  });
  await sync.start();
  connection.socket.connect();

  return {
    stop() {
      sync.stop();
      connection.close();
    },
  };
}
