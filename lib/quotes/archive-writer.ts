// The two ways fetched quotes reach the PostgreSQL archive; quote-pipeline.ts says which process uses which.
import type { Logger } from '../platform/logger.js';
import type { QuoteArchive } from './quote-archive.js';
import type { Quote } from './quote.js';

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** True when `candidate` is a later quote of the same symbol than `current`. */
function isNewer(candidate: Quote, current: Quote | undefined): boolean {
  if (!current) return true;
  const [a, b] = [Date.parse(candidate.fetchedAt), Date.parse(current.fetchedAt)];
  return a > b || (a === b && candidate.seq >= current.seq);
}

/**
 * Write-behind: keeps the latest quote per symbol in memory and writes them all every few seconds
 * in one upsert, so PostgreSQL sees one statement per flush instead of one write per quote per
 * tick. What a failed flush held is kept (unless superseded) for the next one.
 */
export function createArchiveWriter({ archive, flushIntervalMs, logger }: { archive: QuoteArchive; flushIntervalMs: number; logger: Logger }) {
  let buffer = new Map<string, Quote>();
  let running: Promise<void> = Promise.resolve();

  function keep(quote: Quote): void {
    if (isNewer(quote, buffer.get(quote.symbol))) buffer.set(quote.symbol, quote);
  }

  async function write(): Promise<void> {
    if (buffer.size === 0) return;
    const batch = [...buffer.values()];
    buffer = new Map();
    try {
      await archive.save(batch);
      logger.debug({ quotes: batch.length }, 'quotes archived');
    } catch (error) {
      // PostgreSQL away: keep them for the next flush, unless newer ones arrived meanwhile.
      for (const quote of batch) keep(quote);
      logger.warn({ err: errorText(error), pending: buffer.size }, 'quote archive flush failed; will retry');
    }
  }

  // Flushes run one after another, so two never race on the same rows.
  const flush = (): Promise<void> => (running = running.then(write));

  const timer = setInterval(() => void flush(), flushIntervalMs);
  timer.unref();

  return {
    add(quotes: readonly Quote[]): void {
      for (const quote of quotes) keep(quote);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

/** Write-through: each batch upserted at once, no timer or buffer; a failed write is only logged. */
export function writeThrough(archive: QuoteArchive, logger: Logger) {
  let writes: Promise<void> = Promise.resolve();
  return {
    add(quotes: readonly Quote[]): void {
      if (quotes.length === 0) return;
      const write = archive.save(quotes).catch((error: unknown) => logger.warn({ err: errorText(error), quotes: quotes.length }, 'quote archive write failed'));
      // close() waits for every write so far.
      writes = writes.then(() => write);
    },
    async close(): Promise<void> {
      await writes;
    },
  };
}
