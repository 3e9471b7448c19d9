// How the demand compares with the upstream budget, as the scheduler last planned it, kept in
// Redis so every web process's health report can say when the demand exceeds the budget (and by
// how much), with the daily quota left as the gate holds it.
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.js';
import type { UpstreamBudgetState } from './upstream-gate.js';

export interface PlannedTick {
  /** When the tick was planned (ISO). */
  readonly at: string;
  /** Tickers due that tick, and the budget's requests for it. */
  readonly due: number;
  readonly allowedRequests: number;
  readonly plannedRequests: number;
  /** Due tickers left for later ticks: more than zero means the demand exceeds the budget. */
  readonly deferred: number;
}

export interface BudgetReport {
  readonly requestsPerSecond: number;
  /** True when the last tick could not refresh every due ticker. */
  readonly overBudget: boolean;
  readonly lastTick: PlannedTick | null;
  readonly quota: { readonly limit: number; readonly used: number; readonly remaining: number; readonly resetsAt: string } | null;
}

/** A plan older than this many intervals says nothing about the scheduler now. */
const PLAN_LIFETIME_INTERVALS = 5;

export async function recordPlannedTick(redis: Redis, keys: RedisKeys, tick: PlannedTick, intervalMs: number): Promise<void> {
  await redis.set(keys.budgetPlan, JSON.stringify(tick), 'PX', PLAN_LIFETIME_INTERVALS * intervalMs);
}

export async function readBudgetReport(redis: Redis, keys: RedisKeys, gate: { state(): Promise<UpstreamBudgetState> }, requestsPerSecond: number): Promise<BudgetReport> {
  const [stored, state] = await Promise.all([redis.get(keys.budgetPlan), gate.state()]);
  let lastTick: PlannedTick | null = null;
  try {
    lastTick = stored ? (JSON.parse(stored) as PlannedTick) : null;
  } catch {
    lastTick = null;
  }
  const quota = state.quota
    ? { limit: state.quota.limit, used: state.quota.used, remaining: state.quota.remaining, resetsAt: new Date(Date.now() + state.quota.windowMs - state.quota.elapsedMs).toISOString() }
    : null;
  return { requestsPerSecond, overBudget: (lastTick?.deferred ?? 0) > 0, lastTick, quota };
}
