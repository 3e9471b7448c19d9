// Every Redis key Tickwire writes is built here, under the configured prefix, never inline.

export type RedisKeys = ReturnType<typeof redisKeys>;

export function redisKeys(prefix: string) {
  return {
    /** Latest quote of one symbol (the Quote shape of API.md, JSON). */
    quote: (symbol: string) => `${prefix}:quote:${symbol}`,
    /** Marks a symbol the provider does not know, so it is not fetched again for a while. */
    unknownSymbol: (symbol: string) => `${prefix}:unknown-symbol:${symbol}`,
    /** Prefix under which a rate limiter keeps its counters. */
    rateLimit: (name: string) => `${prefix}:ratelimit:${name}`,
    /** The set of tickers subscribed by live sockets on one web process; expires unless refreshed. */
    liveDemand: (instanceId: string) => `${prefix}:demand:live:${instanceId}`,
    /** Ids of the web processes that publish live demand. */
    liveDemandInstances: `${prefix}:demand:instances`,
    /** The watchlists' tickers as the scheduler last read them from PostgreSQL, with when (JSON). */
    lastKnownWatched: `${prefix}:demand:last-known-watched`,
    /** A provider's session (for Yahoo: cookie and crumb), shared by every worker process. */
    providerSession: (provider: string) => `${prefix}:provider-session:${provider}`,
    /** What the workers last learned of the upstream (ok, rate-limited, failing), for health. */
    upstreamState: `${prefix}:upstream:state`,
    /** Exists while every worker must hold its upstream requests (after a 429); expires by itself. */
    upstreamPause: `${prefix}:upstream:pause`,
    /** Consecutive rate limits without a Retry-After, for the exponential pause. */
    upstreamStrikes: `${prefix}:upstream:strikes`,
    /** The upstream request budget's token bucket (tokens and when last counted), shared by every process. */
    upstreamBucket: `${prefix}:upstream:bucket`,
    /**
     * Requests counted against the daily quota in one quota window: this prefix followed by the
     * window's index since the epoch. The gate's script appends the index itself, from Redis's clock,
     * so every process counts into the same window.
     */
    upstreamQuotaPrefix: `${prefix}:upstream:quota:`,
    /** Hash symbol → "fetchedAt ms|marketState" of every stored quote, so the scheduler reads them in one HMGET. */
    quoteRefreshes: `${prefix}:quote-refreshes`,
    /** The scheduler's last tick plan against the upstream budget (JSON), for health; expires unless renewed. */
    budgetPlan: `${prefix}:upstream:plan`,
    /** Channel prefix shared by the Socket.IO Redis adapter and the workers' emitter. */
    socketIo: `${prefix}:socket.io`,
    /** Cached provider answer to a symbol search (query normalised by the caller). */
    searchResults: (query: string) => `${prefix}:market:search:${encodeURIComponent(query)}`,
    /** Cached price history of one symbol, range and interval. */
    chart: (symbol: string, range: string, interval: string) => `${prefix}:market:chart:${symbol}:${range}:${interval}`,
    /** Cached market overview (indices, gainers, losers). */
    marketOverview: `${prefix}:market:overview`,
    /** Short lock held by the one web process that fetches the missing entry `key` (single flight). */
    fetchLock: (key: string) => `${key}:lock`,
    /** One process's latest Prometheus metrics (prom-client JSON); expires unless republished. */
    metricsSnapshot: (instanceId: string) => `${prefix}:metrics:snapshot:${instanceId}`,
    /** Ids of the processes that publish metrics snapshots. */
    metricsInstances: `${prefix}:metrics:instances`,
  } as const;
}
