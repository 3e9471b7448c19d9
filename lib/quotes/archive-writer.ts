// Write-behind to the quote archive: keeps the latest quote per symbol in memory and writes them
// all every few seconds in one upsert, so PostgreSQL sees one statement per flush instead of one
// write per quote per tick. What a failed flush held is kept (unless superseded) for the next one.
import type { Logger } from '../platform/logger.js';
import type { QuoteArchive } from './quote-archive.js';
import type { Quote } from './quote.js';

export interface QuoteArchiveSink {
  /** Queues quotes for the next flush; a symbol's later quote replaces its earlier one. */
  add(quotes: readonly Quote[]): void;
}

export interface ArchiveWriter extends QuoteArchiveSink {
  /** Writes what is queued now (waits for a flush already running first). */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left. */
  close(): Promise<void>;
  /** Symbols waiting for the next flush. */
  readonly pending: number;
}

export interface ArchiveWriterOptions {
  readonly archive: QuoteArchive;
  readonly flushIntervalMs: number;
  readonly logger: Logger;
}

/** True when `candidate` is a later quote of the same symbol than `current`. */
function isNewer(candidate: Quote, current: Quote | undefined): boolean {
  if (!current) return true;
  const [a, b] = [Date.parse(candidate.fetchedAt), Date.parse(current.fetchedAt)];
  return a > b || (a === b && candidate.seq >= current.seq);
}

export function createArchiveWriter({ archive, flushIntervalMs, logger }: ArchiveWriterOptions): ArchiveWriter {
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
      logger.warn({ err: error instanceof Error ? error.message : String(error), pending: buffer.size }, 'quote archive flush failed; will retry');
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
    get pending() {
      return buffer.size;
    },
  };
}
