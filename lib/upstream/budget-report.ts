// The scheduler's last plan against the upstream budget, kept in Redis so every web process's
// health report can say when the demand exceeds the budget, with the daily quota left.
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.js';
import type { UpstreamBudgetState } from './upstream-gate.js';

/** `at`: ISO time of planning; `deferred` > 0 means the demand exceeds the budget. */
export interface PlannedTick {
  readonly at: string;
  readonly due: number;
  readonly allowedRequests: number;
  readonly plannedRequests: number;
  readonly deferred: number;
}

/** A plan older than this many intervals says nothing about the scheduler now. */
const PLAN_LIFETIME_INTERVALS = 5;

export async function recordPlannedTick(redis: Redis, keys: RedisKeys, tick: PlannedTick, intervalMs: number): Promise<void> {
  await redis.set(keys.budgetPlan, JSON.stringify(tick), 'PX', PLAN_LIFETIME_INTERVALS * intervalMs);
}

export async function readBudgetReport(redis: Redis, keys: RedisKeys, gate: { state(): Promise<UpstreamBudgetState> }, requestsPerSecond: number) {
  const [stored, state] = await Promise.all([redis.get(keys.budgetPlan), gate.state()]);
  let lastTick: PlannedTick | null = null;
  try {
    lastTick = stored ? (JSON.parse(stored) as PlannedTick) : null;
  } catch {
    // A value not written by us: as if there were no plan.
  }
  const quota = state.quota
    ? { limit: state.quota.limit, used: state.quota.used, remaining: state.quota.remaining, resetsAt: new Date(Date.now() + state.quota.windowMs - state.quota.elapsedMs).toISOString() }
    : null;
  return { requestsPerSecond, overBudget: (lastTick?.deferred ?? 0) > 0, lastTick, quota };
}

export type BudgetReport = Awaited<ReturnType<typeof readBudgetReport>>;
