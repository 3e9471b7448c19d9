// Every Redis key Tickwire writes is built here, under the configured prefix, never inline.

export interface RedisKeys {
  /** Latest quote of one symbol (the Quote shape of API.md, JSON). */
  quote(symbol: string): string;
  /** Prefix under which a rate limiter keeps its counters. */
  rateLimit(name: string): string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    quote: (symbol) => `${prefix}:quote:${symbol}`,
    rateLimit: (name) => `${prefix}:ratelimit:${name}`,
  };
}
