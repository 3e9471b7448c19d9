// Which tickers one tick refreshes, within the upstream budget: what the interval allows (rate ×
// interval, and the daily quota spread over its day), less a reserve for REST misses and retries,
// less what jobs of earlier ticks still owe. When the due tickers do not fit, as many FULL batches
// as the budget allows go: live tickers first, then the least recently refreshed, so the rest take
// turns; a tenth still goes to watchlist-only tickers when live ones alone fill it, so none starves.
import type { Config } from '../../config/index.js';
import type { LastRefresh } from '../demand/refresh-log.js';
import type { UpstreamBudgetState } from './upstream-gate.js';

/**
 * Symbols one upstream request carries: the provider's maximum, but no more than a worker runs at
 * once, since a wave is sent once all its jobs are in a worker's slots. Scheduler and workers agree.
 */
export function symbolsPerRequest(providerMaximum: number, workerConcurrency: number): number {
  return Math.max(1, Math.min(providerMaximum, workerConcurrency));
}

export interface BudgetSettings {
  readonly requestsPerSecond: number;
  /** Share of the budget left unplanned (0..0.9). */
  readonly reserveShare: number;
  readonly intervalMs: number;
}

export type QuotaState = Omit<NonNullable<UpstreamBudgetState['quota']>, 'remaining'>;

/**
 * Requests this tick may plan by the rate alone. A fractional share (4.5 at 5/s, 1 s, 10 % reserve)
 * is dealt out by the tick's number since the epoch, 4 then 5..., losing nothing and keeping no state.
 */
export function requestsByRate({ requestsPerSecond, reserveShare, intervalMs }: BudgetSettings, now: number): number {
  const share = ((requestsPerSecond * intervalMs) / 1000) * (1 - reserveShare);
  const tick = Math.floor(now / intervalMs);
  return Math.floor(share * (tick + 1)) - Math.floor(share * tick);
}

/** By the daily quota: the quota less its reserve, paced evenly over the window (the gate still refuses past it). */
export function requestsByQuota(quota: QuotaState, reserveShare: number, intervalMs: number): number {
  const planned = quota.limit * (1 - reserveShare);
  const line = Math.floor((planned * Math.min(quota.windowMs, quota.elapsedMs + intervalMs)) / quota.windowMs);
  return Math.max(0, Math.min(line, quota.limit) - quota.used);
}

/**
 * Requests this tick may plan: by the rate and the quota, less `owed` (what queued jobs of earlier
 * ticks will still ask). A pause longer than the tick leaves nothing now; the next tick plans afresh.
 */
export function requestsAllowed(budget: BudgetSettings, state: UpstreamBudgetState, owed: number, now: number): number {
  if (state.pausedMs >= budget.intervalMs) return 0;
  const byRate = requestsByRate(budget, now);
  const byQuota = state.quota ? requestsByQuota(state.quota, budget.reserveShare, budget.intervalMs) : byRate;
  return Math.max(0, Math.min(byRate, byQuota) - owed);
}

export type MarketStateIntervals = Config['quotes']['marketStateIntervals'];

const STATE_INTERVALS = new Map<string, keyof MarketStateIntervals>([['CLOSED', 'closed'], ['PREPRE', 'closed'], ['POSTPOST', 'closed'], ['PRE', 'pre'], ['POST', 'post']]);

/** How often a ticker in this market state should be refreshed; REGULAR and unknown ones every tick. */
export function intervalForMarketState(state: string | null | undefined, intervals: MarketStateIntervals, normalMs: number): number {
  const kind = state ? STATE_INTERVALS.get(state) : undefined;
  return kind ? Math.max(normalMs, intervals[kind]) : normalMs;
}

export interface RefreshPlanInput {
  /** The tickers in demand (watchlists ∪ live sockets). */
  readonly symbols: readonly string[];
  readonly subscribers: ReadonlyMap<string, number>;
  readonly lastRefresh: ReadonlyMap<string, LastRefresh>;
  readonly requests: number;
  readonly batchSize: number;
  readonly intervalMs: number;
  readonly marketIntervals: MarketStateIntervals;
  readonly now: number;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Share of the budget kept for watchlist-only tickers when live ones alone would fill it. */
const WATCHLIST_FLOOR_SHARE = 0.1;

/**
 * Due when its market state's interval has (nearly) passed since its last refresh; at the normal
 * interval every tick (waves spread over it, so "an interval ago" would skip the late ones).
 */
function isDue(symbol: string, input: RefreshPlanInput): boolean {
  const last = input.lastRefresh.get(symbol);
  if (!last) return true;
  const interval = intervalForMarketState(last.marketState, input.marketIntervals, input.intervalMs);
  return interval <= input.intervalMs || input.now - last.at >= interval - input.intervalMs;
}

/** The tickers to refresh this tick, most urgent first, and the counts a tick reports (TickResult). */
export function planRefresh(input: RefreshPlanInput) {
  const due = input.symbols.filter((symbol) => isDue(symbol, input));
  const resting = input.symbols.length - due.length;
  const capacity = Math.max(0, input.requests) * input.batchSize;
  if (due.length <= capacity) return { symbols: [...due], due: due.length, deferred: 0, resting };

  // Each group least recently refreshed first (never: first of all). The others' floor is a share
  // of the count, not of time, so slow ticks change nothing.
  const lastAt = (symbol: string) => input.lastRefresh.get(symbol)?.at ?? Number.NEGATIVE_INFINITY;
  const byAge = (a: string, b: string) => lastAt(a) - lastAt(b) || compare(a, b);
  const live = due.filter((symbol) => (input.subscribers.get(symbol) ?? 0) > 0).sort(byAge);
  const others = due.filter((symbol) => !((input.subscribers.get(symbol) ?? 0) > 0)).sort(byAge);
  const othersFloor = capacity > 0 && live.length >= capacity ? Math.min(others.length, Math.max(1, Math.floor(capacity * WATCHLIST_FLOOR_SHARE))) : 0;
  const liveTaken = Math.min(live.length, capacity - othersFloor);
  const chosen = [...live.slice(0, liveTaken), ...others.slice(0, capacity - liveTaken)];
  return { symbols: chosen, due: due.length, deferred: due.length - chosen.length, resting };
}
