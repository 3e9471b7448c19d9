// One symbol's quote for REST, from the cheapest layer with a fresh one: Redis, then PostgreSQL's
// copy (put back into Redis), then the provider through the quote pipeline, once however many
// requests and processes want it. When the provider fails, the last known quote is served with
// `stale: true`; with none, 503 UPSTREAM_UNAVAILABLE.
import type { Redis } from 'ioredis';
import type { Logger } from '../platform/logger.js';
import type { RedisKeys } from '../redis/keys.js';
import type { QuoteArchive } from '../quotes/quote-archive.js';
import { fetchedWithin, parseStoredQuote, QUOTE_RETENTION_SECONDS, type StaleAfter } from '../quotes/quote-cache.js';
import type { Quote } from '../quotes/quote.js';
import { DomainError } from '../platform/domain-error.js';
import { isSymbolNotFound, isUpstreamFailure, symbolNotFound, upstreamUnavailable } from './market-errors.js';
import type { SingleFlight } from './single-flight.js';

/** `unknown`: the provider said lately it does not know the symbol (unknown-symbols.ts). */
type CachedState = { readonly quote: Quote | null; readonly unknown: boolean };

export function createQuoteService({ redis, keys, archive, fetch, flight, lifetimeMs, staleAfterMs, logger }: {
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly archive: QuoteArchive;
  /** Fetches one symbol through the pipeline (stores it in Redis); rejects with SymbolNotFoundError when unknown. */
  readonly fetch: (symbol: string) => Promise<unknown>;
  readonly flight: SingleFlight;
  /** QUOTE_CACHE_TTL_SECONDS in ms: past it, a cached quote is fetched again. */
  readonly lifetimeMs: number;
  readonly staleAfterMs: StaleAfter;
  readonly logger: Logger;
}) {
  async function cached(symbol: string): Promise<CachedState> {
    const [quote, unknown] = await redis.mget(keys.quote(symbol), keys.unknownSymbol(symbol));
    return { quote: parseStoredQuote(quote ?? null, staleAfterMs), unknown: Boolean(unknown) };
  }

  /** Puts PostgreSQL's copy back into Redis (when Redis has none), so the pipeline's seq carries on from it. */
  async function restore(quote: Quote): Promise<void> {
    const ageSeconds = (Date.now() - Date.parse(quote.fetchedAt)) / 1000;
    const ttl = Math.floor(QUOTE_RETENTION_SECONDS - ageSeconds);
    if (ttl <= 0) return;
    await redis.set(keys.quote(quote.symbol), JSON.stringify({ ...quote, stale: false }), 'EX', ttl, 'NX');
  }

  async function fromArchive(symbol: string): Promise<Quote | null> {
    return archive.get(symbol, staleAfterMs).catch((error: unknown) => {
      logger.warn({ err: (error as Error).message }, 'quote archive unavailable');
      return null;
    });
  }

  /** The flight's leader: PostgreSQL's copy when fresh, else the provider, else the last known quote. */
  async function resolveMiss(symbol: string, cachedQuote: Quote | null): Promise<Quote> {
    const lastKnown = cachedQuote ?? (await fromArchive(symbol));
    if (lastKnown && fetchedWithin(lastKnown, lifetimeMs)) {
      await restore(lastKnown).catch(() => undefined);
      return lastKnown;
    }
    try {
      // The pipeline stores the quote in Redis; read it back from there.
      await fetch(symbol);
      const { quote } = await cached(symbol);
      if (!quote) throw new Error(`the quote of ${symbol} was stored but cannot be read back`);
      return quote;
    } catch (error) {
      if (isSymbolNotFound(error)) throw symbolNotFound(symbol);
      if (lastKnown) {
        logger.warn({ symbol, err: (error as Error).message, fetchedAt: lastKnown.fetchedAt }, 'provider failed; serving the last known quote');
        return { ...lastKnown, stale: true };
      }
      if (!isUpstreamFailure(error)) logger.error({ symbol, err: error }, 'quote fetch failed for a reason other than the provider');
      throw upstreamUnavailable(error);
    }
  }

  /** A fresh cached quote, SYMBOL_NOT_FOUND when the provider lately said it is unknown, else undefined. */
  function answer(symbol: string, { quote, unknown }: CachedState): Quote | undefined {
    if (quote && fetchedWithin(quote, lifetimeMs)) return quote;
    if (unknown) throw symbolNotFound(symbol);
    return undefined;
  }

  return {
    /** A normalised symbol's quote; throws SYMBOL_NOT_FOUND or UPSTREAM_UNAVAILABLE. */
    async get(symbol: string): Promise<Quote> {
      const state = await cached(symbol).catch((error: unknown): CachedState => {
        logger.warn({ err: (error as Error).message }, 'quote cache unavailable; trying PostgreSQL');
        return { quote: null, unknown: false };
      });
      const hit = answer(symbol, state);
      if (hit) return hit;
      try {
        // One flight across processes: one archive read and one provider request; followers wait for its answer.
        return await flight.run(keys.quote(symbol), { lead: () => resolveMiss(symbol, state.quote), follow: async () => answer(symbol, await cached(symbol)) });
      } catch (error) {
        // The leader's own answers (unknown symbol, nothing to serve) stand.
        if (error instanceof DomainError) throw error;
        // Another process fetched and failed (or Redis failed us while waiting): fall back here.
        const lastKnown = state.quote ?? (await fromArchive(symbol));
        if (lastKnown) return { ...lastKnown, stale: !fetchedWithin(lastKnown, lifetimeMs) || lastKnown.stale };
        throw upstreamUnavailable(error);
      }
    },
  };
}
