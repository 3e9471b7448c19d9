// Writing fetched quotes to the PostgreSQL archive (quote-archive.ts), in one of two ways; which
// process uses which is decided in quote-pipeline.ts.
import type { Logger } from '../platform/logger.js';
import type { QuoteArchive } from './quote-archive.js';
import type { Quote } from './quote.js';

export interface QuoteArchiveSink {
  /** Hands quotes over for writing; never throws (a failed write is logged). */
  add(quotes: readonly Quote[]): void;
  /** Writes what is left. */
  close(): Promise<void>;
}

export interface ArchiveWriter extends QuoteArchiveSink {
  /** Writes what is queued now (waits for a flush already running first). */
  flush(): Promise<void>;
}

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
export function createArchiveWriter({ archive, flushIntervalMs, logger }: { archive: QuoteArchive; flushIntervalMs: number; logger: Logger }): ArchiveWriter {
  let buffer = new Map<string, Quote>();
  let running: Promise<void> = Promise.resolve();
  let closed = false;

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

  function flush(): Promise<void> {
    // Flushes run one after another, so two never race on the same rows.
    running = running.then(write);
    return running;
  }

  const timer = setInterval(() => void flush(), flushIntervalMs);
  timer.unref();

  return {
    add(quotes) {
      if (closed) return;
      for (const quote of quotes) keep(quote);
    },
    flush,
    async close() {
      closed = true;
      clearInterval(timer);
      await flush();
    },
  };
}

/** Write-through: each batch upserted at once, no timer or buffer; a failed write is only logged. */
export function writeThrough(archive: QuoteArchive, logger: Logger): QuoteArchiveSink {
  const inFlight = new Set<Promise<void>>();
  return {
    add(quotes) {
      if (quotes.length === 0) return;
      const write: Promise<void> = archive
        .save(quotes)
        .catch((error: unknown) => logger.warn({ err: errorText(error), quotes: quotes.length }, 'quote archive write failed'))
        .finally(() => inFlight.delete(write));
      inFlight.add(write);
    },
    close: async () => {
      await Promise.all(inFlight);
    },
  };
}
