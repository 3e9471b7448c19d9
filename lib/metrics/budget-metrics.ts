// Metrics of the scheduler's plan against the upstream budget, set on every tick.
import { Gauge, type Registry } from 'prom-client';

/** What one tick planned (the scheduler's TickPlanSummary has these fields; `waves`: one upstream request each). */
type PlannedTickFigures = Readonly<Record<'allowed' | 'waves' | 'due' | 'deferred', number>>;

/** The value at quantile `q` of ascending `sorted` (nearest rank). */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function createBudgetMetrics(registry: Registry) {
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  const tickGauges: Record<keyof PlannedTickFigures, Gauge> = {
    allowed: gauge('tickwire_tick_requests_allowed', 'Upstream requests the budget allowed the last tick (after the reserve, the daily quota and what queued jobs still owe)'),
    waves: gauge('tickwire_tick_requests_planned', 'Upstream requests (waves) the last tick planned'),
    due: gauge('tickwire_tick_tickers_due', 'Tickers due for a refresh at the last tick'),
    deferred: gauge('tickwire_tick_tickers_deferred', 'Due tickers the last tick left for later because the budget did not cover them (the rotation)'),
  };
  const age = gauge('tickwire_quote_refresh_age_seconds', 'Age of the demanded tickers\' quotes when the last tick was planned', ['stat']);
  const quota = gauge('tickwire_upstream_quota_remaining', 'Upstream requests left in the current quota window (absent without a daily quota)');
  return {
    recordTick(plan: PlannedTickFigures, refreshAgesMs: readonly number[]) {
      for (const [field, tickGauge] of Object.entries(tickGauges)) tickGauge.set(plan[field as keyof PlannedTickFigures]);
      const sorted = [...refreshAgesMs].sort((a, b) => a - b);
      age.set({ stat: 'max' }, (sorted.at(-1) ?? 0) / 1000);
      age.set({ stat: 'p99' }, quantile(sorted, 0.99) / 1000);
    },
    recordQuota(remaining: number | undefined) {
      if (remaining !== undefined) quota.set(remaining);
    },
  };
}
