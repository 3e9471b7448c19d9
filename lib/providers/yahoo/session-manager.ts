// The session one process uses: held in memory, loaded from the shared store before the first
// request, made by one crumb flow at a time (single-flight), and replaced once when Yahoo rejects it.
import type { Logger } from '../../platform/logger.js';
import type { YahooSession, YahooSessionStore } from './session.js';

export function createSessionManager(store: YahooSessionStore, runFlow: () => Promise<YahooSession>, logger: Logger) {
  let session: YahooSession | undefined;
  let pending: Promise<YahooSession> | undefined;
  // The last crumb Yahoo refused: should the store still hand it back (its delete failed), skip it.
  let refusedCrumb: string | undefined;

  async function obtain(): Promise<YahooSession> {
    const stored = await store.load();
    if (stored && stored.crumb !== refusedCrumb) {
      logger.debug({ createdAt: stored.createdAt }, 'reusing the stored yahoo session');
      return stored;
    }
    logger.debug('running the yahoo crumb flow');
    const fresh = await runFlow();
    await store.save(fresh);
    logger.info('new yahoo session (cookie and crumb) stored');
    return fresh;
  }

  return {
    /** The session to use now: memory, else the store, else a fresh crumb flow (saved to the store). */
    current(): Promise<YahooSession> {
      if (session) return Promise.resolve(session);
      // Every caller waiting while the session is missing shares one load/flow.
      pending ??= obtain()
        .then((obtained) => (session = obtained))
        .finally(() => (pending = undefined));
      return pending;
    },
    /** Yahoo rejected this session: forget it here and in the store, so the next current() replaces it. */
    async invalidate(rejected: YahooSession): Promise<void> {
      refusedCrumb = rejected.crumb;
      // The store first: a load starting after this must not find the rejected session again.
      await store.discard(rejected);
      // Compared by identity: a caller holding an older session must not drop a newer one.
      if (session === rejected) session = undefined;
    },
  };
}
