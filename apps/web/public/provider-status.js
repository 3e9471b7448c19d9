// What the market-data provider is doing, in words, from `/api/health`: nothing is shown while it
// answers; a line says so while it rate-limits Tickwire or fails, because then prices lag and
// quotes turn stale, and a user should know it is not their connection.
import { getHealth } from './api.js';
import { polling } from './polling.js';

const CHECK_MS = 15_000;

const MESSAGES = {
  rate_limited: 'The market-data provider is rate-limiting Tickwire: prices may lag, and quotes not refreshed for a while are marked stale.',
  failing: 'The market-data provider is not answering: prices shown are the last known ones, marked stale as they age.',
};

export function createProviderStatus(line) {
  async function check() {
    try {
      const health = await getHealth();
      const state = health?.upstream?.state ?? 'unknown';
      line.dataset.upstream = state;
      const message = MESSAGES[state];
      line.textContent = message ?? '';
      line.hidden = !message;
    } catch {
      // Unreachable: the connection status already says so.
    }
  }

  return polling(check, CHECK_MS);
}
