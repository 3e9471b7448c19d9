// The refresh use case: one batch of symbols → the provider (through the shared gate) → the
// publisher (store, `stock_update`, archive). Errors keep their types so the job layer can tell a
// rate limit (pause, no attempt burnt) from an unknown symbol (give up) from the rest (retry).
import type { Logger } from '../platform/logger.js';
import type { QuoteProvider } from '../providers/provider.js';
import { RateLimitedError, SymbolNotFoundError } from '../providers/errors.js';
import type { QuotePublisher } from './quote-publisher.js';
import type { UpstreamGate } from './upstream-gate.js';
import type { UnknownSymbols } from './unknown-symbols.js';
import type { UpstreamStatusBoard } from './upstream-status.js';

export interface RefreshOutcome {
  readonly symbol: string;
  /** The new seq when the quote changed and was emitted; null when it was unchanged. */
  readonly seq: number | null;
}

export interface RefreshDeps {
  readonly provider: QuoteProvider;
  readonly gate: UpstreamGate;
  readonly publisher: QuotePublisher;
  readonly unknown: UnknownSymbols;
  readonly status: UpstreamStatusBoard;
  readonly logger: Logger;
  /** Optional: told how many symbols each request that reaches the provider carries (metrics). */
  readonly observeBatch?: ((symbols: number) => void) | undefined;
}

export type RefreshBatch = (symbols: string[]) => Promise<Map<string, RefreshOutcome | Error>>;

export function createQuoteRefresher({ provider, gate, publisher, unknown, status, logger, observeBatch }: RefreshDeps): RefreshBatch {
  return async (symbols) => {
    let batch;
    try {
      batch = await gate.call('quotes', () => {
        observeBatch?.(symbols.length);
        return provider.getQuotes(symbols);
      });
    } catch (error) {
      const rateLimited = error instanceof RateLimitedError;
      await status.record(rateLimited ? 'rate_limited' : 'failing', error instanceof Error ? error.message : String(error)).catch(() => undefined);
      throw error;
    }
    const changed = await publisher.publish(batch.quotes, new Date());
    await Promise.all([unknown.mark(batch.missing), status.record('ok')]);

    const seqs = new Map(changed.map((quote) => [quote.symbol, quote.seq]));
    const outcomes = new Map<string, RefreshOutcome | Error>();
    for (const quote of batch.quotes) outcomes.set(quote.symbol, { symbol: quote.symbol, seq: seqs.get(quote.symbol) ?? null });
    for (const symbol of batch.missing) outcomes.set(symbol, new SymbolNotFoundError(provider.name, symbol));
    logger.debug({ requested: symbols.length, received: batch.quotes.length, changed: changed.length, missing: batch.missing.length }, 'quotes refreshed');
    return outcomes;
  };
}
