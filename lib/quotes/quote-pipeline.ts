// The quote pipeline, assembled in this one place for the worker's jobs and the web's REST misses:
// the provider behind the shared upstream gate, the refresh use case, and what a fetched quote goes
// through (the Redis store, `stock_update`, the PostgreSQL archive).
import type { Config } from '../../config/index.js';
import type { Orm } from '../db/orm.js';
import type { QuoteMetrics } from '../metrics/quote-metrics.js';
import type { Logger } from '../platform/logger.js';
import { createProvider, type QuoteProvider } from '../providers/index.js';
import { createQuoteEmitter } from '../realtime/emitter.js';
import type { Redis } from '../redis/connections.js';
import type { RedisKeys } from '../redis/keys.js';
import { createArchiveWriter, writeThrough } from './archive-writer.js';
import { quoteArchive, type QuoteArchive } from './quote-archive.js';
import { createQuotePublisher, type QuotePublisher } from './quote-publisher.js';
import { createQuoteStore } from './quote-store.js';
import { createQuoteRefresher, type RefreshBatch } from './refresh-quotes.js';
import { unknownSymbols, type UnknownSymbols } from './unknown-symbols.js';
import { createUpstreamGate, upstreamBudgetOf, type UpstreamGate } from './upstream-gate.js';
import { upstreamStatusBoard } from './upstream-status.js';

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

export interface QuotePipeline {
  readonly provider: QuoteProvider;
  readonly gate: UpstreamGate;
  readonly unknown: UnknownSymbols;
  readonly refresh: RefreshBatch;
  /** Stores, emits and archives quotes the provider gave outside a refresh (the overview's movers). */
  readonly publisher: QuotePublisher;
  /** PostgreSQL's copy, to read back what Redis lost. */
  readonly archive: QuoteArchive;
  /** Writes what the archive still holds: after the last refresh, before the database closes. */
  close(): Promise<void>;
}

export function createQuotePipeline({ config, cache, publisher, keys, orm, logger, metrics, archive: mode }: QuotePipelineDeps): QuotePipeline {
  const provider = createProvider(config, { redis: cache, keys, logger });
  const gate = createUpstreamGate(cache, keys, provider.name, { ...upstreamBudgetOf(config), logger, observer: metrics?.upstream });
  const emitter = createQuoteEmitter(publisher, keys.socketIo, (error) => logger.debug({ err: String(error) }, 'stock_update publish failed'));
  const archive = quoteArchive(orm);
  const sink = mode === 'write-behind' ? createArchiveWriter({ archive, flushIntervalMs: config.quotes.archiveFlushMs, logger }) : writeThrough(archive, logger);
  const quotePublisher = createQuotePublisher({ store: createQuoteStore(cache, keys), emitter: metrics ? metrics.countEmits(emitter) : emitter, archive: sink });
  const unknown = unknownSymbols(cache, keys);
  const status = upstreamStatusBoard(cache, keys, provider.name);
  const refresh = createQuoteRefresher({ provider, gate, publisher: quotePublisher, unknown, status, logger, observeBatch: metrics?.observeBatch });
  return { provider, gate, unknown, refresh, publisher: quotePublisher, archive, close: () => sink.close() };
}
