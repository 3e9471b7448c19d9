// Coalesces fetch jobs in flight together into provider calls of at most `maxBatch` symbols. A
// scheduler wave is sent as one request once all its jobs are in, however late they reach the
// worker; only a wave whose missing jobs will never come here (taken by another worker process, or
// from a run that died) is sent short, after `waveTimeoutMs`. Jobs without a wave share `windowMs`.

/** The wave a job was released with (its id, and how many jobs it holds). */
export interface WaveHint {
  readonly id: string;
  readonly size: number;
}

interface Waiter<T> {
  readonly symbol: string;
  resolve(value: T): void;
  reject(error: unknown): void;
}

const ANY_WAVE = '';

export function createQuoteBatcher<T>({ maxBatch, windowMs, waveTimeoutMs, fetchBatch }: {
  readonly maxBatch: number;
  readonly windowMs: number;
  /** A safety net, not a batching window: every early flush costs a whole extra request. */
  readonly waveTimeoutMs: number;
  /** One provider call for the batch; resolves per symbol, or rejects for all of them. */
  readonly fetchBatch: (symbols: string[]) => Promise<Map<string, T | Error>>;
}) {
  const groups = new Map<string, { waiters: Waiter<T>[]; target: number; timer: NodeJS.Timeout }>();

  function flush(key: string): void {
    const group = groups.get(key);
    if (!group) return;
    groups.delete(key);
    clearTimeout(group.timer);
    void send(group.waiters);
  }

  async function send(waiters: Waiter<T>[]): Promise<void> {
    // The same symbol may be in flight twice (at-least-once delivery): ask once, answer both.
    const symbols = [...new Set(waiters.map((waiter) => waiter.symbol))];
    try {
      const results = await fetchBatch(symbols);
      for (const waiter of waiters) {
        const result = results.get(waiter.symbol);
        if (result instanceof Error) waiter.reject(result);
        else if (result === undefined) waiter.reject(new Error(`no result for ${waiter.symbol}`));
        else waiter.resolve(result);
      }
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    }
  }

  return {
    request(symbol: string, wave?: WaveHint): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const key = wave?.id ?? ANY_WAVE;
        let group = groups.get(key);
        if (!group) {
          group = { waiters: [], target: Math.min(maxBatch, wave?.size ?? maxBatch), timer: setTimeout(() => flush(key), wave ? waveTimeoutMs : windowMs) };
          groups.set(key, group);
        }
        group.waiters.push({ symbol, resolve, reject });
        if (group.waiters.length >= group.target) flush(key);
      });
    },
  };
}

export type QuoteBatcher<T> = ReturnType<typeof createQuoteBatcher<T>>;
