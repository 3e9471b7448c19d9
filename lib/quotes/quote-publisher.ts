// What happens to quotes once a provider gave them, whoever asked: stored in Redis (seq assigned),
// each one that changed emitted as `stock_update` and queued for the PostgreSQL archive.
import type { ProviderQuote } from '../providers/provider.js';
import type { QuoteEmitter } from '../realtime/emitter.js';
import type { QuoteArchiveSink } from './archive-writer.js';
import type { QuoteStore } from './quote-store.js';
import type { Quote } from './quote.js';

export interface PublishDeps {
  readonly store: QuoteStore;
  readonly emitter: QuoteEmitter;
  readonly archive: QuoteArchiveSink;
}

export interface QuotePublisher {
  /** Stores, emits and archives; returns the quotes that changed, with their new seq. */
  publish(quotes: readonly ProviderQuote[], fetchedAt: Date): Promise<Quote[]>;
}

export function createQuotePublisher({ store, emitter, archive }: PublishDeps): QuotePublisher {
  return {
    async publish(quotes, fetchedAt) {
      const changed = await store.store(quotes, fetchedAt);
      for (const quote of changed) emitter.emitQuote(quote);
      archive.add(changed);
      return changed;
    },
  };
}
