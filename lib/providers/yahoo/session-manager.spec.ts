import { pino } from 'pino';
import { createSessionManager } from './session-manager.js';
import type { YahooSession, YahooSessionStore } from './session.js';

const silent = pino({ level: 'silent' });

function memoryStore(initial?: YahooSession): YahooSessionStore & { value: YahooSession | undefined } {
  return {
    value: initial,
    async load() {
      return this.value;
    },
    async save(session) {
      this.value = session;
    },
    async discard(session) {
      if (this.value?.crumb === session.crumb) this.value = undefined;
    },
  };
}

describe('yahoo session manager', () => {
  let flows = 0;
  const flow = async (): Promise<YahooSession> => {
    flows += 1;
    await new Promise((resolve) => setTimeout(resolve, 10));
    return { cookie: `A3=${flows}`, crumb: `crumb${flows}`, createdAt: new Date().toISOString() };
  };
  beforeEach(() => {
    flows = 0;
  });

  it('runs one crumb flow for many concurrent callers and saves it', async () => {
    const store = memoryStore();
    const manager = createSessionManager(store, flow, silent);
    const sessions = await Promise.all(Array.from({ length: 10 }, () => manager.current()));
    expect(flows).toBe(1);
    expect(new Set(sessions.map((session) => session.crumb))).toEqual(new Set(['crumb1']));
    expect(store.value?.crumb).toBe('crumb1');
  });

  it('reuses a stored session without a flow', async () => {
    const manager = createSessionManager(memoryStore({ cookie: 'A3=x', crumb: 'stored', createdAt: '' }), flow, silent);
    expect((await manager.current()).crumb).toBe('stored');
    expect(flows).toBe(0);
  });

  it('replaces a rejected session once, and ignores a stale rejection', async () => {
    const store = memoryStore();
    const manager = createSessionManager(store, flow, silent);
    const first = await manager.current();
    await manager.invalidate(first);
    const second = await manager.current();
    expect(second.crumb).toBe('crumb2');
    await manager.invalidate(first); // a late caller still holding the first session
    expect(await manager.current()).toBe(second);
    expect(flows).toBe(2);
  });

  it('does not take back a refused session the store failed to forget', async () => {
    const store = memoryStore();
    store.discard = async () => undefined; // Redis hiccup on delete
    const manager = createSessionManager(store, flow, silent);
    const first = await manager.current();
    await manager.invalidate(first);
    expect((await manager.current()).crumb).toBe('crumb2');
  });
});
