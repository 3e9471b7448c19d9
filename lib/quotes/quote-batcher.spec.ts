import { createQuoteBatcher } from './quote-batcher.js';

function recordingBatcher(maxBatch: number, windowMs = 20) {
  const waveTimeoutMs = windowMs;
  const calls: string[][] = [];
  const batcher = createQuoteBatcher<string>({
    maxBatch,
    windowMs,
    waveTimeoutMs,
    fetchBatch: async (symbols) => {
      calls.push(symbols);
      return new Map(symbols.map((symbol) => [symbol, symbol === 'BAD' ? new Error('unknown BAD') : `quote:${symbol}`]));
    },
  });
  return { calls, batcher };
}

describe('quote batcher', () => {
  it('sends a full wave in one call as soon as its last job arrives', async () => {
    const { calls, batcher } = recordingBatcher(50, 60_000);
    const wave = { id: 'tick-1:0', size: 3 };
    const results = await Promise.all(['A', 'B', 'C'].map((symbol) => batcher.request(symbol, wave)));
    expect(results).toEqual(['quote:A', 'quote:B', 'quote:C']);
    expect(calls).toEqual([['A', 'B', 'C']]);
  });

  it('waits for a wave whose jobs arrive late instead of cutting it on the short window', async () => {
    const { calls, batcher } = recordingBatcher(50, 5);
    const longWait = createQuoteBatcher<string>({ maxBatch: 50, windowMs: 5, waveTimeoutMs: 60_000, fetchBatch: async (symbols) => (calls.push(symbols), new Map(symbols.map((s) => [s, s]))) });
    void batcher;
    const wave = { id: 'tick-1:0', size: 3 };
    const first = longWait.request('A', wave);
    // Well past the short window: a time window would have sent A alone.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toEqual([]);
    await Promise.all([first, longWait.request('B', wave), longWait.request('C', wave)]);
    expect(calls).toEqual([['A', 'B', 'C']]);
  });

  it('never sends more than the provider maximum in one call', async () => {
    const { calls, batcher } = recordingBatcher(2);
    await Promise.all(['A', 'B', 'C', 'D', 'E'].map((symbol) => batcher.request(symbol)));
    expect(calls.map((call) => call.length)).toEqual([2, 2, 1]);
  });

  it('sends an incomplete wave only when its timeout ends', async () => {
    const { calls, batcher } = recordingBatcher(50, 10);
    await Promise.all(['A', 'B'].map((symbol) => batcher.request(symbol, { id: 'w', size: 5 })));
    expect(calls).toEqual([['A', 'B']]);
  });

  it('keeps waves apart and asks once for a symbol requested twice', async () => {
    const { calls, batcher } = recordingBatcher(50, 10);
    await Promise.all([batcher.request('A', { id: 'w1', size: 2 }), batcher.request('A', { id: 'w1', size: 2 }), batcher.request('B', { id: 'w2', size: 1 })]);
    expect(calls).toEqual([['A'], ['B']]);
  });

  it('fails only the symbol that failed, and every symbol when the call fails', async () => {
    const { batcher } = recordingBatcher(50, 10);
    const [good, bad] = await Promise.allSettled([batcher.request('A', { id: 'w', size: 2 }), batcher.request('BAD', { id: 'w', size: 2 })]);
    expect(good).toEqual({ status: 'fulfilled', value: 'quote:A' });
    expect(bad.status).toBe('rejected');

    const failing = createQuoteBatcher<string>({ maxBatch: 5, windowMs: 5, waveTimeoutMs: 5, fetchBatch: async () => Promise.reject(new Error('upstream down')) });
    const outcomes = await Promise.allSettled(['X', 'Y'].map((symbol) => failing.request(symbol)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });
});
