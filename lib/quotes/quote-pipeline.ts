// The quote pipeline, assembled here once for the worker's jobs and the web's REST misses: symbols
// → the provider (through the shared upstream gate) → the Redis store (seq) → `stock_update` for
// each quote that changed → the PostgreSQL archive. Errors keep their types for the job layer.
import type { Config } from '../../config/index.js';
import type { Orm } from '../db/orm.js';
import type { QuoteMetrics } from '../metrics/quote-metrics.js';
import type { Logger } from '../platform/logger.js';
import { RateLimitedError, SymbolNotFoundError } from '../providers/errors.js';
import { createProvider } from '../providers/index.js';
import type { ProviderQuote } from '../providers/provider.js';
import { createQuoteEmitter } from '../realtime/emitter.js';
import type { Redis } from '../redis/connections.js';
import type { RedisKeys } from '../redis/keys.js';
import { createArchiveWriter, writeThrough } from './archive-writer.js';
import { quoteArchive } from './quote-archive.js';
import { createQuoteStore } from './quote-store.js';
import type { Quote } from './quote.js';
import { unknownSymbols } from '../demand/unknown-symbols.js';
import { createUpstreamGate, upstreamBudgetOf } from '../upstream/upstream-gate.js';
import { upstreamStatusBoard } from '../upstream/upstream-status.js';

export interface QuotePipelineDeps {
  readonly config: Config;
  /** A fail-fast cache client, for the gate, the store and the provider's shared state. */
  readonly cache: Redis;
  /**
   * A queueing connection (createBullConnection) for `stock_update`. A change is emitted once, so a
   * publish lost in a Redis blip would leave subscribers on the old price until it moves again;
   * queued, it goes out on reconnect. Nothing piles up: the store before it fails fast meanwhile.
   */
  readonly publisher: Redis;
  readonly keys: RedisKeys;
  readonly orm: Orm;
  readonly logger: Logger;
  readonly metrics?: QuoteMetrics | undefined;
  /**
   * 'write-behind' (workers): the batched writer, one upsert per flush for a tick's thousands of
   * quotes. 'write-through' (web): one upsert per REST miss, rare and single-flighted, so web
   * processes run no writer. An upsert never replaces a later quote, so the two may race.
   */
  readonly archive: 'write-behind' | 'write-through';
}

export interface RefreshOutcome {
  readonly symbol: string;
  /** The new seq when the quote changed and was emitted; null when it was unchanged. */
  readonly seq: number | null;
}

export type QuotePublish = (quotes: readonly ProviderQuote[], fetchedAt: Date) => Promise<Quote[]>;

export function createQuotePipeline({ config, cache, publisher, keys, orm, logger, metrics, archive: mode }: QuotePipelineDeps) {
  const provider = createProvider(config, { redis: cache, keys, logger });
  const gate = createUpstreamGate(cache, keys, provider.name, { ...upstreamBudgetOf(config), logger, observer: metrics?.upstream });
  const store = createQuoteStore(cache, keys);
  const redisEmitter = createQuoteEmitter(publisher, keys.socketIo, (error) => logger.debug({ err: String(error) }, 'stock_update publish failed'));
  const emitter = metrics ? metrics.countEmits(redisEmitter) : redisEmitter;
  const archive = quoteArchive(orm);
  const sink = mode === 'write-behind' ? createArchiveWriter({ archive, flushIntervalMs: config.quotes.archiveFlushMs, logger }) : writeThrough(archive, logger);
  const unknown = unknownSymbols(cache, keys);
  const status = upstreamStatusBoard(cache, keys, provider.name);

  const publish: QuotePublish = async (quotes, fetchedAt) => {
    const changed = await store.store(quotes, fetchedAt);
    emitter.emitQuotes(changed);
    sink.add(changed);
    return changed;
  };

  /** One provider request for the batch; an outcome or a SymbolNotFoundError per symbol. */
  async function refresh(symbols: string[]): Promise<Map<string, RefreshOutcome | Error>> {
    const batch = await gate.call('quotes', () => {
      metrics?.observeBatch(symbols.length);
      return provider.getQuotes(symbols);
    }).catch(async (error: unknown) => {
      const state = error instanceof RateLimitedError ? 'rate_limited' : 'failing';
      await status.record(state, error instanceof Error ? error.message : String(error)).catch(() => undefined);
      throw error;
    });
    const changed = await publish(batch.quotes, new Date());
    await Promise.all([unknown.mark(batch.missing), status.record('ok')]);
    const seqs = new Map(changed.map((quote) => [quote.symbol, quote.seq]));
    const outcomes = new Map<string, RefreshOutcome | Error>(batch.quotes.map((quote) => [quote.symbol, { symbol: quote.symbol, seq: seqs.get(quote.symbol) ?? null }]));
    for (const symbol of batch.missing) outcomes.set(symbol, new SymbolNotFoundError(provider.name, symbol));
    logger.debug({ requested: symbols.length, received: batch.quotes.length, changed: changed.length, missing: batch.missing.length }, 'quotes refreshed');
    return outcomes;
  }

  // `archive` reads back what Redis lost; `close` writes what the archive still holds (after the
  // last refresh, before the database closes).
  return { provider, gate, unknown, refresh, publish, archive, close: () => sink.close() };
}
