// Coalesces fetch jobs that are in flight together into batched provider calls of at most the
// provider's maximum, so upstream requests grow with tickers / batch size, not with tickers.
// Jobs of one scheduler wave say how many they are, and a wave is sent as one request once all of
// them are in: no time window cuts it, however late its jobs reach the worker (a busy CPU, worker
// slots still taken by the wave before). Only a wave whose missing jobs will never come here (they
// went to another worker process, or the hint is from a run that died) is sent short, after
// `waveTimeoutMs`. Jobs without a wave (REST misses, retries) share a short window.

export interface WaveHint {
  /** The wave's id, shared by the jobs the scheduler released together. */
  readonly id: string;
  /** How many jobs the wave holds. */
  readonly size: number;
}

export interface BatcherOptions<T> {
  readonly maxBatch: number;
  /** Longest a symbol without a wave waits for others to join its batch. */
  readonly windowMs: number;
  /**
   * Longest a wave waits for jobs that never come. A safety net, not a batching window: much
   * longer than a wave takes to arrive, since every early flush costs a whole extra request.
   */
  readonly waveTimeoutMs: number;
  /** One provider call for the batch; resolves per symbol, or rejects for all of them. */
  readonly fetchBatch: (symbols: string[]) => Promise<Map<string, T | Error>>;
}

export interface QuoteBatcher<T> {
  request(symbol: string, wave?: WaveHint): Promise<T>;
}

interface Waiter<T> {
  readonly symbol: string;
  resolve(value: T): void;
  reject(error: unknown): void;
}

interface Group<T> {
  readonly waiters: Waiter<T>[];
  readonly target: number;
  timer: NodeJS.Timeout | undefined;
}

const ANY_WAVE = '';

export function createQuoteBatcher<T>({ maxBatch, windowMs, waveTimeoutMs, fetchBatch }: BatcherOptions<T>): QuoteBatcher<T> {
  const groups = new Map<string, Group<T>>();

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
    request(symbol, wave) {
      return new Promise<T>((resolve, reject) => {
        const key = wave?.id ?? ANY_WAVE;
        let group = groups.get(key);
        if (!group) {
          group = { waiters: [], target: Math.min(maxBatch, wave?.size ?? maxBatch), timer: undefined };
          groups.set(key, group);
          group.timer = setTimeout(() => flush(key), wave ? waveTimeoutMs : windowMs);
        }
        group.waiters.push({ symbol, resolve, reject });
        if (group.waiters.length >= group.target) flush(key);
      });
    },
  };
}
