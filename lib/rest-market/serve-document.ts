// The read path of a cached provider answer: a fresh cached answer; else one fetch from the
// provider (single flight across processes), stored for the others; else, when the provider
// fails, the last known answer marked stale; else 503 UPSTREAM_UNAVAILABLE.
import type { Logger } from '../platform/logger.js';
import type { QuoteProvider } from '../providers/provider.js';
import type { RedisKeys } from '../redis/keys.js';
import type { UpstreamGate } from '../upstream/upstream-gate.js';
import type { DocumentCache } from './document-cache.js';
import { isSymbolNotFound, isUpstreamFailure, upstreamUnavailable } from './market-errors.js';
import type { SingleFlight } from './single-flight.js';

/** What a REST service serving provider documents through serveDocument needs. */
export interface DocumentServiceDeps<T> {
  readonly provider: QuoteProvider;
  /** One gated upstream request: the shared request budget, and the shared pause a 429 closes. */
  readonly call: UpstreamGate['call'];
  readonly cache: DocumentCache<T>;
  readonly keys: RedisKeys;
  readonly flight: SingleFlight;
  readonly logger: Logger;
}

export interface Served<T> {
  readonly value: T;
  /** True when the provider failed and this is the last known answer, older than its lifetime. */
  readonly stale: boolean;
}

export interface ServeDocumentOptions<T> {
  readonly cache: DocumentCache<T>;
  /** Redis key of the cached answer. */
  readonly key: string;
  readonly flight: SingleFlight;
  /** Name of the fetch among all web processes (its lock). */
  readonly flightName: string;
  /** Asks the provider. */
  readonly load: () => Promise<T>;
  /** Run on each look while another process fetches; may throw (an unknown symbol it found, say). */
  readonly whileWaiting?: () => Promise<void>;
  readonly logger: Logger;
}

export async function serveDocument<T>({ cache, key, flight, flightName, load, whileWaiting, logger }: ServeDocumentOptions<T>): Promise<Served<T>> {
  const cached = await cache.read(key);
  if (cached?.fresh) return { value: cached.value, stale: false };
  try {
    const value = await flight.run(flightName, {
      lead: async () => {
        const loaded = await load();
        // Not stored (Redis away) is no reason to withhold the answer from this request.
        await cache.write(key, loaded).catch((error: unknown) => logger.warn({ err: (error as Error).message, key: flightName }, 'could not cache a provider answer'));
        return loaded;
      },
      follow: async () => {
        const stored = await cache.read(key);
        if (stored?.fresh) return stored.value;
        await whileWaiting?.();
        return undefined;
      },
    });
    return { value, stale: false };
  } catch (error) {
    if (isSymbolNotFound(error)) throw error;
    if (cached) {
      logger.warn({ err: (error as Error).message, key: flightName, ageMs: Date.now() - cached.storedAt }, 'provider failed; serving the last known answer');
      return { value: cached.value, stale: true };
    }
    if (!isUpstreamFailure(error)) logger.error({ err: error, key: flightName }, 'fetch failed for a reason other than the provider');
    throw upstreamUnavailable(error);
  }
}
