// Every Redis key Tickwire writes is built here, under the configured prefix, never inline.

export interface RedisKeys {
  /** Latest quote of one symbol (the Quote shape of API.md, JSON). */
  quote(symbol: string): string;
  /** Marks a symbol the provider does not know, so it is not fetched again for a while. */
  unknownSymbol(symbol: string): string;
  /** Prefix under which a rate limiter keeps its counters. */
  rateLimit(name: string): string;
  /** The set of tickers subscribed by live sockets on one web process; expires unless refreshed. */
  liveDemand(instanceId: string): string;
  /** Ids of the web processes that publish live demand. */
  readonly liveDemandInstances: string;
  /** The watchlists' tickers as the scheduler last read them from PostgreSQL, with when (JSON). */
  readonly lastKnownWatched: string;
  /** A provider's session (for Yahoo: cookie and crumb), shared by every worker process. */
  providerSession(provider: string): string;
  /** What the workers last learned of the upstream (ok, rate-limited, failing), for health. */
  readonly upstreamState: string;
  /** Exists while every worker must hold its upstream requests (after a 429); expires by itself. */
  readonly upstreamPause: string;
  /** Consecutive rate limits without a Retry-After, for the exponential pause. */
  readonly upstreamStrikes: string;
  /** The upstream request budget's token bucket (tokens and when last counted), shared by every process. */
  readonly upstreamBucket: string;
  /**
   * Requests counted against the daily quota in one quota window: this prefix followed by the
   * window's index since the epoch. The gate's script appends the index itself, from Redis's clock,
   * so every process counts into the same window.
   */
  readonly upstreamQuotaPrefix: string;
  /** The scheduler's last tick plan against the upstream budget (JSON), for health; expires unless renewed. */
  readonly budgetPlan: string;
  /** Hash symbol → "fetchedAt ms|marketState" of every stored quote, so the scheduler reads them in one HMGET. */
  readonly quoteRefreshes: string;
  /** Channel prefix shared by the Socket.IO Redis adapter and the workers' emitter. */
  readonly socketIo: string;
  /** Cached provider answer to a symbol search (query normalised by the caller). */
  searchResults(query: string): string;
  /** Cached price history of one symbol, range and interval. */
  chart(symbol: string, range: string, interval: string): string;
  /** Cached market overview (indices, gainers, losers). */
  readonly marketOverview: string;
  /** Short lock held by the one web process that fetches a missing entry (single flight). */
  fetchLock(name: string): string;
  /** One process's latest Prometheus metrics (prom-client JSON); expires unless republished. */
  metricsSnapshot(instanceId: string): string;
  /** Ids of the processes that publish metrics snapshots. */
  readonly metricsInstances: string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    quote: (symbol) => `${prefix}:quote:${symbol}`,
    unknownSymbol: (symbol) => `${prefix}:unknown-symbol:${symbol}`,
    rateLimit: (name) => `${prefix}:ratelimit:${name}`,
    liveDemand: (instanceId) => `${prefix}:demand:live:${instanceId}`,
    liveDemandInstances: `${prefix}:demand:instances`,
    lastKnownWatched: `${prefix}:demand:last-known-watched`,
    providerSession: (provider) => `${prefix}:provider-session:${provider}`,
    upstreamState: `${prefix}:upstream:state`,
    upstreamPause: `${prefix}:upstream:pause`,
    upstreamStrikes: `${prefix}:upstream:strikes`,
    upstreamBucket: `${prefix}:upstream:bucket`,
    upstreamQuotaPrefix: `${prefix}:upstream:quota:`,
    quoteRefreshes: `${prefix}:quote-refreshes`,
    budgetPlan: `${prefix}:upstream:plan`,
    socketIo: `${prefix}:socket.io`,
    searchResults: (query) => `${prefix}:market:search:${encodeURIComponent(query)}`,
    chart: (symbol, range, interval) => `${prefix}:market:chart:${symbol}:${range}:${interval}`,
    marketOverview: `${prefix}:market:overview`,
    fetchLock: (name) => `${prefix}:lock:${name}`,
    metricsSnapshot: (instanceId) => `${prefix}:metrics:snapshot:${instanceId}`,
    metricsInstances: `${prefix}:metrics:instances`,
  };
}
